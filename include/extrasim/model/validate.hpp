// The invariants of a Scenario, checked in one place.
//
// validate() holds every rule a scenario must satisfy (MODEL.md §3, §7): each parameter in its
// kind's range (parameters.hpp), rows summing to at most 1, shares to 1, bands in order,
// 1 <= decision_months <= max_months, a programme whenever anything can reach xj, months of the
// bonus within the calendar, uncertainty paths that name real-valued parameters. The loader
// calls it after reading a file; everything that changes a scenario afterwards (--set, sweeps,
// calibration) calls it again. A failure is an InputError located where the offending value
// came from (Scenario::origin_of): the file's line, or the flag that set it.
#pragma once

#include "extrasim/model/scenario.hpp"

namespace extrasim {

void validate(const Scenario& scenario);

}  // namespace extrasim
