// One replication of the microsimulation (MODEL.md §1, §2, §5): the scenario and its baseline
// in lockstep, or one side alone. The baseline has no capacity intake, no moves to xj, and an
// initial xj stock starts in fs.
// The population is a structure of arrays; one pass per block of persons counts the month and
// moves everyone (month_step.hpp, vectorised). All randomness comes from ReplicationStreams
// (rng.hpp, contract 2): transition words a tile at a time, event words only for persons whose
// decision or expiry is due, intake words only in months with capacity intake.
#pragma once

#include <array>
#include <cstdint>
#include <span>
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
  // Scenario sides, then the baseline (simulate() uses side[0] for either); grows as needed.
  std::vector<People> side = std::vector<People>(2);
  // This month's transition and intake words (rng.hpp) for persons draw_base, draw_base + 1,
  // ...: all persons when capacity intake needs every priority, else one tile at a time. Both
  // sides read the same words (common random numbers).
  std::vector<std::uint32_t> transition;
  std::vector<std::uint32_t> intake;
  std::uint32_t draw_base = 0;
  int drawn_month = -1;  // the tile in `transition` (-1: none), when drawn tile by tile
  std::uint32_t drawn_tile = 0;
  std::vector<std::uint32_t> spell;   // per side: xj persons by spell month, one group-month
  std::vector<std::uint32_t> events;  // persons whose decision or expiry is due, one block
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;  // (priority word, person)
  // Persons whose intake word lies below low_word_bound this month, in order (several sides
  // with capacity intake share one pass over the words; bound 0: no list).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> low_words;
  std::uint64_t low_word_bound = 0;
  std::vector<std::pair<double, std::uint32_t>> clocks;             // (selection clock, person)
};

// Which implementation of the month step's inner loop runs (simulation.cpp): the same results
// bit for bit either way. kBest is AVX-512 when the CPU has it, else portable.
enum class StepKernel { kBest, kPortable, kAvx512 };
bool step_kernel_available(StepKernel kernel);

// One side alone.
void simulate(const Dynamics& dynamics, Side side, const ReplicationStreams& streams,
              Population& population, Counts& counts, StepKernel kernel = StepKernel::kBest);

// Scenario and baseline in lockstep: month by month, block by block, each person's two sides
// on the same words; the same numbers as two calls of simulate(). Also counts the twins
// (MODEL.md §9) into `scenario`: person-months in xj whose baseline twin is in job / fs.
void simulate_pair(const Dynamics& dynamics, const ReplicationStreams& streams,
                   Population& population, Counts& scenario, Counts& baseline,
                   StepKernel kernel = StepKernel::kBest);

// Several scenarios and one baseline in lockstep (compare): month by month, block by block,
// every side on the same words, each scenario side before the baseline so that it counts its
// twins against the baseline's month-m states. The baseline runs on scenarios[0]'s rules, so
// every entry must have the same baseline (same_baseline, shared_baseline.hpp). Each scenario's
// counts and the baseline's are those of simulate_pair(*scenarios[k], ...) bit for bit.
void simulate_lockstep(std::span<const Dynamics* const> scenarios, const ReplicationStreams& streams,
                       Population& population, std::span<Counts* const> scenario_counts, Counts& baseline,
                       StepKernel kernel = StepKernel::kBest);

}  // namespace extrasim
