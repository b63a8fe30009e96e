// extrasim: the command line. Parses flags, calls the library, prints. Exit status: 0 success,
// 2 bad input (file, flag or value), 1 internal error.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "atomic_file.hpp"
#include "extrasim/config.hpp"
#include "extrasim/expected.hpp"
#include "extrasim/output.hpp"
#include "extrasim/runner.hpp"
#include "extrasim/version.hpp"

namespace po = boost::program_options;
using namespace extrasim;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

const char* const kUsage =
    "usage: extrasim COMMAND SCENARIO.yaml [options]\n"
    "\n"
    "commands:\n"
    "  run       Monte Carlo: scenario, baseline and difference with intervals\n"
    "  expected  exact expected values from the Markov chain (no capacity intake)\n"
    "  validate  check a scenario file; exit 0 if valid, 2 if not\n"
    "\n"
    "`extrasim COMMAND --help` lists a command's options; docs/ has the reference.\n";

struct CommonArgs {
  std::string scenario;
  std::vector<std::string> sets;
  std::string format = "table";
  std::string out;
};

po::options_description common_options(CommonArgs& a) {
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("set", po::value(&a.sets)->composing(), "PATH=VALUE: override a scenario value (repeatable)")
      ("format", po::value(&a.format), "table (default), json or csv")
      ("out", po::value(&a.out), "write to FILE (atomically) instead of standard output");
  return o;
}

OutputFormat parse_format(const std::string& f) {
  if (f == "table") return OutputFormat::kTable;
  if (f == "json") return OutputFormat::kJson;
  if (f == "csv") return OutputFormat::kCsv;
  throw InputError({"--format"}, "", "'" + f + "'", "table, json or csv");
}

// Parses argv past the command; returns false when --help was printed.
bool parse(int argc, char** argv, const po::options_description& options, CommonArgs& a,
           const std::string& command) {
  po::options_description all(options);
  all.add_options()("scenario", po::value(&a.scenario));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: extrasim " << command << " SCENARIO.yaml [options]\n\n" << options;
    return false;
  }
  po::notify(vm);
  if (a.scenario.empty()) throw po::error("missing the scenario file (extrasim " + command + " SCENARIO.yaml)");
  return true;
}

Scenario load(const CommonArgs& a) {
  std::vector<Override> overrides;
  for (const std::string& s : a.sets) overrides.push_back(parse_override(s));
  return load_scenario_file(a.scenario, overrides);
}

// Writes the result to --out (atomically) or standard output.
void emit(const RunResult& result, const CommonArgs& a, std::optional<cli::AtomicFile>& file) {
  const OutputFormat format = parse_format(a.format);
  if (file) {
    write_result(result, format, file->stream());
    file->commit();
    std::cerr << "wrote " << a.out << "\n";
  } else {
    write_result(result, format, std::cout);
  }
}

std::string human_bytes(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  return buf;
}

std::string human_time(double s) {
  char buf[32];
  if (s < 3600) std::snprintf(buf, sizeof buf, "%.0f minutes", s / 60);
  else if (s < 3 * 86400) std::snprintf(buf, sizeof buf, "%.1f hours", s / 3600);
  else std::snprintf(buf, sizeof buf, "%.0f days", s / 86400);
  return buf;
}

// Refuses, before any work, a run that would need more than 80 % of this machine's memory or
// more than a day (override: --force).
void refuse_absurd(const Scenario& sc, const RunOptions& options) {
  const int threads = options.threads > 0 ? options.threads
                                          : static_cast<int>(std::thread::hardware_concurrency());
  const RunEstimate e = estimate_run(sc, options.replications.value_or(sc.replications), threads);
  const double memory = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGE_SIZE));
  if (e.bytes > 0.8 * memory || e.seconds > 86400) {
    throw InputError({sc.source_file}, "",
                     "a run needing about " + human_bytes(e.bytes) + " of memory (this machine has " +
                         human_bytes(memory) + ") and " + human_time(e.seconds) + " on " +
                         std::to_string(threads) + " threads",
                     "a run that fits: fewer persons or replications, or --force to run it anyway");
  }
}

int command_run(int argc, char** argv) {
  CommonArgs a;
  std::int64_t replications = 0;
  std::uint64_t seed = 0;
  int threads = 0;
  po::options_description o = common_options(a);
  bool force = false;
  o.add_options()("replications", po::value(&replications), "N: replications (overrides the file)")
      ("seed", po::value(&seed), "S: random seed (overrides the file)")
      ("threads", po::value(&threads), "T: worker threads (default: all cores)")
      ("force", po::bool_switch(&force), "run even when the estimate says memory or time is absurd");
  po::variables_map vm;
  if (!parse(argc, argv, o, a, "run")) return 0;
  parse_format(a.format);
  RunOptions options;
  const auto given = [&](const char* flag) {
    for (int i = 2; i < argc; ++i) {
      if (std::string(argv[i]).rfind(std::string("--") + flag, 0) == 0) return true;
    }
    return false;
  };
  if (given("replications")) {
    if (replications < 1 || replications > 100'000'000) throw InputError({"--replications"}, "", std::to_string(replications), "an integer in [1, 100000000]");
    options.replications = replications;
  }
  if (given("seed")) options.seed = seed;
  if (given("threads") && (threads < 1 || threads > 1024)) throw InputError({"--threads"}, "", std::to_string(threads), "an integer in [1, 1024]");
  options.threads = threads;
  const Scenario sc = load(a);
  if (!force) refuse_absurd(sc, options);
  std::optional<cli::AtomicFile> file;
  if (!a.out.empty()) file.emplace(a.out);
  emit(run_monte_carlo(sc, options), a, file);
  return 0;
}

int command_expected(int argc, char** argv) {
  CommonArgs a;
  if (!parse(argc, argv, common_options(a), a, "expected")) return 0;
  parse_format(a.format);
  const Scenario sc = load(a);
  std::optional<cli::AtomicFile> file;
  if (!a.out.empty()) file.emplace(a.out);
  emit(expected_values(sc), a, file);
  return 0;
}

int command_validate(int argc, char** argv) {
  CommonArgs a;
  po::options_description o("options");
  o.add_options()("help,h", "this help")("set", po::value(&a.sets)->composing(), "PATH=VALUE override");
  if (!parse(argc, argv, o, a, "validate")) return 0;
  const Scenario sc = load(a);
  std::cout << a.scenario << ": valid (" << sc.groups.size() << " groups, " << sc.person_count()
            << " persons, " << sc.calendar.months << " months)\n";
  return 0;
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitBadInput;
  }
  const std::string command = argv[1];
  if (command == "run") return command_run(argc, argv);
  if (command == "expected") return command_expected(argc, argv);
  if (command == "validate") return command_validate(argc, argv);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "extrasim " << kVersion << "\n";
    return 0;
  }
  std::cerr << "extrasim: unknown command '" << command << "'\n\n" << kUsage;
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  cli::install_interrupt_cleanup();
  try {
    return dispatch(argc, argv);
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const po::error& e) {
    std::cerr << "error: " << e.what() << " (see extrasim " << (argc > 1 ? argv[1] : "") << " --help)\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
