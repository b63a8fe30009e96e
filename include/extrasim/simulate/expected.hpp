// Exact expected values from the duration-expanded Markov chain over (state, d, x, ever_xj)
// per group (Eigen sparse matrices), priced by the same ledger as the Monte Carlo.
// Capacity intake makes people dependent on each other: such scenarios are refused.
#pragma once

#include "extrasim/results/results.hpp"
#include "extrasim/model/scenario.hpp"

namespace extrasim {

// Throws InputError when the scenario has capacity intake (programme.intake).
RunResult expected_values(const Scenario& scenario);

}  // namespace extrasim
