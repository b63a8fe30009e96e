// A report a planner can hand on: ONE self-contained HTML file (no scripts, fonts or network)
// with the assumptions, inline SVG charts that print, and the comparison table.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "extrasim/results/compare.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/results/results.hpp"
#include "extrasim/write/labels.hpp"

namespace extrasim {

// An observed number of people in fs, xj or job in a month (a calibration's target, from the
// fit.csv beside a scenario's `uncertainty.draws`), drawn on the people chart with +-2 SE.
struct ObservedPeople {
  YearMonth month;
  int state = 1;  // 0 fs, 1 xj, 2 job: the chart's series
  double value = 0, se = 0;
};

// One scenario of a report: its result, and its assumptions as it ran (parameters.hpp:
// after --set, defaults included, each with its origin and the file's comment).
struct ReportScenario {
  RunResult result;  // run with SessionOptions::keep_monthly_people
  std::string file;
  std::vector<std::string> header_comments;
  std::vector<Assumption> assumptions;
  std::vector<ObservedPeople> observed;  // empty: no calibration's targets beside the scenario
};

// The report's view of a scenario that ran.
ReportScenario report_scenario(const Scenario& scenario, RunResult result);

// `comparison` may be null (one scenario). In Swedish every heading, label, note and number
// is Swedish (the label catalogue, labels.hpp); the assumptions keep their code paths.
void write_report_html(const std::vector<ReportScenario>& scenarios, const ScenarioComparison* comparison, std::ostream& out,
                       Language language = Language::kEnglish);

}  // namespace extrasim
