// The workflows every front end calls: the CLI, and later a Python module or an HTTP server,
// only translate their arguments into these requests and print what comes back.
//
// Loading applies the user's overrides through the parameter resolver (config.hpp), so the
// scenario that runs is the one the outputs describe; a multi-scenario request gives every
// scenario the first one's seed and replications unless a flag set them, so that they share
// their people and random numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "extrasim/config/config.hpp"
#include "extrasim/model/bonus.hpp"
#include "extrasim/results/compare.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/studies/sensitivity.hpp"
#include "extrasim/write/report.hpp"

namespace extrasim {

// Loads each file with the same overrides; later files take the first one's seed and
// replications unless an override set them.
std::vector<Scenario> load_scenarios(const std::vector<std::string>& files, const std::vector<Override>& overrides);

// What load_scenarios does after loading: every scenario after the first takes the first one's
// seed and replications unless a flag (an origin starting with "--") set them; re-validates.
// For front ends that load scenarios one by one (the Python module).
void align_with_first(std::vector<Scenario>& scenarios);

// Refuses, before any work, a run that would need more than 80 % of this machine's memory or
// more than a day on `threads` threads (0: all cores). InputError with the estimate.
void check_run_size(const Scenario& scenario, std::int64_t replications, int threads);

// "about 0.1 GB of memory (peak), 12 s on 2 threads, 4.3e9 person-months": the estimate.
std::string describe_run_size(const Scenario& scenario, std::int64_t replications, int threads);

// The comparison of scenarios run for a report or workbook, with the warnings of
// identical_pairs.
ScenarioComparison compare_reports(const std::vector<ReportScenario>& reports, const std::vector<Scenario>& scenarios);

// Warnings for scenarios that differ in nothing but their names (a --set can make them so).
std::vector<Warning> identical_pairs(const std::vector<Scenario>& scenarios);

// Every scenario run with the same options, compared with the first (paired differences).
ScenarioComparison compare_scenarios(const std::vector<Scenario>& scenarios, const SessionOptions& options);

// Every scenario run with the monthly people kept, as the HTML report shows them.
std::vector<ReportScenario> report_scenarios(const std::vector<Scenario>& scenarios, SessionOptions options);

// The performance-based grant for a table of units (MODEL.md §7), with the user's changes.
struct BonusRequest {
  std::string units_file;
  BonusRule rule;
  std::vector<std::string> counts;    // "NAME=N": a unit's count (strict number, N >= 0)
  std::optional<double> spread_total;  // spread N extratjänster by beting over the others
  std::vector<std::string> only;       // names to show (totals cover all)
  std::string marginal;                // a unit for the marginal table, or empty
  int steps = 10;
};
struct BonusAnalysis {
  std::vector<BonusUnit> units;
  std::vector<BonusPayout> payouts;
  std::vector<MarginalRow> marginal;   // empty without BonusRequest::marginal
};
BonusAnalysis analyse_bonus(const BonusRequest& request);

// Sobol indices from a sweep's results file (design sobol): read bounded, the manifest beside
// it checked (a sweep cut short is refused; no manifest gives a note instead), then the indices.
struct SensitivityAnalysis {
  SweepSensitivity sensitivity;
  std::optional<std::string> note;  // say it to the user
};
SensitivityAnalysis analyse_sensitivity(const std::string& results_file, const BootstrapOptions& bootstrap);

}  // namespace extrasim
