// extrasim sweep: flags, the MPI start-up handshake, and progress; the point loop, the results
// file, resume and the manifest are the library's (studies/sweep_run.hpp).
#include "commands.hpp"


#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <sstream>
#include <optional>
#include <thread>

#include <tbb/info.h>


#include "command_line.hpp"
#include "extrasim/config/config.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/studies/sweep.hpp"
#include "extrasim/studies/sweep_run.hpp"
#include "process_group.hpp"
#include "progress.hpp"

namespace extrasim::cli {

namespace {

namespace po = boost::program_options;

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

// A short sweep's time to two significant digits (bench/sweep_small.sh --estimate reads it).
std::string plan_time(double seconds) {
  if (seconds >= 99.5) return human_time(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g s", seconds);
  return buf;
}

// --dry-run: what the sweep would do, from the base scenario's size (points differ a little).
void print_plan(const SweepSpec& spec, int threads) {
  const std::size_t points = sweep_points(spec).size();
  const double seconds = estimate_sweep_seconds(spec, load_scenario_file(spec.scenario_file), threads);
  std::cout << spec.name << ": " << points << " points (" << design_name(spec.design) << "), " << spec.replications
            << " replications each of " << spec.scenario_file << "\n"
            << "about " << plan_time(seconds) << " on " << threads
            << (threads == 1 ? " thread" : " threads") << "; split over K MPI processes (one per machine), about 1/K of that\n";
}

// Threads per process: the cores this process may use, shared with the group's other
// processes on the machine (a launcher that binds each rank to its cores already limits it).
int default_threads(const ProcessGroup& group) {
  const int usable = tbb::info::default_concurrency();
  const int share = static_cast<int>(std::thread::hardware_concurrency()) / group.local_size();
  return std::max(1, std::min(usable, share));
}

SweepRunOptions run_options(const SweepArgs& a, const ProcessGroup& group) {
  SweepRunOptions o;
  o.sweep_file = a.file;
  o.out = a.out;
  o.resume = a.resume;
  o.threads = a.threads > 0 ? a.threads : default_threads(group);
  return o;
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


}  // namespace

int command_sweep(int argc, char** argv) {
  ProcessGroup group;
  // The root checks everything and prepares the file; the others wait for its word ("exit N"
  // or the points already done), so an error is reported once, by the root.
  std::optional<SweepArgs> args;
  std::optional<SweepSpec> spec;
  std::set<std::size_t> done;
  const std::string word = group.root_decides([&] {
    args = parse_sweep_args(argc, argv);
    if (args) spec = load_sweep_file(args->file);
    if (args && args->dry_run) print_plan(*spec, args->threads > 0 ? args->threads : default_threads(group));
    if (args && !args->dry_run) done = prepare_sweep_output(*spec, run_options(*args, group));
    return args && !args->dry_run ? encode(done) : std::string("exit 0");
  });
  if (const std::optional<int> status = group.exit_status(word)) return *status;
  try {
    if (!group.is_root()) {  // the root has checked these: they fail here only if the files differ
      args = parse_sweep_args(argc, argv);
      spec = load_sweep_file(args->file);
      done = decode(word);
    }
    ProgressBar bar(spec->name);
    SweepRunOptions options = run_options(*args, group);
    options.progress = [&bar](std::int64_t done_points, std::int64_t total) { bar.update(done_points, total); };
    run_sweep(*spec, options, done, group);
    if (!group.is_root()) return 0;
    bar.finish();
    std::cerr << "wrote " << args->out << " (" << sweep_points(*spec).size() << " points";
    if (group.size() > 1) std::cerr << ", " << group.size() << " processes";
    std::cerr << ") and " << args->out << ".manifest.json\n";
    return 0;
  } catch (const std::exception& e) {
    // Another process would wait for this one's points for ever: end the whole job.
    group.fail(e);
  }
}

}  // namespace extrasim::cli
