// What a reader should know about a result before quoting it, in words: place-months left
// empty, a cost the file never set (so it counts as 0 kr), scenarios that are identical. Every
// writer shows them (the table's footnotes, the JSON's warnings.messages, the report's box).
#pragma once

#include <string>
#include <vector>

#include "extrasim/model/scenario.hpp"
#include "extrasim/results/results.hpp"

namespace extrasim {

// Place-months asked for but left empty above this share are worth a warning.
inline constexpr double kUnfilledWarningShare = 0.01;

std::vector<std::string> result_warnings(const Scenario& scenario, const RunResult& result);

}  // namespace extrasim
