// A report a planner can hand on: ONE self-contained HTML file (no scripts, fonts or network)
// with the assumptions, inline SVG charts that print, and the comparison table.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "extrasim/results/compare.hpp"
#include "extrasim/config/config.hpp"
#include "extrasim/results/results.hpp"

namespace extrasim {

struct ReportScenario {
  RunResult result;  // run with SessionOptions::keep_monthly_people
  std::string file;
  AnnotatedScenario annotated;
};

// `comparison` may be null (one scenario).
void write_report_html(const std::vector<ReportScenario>& scenarios,
                       const ScenarioComparison* comparison, std::ostream& out);

}  // namespace extrasim
