// What a reader should know about a result before quoting it: place-months left empty, a cost
// the file never set (so it counts as 0 kr), scenarios that are identical. The results stage
// says WHAT is wrong (a kind and its figures); the label catalogue (write/labels.hpp,
// warning_text) puts it in words, in English or Swedish, for every writer: the table's
// footnotes, the JSON's warnings, the report's box, the workbook.
#pragma once

#include <string>
#include <vector>

#include "extrasim/model/scenario.hpp"
#include "extrasim/results/results.hpp"

namespace extrasim {

// Place-months asked for but left empty above this share are worth a warning.
inline constexpr double kUnfilledWarningShare = 0.01;
// An uncertain rate held at its bound (0 or 1) in more than this share of replications.
inline constexpr double kClampedWarningShare = 0.01;

std::vector<Warning> result_warnings(const Scenario& scenario, const RunResult& result);

// The warning named after a scenario (in a comparison, where several runs' warnings meet).
Warning about_scenario(Warning warning, const std::string& scenario);

}  // namespace extrasim
