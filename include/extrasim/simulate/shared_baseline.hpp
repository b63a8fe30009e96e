// When several scenarios can share one baseline (compare: all scenarios and one baseline in a
// single lockstep pass). A baseline has no programme: no capacity intake, no moves to xj, an
// initial xj stock starting in fs, so its persons never reach xj and it reads only the person
// layout, the duration cap and the rows of the origins fs, job, other and exit without
// ever_xj. Two scenarios whose compiled dynamics agree on those (and that share the seed, the
// caller's part) have bit-identical baselines.
#pragma once

#include "extrasim/simulate/dynamics.hpp"

namespace extrasim {

// Whether a's baseline and b's are the same simulation: the same months, groups (first
// person, size, initial split and duration), counting units, duration cap, and word thresholds
// of every row a baseline reads in every month with moves. The counting units are kept and
// priced per unit, so they must agree; a different duration cap alone refuses sharing even
// when the bands would agree (it sets the rows' layout; the baseline's counts have no one in
// xj, so their spell slots, which also follow whether a subsidy cap follows the decision
// period, never change a price).
bool same_baseline(const Dynamics& a, const Dynamics& b);

}  // namespace extrasim
