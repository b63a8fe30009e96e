#include "extrasim/studies/sweep_run.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "extrasim/config/config.hpp"
#include "extrasim/io/csv.hpp"
#include "extrasim/io/input_file.hpp"
#include "extrasim/io/output_file.hpp"
#include "extrasim/results/provenance.hpp"
#include "extrasim/results/sweep_results.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/version.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxResultsBytes = std::size_t{4} << 30;

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string manifest_path(const std::string& out) { return out + ".manifest.json"; }

std::string file_hash(const std::string& path) { return sha256_hex(io::read_bounded(path, 16u << 20, "an input file")); }

// What identifies a sweep's numbers: a resumed file must have been made by the same.
Json identity(const SweepSpec& spec, const SweepRunOptions& o) {
  Json id;
  id["inputs"] = Json::array({{{"path", o.sweep_file}, {"sha256", file_hash(o.sweep_file)}},
                              {{"path", spec.scenario_file}, {"sha256", file_hash(spec.scenario_file)}}});
  id["seed"] = spec.seed;
  id["replications"] = spec.replications;
  id["design"] = {{"type", design_name(spec.design)}, {"points", sweep_points(spec).size()}};
  if (spec.design != SweepDesign::kGrid) id["design"]["samples"] = spec.samples;
  id["rng_contract"] = kRngContract;
  id["metrics"] = Json::array();
  for (const SweepMetric& m : spec.metrics) id["metrics"].push_back(m.name());
  return id;
}

void write_manifest(const std::string& out, const Json& m) {
  io::OutputFile file(manifest_path(out), {});
  file.stream() << m.dump(1) << "\n";
  file.commit();
}

// --resume: the manifest must name the same inputs and settings; says the first that differs.
void check_resumable(const SweepSpec& spec, const SweepRunOptions& o) {
  const std::string path = manifest_path(o.out);
  Json m;
  try {
    m = Json::parse(io::read_bounded(path, 16u << 20, "a sweep manifest"));
  } catch (const nlohmann::json::exception&) {
    throw InputError({path}, "", "a file that is not JSON", "the manifest extrasim sweep writes beside its results");
  } catch (const InputError&) {
    throw InputError({path}, "", "no readable manifest", "the manifest of the sweep to resume (without it the file's origin is unknown)");
  }
  const Json now = identity(spec, o);
  for (const auto& [key, value] : now.items()) {
    if (!m.contains(key) || m[key] != value) {
      throw InputError({"--resume " + o.out}, key, (m.contains(key) ? m[key].dump() : "nothing") + " in " + path,
                       value.dump() + " as the current inputs give (the sweep or scenario changed since: start a new results file)");
    }
  }
}

bool parse_point(const std::string& line, std::size_t& point) {
  const std::size_t comma = line.find(',');
  const auto [ptr, ec] = std::from_chars(line.data(), line.data() + (comma == std::string::npos ? 0 : comma), point);
  return comma != std::string::npos && ec == std::errc() && ptr == line.data() + comma;
}

std::size_t field_count(const std::string& line) {
  const auto cells = io::split_csv_row(line);
  return cells ? cells->size() : 0;
}

// Keeps the header and the points whose rows are all there; rewrites the file atomically so
// that it holds whole points. A malformed row is dropped only as the file's last (a write cut
// by a kill); anywhere else it is refused.
std::set<std::size_t> keep_complete_points(const std::string& path, const SweepSpec& spec) {
  const std::string text = io::read_bounded(path, kMaxResultsBytes, "a sweep results file");
  std::istringstream in(text);
  std::string header;
  std::getline(in, header);
  if (header != sweep_results_header(spec)) {
    throw InputError({path, 1, 1}, "", "another header ('" + printable(header.substr(0, 80)) + "')",
                     "the header of this sweep: '" + sweep_results_header(spec) + "' (another sweep's results?)");
  }
  const std::size_t fields = field_count(header);
  const std::size_t points = sweep_points(spec).size();
  std::map<std::size_t, std::vector<std::string>> rows;
  int line_number = 1;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    std::size_t point = 0;
    const bool whole = parse_point(line, point) && point < points && field_count(line) == fields;
    const bool last = in.peek() == std::char_traits<char>::eof();
    const bool cut = last && !text.ends_with("\n");
    if (!whole || cut) {
      if (last) break;  // a torn last row: its point runs again
      throw InputError({path, line_number, 1}, "", "a malformed row ('" + printable(line.substr(0, 60)) + "')",
                       "rows of this sweep (only the last row may be cut short)");
    }
    rows[point].push_back(line);
  }
  std::set<std::size_t> complete;
  io::OutputFile rewrite(path, {});
  rewrite.stream() << header << "\n";
  for (const auto& [point, lines] : rows) {
    if (lines.size() != spec.metrics.size()) continue;
    complete.insert(point);
    for (const std::string& l : lines) rewrite.stream() << l << "\n";
  }
  rewrite.commit();
  return complete;
}

void fail_to_append() {
  throw io::OutputError(std::string("appending to the results file failed: ") + std::strerror(errno));
}

// At most this long between two fsyncs of the results file while points keep coming: a kill
// loses nothing written (the kernel has it), a power cut at most the points of the last
// interval (--resume runs them again, and a row cut short too). One fsync per point cost
// small points more than their run (2.5 ms each on this project's machine).
constexpr auto kSyncInterval = std::chrono::milliseconds(500);

// Appends points' rows in design order, whichever process or thread computed them: each point
// is written as soon as the points before it are, and the file is synced per group of points
// (kSyncInterval) and at the end.
class OrderedAppender {
 public:
  OrderedAppender(int fd, std::vector<std::size_t> pending) : fd_(fd), pending_(std::move(pending)) {}
  void add(std::size_t point, std::string rows) {
    waiting_.emplace(point, std::move(rows));
    while (next_ < pending_.size() && waiting_.count(pending_[next_])) {
      const std::string& text = waiting_[pending_[next_]];
      if (::write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) fail_to_append();
      unsynced_ = true;
      waiting_.erase(pending_[next_++]);
    }
    if (unsynced_ && Clock::now() - last_sync_ >= kSyncInterval) sync();
  }
  void sync() {
    if (unsynced_ && ::fsync(fd_) != 0) fail_to_append();
    unsynced_ = false;
    last_sync_ = Clock::now();
  }
  std::size_t written() const { return next_; }
  bool finished() const { return next_ == pending_.size(); }

 private:
  using Clock = std::chrono::steady_clock;
  int fd_;
  std::vector<std::size_t> pending_;
  std::size_t next_ = 0;
  std::map<std::size_t, std::string> waiting_;
  bool unsynced_ = false;
  Clock::time_point last_sync_ = Clock::now();
};

// One point's rows: the base scenario with the point's values (set through the parameter
// resolver and validated: a refused point is the InputError scenario_at_point gives), run on
// `threads` threads, and the kept metrics summarised. The same rows for any `threads`.
std::string point_rows(const Scenario& base, const SweepSpec& spec, std::size_t k, const std::vector<double>& values,
                       int threads) {
  SessionOptions run;
  run.threads = threads;
  run.monthly_means = false;  // the results file keeps none
  RunSession session(scenario_at_point(base, spec, values), run);
  session.append(spec.replications);
  std::vector<Summary> kept;
  for (const SweepMetric& m : spec.metrics) kept.push_back(session.summary(m.side, m.period, m.metric));
  return sweep_results_rows(spec, k, values, kept);
}

// A point's rows, or what refused them.
struct PointOutcome {
  std::size_t point = 0;
  std::string rows;
  std::exception_ptr error;
};

void run_point(const Scenario& base, const SweepSpec& spec, const std::vector<std::vector<double>>& points, int threads,
               PointOutcome& o) {
  try {
    o.rows = point_rows(base, spec, o.point, points[o.point], threads);
  } catch (...) {
    o.error = std::current_exception();
  }
}

// Runs a group's points: with `across`, all at once, each on one thread, spread over `arena`'s
// `threads`; else its one point on all of them. Errors are kept with their point, so that the
// caller meets them in design order.
void run_group(tbb::task_arena& arena, int threads, bool across, const Scenario& base, const SweepSpec& spec,
               const std::vector<std::vector<double>>& points, std::vector<PointOutcome>& group) {
  if (!across) return run_point(base, spec, points, threads, group.front());
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, group.size(), 1), [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t i = range.begin(); i < range.end(); ++i) run_point(base, spec, points, 1, group[i]);
    }, tbb::simple_partitioner());
  });
}

// The next group of points run at once: about kGroupSeconds of work for every thread, from the
// time the last group of `size` points took (the rows do not depend on it), between one and 64
// points a thread.
std::size_t next_group_size(double seconds, std::size_t size, int threads) {
  constexpr double kGroupSeconds = 0.25;
  const double thread_seconds_per_point = std::max(seconds, 1e-9) * threads / static_cast<double>(size);
  const double per_thread = std::clamp(kGroupSeconds / thread_seconds_per_point, 1.0, 64.0);
  return static_cast<std::size_t>(threads) * static_cast<std::size_t>(per_thread);
}

}  // namespace

std::set<std::size_t> prepare_sweep_output(const SweepSpec& spec, const SweepRunOptions& o) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(o.out, ec);
  if (exists && !o.resume) throw InputError({"--out " + o.out}, "", "an existing file", "a new file, or --resume to continue this one");
  { io::OutputFile probe(manifest_path(o.out), {}); }  // refuses a folder or a link there, before any run
  if (!exists && o.resume) throw InputError({"--resume --out " + o.out}, "", "no such file", "the results file of the sweep to resume");
  if (exists) {
    check_resumable(spec, o);
    return keep_complete_points(o.out, spec);
  }
  io::OutputFile file(o.out, {o.sweep_file, spec.scenario_file});  // refuses inputs, links, devices
  file.stream() << sweep_results_header(spec) << "\n";
  file.commit();
  return {};
}

bool sweep_across_points(const SweepSpec& spec, int threads) {
  const std::int64_t blocks = (spec.replications + RunSession::kBlock - 1) / RunSession::kBlock;
  return threads > 1 && blocks < 4 * static_cast<std::int64_t>(threads);
}

double estimate_sweep_seconds(const SweepSpec& spec, const Scenario& base, int threads) {
  // CPU seconds of one thread, measured with bench/sweep_small.sh --estimate on the 32-lane
  // month step: per person-month (both sides; with capacity intake, every person's intake word
  // and eligibility each month), per group-month (counts and pricing: a sweep keeps no monthly
  // means), per point (setting and validating its values, compiling, summarising the kept
  // metrics, writing its rows) and per process. The sweep's own constants, not the run model's
  // (estimate_run): a sweep point keeps no monthly means and summarises only its kept metrics,
  // so its cost per replication-month is not a run's.
  constexpr double kSecondsPerPersonMonth = 0.95e-9;
  constexpr double kSecondsPerIntakePersonMonth = 1.1e-9;
  constexpr double kSecondsPerGroupMonth = 0.85e-6;
  constexpr double kSecondsPerPoint = 1.0e-4;
  constexpr double kStartSeconds = 0.02;  // the process, the design and the base scenario
  const double months = base.calendar.months;
  const bool capacity_intake = base.programme && base.programme->intake;
  const double replication = 2.0 * static_cast<double>(base.person_count()) * months *
                                 (kSecondsPerPersonMonth + (capacity_intake ? kSecondsPerIntakePersonMonth : 0.0)) +
                             months * static_cast<double>(base.groups.size()) * kSecondsPerGroupMonth;
  const double reps = static_cast<double>(spec.replications);
  const auto points = static_cast<double>(sweep_points(spec).size());
  if (sweep_across_points(spec, threads)) {
    return kStartSeconds + points * (kSecondsPerPoint + reps * replication) / std::min<double>(threads, points);
  }
  const double workers = std::min<double>(threads, std::ceil(reps / static_cast<double>(RunSession::kBlock)));
  return kStartSeconds + points * (kSecondsPerPoint + reps * replication / workers);
}

void run_sweep(const SweepSpec& spec, const SweepRunOptions& o, const std::set<std::size_t>& done, SweepTransport& transport) {
  const std::vector<std::vector<double>> points = sweep_points(spec);
  std::vector<std::size_t> pending;
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (!done.count(k)) pending.push_back(k);
  }
  const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
  Json manifest;
  int fd = -1;
  if (transport.is_root()) {
    manifest = Json{{"extrasim", kVersion}, {"sweep", spec.name}};
    manifest.update(identity(spec, o));
    manifest["threads"] = o.threads;
    manifest["processes"] = transport.size();
    manifest["resumed_points"] = done.size();
    manifest["started"] = now_iso();
    manifest["finished"] = nullptr;
    write_manifest(o.out, manifest);
    fd = ::open(o.out.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw io::OutputError("cannot append to " + o.out + ": " + std::strerror(errno));
  }
  OrderedAppender appender(fd, pending);
  const auto report = [&] {
    if (o.progress) o.progress(static_cast<std::int64_t>(appender.written()), static_cast<std::int64_t>(pending.size()));
  };
  const auto collect = [&](bool wait) {
    while (auto message = transport.receive(wait)) {
      appender.add(message->first, std::move(message->second));
      wait = false;
    }
  };
  // This process's points, every size-th from its rank, in groups: one point at a time on all
  // threads, or (few replications a point) groups of points at once, one thread each, sized
  // by next_group_size. Rows travel and are written on this thread, in design order.
  const Scenario base = load_scenario_file(spec.scenario_file);  // parsed once: points set values on copies
  std::vector<std::size_t> mine;
  for (std::size_t i = static_cast<std::size_t>(transport.rank()); i < pending.size(); i += static_cast<std::size_t>(transport.size())) {
    mine.push_back(pending[i]);
  }
  const bool across = sweep_across_points(spec, threads);
  tbb::task_arena arena(threads);
  auto group = across ? static_cast<std::size_t>(threads) : std::size_t{1};
  bool stopped = false;
  for (std::size_t first = 0; first < mine.size();) {
    if (o.stop && o.stop()) {
      stopped = true;
      break;
    }
    std::vector<PointOutcome> batch(std::min(group, mine.size() - first));
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].point = mine[first + i];
    first += batch.size();
    const auto start = std::chrono::steady_clock::now();
    run_group(arena, threads, across, base, spec, points, batch);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (PointOutcome& p : batch) {
      if (p.error) {  // the points before it are written
        if (transport.is_root()) appender.sync();
        std::rethrow_exception(p.error);
      }
      if (!transport.is_root()) {
        transport.send_to_root(p.point, p.rows);
        continue;
      }
      appender.add(p.point, std::move(p.rows));
      collect(false);
      report();
    }
    if (across) group = next_group_size(seconds, batch.size(), threads);
  }
  if (!transport.is_root()) return;
  if (stopped) {  // the points written stay; resume runs the rest
    appender.sync();
    ::close(fd);
    return;
  }
  while (!appender.finished()) {
    collect(true);
    report();
  }
  appender.sync();
  ::close(fd);
  manifest["finished"] = now_iso();
  write_manifest(o.out, manifest);
}

std::optional<std::string> check_sobol_manifest(const std::string& results, std::size_t points) {
  const std::string path = manifest_path(results);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "no " + path + " beside the results, so extrasim cannot check that the sweep finished";
  Json m;
  try {
    m = Json::parse(io::read_bounded(path, 16u << 20, "a sweep manifest"));
  } catch (const nlohmann::json::exception&) {
    throw InputError({path}, "", "a file that is not JSON", "the manifest extrasim sweep writes");
  }
  const Json& design = m["design"];
  if (!design.is_object() || design["type"] != "sobol") {
    throw InputError({path}, "design.type", design.is_object() ? design["type"].dump() : "no design", "\"sobol\" (a sweep with design: {type: sobol, samples: N})");
  }
  if (m["finished"].is_null()) {
    throw InputError({path}, "finished", "null (the sweep is running or was cut short)", "a finished sweep: complete it with extrasim sweep SWEEP.yaml --resume --out " + results);
  }
  if (design["points"] != points) {
    throw InputError({results}, "", std::to_string(points) + " points", design["points"].dump() + " as the manifest says (a file changed since?)");
  }
  return std::nullopt;
}

}  // namespace extrasim
