// run, expected, validate, compare, report, bonus and tax: flags in, library calls, output out.
#include "commands.hpp"

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "command_line.hpp"
#include "format_option.hpp"
#include "progress.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/io/output_file.hpp"
#include "extrasim/model/tax_rules.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/studies/workflows.hpp"
#include "extrasim/write/output.hpp"
#include "extrasim/write/tax_output.hpp"
#include "extrasim/write/xlsx.hpp"

namespace extrasim::cli {

namespace {

namespace po = boost::program_options;

// What the scenario commands share: the files, the overrides (every flag that changes a value
// of the scenario is one: --set, --seed, --replications, --discount-rate) and the output.
struct ScenarioArgs {
  std::vector<std::string> files;
  std::vector<std::string> sets;
  std::string seed, replications, discount_rate, threads;
  std::string format = "table", out, csv_locale, lang = "en";
  bool monthly = false, wide = false, force = false;

  void add_options(po::options_description& o, bool with_output) {
    o.add_options()("help,h", "this help")
        ("set", po::value(&sets)->composing(), "PATH=VALUE: override a scenario value (repeatable)")
        ("seed", po::value(&seed), "S: random seed (overrides the file)")
        ("replications", po::value(&replications), "N: replications (overrides the file)")
        ("discount-rate", po::value(&discount_rate), "R: annual discount rate for pv.* (overrides the file)")
        ("threads", po::value(&threads), "T: worker threads (default: all cores)")
        ("lang", po::value(&lang), "en (default) or sv: labels and numbers of the table, CSV, report and workbook in Swedish");
    if (!with_output) return;
    o.add_options()("format", po::value(&format), "table (default), json, csv or xlsx (an Excel workbook; needs --out)")
        ("csv-locale", po::value(&csv_locale), "en (default: , and .) or sv (; and decimal comma, for Swedish Excel; implied by --lang sv)")
        ("monthly", po::bool_switch(&monthly), "with --format csv: one row per month, side and metric (means)")
        ("wide", po::bool_switch(&wide), "with --format csv: one row per side and metric, the budget years as columns (means)")
        ("out", po::value(&out), "write to FILE (atomically; - for standard output)")
        ("force", po::bool_switch(&force), "run even when the estimate says memory or time is absurd");
  }

  Language language() const { return parse_language(lang); }
  // --lang sv implies the Swedish CSV locale unless --csv-locale is given.
  std::string locale() const { return !csv_locale.empty() ? csv_locale : lang == "sv" ? "sv" : "en"; }

  std::vector<Override> overrides() const {
    std::vector<Override> list;
    for (const std::string& s : sets) list.push_back(parse_override(s));
    if (!seed.empty()) list.push_back({"seed", seed, "--seed " + seed});
    if (!replications.empty()) list.push_back({"replications", replications, "--replications " + replications});
    if (!discount_rate.empty()) list.push_back({"accounting.discount_rate", discount_rate, "--discount-rate " + discount_rate});
    return list;
  }

  SessionOptions run_options() const {
    SessionOptions o;
    if (!threads.empty()) o.threads = static_cast<int>(io::parse_int(threads, 1, 1024, {"--threads " + threads}, "--threads"));
    return o;
  }

  // Parses argv past the command; false after --help. At least `min_files` files.
  bool parse(int argc, char** argv, const po::options_description& o, std::size_t min_files, const std::string& usage) {
    po::options_description all(o);
    all.add_options()("files", po::value(&files)->composing());
    po::positional_options_description positional;
    positional.add("files", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n\n" << o;
      return false;
    }
    po::notify(vm);
    if (files.size() < min_files) throw po::error("missing the scenario file(s): " + usage.substr(7));
    (void)language();  // a bad --lang fails before any work
    return true;
  }
};

// The output: --out FILE (checked before any work, never one of the inputs) or standard output.
io::OutputFile open_output(const std::string& out, const std::vector<std::string>& inputs) {
  return io::OutputFile(out.empty() ? "-" : out, inputs);
}

void commit(io::OutputFile& file, const std::string& out) {
  file.commit();
  if (!out.empty() && out != "-") std::cerr << "wrote " << out << "\n";
}

// --format xlsx: a workbook needs a file (it is not text for a terminal).
bool wants_xlsx(const ScenarioArgs& a) {
  if (a.format != "xlsx") return false;
  if (a.out.empty() || a.out == "-") throw InputError({"--format xlsx"}, "", "no --out FILE", "--out FILE.xlsx: a workbook is written to a file");
  return true;
}

void write_xlsx(const std::vector<ReportScenario>& scenarios, const ScenarioComparison* c, io::OutputFile& file, const ScenarioArgs& a) {
  file.stream() << xlsx_workbook(scenarios, c, a.language());
  commit(file, a.out);
}

void write_run(const RunResult& r, const ScenarioArgs& a, std::ostream& out) {
  const OutputFormat format = parse_format(a.format);
  const CsvStyle style = csv_style_for_locale(a.locale());
  if (a.monthly && format == OutputFormat::kCsv) write_monthly_csv(r, out, style);
  else if (a.wide && format == OutputFormat::kCsv) write_wide_csv(r, out, style);
  else write_result(r, format, out, style, a.language());
}

// The result, and for a CSV file its sidecar manifest (MODEL.md §11: a comment line would be
// read as data), then the output made whole.
void finish_run_output(const RunResult& r, const ScenarioArgs& a, io::OutputFile& file) {
  write_run(r, a, file.stream());
  if (parse_format(a.format) == OutputFormat::kCsv && !a.out.empty() && a.out != "-") {
    io::OutputFile manifest(a.out + ".manifest.json", a.files);
    write_provenance_json(r.provenance, manifest.stream());
    manifest.commit();
  }
  commit(file, a.out);
}

}  // namespace

int command_run(int argc, char** argv) {
  ScenarioArgs a;
  std::string target_se, max_replications = "100000", samples;
  std::vector<std::string> sample_metrics;
  po::options_description o("options");
  a.add_options(o, true);
  bool dry_run = false;
  o.add_options()("target-se", po::value(&target_se), "SIDE.METRIC=SE: add replications in batches of 100 until that standard error is reached")
      ("dry-run", po::bool_switch(&dry_run), "check the scenario and print what the run would need (memory, time); run nothing")
      ("max-replications", po::value(&max_replications), "N: the most --target-se may run (default 100000)")
      ("samples", po::value(&samples), "FILE.csv: each replication's values of the --samples-metric columns")
      ("samples-metric", po::value(&sample_metrics)->composing(), "SIDE.METRIC or SIDE.METRIC.YEAR: a column of --samples (repeatable; "
                                                                  "default: difference.{municipality,region,state,public}.net)");
  if (!a.parse(argc, argv, o, 1, "usage: extrasim run SCENARIO.yaml [options]")) return 0;
  const bool xlsx = wants_xlsx(a);
  if (!xlsx) parse_format(a.format);
  csv_style_for_locale(a.locale());
  const Scenario sc = load_scenario_file(a.files[0], a.overrides());
  SessionOptions options = a.run_options();
  std::optional<PrecisionTarget> precision;
  if (!target_se.empty()) {
    precision = parse_precision_target(target_se);
    precision->max_replications = io::parse_int(max_replications, 100, 100'000'000, {"--max-replications"}, "--max-replications");
  }
  const std::int64_t most = precision ? precision->max_replications : sc.replications;
  if (dry_run) {
    std::cout << describe_run_size(sc, most, options.threads) << "\n";
    return 0;
  }
  if (!a.force) check_run_size(sc, most, options.threads);
  if (!sample_metrics.empty() && samples.empty()) throw po::error("--samples-metric needs --samples FILE.csv");
  if (!samples.empty() && samples == a.out) throw po::error("--samples and --out name the same file");
  if (sample_metrics.empty()) {
    sample_metrics = {"difference.municipality.net", "difference.region.net", "difference.state.net", "difference.public.net"};
  }
  std::vector<SampleColumn> sample_columns;
  for (const std::string& m : sample_metrics) sample_columns.push_back(parse_sample_column(m, sc.calendar, {"--samples-metric " + m}));
  std::optional<io::OutputFile> samples_file;
  if (!samples.empty()) samples_file.emplace(samples, a.files);
  io::OutputFile file = open_output(a.out, a.files);
  ProgressBar bar(sc.name);
  options.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
  const RunResult result = precision ? run_to_precision(sc, options, *precision) : run_monte_carlo(sc, options);
  bar.finish();
  if (samples_file) {
    write_samples_csv(result, sample_columns, samples_file->stream(), csv_style_for_locale(a.locale()));
    commit(*samples_file, samples);
  }
  if (xlsx) write_xlsx({report_scenario(sc, result)}, nullptr, file, a);
  else finish_run_output(result, a, file);
  return 0;
}

int command_expected(int argc, char** argv) {
  ScenarioArgs a;
  po::options_description o("options");
  a.add_options(o, true);
  if (!a.parse(argc, argv, o, 1, "usage: extrasim expected SCENARIO.yaml [options]")) return 0;
  parse_format(a.format);
  csv_style_for_locale(a.locale());
  const Scenario sc = load_scenario_file(a.files[0], a.overrides());
  io::OutputFile file = open_output(a.out, a.files);
  finish_run_output(expected_values(sc), a, file);
  return 0;
}

int command_validate(int argc, char** argv) {
  ScenarioArgs a;
  po::options_description o("options");
  a.add_options(o, false);
  if (!a.parse(argc, argv, o, 1, "usage: extrasim validate SCENARIO.yaml [--set PATH=VALUE ...]")) return 0;
  const Scenario sc = load_scenario_file(a.files[0], a.overrides());
  const auto plural = [](std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); };
  std::cout << printable(a.files[0]) << ": valid (" << plural(sc.groups.size(), "group") << ", "
            << plural(static_cast<std::size_t>(sc.person_count()), "person") << ", " << plural(static_cast<std::size_t>(sc.calendar.months), "month") << ")\n";
  return 0;
}

int command_compare(int argc, char** argv) {
  ScenarioArgs a;
  po::options_description o("options");
  a.add_options(o, true);
  if (!a.parse(argc, argv, o, 2, "usage: extrasim compare A.yaml B.yaml [C.yaml ...] [options]\n\nRuns every scenario with the same seed and "
               "replications (the same people, the same random numbers) and shows them side by side, per budget year and in total, "
               "with each one's paired difference to the first. The scenarios run in one pass, with one baseline for all whose "
               "baselines agree (same persons and rates outside the programme).")) {
    return 0;
  }
  const bool xlsx = wants_xlsx(a);
  const OutputFormat format = xlsx ? OutputFormat::kTable : parse_format(a.format);
  const CsvStyle style = csv_style_for_locale(a.locale());
  const std::vector<Scenario> scenarios = load_scenarios(a.files, a.overrides());
  SessionOptions options = a.run_options();
  if (!a.force) {
    for (const Scenario& sc : scenarios) check_run_size(sc, sc.replications, options.threads);
  }
  ProgressBar bar("compare");
  options.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
  io::OutputFile file = open_output(a.out, a.files);
  if (xlsx) {
    const std::vector<ReportScenario> runs = report_scenarios(scenarios, options);
    bar.finish();
    const ScenarioComparison c = compare_reports(runs, scenarios);
    write_xlsx(runs, &c, file, a);
    return 0;
  }
  const ScenarioComparison c = compare_scenarios(scenarios, options);
  bar.finish();
  write_comparison(c, format, file.stream(), style, a.language());
  commit(file, a.out);
  return 0;
}

int command_report(int argc, char** argv) {
  ScenarioArgs a;
  std::string html;
  po::options_description o("options");
  a.add_options(o, false);
  o.add_options()("html", po::value(&html), "FILE: the report (required)");
  if (!a.parse(argc, argv, o, 1, "usage: extrasim report A.yaml [B.yaml ...] --html report.html [options]\n\nOne self-contained HTML "
               "file: assumptions, charts, and the comparison.")) {
    return 0;
  }
  if (html.empty()) throw po::error("missing --html FILE");
  const std::vector<Scenario> scenarios = load_scenarios(a.files, a.overrides());
  const SessionOptions options = a.run_options();
  for (const Scenario& sc : scenarios) check_run_size(sc, sc.replications, options.threads);
  io::OutputFile file(html, a.files);
  const std::vector<ReportScenario> report = report_scenarios(scenarios, options);
  std::optional<ScenarioComparison> comparison;
  if (report.size() > 1) comparison = compare_reports(report, scenarios);
  write_report_html(report, comparison ? &*comparison : nullptr, file.stream(), a.language());
  commit(file, html);
  return 0;
}

namespace {

BonusSort parse_sort(const std::string& s) {
  if (s == "payout") return BonusSort::kPayout;
  if (s == "name") return BonusSort::kName;
  if (s == "count") return BonusSort::kCount;
  if (s == "share") return BonusSort::kShareOfBeting;
  throw InputError({"--sort"}, "", "'" + printable(s) + "'", "payout, name, count or share (of beting)");
}

double money_flag(const std::string& flag, const std::string& text, double lo) {
  return io::parse_double(text, lo, 1e12, {flag + " " + text}, flag);
}

}  // namespace

int command_bonus(int argc, char** argv) {
  BonusRequest r;
  std::string format = "table", sort = "payout", out, pot, target_m, target_r, spread, steps = "10", csv_locale = "en";
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("pot", po::value(&pot), "kronor to share (default 500 000 000, the 2018 grant)")
      ("target-municipalities", po::value(&target_m), "national beting of municipalities (6000)")
      ("target-regions", po::value(&target_r), "national beting of regions (500)")
      ("count", po::value(&r.counts)->composing(), "NAME=N: a unit's extratjänster on the reference date (repeatable)")
      ("spread-total", po::value(&spread), "N: spread N extratjänster by beting over units without a count")
      ("only", po::value(&r.only)->composing(), "NAME: show only this unit (repeatable); totals cover all")
      ("sort", po::value(&sort), "payout (default), name, count or share (of beting)")
      ("marginal", po::value(&r.marginal), "NAME: the payout at NAME's count + 0 .. --steps")
      ("steps", po::value(&steps), "extra extratjänster in the --marginal table (default 10)")
      ("format", po::value(&format), "table (default), json or csv")
      ("csv-locale", po::value(&csv_locale), "en (default: , and .) or sv (; and decimal comma, for Swedish Excel)")
      ("out", po::value(&out), "write to FILE (atomically; - for standard output)");
  if (!parse_command_line(argc, argv, o, r.units_file, "usage: extrasim bonus UNITS.csv [options]\n\nThe 2018 performance-based grant for a "
                                                       "table of units (data/units-2017.csv has all 290 municipalities and 21 regions).")) {
    return 0;
  }
  if (r.units_file.empty()) throw po::error("missing the units file (extrasim bonus UNITS.csv)");
  if (!pot.empty()) r.rule.pot = money_flag("--pot", pot, 0);
  if (!target_m.empty()) r.rule.target_municipalities = money_flag("--target-municipalities", target_m, 1);
  if (!target_r.empty()) r.rule.target_regions = money_flag("--target-regions", target_r, 1);
  if (!spread.empty()) r.spread_total = io::parse_double(spread, 0, 1e7, {"--spread-total " + spread}, "--spread-total");
  r.steps = static_cast<int>(io::parse_int(steps, 1, 10000, {"--steps " + steps}, "--steps"));
  const OutputFormat fmt = parse_format(format);
  const BonusSort order = parse_sort(sort);
  const CsvStyle style = csv_style_for_locale(csv_locale);
  io::OutputFile file = open_output(out, {r.units_file});
  const BonusAnalysis a = analyse_bonus(r);
  if (r.marginal.empty() || fmt == OutputFormat::kTable) write_bonus(r.rule, a.units, a.payouts, order, r.only, fmt, file.stream(), style);
  if (!r.marginal.empty()) write_marginal(r.marginal, a.marginal, fmt, file.stream(), style);
  commit(file, out);
  return 0;
}

int command_tax(int argc, char** argv) {
  std::vector<std::string> args;
  std::string benefit = "0", municipal, regional, format = "table";
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("benefit", po::value(&benefit), "B: a taxable benefit per month (aktivitetsstöd), kr")
      ("municipal-rate", po::value(&municipal), "R: the municipality's rate (default: that year's national average)")
      ("regional-rate", po::value(&regional), "R: the region's rate (default: that year's national average)")
      ("format", po::value(&format), "table (default), json or csv");
  po::options_description all(o);
  all.add_options()("args", po::value(&args)->composing());
  po::positional_options_description positional;
  positional.add("args", 2);
  po::variables_map vm;
  po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: extrasim tax YEAR MONTHLY_INCOME [options]\n\nA person's monthly Swedish income tax (IL 63 kap 3 §, 65 kap 5 §, "
                 "67 kap 7 §): check a payslip, or what extrasim's ledger uses.\n\n" << o;
    return 0;
  }
  po::notify(vm);
  if (args.size() != 2) throw po::error("give YEAR and MONTHLY_INCOME (extrasim tax 2018 18700)");
  const int year = static_cast<int>(io::parse_int(args[0], 1900, 2100, {"YEAR " + args[0]}, "YEAR"));
  const TaxYear& rules = swedish_tax_year(year, {"YEAR " + args[0]}, "YEAR");
  const double income = io::parse_double(args[1], 0, 1e8, {"MONTHLY_INCOME " + args[1]}, "MONTHLY_INCOME");
  const double b = io::parse_double(benefit, 0, 1e8, {"--benefit " + benefit}, "--benefit");
  const double m = municipal.empty() ? rules.average_municipal_rate : io::parse_double(municipal, 0, 1, {"--municipal-rate " + municipal}, "--municipal-rate");
  const double r = regional.empty() ? rules.average_regional_rate : io::parse_double(regional, 0, 1, {"--regional-rate " + regional}, "--regional-rate");
  write_tax_lines(std::cout, year, income, b, m, r, parse_format(format));
  return 0;
}

}  // namespace extrasim::cli
