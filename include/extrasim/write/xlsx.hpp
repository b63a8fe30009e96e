// An Excel workbook a planner can hand on (libxlsxwriter): values, not formulas.
//
// Sheets: "Summary" (each scenario's effect against no programme per budget year and payer,
// mean and 95 % interval, partial years named; then the paired differences to the first
// scenario), "Ledger" (every line per scenario, side and budget year), "People" (monthly
// persons per state, scenario and baseline), "Assumptions" (every parameter as it ran, its
// origin and source) and "Provenance". Each effect cell has a workbook name a budget sheet can
// link to: effect_<scenario>_<payer>_<year|total>, e.g. effect_motala_municipality_net_2017
// (letters, digits and underscores only).
#pragma once

#include <string>
#include <vector>

#include "extrasim/results/compare.hpp"
#include "extrasim/write/labels.hpp"
#include "extrasim/write/report.hpp"

namespace extrasim {

// The workbook's bytes (written through a private temporary folder, since libxlsxwriter writes
// to a file name; the caller hands them to its output file). `comparison` may be null.
// In Swedish (`language`), sheets, headings, periods and labels are Swedish and the code
// names move to a last column "kod"; the cell names stay the same in both.
std::string xlsx_workbook(const std::vector<ReportScenario>& scenarios, const ScenarioComparison* comparison,
                          Language language = Language::kEnglish);

// The workbook name of an effect cell (see above).
std::string effect_cell_name(const std::string& scenario, Metric line, int year);

}  // namespace extrasim
