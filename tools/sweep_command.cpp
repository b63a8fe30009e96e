// extrasim sweep: runs a sweep's points one after the other (each in parallel over its
// replications) and appends each point's rows durably (write + fsync), so a killed sweep
// loses at most the point it was running: --resume keeps the complete points and goes on.
#include "sweep_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <boost/uuid/detail/sha1.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <optional>
#include <thread>

#include <tbb/info.h>

#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "command_line.hpp"
#include "extrasim/config/config.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/studies/sweep.hpp"
#include "extrasim/results/sweep_results.hpp"
#include "extrasim/version.hpp"
#include "process_group.hpp"
#include "progress.hpp"

namespace extrasim::cli {

namespace {

namespace po = boost::program_options;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sha1_hex(const std::string& data) {
  boost::uuids::detail::sha1 h;
  h.process_bytes(data.data(), data.size());
  boost::uuids::detail::sha1::digest_type digest;
  h.get_digest(digest);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x%08x", digest[0], digest[1], digest[2], digest[3], digest[4]);
  return buf;
}

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// One point's rows, as they go into the file.
std::string point_rows(const SweepSpec& spec, std::size_t k, const std::vector<double>& values, const RunResult& r) {
  std::vector<Summary> kept;
  for (const auto& [side, metric] : spec.metrics) kept.push_back(r.total[static_cast<int>(side)][index_of(metric)]);
  return sweep_results_rows(spec, k, values, kept);
}

// --resume: keeps the header and the points whose rows are all there (a point cut short by a
// kill is dropped and run again); returns the complete points. The file is rewritten
// atomically first, so what it holds is always whole points.
std::set<std::size_t> keep_complete_points(const std::string& path, const SweepSpec& spec) {
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  if (first != sweep_results_header(spec)) {
    throw InputError({path}, "", "another header ('" + first.substr(0, 80) + "')", "the header of this sweep: '" + sweep_results_header(spec) + "' (another sweep's results?)");
  }
  std::map<std::size_t, std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    rows[std::stoul(line.substr(0, line.find(',')))].push_back(line);
  }
  std::set<std::size_t> complete;
  AtomicFile rewrite(path);
  rewrite.stream() << first << "\n";
  for (const auto& [point, lines] : rows) {
    if (lines.size() != spec.metrics.size()) continue;
    complete.insert(point);
    for (const std::string& l : lines) rewrite.stream() << l << "\n";
  }
  rewrite.commit();
  return complete;
}

void append_durably(int fd, const std::string& text) {
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::fsync(fd) != 0) {
    throw std::runtime_error("appending to the results file failed");
  }
}

// Appends points' rows to the results file in design order, whichever process computed them,
// so the file is the same for any number of processes. Rows that arrive early wait in memory.
class OrderedAppender {
 public:
  OrderedAppender(int fd, std::vector<std::size_t> pending) : fd_(fd), pending_(std::move(pending)) {}
  void add(std::size_t point, std::string rows) {
    waiting_.emplace(point, std::move(rows));
    while (next_ < pending_.size() && waiting_.count(pending_[next_])) {
      append_durably(fd_, waiting_[pending_[next_]]);
      waiting_.erase(pending_[next_++]);
    }
  }
  std::size_t written() const { return next_; }
  bool finished() const { return next_ == pending_.size(); }

 private:
  int fd_;
  std::vector<std::size_t> pending_;
  std::size_t next_ = 0;
  std::map<std::size_t, std::string> waiting_;
};

struct SweepArgs {
  std::string file, out;
  bool resume = false, dry_run = false;
  int threads = 0;
};

// Parses the flags; nullopt after --help.
std::optional<SweepArgs> parse_sweep_args(int argc, char** argv) {
  SweepArgs a;
  po::options_description o("options");
  o.add_options()("help,h", "this help")("out", po::value(&a.out), "FILE: the results (CSV; required)")
      ("resume", po::bool_switch(&a.resume), "continue FILE: keep its complete points, run the rest")
      ("dry-run", po::bool_switch(&a.dry_run), "check the sweep and print its points and an estimate of the time; run nothing")
      ("threads", po::value(&a.threads), "T: worker threads per process (default: the cores, shared by the MPI ranks on a machine)");
  const auto vm = parse_command_line(argc, argv, o, a.file, "usage: extrasim sweep SWEEP.yaml --out results.csv [--resume]\n"
                                      "       mpirun -n K extrasim sweep SWEEP.yaml --out results.csv   (points split over K processes)");
  if (!vm) return std::nullopt;
  if (a.file.empty()) throw po::error("missing the sweep file (extrasim sweep SWEEP.yaml --out results.csv)");
  if (a.out.empty() && !a.dry_run) throw po::error("missing --out FILE");
  if (vm->count("threads") && (a.threads < 1 || a.threads > 1024)) throw InputError({"--threads"}, "", std::to_string(a.threads), "an integer in [1, 1024]");
  return a;
}

// The manifest, with the inputs' hashes taken once, as the sweep starts (the files used).
// It is written then with finished: null and again at the end, so a reader can tell a
// finished file from one still running or cut short.
nlohmann::ordered_json manifest_at_start(const SweepArgs& a, const SweepSpec& spec, std::size_t points, std::size_t resumed,
                                         int threads, int processes) {
  nlohmann::ordered_json m;
  m["extrasim"] = kVersion;
  m["sweep"] = spec.name;
  m["inputs"] = {{"sweep", {{"file", a.file}, {"sha1", sha1_hex(read_all(a.file))}}},
                 {"scenario", {{"file", spec.scenario_file}, {"sha1", sha1_hex(read_all(spec.scenario_file))}}}};
  m["seed"] = spec.seed;
  m["replications"] = spec.replications;
  m["design"] = {{"type", design_name(spec.design)}, {"points", points}};
  if (spec.design != SweepDesign::kGrid) m["design"]["samples"] = spec.samples;
  m["threads"] = threads;
  m["processes"] = processes;
  m["resumed_points"] = resumed;
  m["started"] = now_iso();
  m["finished"] = nullptr;
  return m;
}

void write_manifest(const std::string& out, const nlohmann::ordered_json& m) {
  AtomicFile file(out + ".manifest.json");
  file.stream() << m.dump(1) << "\n";
  file.commit();
}

// The root's setup: the output file checked, resumed or started; the points already done.
std::set<std::size_t> open_results(const SweepArgs& a, const SweepSpec& spec, int& fd) {
  const bool exists = std::filesystem::exists(a.out);
  if (exists && !a.resume) throw InputError({"--out " + a.out}, "", "an existing file", "a new file, or --resume to continue this one");
  std::set<std::size_t> done = exists ? keep_complete_points(a.out, spec) : std::set<std::size_t>{};
  fd = ::open(a.out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw InputError({"--out " + a.out}, "", "a path that cannot be written", "a writable file path (does the folder exist?)");
  if (!exists) append_durably(fd, sweep_results_header(spec) + "\n");
  return done;
}

// --dry-run: what the sweep would do, from the base scenario's size (points differ a little).
void print_plan(const SweepSpec& spec, int threads) {
  const std::size_t points = sweep_points(spec).size();
  const RunEstimate e = estimate_run(load_scenario_file(spec.scenario_file), spec.replications, threads);
  std::cout << spec.name << ": " << points << " points (" << design_name(spec.design) << "), " << spec.replications
            << " replications each of " << spec.scenario_file << "\n"
            << "about " << human_time(e.seconds * static_cast<double>(points)) << " on " << threads
            << (threads == 1 ? " thread" : " threads") << "; split over K MPI processes (one per machine), about 1/K of that\n";
}

// Threads per process: the cores this process may use, shared with the group's other
// processes on the machine (a launcher that binds each rank to its cores already limits it).
int default_threads(const ProcessGroup& group) {
  const int usable = tbb::info::default_concurrency();
  const int share = static_cast<int>(std::thread::hardware_concurrency()) / group.local_size();
  return std::max(1, std::min(usable, share));
}

std::string encode(const std::set<std::size_t>& points) {
  std::string text = "go";
  for (std::size_t k : points) text += " " + std::to_string(k);
  return text;
}

std::set<std::size_t> decode(const std::string& text) {
  std::istringstream in(text.substr(2));
  std::set<std::size_t> points;
  for (std::size_t k = 0; in >> k;) points.insert(k);
  return points;
}


// Runs this process's share of the points not yet done (every size-th, from its rank); the
// root also collects the others' rows and appends all of them in order.
int run_sweep(const ProcessGroup& group, const SweepArgs& a, const SweepSpec& spec, const std::set<std::size_t>& done, int fd) {
  const std::vector<std::vector<double>> points = sweep_points(spec);
  std::vector<std::size_t> pending;
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (!done.count(k)) pending.push_back(k);
  }
  SessionOptions options;
  options.threads = a.threads > 0 ? a.threads : default_threads(group);
  nlohmann::ordered_json manifest;
  if (group.is_root()) {
    manifest = manifest_at_start(a, spec, points.size(), done.size(), options.threads, group.size());
    write_manifest(a.out, manifest);
  }
  OrderedAppender appender(fd, pending);
  ProgressBar bar(spec.name);
  auto collect = [&](bool wait) {
    while (auto message = group.receive(wait)) {
      appender.add(message->first, std::move(message->second));
      wait = false;
    }
  };
  for (std::size_t i = static_cast<std::size_t>(group.rank()); i < pending.size(); i += static_cast<std::size_t>(group.size())) {
    const std::size_t k = pending[i];
    std::vector<Override> overrides;
    for (std::size_t j = 0; j < spec.parameters.size(); ++j) overrides.push_back({spec.parameters[j].path, sweep_value_text(points[k][j])});
    Scenario sc = load_scenario_file(spec.scenario_file, overrides);
    sc.replications = spec.replications;  // every point: the sweep's seed and replications
    sc.seed = spec.seed;
    std::string rows = point_rows(spec, k, points[k], run_monte_carlo(sc, options));
    if (!group.is_root()) {
      group.send_to_root(k, rows);
      continue;
    }
    appender.add(k, std::move(rows));
    collect(false);
    bar.update(static_cast<std::int64_t>(appender.written()), static_cast<std::int64_t>(pending.size()));
  }
  if (!group.is_root()) return 0;
  while (!appender.finished()) {
    collect(true);
    bar.update(static_cast<std::int64_t>(appender.written()), static_cast<std::int64_t>(pending.size()));
  }
  ::close(fd);
  bar.finish();
  manifest["finished"] = now_iso();
  write_manifest(a.out, manifest);
  std::cerr << "wrote " << a.out << " (" << points.size() << " points";
  if (group.size() > 1) std::cerr << ", " << group.size() << " processes";
  std::cerr << ") and " << a.out << ".manifest.json\n";
  return 0;
}

}  // namespace

int command_sweep(int argc, char** argv) {
  const ProcessGroup group;
  // The root checks everything and prepares the file; the others wait for its word ("exit N"
  // or "go" with the points already done), so an error is reported once, by the root.
  std::optional<SweepArgs> args;
  std::optional<SweepSpec> spec;
  std::set<std::size_t> done;
  int fd = -1;
  std::string word;
  if (group.is_root()) {
    try {
      args = parse_sweep_args(argc, argv);
      if (args) spec = load_sweep_file(args->file);
      if (args && args->dry_run) print_plan(*spec, args->threads > 0 ? args->threads : default_threads(group));
      if (args && !args->dry_run) done = open_results(*args, *spec, fd);
      word = args && !args->dry_run ? encode(done) : "exit 0";
    } catch (...) {
      word = "exit 2";
      group.broadcast(word);
      throw;
    }
  }
  group.broadcast(word);
  if (word.rfind("exit", 0) == 0) return std::stoi(word.substr(5));
  try {
    if (!group.is_root()) {  // the root has checked these: they fail here only if the files differ
      args = parse_sweep_args(argc, argv);
      spec = load_sweep_file(args->file);
      done = decode(word);
    }
    return run_sweep(group, *args, *spec, done, fd);
  } catch (const std::exception& e) {
    // Another process would wait for this one's points for ever: end the whole job.
    if (group.size() == 1) throw;
    std::cerr << "error on process " << group.rank() << ": " << e.what() << "\n";
    group.abort(dynamic_cast<const InputError*>(&e) ? 2 : 1);
  }
}

}  // namespace extrasim::cli
