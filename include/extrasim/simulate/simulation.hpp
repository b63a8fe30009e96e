// One replication of the microsimulation (MODEL.md §1, §2, §5) for one side: the scenario, or
// its baseline (no capacity intake, no moves to xj, an initial xj stock starts in fs).
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

// Reusable per-thread storage, so the monthly loop never allocates.
struct Population {
  std::vector<State> state;
  std::vector<std::uint16_t> d;      // months already spent in the current state (saturated)
  std::vector<std::uint16_t> x;      // completed xj months (saturated at max_months)
  std::vector<std::uint8_t> ever_xj;
  // This month's words, one array per Purpose, for persons draw_base, draw_base + 1, ...: all
  // persons when capacity intake needs every priority, else one cache-sized block at a time.
  std::array<std::vector<std::uint32_t>, 4> draws;
  std::uint32_t draw_base = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;  // (priority word, person)
};

void simulate(const Dynamics& dynamics, Side side, const ReplicationStreams& streams,
              Population& population, Counts& counts);

}  // namespace extrasim
