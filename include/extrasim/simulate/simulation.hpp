// One replication of the microsimulation (MODEL.md §1, §2, §5): the scenario and its baseline
// in lockstep, or one side alone. The baseline has no capacity intake, no moves to xj, and an
// initial xj stock starts in fs.
// The population is a structure of arrays; the per-person loop does only the state transition
// and counting. All randomness comes from ReplicationStreams (see rng.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "extrasim/simulate/counts.hpp"
#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/rng.hpp"

namespace extrasim {

enum class Side { kScenario, kBaseline };

// One side's persons, a structure of arrays.
struct People {
  std::vector<State> state;
  std::vector<std::uint16_t> d;      // months already spent in the current state (saturated)
  std::vector<std::uint16_t> x;      // completed xj months (saturated at max_months)
  std::vector<std::uint8_t> ever_xj;
};

// Reusable per-thread storage, so the monthly loop never allocates.
struct Population {
  std::array<People, 2> side;  // scenario, baseline (simulate() uses side[0] for either)
  // This month's words, one array per Purpose, for persons draw_base, draw_base + 1, ...: all
  // persons when capacity intake needs every priority, else one cache-sized block at a time.
  // Both sides read the same words (common random numbers).
  std::array<std::vector<std::uint32_t>, 4> draws;
  std::uint32_t draw_base = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;  // (priority word, person)
  std::vector<std::pair<double, std::uint32_t>> clocks;             // (selection clock, person)
};

// One side alone.
void simulate(const Dynamics& dynamics, Side side, const ReplicationStreams& streams,
              Population& population, Counts& counts);

// Scenario and baseline in lockstep: month by month, block by block, each person's two sides
// on the same words; the same numbers as two calls of simulate(). Also counts the twins
// (MODEL.md §9) into `scenario`: person-months in xj whose baseline twin is in job / fs.
void simulate_pair(const Dynamics& dynamics, const ReplicationStreams& streams,
                   Population& population, Counts& scenario, Counts& baseline);

}  // namespace extrasim
