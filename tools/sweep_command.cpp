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
#include <thread>

#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "extrasim/config.hpp"
#include "extrasim/runner.hpp"
#include "extrasim/sweep.hpp"
#include "extrasim/version.hpp"
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

std::string header(const SweepSpec& spec) {
  std::string h = "point";
  for (const SweepParameter& p : spec.parameters) h += "," + p.path;
  return h + ",metric,mean,sd,se,p05,p50,p95";
}

// One point's rows, as they go into the file.
std::string point_rows(const SweepSpec& spec, std::size_t k, const std::vector<double>& values, const RunResult& r) {
  std::ostringstream out;
  for (const auto& [side, metric] : spec.metrics) {
    const Summary& s = r.total[static_cast<int>(side)][index_of(metric)];
    out << k;
    for (double v : values) out << "," << sweep_value_text(v);
    out << "," << side_name(side) << "." << metric_name(metric);
    for (double v : {s.mean, s.sd, s.se, s.p05, s.p50, s.p95}) out << "," << sweep_value_text(v);
    out << "\n";
  }
  return out.str();
}

// --resume: keeps the header and the points whose rows are all there (a point cut short by a
// kill is dropped and run again); returns the complete points. The file is rewritten
// atomically first, so what it holds is always whole points.
std::set<std::size_t> keep_complete_points(const std::string& path, const SweepSpec& spec) {
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  if (first != header(spec)) {
    throw InputError({path}, "", "another header ('" + first.substr(0, 80) + "')", "the header of this sweep: '" + header(spec) + "' (another sweep's results?)");
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

}  // namespace

int command_sweep(int argc, char** argv) {
  std::string file, out;
  bool resume = false;
  int threads = 0;
  po::options_description o("options");
  o.add_options()("help,h", "this help")("out", po::value(&out), "FILE: the results (CSV; required)")
      ("resume", po::bool_switch(&resume), "continue FILE: keep its complete points, run the rest")
      ("threads", po::value(&threads), "T: worker threads (default: all cores)");
  po::options_description all(o);
  all.add_options()("sweep", po::value(&file));
  po::positional_options_description positional;
  positional.add("sweep", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: extrasim sweep SWEEP.yaml --out results.csv [--resume]\n\n" << o;
    return 0;
  }
  po::notify(vm);
  if (file.empty()) throw po::error("missing the sweep file (extrasim sweep SWEEP.yaml --out results.csv)");
  if (out.empty()) throw po::error("missing --out FILE");
  if (vm.count("threads") && (threads < 1 || threads > 1024)) throw InputError({"--threads"}, "", std::to_string(threads), "an integer in [1, 1024]");
  const SweepSpec spec = load_sweep_file(file);
  const std::vector<std::vector<double>> points = sweep_points(spec);
  const bool exists = std::filesystem::exists(out);
  if (exists && !resume) throw InputError({"--out " + out}, "", "an existing file", "a new file, or --resume to continue this one");
  const std::set<std::size_t> done = exists ? keep_complete_points(out, spec) : std::set<std::size_t>{};
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw InputError({"--out " + out}, "", "a path that cannot be written", "a writable file path (does the folder exist?)");
  if (!exists) append_durably(fd, header(spec) + "\n");
  const std::string started = now_iso();
  ProgressBar bar(spec.name);
  RunOptions options;
  options.replications = spec.replications;
  options.seed = spec.seed;
  options.threads = threads;
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (done.count(k)) continue;
    std::vector<Override> overrides;
    for (std::size_t j = 0; j < spec.parameters.size(); ++j) overrides.push_back({spec.parameters[j].path, sweep_value_text(points[k][j])});
    const Scenario sc = load_scenario_file(spec.scenario_file, overrides);
    append_durably(fd, point_rows(spec, k, points[k], run_monte_carlo(sc, options)));
    bar.update(static_cast<std::int64_t>(k + 1), static_cast<std::int64_t>(points.size()));
  }
  ::close(fd);
  bar.finish();
  nlohmann::ordered_json m;
  m["extrasim"] = kVersion;
  m["sweep"] = spec.name;
  m["inputs"] = {{"sweep", {{"file", file}, {"sha1", sha1_hex(read_all(file))}}},
                 {"scenario", {{"file", spec.scenario_file}, {"sha1", sha1_hex(read_all(spec.scenario_file))}}}};
  m["seed"] = spec.seed;
  m["replications"] = spec.replications;
  m["design"] = {{"type", spec.design == SweepDesign::kGrid ? "grid" : "lhs"}, {"points", points.size()}};
  if (spec.design == SweepDesign::kLhs) m["design"]["samples"] = spec.samples;
  m["threads"] = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  m["processes"] = 1;
  m["resumed_points"] = done.size();
  m["started"] = started;
  m["finished"] = now_iso();
  AtomicFile manifest(out + ".manifest.json");
  manifest.stream() << m.dump(1) << "\n";
  manifest.commit();
  std::cerr << "wrote " << out << " (" << points.size() << " points) and " << out << ".manifest.json\n";
  return 0;
}

}  // namespace extrasim::cli
