// extrasim: the command line. Parses flags, calls the library, prints. Exit status: 0 success,
// 2 bad input (file, flag or value), 1 internal error.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "atomic_file.hpp"
#include "command_line.hpp"
#include "format_option.hpp"
#include "progress.hpp"
#include "sweep_command.hpp"
#include "extrasim/results/compare.hpp"
#include "extrasim/config/config.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/write/output.hpp"
#include "extrasim/write/report.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/version.hpp"

namespace po = boost::program_options;
using namespace extrasim;
using extrasim::cli::human_time;
using extrasim::cli::parse_format;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

const char* const kUsage =
    "usage: extrasim COMMAND SCENARIO.yaml [options]\n"
    "\n"
    "commands:\n"
    "  run       Monte Carlo: scenario, baseline and difference with intervals\n"
    "  compare   several scenarios, same people and random numbers, side by side\n"
    "  report    one self-contained HTML report (charts, comparison, assumptions)\n"
    "  sweep     a base scenario over a grid, Latin hypercube or Sobol design; resumable, MPI\n"
    "  sensitivity  Sobol indices with bootstrap intervals from a Sobol sweep's results.csv\n"
    "  expected  exact expected values from the Markov chain (no capacity intake)\n"
    "  validate  check a scenario file; exit 0 if valid, 2 if not\n"
    "  bonus     the 2018 performance-based grant for a table of units (UNITS.csv)\n"
    "\n"
    "`extrasim COMMAND --help` lists a command's options; docs/ has the reference.\n";

struct CommonArgs {
  std::string scenario;
  std::vector<std::string> sets;
  std::string format = "table";
  std::string out;
  std::string csv_locale = "en";
  double discount_rate = -1;  // < 0: the file's
  bool monthly = false;       // csv: the month-level rows instead of the totals
};

po::options_description common_options(CommonArgs& a) {
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("set", po::value(&a.sets)->composing(), "PATH=VALUE: override a scenario value (repeatable)")
      ("format", po::value(&a.format), "table (default), json or csv")
      ("csv-locale", po::value(&a.csv_locale), "en (default: , and .) or sv (; and decimal comma, for Swedish Excel)")
      ("discount-rate", po::value(&a.discount_rate), "R: annual discount rate for pv.* (overrides the file)")
      ("monthly", po::bool_switch(&a.monthly), "with --format csv: one row per month, side and metric (means)")
      ("out", po::value(&a.out), "write to FILE (atomically) instead of standard output");
  return o;
}

// Parses argv past the command; nullopt when --help was printed.
std::optional<po::variables_map> parse(int argc, char** argv, const po::options_description& options,
                                       CommonArgs& a, const std::string& command) {
  auto vm = cli::parse_command_line(argc, argv, options, a.scenario, "usage: extrasim " + command + " SCENARIO.yaml [options]");
  if (!vm) return std::nullopt;
  if (a.scenario.empty()) throw po::error("missing the scenario file (extrasim " + command + " SCENARIO.yaml)");
  return vm;
}

// --threads as given on the command line (checked); --replications is checked here too,
// before any file is read, and goes on the scenario (set_replications_and_seed).
SessionOptions run_options(const po::variables_map& vm, std::int64_t replications, int threads) {
  if (vm.count("replications") && (replications < 1 || replications > 100'000'000)) {
    throw InputError({"--replications"}, "", std::to_string(replications), "an integer in [1, 100000000]");
  }
  if (vm.count("threads") && (threads < 1 || threads > 1024)) {
    throw InputError({"--threads"}, "", std::to_string(threads), "an integer in [1, 1024]");
  }
  SessionOptions options;
  options.threads = threads;
  return options;
}

// The scenario is what runs: --replications and --seed, when given, are set on it, else
// `defaults`'s (the scenario itself, or the first file's for compare and report).
void set_replications_and_seed(const po::variables_map& vm, std::int64_t replications, std::uint64_t seed,
                               const Scenario& defaults, Scenario& sc) {
  sc.replications = vm.count("replications") ? replications : defaults.replications;
  sc.seed = vm.count("seed") ? seed : defaults.seed;
}

Scenario load(const std::string& file, const CommonArgs& a) {
  std::vector<Override> overrides;
  for (const std::string& s : a.sets) overrides.push_back(parse_override(s));
  Scenario sc = load_scenario_file(file, overrides);
  if (a.discount_rate >= 0) {
    if (a.discount_rate > 1) throw InputError({"--discount-rate"}, "", std::to_string(a.discount_rate), "a rate in [0, 1]");
    sc.accounting.discount_rate = a.discount_rate;
  }
  return sc;
}

Scenario load(const CommonArgs& a) { return load(a.scenario, a); }

// Writes the result to --out (atomically) or standard output.
void emit(const RunResult& result, const CommonArgs& a, std::optional<cli::AtomicFile>& file) {
  const OutputFormat format = parse_format(a.format);
  const CsvStyle style = CsvStyle::for_locale(a.csv_locale);
  auto write = [&](std::ostream& out) {
    if (a.monthly && format == OutputFormat::kCsv) {
      write_monthly_csv(result, out, style);
    } else {
      write_result(result, format, out, style);
    }
  };
  if (file) {
    write(file->stream());
    file->commit();
    std::cerr << "wrote " << a.out << "\n";
  } else {
    write(std::cout);
  }
}

std::string human_bytes(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  return buf;
}

// Refuses, before any work, a run that would need more than 80 % of this machine's memory or
// more than a day (override: --force).
void refuse_absurd(const Scenario& sc, const SessionOptions& options, std::int64_t replications) {
  const int threads = options.threads > 0 ? options.threads
                                          : static_cast<int>(std::thread::hardware_concurrency());
  const RunEstimate e = estimate_run(sc, replications, threads);
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
  std::string target_se;
  std::int64_t max_replications = 100000;
  o.add_options()("replications", po::value(&replications), "N: replications (overrides the file)")
      ("target-se", po::value(&target_se), "SIDE.METRIC=SE: add replications in batches of 100 until that standard error is reached")
      ("max-replications", po::value(&max_replications), "N: the most --target-se may run (default 100000)")
      ("seed", po::value(&seed), "S: random seed (overrides the file)")
      ("threads", po::value(&threads), "T: worker threads (default: all cores)")
      ("force", po::bool_switch(&force), "run even when the estimate says memory or time is absurd");
  const auto vm = parse(argc, argv, o, a, "run");
  if (!vm) return 0;
  parse_format(a.format);
  CsvStyle::for_locale(a.csv_locale);
  SessionOptions options = run_options(*vm, replications, threads);
  Scenario sc = load(a);
  set_replications_and_seed(*vm, replications, seed, sc, sc);
  std::optional<PrecisionTarget> precision;
  if (!target_se.empty()) {
    precision = parse_precision_target(target_se);
    if (max_replications < 100 || max_replications > 100'000'000) throw InputError({"--max-replications"}, "", std::to_string(max_replications), "an integer in [100, 100000000]");
    precision->max_replications = max_replications;
  }
  if (!force) {
    refuse_absurd(sc, options, precision ? precision->max_replications : sc.replications);
  }
  std::optional<cli::AtomicFile> file;
  if (!a.out.empty()) file.emplace(a.out);
  cli::ProgressBar bar(sc.name);
  options.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
  RunResult result = precision ? run_to_precision(sc, options, *precision) : run_monte_carlo(sc, options);
  bar.finish();
  emit(result, a, file);
  return 0;
}

// What `compare` and `report` share: several scenario files, one seed and replication count.
struct MultiRun {
  std::vector<std::string> files;
  std::int64_t replications = 0;
  std::uint64_t seed = 0;
  int threads = 0;
  po::variables_map vm;

  void add_options(po::options_description& o) {
    o.add_options()("replications", po::value(&replications), "N: replications (default: the first file's)")
        ("seed", po::value(&seed), "S: the seed of every run (default: the first file's)")
        ("threads", po::value(&threads), "T: worker threads (default: all cores)");
  }
  // Parses the command line; false when --help was printed.
  bool parse(int argc, char** argv, const po::options_description& o, const std::string& usage) {
    po::options_description all(o);
    all.add_options()("scenarios", po::value(&files)->composing());
    po::positional_options_description positional;
    positional.add("scenarios", -1);
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n\n" << o;
      return false;
    }
    po::notify(vm);
    return true;
  }
  // The same options for every run, and the first scenario's seed and replications on every
  // scenario unless given.
  SessionOptions options(std::vector<Scenario>& scenarios) const {
    SessionOptions options = run_options(vm, replications, threads);
    const Scenario first = scenarios.front();
    for (Scenario& sc : scenarios) {
      set_replications_and_seed(vm, replications, seed, first, sc);
      refuse_absurd(sc, options, sc.replications);
    }
    return options;
  }
};

int command_compare(int argc, char** argv) {
  CommonArgs a;
  MultiRun multi;
  po::options_description o = common_options(a);
  multi.add_options(o);
  if (!multi.parse(argc, argv, o, "usage: extrasim compare A.yaml B.yaml [C.yaml ...] [options]\n\nRuns every scenario with "
                   "the same seed and replications (the same people, the same random numbers) and shows them side by "
                   "side, per budget year and in total, with each one's paired difference to the first.")) {
    return 0;
  }
  if (multi.files.size() < 2) throw po::error("compare needs at least two scenario files");
  const OutputFormat format = parse_format(a.format);
  const CsvStyle style = CsvStyle::for_locale(a.csv_locale);
  std::vector<Scenario> scenarios;
  for (const std::string& f : multi.files) scenarios.push_back(load(f, a));
  const SessionOptions options = multi.options(scenarios);
  std::optional<cli::AtomicFile> file;
  if (!a.out.empty()) file.emplace(a.out);
  std::vector<RunResult> runs;
  runs.reserve(scenarios.size());
  for (const Scenario& sc : scenarios) runs.push_back(run_monte_carlo(sc, options));
  write_comparison(compare_runs(runs), format, file ? file->stream() : std::cout, style);
  if (file) file->commit();
  return 0;
}

int command_report(int argc, char** argv) {
  CommonArgs a;
  MultiRun multi;
  std::string html;
  po::options_description o("options");
  o.add_options()("help,h", "this help")("html", po::value(&html), "FILE: the report (required)")
      ("set", po::value(&a.sets)->composing(), "PATH=VALUE: override a value in every scenario")
      ("discount-rate", po::value(&a.discount_rate), "R: annual discount rate (overrides the files)");
  multi.add_options(o);
  if (!multi.parse(argc, argv, o, "usage: extrasim report A.yaml [B.yaml ...] --html report.html [options]\n\nOne "
                   "self-contained HTML file: assumptions, charts, and the comparison.")) {
    return 0;
  }
  if (multi.files.empty()) throw po::error("missing the scenario files (extrasim report A.yaml [B.yaml ...] --html FILE)");
  if (html.empty()) throw po::error("missing --html FILE");
  std::vector<Scenario> scenarios;
  std::vector<std::string> texts;
  for (const std::string& f : multi.files) {
    scenarios.push_back(load(f, a));
    std::ifstream in(f, std::ios::binary);
    texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  SessionOptions options = multi.options(scenarios);
  options.keep_monthly_people = true;
  cli::AtomicFile file(html);
  std::vector<ReportScenario> report;
  std::vector<RunResult> runs;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    report.push_back({run_monte_carlo(scenarios[k], options), multi.files[k], annotate_scenario_text(texts[k])});
    runs.push_back(report.back().result);
  }
  std::optional<ScenarioComparison> comparison;
  if (runs.size() > 1) comparison = compare_runs(runs);
  write_report_html(report, comparison ? &*comparison : nullptr, file.stream());
  file.commit();
  std::cerr << "wrote " << html << "\n";
  return 0;
}

int command_expected(int argc, char** argv) {
  CommonArgs a;
  if (!parse(argc, argv, common_options(a), a, "expected")) return 0;  // --help
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
  if (!parse(argc, argv, o, a, "validate")) return 0;  // --help
  const Scenario sc = load(a);
  std::cout << a.scenario << ": valid (" << sc.groups.size() << " groups, " << sc.person_count()
            << " persons, " << sc.calendar.months << " months)\n";
  return 0;
}

BonusSort parse_sort(const std::string& s) {
  if (s == "payout") return BonusSort::kPayout;
  if (s == "name") return BonusSort::kName;
  if (s == "count") return BonusSort::kCount;
  if (s == "share") return BonusSort::kShareOfBeting;
  throw InputError({"--sort"}, "", "'" + s + "'", "payout, name, count or share (of beting)");
}

// --count NAME=N: sets one unit's count.
void set_count(UnitsTable& table, const std::string& text) {
  const std::size_t eq = text.rfind('=');
  const auto index = eq == std::string::npos ? std::nullopt : find_unit(table.units, text.substr(0, eq));
  double value = -1;
  try {
    if (eq != std::string::npos) value = std::stod(text.substr(eq + 1));
  } catch (const std::exception&) {
  }
  if (!index || !(value >= 0)) throw InputError({"--count " + text}, "", "'" + text + "'", "NAME=N with a unit of the table and N >= 0");
  table.units[*index].count = value;
  table.count_given[*index] = true;
}

int command_bonus(int argc, char** argv) {
  std::string file, format = "table", sort = "payout", out, marginal;
  std::vector<std::string> counts, only;
  double spread = -1;
  int steps = 10;
  BonusRule rule;
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("pot", po::value(&rule.pot), "kronor to share (default 500 000 000, the 2018 grant)")
      ("target-municipalities", po::value(&rule.target_municipalities), "national beting of municipalities (6000)")
      ("target-regions", po::value(&rule.target_regions), "national beting of regions (500)")
      ("count", po::value(&counts)->composing(), "NAME=N: a unit's extratjänster on the reference date (repeatable)")
      ("spread-total", po::value(&spread), "N: spread N extratjänster by beting over units without a count")
      ("only", po::value(&only)->composing(), "NAME: show only this unit (repeatable); totals cover all")
      ("sort", po::value(&sort), "payout (default), name, count or share (of beting)")
      ("marginal", po::value(&marginal), "NAME: the payout at NAME's count + 0 .. --steps")
      ("steps", po::value(&steps), "extra extratjänster in the --marginal table (default 10)")
      ("format", po::value(&format), "table (default), json or csv")
      ("out", po::value(&out), "write to FILE (atomically)");
  if (!cli::parse_command_line(argc, argv, o, file, "usage: extrasim bonus UNITS.csv [options]\n\nThe 2018 performance-based grant for a "
                                                  "table of units (data/units-2017.csv has all 290 municipalities and 21 regions).")) {
    return 0;
  }
  if (file.empty()) throw po::error("missing the units file (extrasim bonus UNITS.csv)");
  if (steps < 1 || steps > 10000) throw InputError({"--steps"}, "", std::to_string(steps), "an integer in [1, 10000]");
  const OutputFormat fmt = parse_format(format);
  const BonusSort order = parse_sort(sort);
  UnitsTable table = load_units_csv(file);
  for (const std::string& c : counts) set_count(table, c);
  if (spread >= 0) spread_total(table, rule, spread);
  for (const std::string& name : only) {
    if (!find_unit(table.units, name)) throw InputError({"--only " + name}, "", "'" + name + "'", "a unit of " + file);
  }
  std::optional<std::size_t> marginal_unit;
  if (!marginal.empty()) {
    marginal_unit = find_unit(table.units, marginal);
    if (!marginal_unit) throw InputError({"--marginal " + marginal}, "", "'" + marginal + "'", "a unit of " + file);
  }
  const std::vector<BonusPayout> payouts = allocate_bonus(rule, table.units);
  std::optional<cli::AtomicFile> target;
  if (!out.empty()) target.emplace(out);
  std::ostream& stream = target ? target->stream() : std::cout;
  if (!marginal_unit || fmt == OutputFormat::kTable) write_bonus(rule, table.units, payouts, order, only, fmt, stream);
  if (marginal_unit) write_marginal(marginal, marginal_payouts(rule, table.units, *marginal_unit, steps), fmt, stream);
  if (target) target->commit();
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
  if (command == "bonus") return command_bonus(argc, argv);
  if (command == "compare") return command_compare(argc, argv);
  if (command == "report") return command_report(argc, argv);
  if (command == "sweep") return cli::command_sweep(argc, argv);
  if (command == "sensitivity") return cli::command_sensitivity(argc, argv);
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
