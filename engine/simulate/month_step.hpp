// The month step's inner loop (internal to the simulate stage): for one block of persons of
// one group on one side, count month m (people per state, xj people per spell month, twins) and
// move everyone to month m + 1, in one pass over the block. Two implementations give the same
// results bit for bit: portable C++ (branch-free, so the compiler can vectorise it) and
// AVX-512 intrinsics, 16 persons per iteration, chosen at run time when the CPU has AVX-512
// F, BW, VL, DQ and VBMI (Ice Lake, Zen 4 and later; older AVX-512 CPUs run the portable step).
//
// A person in xj whose decision or expiry falls due at the end of month m needs the event
// words (rng.hpp): the step leaves it in xj, d + 1, and lists it in BlockTally::events; the
// caller draws its words and settles it (simulation.cpp), so only those persons draw them.
#pragma once

#include <array>
#include <cstdint>

#include "extrasim/model/states.hpp"

namespace extrasim::detail {

// Strides of the deduplicated tables (Dynamics::kMaxDistinctRows, Dynamics::kHighEntries):
// destination j's entries start at j * stride.
inline constexpr int kDistinctRowStride = 16;
inline constexpr int kHighStride = 32;

// What the step reads about (group, month m) on one side.
struct BlockRules {
  const std::uint64_t* rows = nullptr;  // Dynamics::word_thresholds(m, g, fs, 0, false)
  std::int32_t after_xj_offset = 0;     // elements from that table to the ever_xj one (0: same)
  // The same rows deduplicated (Dynamics::row_ids, distinct_rows), or null row_ids.
  const std::uint32_t* row_ids = nullptr;
  const std::uint64_t* distinct_rows = nullptr;
  const std::uint8_t* row_id_bytes = nullptr;  // Dynamics::row_id_bytes, or null
  const std::uint16_t* distinct_high16 = nullptr;  // Dynamics::distinct_high16
  std::int32_t row_ids_after_xj = 0;    // entries from ever_xj = 0's ids to ever_xj = 1's (0: same)
  std::int32_t slots = 1;               // duration cap + 1 (rows per origin state)
  std::int32_t duration_cap = 0;
  std::int32_t max_months_cap = 24;
  std::int32_t max_months_now = 24;     // max_months(m): expiry at x >= this
  std::int32_t max_months_next = 24;    // max_months(m + 1): eligibility under reentry
  std::int32_t decision_months = 12;
  std::int32_t first_months = 0;       // count xj persons with d below this (Counts::xj_first)
  bool spell_histogram = false;         // and count xj persons per d into BlockTally::spell
  bool programme_on = false;            // false on the baseline: no moves to xj
  bool reentry = false;
};

// Persons [0, n) of the block; the pointers start at the block's first person.
struct BlockPeople {
  State* state = nullptr;
  std::uint16_t* d = nullptr;
  std::uint16_t* x = nullptr;
  std::uint8_t* ever_xj = nullptr;
  const std::uint32_t* words = nullptr;  // transition words
  const State* twin = nullptr;           // the baseline's states in month m (twins), or null
  std::uint32_t n = 0;
};

// Counts of month m, added to; `spell` has `slots` entries (read only with spell_histogram),
// `events` room for n.
struct BlockTally {
  std::array<std::uint32_t, kStateCount> in_state{};
  std::uint32_t twin_job = 0;
  std::uint32_t twin_fs = 0;
  std::uint32_t starts = 0;  // moves to xj: starts in month m + 1
  std::uint32_t xj_first = 0;  // xj persons with d < first_months
  std::uint32_t* spell = nullptr;  // with spell_histogram
  std::uint32_t* events = nullptr;  // block indices of persons whose decision or expiry is due
  std::uint32_t event_count = 0;
};

using BlockStep = void (*)(const BlockRules&, const BlockPeople&, BlockTally&);

void step_block_portable(const BlockRules& rules, const BlockPeople& people, BlockTally& tally);
// Only when avx512_available().
void step_block_avx512(const BlockRules& rules, const BlockPeople& people, BlockTally& tally);
bool avx512_available();

}  // namespace extrasim::detail
