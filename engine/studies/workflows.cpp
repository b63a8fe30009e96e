#include "extrasim/studies/workflows.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include <tbb/info.h>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/io/input_file.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/results/sweep_results.hpp"
#include "extrasim/studies/sweep_run.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/model/validate.hpp"

namespace extrasim {

namespace {

bool set_by_flag(const Scenario& sc, const std::string& path) {
  const auto it = sc.origins.find(path);
  return it != sc.origins.end() && it->second.file.starts_with("--");
}

std::string gigabytes(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  return buf;
}

std::string duration(double s) {
  char buf[32];
  if (s < 3600) std::snprintf(buf, sizeof buf, "%.0f minutes", s / 60);
  else if (s < 3 * 86400) std::snprintf(buf, sizeof buf, "%.1f hours", s / 3600);
  else std::snprintf(buf, sizeof buf, "%.0f days", s / 86400);
  return buf;
}

// A name folded for comparison: lower case, å ä → a, ö → o, é → e (people type "Gavle").
std::string folded(const std::string& name) {
  static const std::pair<const char*, const char*> kFolds[] = {{"\xC3\xA5", "a"}, {"\xC3\xA4", "a"}, {"\xC3\xB6", "o"}, {"\xC3\x85", "a"},
                                                               {"\xC3\x84", "a"}, {"\xC3\x96", "o"}, {"\xC3\xA9", "e"}};
  std::string s = name;
  for (const auto& [from, to] : kFolds) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at)) s.replace(at, 2, to);
  }
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}


// "a unit of FILE", with the nearest name when one is close ("did you mean Gävle?").
std::string a_unit_of(const std::vector<BonusUnit>& units, const std::string& name, const std::string& file) {
  const std::string want = folded(name);
  std::size_t best = want.size() / 3 + 2;
  std::string suggestion;
  for (const BonusUnit& u : units) {
    const std::size_t d = edit_distance(want, folded(u.name));
    if (d < best) {
      best = d;
      suggestion = u.name;
    }
  }
  return suggestion.empty() ? "a unit of " + file : "a unit of " + file + " (did you mean " + suggestion + "?)";
}

// --count NAME=N: one unit's count, N a plain number >= 0.
void set_count(std::vector<BonusUnit>& units, std::vector<bool>& given, const std::string& text, const std::string& file) {
  const std::size_t eq = text.rfind('=');
  const std::string name = eq == std::string::npos ? text : text.substr(0, eq);
  const auto index = find_unit(units, name);
  if (eq == std::string::npos || !index) throw InputError({"--count " + text}, "", "'" + printable(name) + "'", "NAME=N with " + a_unit_of(units, name, file));
  units[*index].count = io::parse_double(text.substr(eq + 1), 0, 1e7, {"--count " + text}, name);
  given[*index] = true;
}

}  // namespace

std::vector<Scenario> load_scenarios(const std::vector<std::string>& files, const std::vector<Override>& overrides) {
  std::vector<Scenario> scenarios;
  for (const std::string& f : files) scenarios.push_back(load_scenario_file(f, overrides));
  align_with_first(scenarios);
  return scenarios;
}

void align_with_first(std::vector<Scenario>& scenarios) {
  for (std::size_t k = 1; k < scenarios.size(); ++k) {
    Scenario& sc = scenarios[k];
    const std::string origin = "the first scenario (" + scenarios[0].source_file + ")";
    if (!set_by_flag(sc, "seed")) set_parameter(sc, "seed", static_cast<double>(scenarios[0].seed), origin);
    if (!set_by_flag(sc, "replications")) set_parameter(sc, "replications", static_cast<double>(scenarios[0].replications), origin);
    validate(sc);
  }
}

SensitivityAnalysis analyse_sensitivity(const std::string& file, const BootstrapOptions& bootstrap) {
  std::istringstream in(io::read_bounded(file, std::size_t{4} << 30, "a sweep results file"));
  const SweepResultsTable table = read_sweep_results(in, file);
  SensitivityAnalysis a;
  a.note = check_sobol_manifest(file, table.points.size());
  a.sensitivity = sweep_sensitivity(table, file, bootstrap);
  return a;
}

void check_run_size(const Scenario& sc, std::int64_t replications, int threads) {
  const int workers = threads > 0 ? threads : tbb::info::default_concurrency();
  const RunEstimate e = estimate_run(sc, replications, workers);
  const double memory = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGE_SIZE));
  if (e.bytes > 0.8 * memory || e.seconds > 86400) {
    throw InputError({sc.source_file}, "",
                     "a run needing about " + gigabytes(e.bytes) + " of memory (this machine has " + gigabytes(memory) + ") and " +
                         duration(e.seconds) + " on " + std::to_string(workers) + " threads",
                     "a run that fits: fewer persons or replications, or --force to run it anyway");
  }
}

std::string describe_run_size(const Scenario& sc, std::int64_t replications, int threads) {
  const int workers = threads > 0 ? threads : tbb::info::default_concurrency();
  const RunEstimate e = estimate_run(sc, replications, workers);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s: about %.0f MB of memory (peak) and %.2g s on %d thread%s, %.3g person-months",
                sc.name.c_str(), e.bytes / 1e6, e.seconds, workers, workers == 1 ? "" : "s", e.person_months);
  return printable(buf);
}

// Two scenarios that differ in nothing but their names compare to zeros; say so rather than
// print a table of zeros as a finding.
std::vector<Warning> identical_pairs(const std::vector<Scenario>& scenarios) {
  const auto values = [](const Scenario& sc) {
    std::vector<std::pair<std::string, std::string>> v;
    for (const Assumption& a : assumptions_of(sc)) {
      if (a.path != "name" && a.path != "description") v.emplace_back(a.path, a.value);
    }
    return v;
  };
  std::vector<Warning> out;
  for (std::size_t a = 0; a < scenarios.size(); ++a) {
    for (std::size_t b = a + 1; b < scenarios.size(); ++b) {
      if (values(scenarios[a]) == values(scenarios[b])) {
        Warning w = Warning::of(WarningKind::kIdenticalScenarios);
        w.scenario = scenarios[a].name;
        w.other = scenarios[b].name;
        out.push_back(std::move(w));
      }
    }
  }
  return out;
}

ScenarioComparison compare_scenarios(const std::vector<Scenario>& scenarios, const SessionOptions& options) {
  std::vector<std::string> notes;
  const std::vector<RunResult> runs = run_monte_carlo(scenarios, options, &notes);
  ScenarioComparison c = compare_runs(runs);
  for (Warning& w : identical_pairs(scenarios)) c.warnings.push_back(std::move(w));
  c.notes = std::move(notes);
  return c;
}

ScenarioComparison compare_reports(const std::vector<ReportScenario>& reports, const std::vector<Scenario>& scenarios) {
  std::vector<RunResult> runs;
  for (const ReportScenario& r : reports) runs.push_back(r.result);
  ScenarioComparison c = compare_runs(runs);
  for (Warning& w : identical_pairs(scenarios)) c.warnings.push_back(std::move(w));
  return c;
}

std::vector<ReportScenario> report_scenarios(const std::vector<Scenario>& scenarios, SessionOptions options) {
  options.keep_monthly_people = true;
  const std::vector<RunResult> runs = run_monte_carlo(scenarios, options);
  std::vector<ReportScenario> report;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const Scenario& sc = scenarios[k];
    report.push_back(report_scenario(sc, runs[k]));
    // A calibrated scenario: its targets (fit.csv beside the posterior draws) on the people chart.
    if (sc.draws) {
      const std::filesystem::path fit = std::filesystem::path(sc.draws->file).parent_path() / "fit.csv";
      if (std::filesystem::is_regular_file(fit)) report.back().observed = observed_people_from_fit(fit.string(), sc.calendar);
    }
  }
  return report;
}

BonusAnalysis analyse_bonus(const BonusRequest& r) {
  if (r.steps < 1 || r.steps > 10000) throw InputError({"--steps"}, "", std::to_string(r.steps), "an integer in [1, 10000]");
  UnitsTable table = load_units_csv(r.units_file);
  for (const std::string& c : r.counts) set_count(table.units, table.count_given, c, r.units_file);
  if (r.spread_total) {
    if (!(*r.spread_total >= 0)) throw InputError({"--spread-total"}, "", std::to_string(*r.spread_total), "a number of extratjänster >= 0");
    spread_total(table, r.rule, *r.spread_total);
  }
  for (const std::string& name : r.only) {
    if (!find_unit(table.units, name)) throw InputError({"--only " + name}, "", "'" + printable(name) + "'", a_unit_of(table.units, name, r.units_file));
  }
  BonusAnalysis a;
  if (!r.marginal.empty()) {
    const auto unit = find_unit(table.units, r.marginal);
    if (!unit) throw InputError({"--marginal " + r.marginal}, "", "'" + printable(r.marginal) + "'", a_unit_of(table.units, r.marginal, r.units_file));
    a.marginal = marginal_payouts(r.rule, table.units, *unit, r.steps);
  }
  a.payouts = allocate_bonus(r.rule, table.units);
  a.units = std::move(table.units);
  return a;
}

}  // namespace extrasim
