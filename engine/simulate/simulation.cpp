#include "extrasim/simulate/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace extrasim {

namespace {

// Everything one side of one replication works on.
struct Run {
  const Dynamics& dyn;
  bool programme_on;  // false for the baseline
  const ReplicationStreams& rng;
  Population& pop;    // the month's draws, shared by the sides
  People& people;     // this side's persons
  Counts& counts;

  std::uint32_t word(Purpose p, std::uint32_t person) const {
    return pop.draws[static_cast<int>(p)][person - pop.draw_base];
  }
};

void initialise(const Run& r) {
  const std::uint32_t n = r.dyn.person_count();
  r.people.state.resize(n);
  r.people.d.resize(n);
  r.people.x.resize(n);
  r.people.ever_xj.resize(n);
  for (auto& w : r.pop.draws) w.resize(n);
  r.pop.draw_base = 0;
  for (int g = 0; g < r.dyn.group_count(); ++g) {
    const GroupLayout& layout = r.dyn.group(g);
    std::uint32_t i = layout.first_person;
    for (State s : kAllStates) {
      // The baseline has no programme: an initial xj stock starts in fs instead.
      const bool in_xj = s == State::kXj && r.programme_on;
      const State start = (s == State::kXj && !r.programme_on) ? State::kFs : s;
      const auto x0 = static_cast<std::uint16_t>(
          in_xj ? std::min(layout.initial_duration, r.dyn.max_months_cap()) : 0);
      for (std::uint32_t k = 0; k < layout.initial_count[index_of(s)]; ++k, ++i) {
        r.people.state[i] = start;
        r.people.d[i] = static_cast<std::uint16_t>(layout.initial_duration);
        r.people.x[i] = x0;
        r.people.ever_xj[i] = in_xj;
      }
    }
  }
}

// Persons per block of draws when the month is drawn block by block: 16 kB of words, so
// they are still in the L1 cache when the moves read them.
constexpr std::uint32_t kDrawBlock = 1024;

// The four words of (person, month) for `count` persons from `first`, in one vectorisable pass.
void draw(const Run& r, int m, std::uint32_t first, std::uint32_t count) {
  r.pop.draw_base = first;
  r.rng.fill_month(static_cast<std::uint32_t>(m), first, count, r.pop.draws[0].data(),
                   r.pop.draws[1].data(), r.pop.draws[2].data(), r.pop.draws[3].data());
}

// Eligible for a start in month m (`reentry` reads max_months in force in the start month).
bool eligible(const Run& r, std::uint32_t i, int m) {
  return r.dyn.reentry() ? r.people.x[i] < r.dyn.max_months(m) : r.people.ever_xj[i] == 0;
}

// Index of the first cumulative probability above the word's uniform; kStateCount means
// "stay". Compares words with word thresholds (see Dynamics::word_thresholds), which decides
// exactly as comparing (w + 1/2) / 2^32 with the probabilities would.
inline int walk(const std::uint64_t* bound, std::uint64_t w) {
  return (w >= bound[0]) + (w >= bound[1]) + (w >= bound[2]) + (w >= bound[3]) + (w >= bound[4]);
}

State expiry_destination(const Run& r, std::uint32_t i) {
  return static_cast<State>(walk(r.dyn.expiry_word_thresholds().data(), r.word(Purpose::kExpiry, i)));
}

int group_of(const Dynamics& dyn, std::uint32_t person) {
  int g = 0;
  while (g + 1 < dyn.group_count() && dyn.group(g + 1).first_person <= person) ++g;
  return g;
}

// End of month m for a person in xj: early exit, expiry, or the decision (MODEL step 1); the
// rules in force in month m decide. `row` is the group's xj thresholds (Dynamics::word_thresholds).
State step_xj(const Run& r, int m, std::uint32_t i, const std::uint64_t* row) {
  const int x = std::min<int>(r.people.x[i] + 1, r.dyn.max_months_cap());
  r.people.x[i] = static_cast<std::uint16_t>(x);
  const int d = r.people.d[i];
  const int early = walk(row + std::size_t{r.people.d[i]} * kStateCount, r.word(Purpose::kTransition, i));
  if (early < kStateCount) return static_cast<State>(early);
  if (x >= r.dyn.max_months(m)) return expiry_destination(r, i);
  if ((d + 1) % r.dyn.decision_months() == 0) {
    const bool extended = r.word(Purpose::kProgramme, i) < r.dyn.extension_word_threshold(m);
    return extended ? State::kXj : expiry_destination(r, i);
  }
  return State::kXj;
}

// End of month m for anyone else: the Markov row, with rate-based intake for the eligible.
// `row` is the group's threshold table for the person's state (Dynamics::word_thresholds).
State step_other(const Run& r, int g, std::uint32_t i, int m, State s, const std::uint64_t* row) {
  const int to = walk(row + std::size_t{r.people.d[i]} * kStateCount, r.word(Purpose::kTransition, i));
  if (to == kStateCount) return s;
  if (to == index_of(State::kXj)) {
    if (!r.programme_on || !eligible(r, i, m + 1)) return s;
    r.people.ever_xj[i] = 1;
    r.counts.starts(m + 1, g) += 1.0;
  }
  return static_cast<State>(to);
}

// People per state and xj people per spell month, for month m. A pass of its own: counting
// inside the move loop made every person wait on the previous person's counter update.
void count_month(const Run& r, int m, int g) {
  const GroupLayout& layout = r.dyn.group(g);
  const State* state = r.people.state.data() + layout.first_person;
  std::array<std::uint32_t, kStateCount> in_state{};
  for (std::uint32_t k = 0; k < layout.size; ++k) {
    const auto s = static_cast<std::uint8_t>(state[k]);
    in_state[0] += s == 0;
    in_state[1] += s == 1;
    in_state[2] += s == 2;
    in_state[3] += s == 3;
    in_state[4] += s == 4;
  }
  for (State s : kAllStates) r.counts.state(m, g, s) += in_state[index_of(s)];
  if (in_state[index_of(State::kXj)] == 0) return;
  for (std::uint32_t k = 0; k < layout.size; ++k) {
    if (state[k] == State::kXj) r.counts.xj_spell(m, g, r.people.d[layout.first_person + k]) += 1.0;
  }
}

bool intake_eligible(const Run& r, std::uint32_t i, int m) {
  return r.dyn.intake_from(r.people.state[i]) && eligible(r, i, m);
}

// What capacity intake needs to know about the population after the month's moves.
struct AfterMoves {
  std::uint32_t in_xj = 0;
  std::int64_t intake_eligible = 0;  // counted only when `count_eligible`
};

// Persons in xj on the scenario side whose baseline twin is in job / fs during month m
// (MODEL.md §9), counted into the scenario's Counts. Compares the two sides' states, a pass as
// lean as count_month's, and only for groups with someone in xj.
void count_twins(const Run& scenario, const Run& baseline, int m, int g) {
  const GroupLayout& layout = scenario.dyn.group(g);
  if (scenario.counts.state(m, g, State::kXj) == 0.0) return;
  const State* in = scenario.people.state.data() + layout.first_person;
  const State* twin = baseline.people.state.data() + layout.first_person;
  std::uint32_t job = 0, fs = 0;
  for (std::uint32_t k = 0; k < layout.size; ++k) {
    const bool xj = in[k] == State::kXj;
    job += xj & (twin[k] == State::kJob);
    fs += xj & (twin[k] == State::kFs);
  }
  scenario.counts.twin_job(m) += job;
  scenario.counts.twin_fs(m) += fs;
}

// Moves persons [begin, end) of group g from month m to m + 1 on one side.
void move_range(const Run& r, int g, int m, std::uint32_t begin, std::uint32_t end,
                const std::array<std::array<const std::uint64_t*, kStateCount>, 2>& rows,
                bool count_eligible, AfterMoves& after) {
  const auto cap = static_cast<std::uint16_t>(r.dyn.duration_cap());
  for (std::uint32_t i = begin; i < end; ++i) {
    const State s = r.people.state[i];
    const auto& own = rows[r.people.ever_xj[i] != 0];
    const State next = s == State::kXj ? step_xj(r, m, i, own[index_of(s)]) : step_other(r, g, i, m, s, own[index_of(s)]);
    // An extension is no change of state, so d keeps counting through it.
    r.people.d[i] = next == s ? std::min<std::uint16_t>(r.people.d[i] + 1, cap) : 0;
    r.people.state[i] = next;
    after.in_xj += next == State::kXj;
    if (count_eligible) after.intake_eligible += intake_eligible(r, i, m + 1);
  }
}

// Counts month m on every side (and the twins when there are two: scenario, then baseline) and,
// unless it is the last, moves everyone to month m + 1, the sides block by block in lockstep
// on the same words. With `drawn_already` the month's words are in place for everyone
// (capacity intake needed them); otherwise they are drawn block by block just before use.
// Returns the first side's counts for capacity intake.
AfterMoves step_month(const Run* sides, int side_count, int m, bool count_eligible, bool drawn_already) {
  const Run& first = sides[0];
  const bool last = m + 1 == first.dyn.months();
  AfterMoves after, ignored;
  for (int g = 0; g < first.dyn.group_count(); ++g) {
    for (int k = 0; k < side_count; ++k) count_month(sides[k], m, g);
    if (side_count == 2) count_twins(sides[0], sides[1], m, g);
    if (last) continue;
    // rows[ever_xj][state]: persons with ever_xj read the after_xj table when there is one.
    std::array<std::array<const std::uint64_t*, kStateCount>, 2> rows{};
    for (const bool ever : {false, true}) {
      for (State s : kAllStates) rows[ever][index_of(s)] = first.dyn.word_thresholds(m, g, s, 0, ever);
    }
    const GroupLayout& layout = first.dyn.group(g);
    const std::uint32_t end = layout.first_person + layout.size;
    for (std::uint32_t i = layout.first_person; i < end; i += kDrawBlock) {
      const std::uint32_t block_end = std::min(kDrawBlock, end - i) + i;
      if (!drawn_already) draw(first, m, i, block_end - i);
      move_range(sides[0], g, m, i, block_end, rows, count_eligible, after);
      for (int k = 1; k < side_count; ++k) move_range(sides[k], g, m, i, block_end, rows, false, ignored);
    }
  }
  return after;
}

AfterMoves initial_counts(const Run& r) {
  AfterMoves now;
  for (std::uint32_t i = 0; i < r.dyn.person_count(); ++i) {
    now.in_xj += r.people.state[i] == State::kXj;
    now.intake_eligible += intake_eligible(r, i, 0);
  }
  return now;
}

// Persons eligible in month m whose priority word lies below `limit` (2^32: all of them).
void collect_candidates(const Run& r, int m, std::uint64_t limit) {
  auto& candidates = r.pop.candidates;
  candidates.clear();
  for (std::uint32_t i = 0; i < r.dyn.person_count(); ++i) {
    const std::uint32_t w = r.word(Purpose::kIntake, i);
    if (w < limit && intake_eligible(r, i, m)) candidates.emplace_back(w, i);
  }
}

void start(const Run& r, int m, std::uint32_t i) {
  r.people.state[i] = State::kXj;
  r.people.d[i] = 0;
  r.people.ever_xj[i] = 1;
  r.counts.starts(m, group_of(r.dyn, i)) += 1.0;
}

// Eligible persons in month m whose intake word lies below `limit` and whose clock
// -ln(1 - u) / w lies below `below` (2^32 and infinity: all of them).
void collect_clocks(const Run& r, int m, std::uint64_t limit, double below) {
  auto& clocks = r.pop.clocks;
  clocks.clear();
  for (int g = 0; g < r.dyn.group_count(); ++g) {
    const GroupLayout& layout = r.dyn.group(g);
    for (std::uint32_t i = layout.first_person; i < layout.first_person + layout.size; ++i) {
      const std::uint32_t w = r.word(Purpose::kIntake, i);
      if (w >= limit || !intake_eligible(r, i, m)) continue;
      const double clock = -std::log(1.0 - to_unit(w)) / r.dyn.selection_weight(g, r.people.d[i]);
      if (clock < below) clocks.emplace_back(clock, i);
    }
  }
}

// Capacity intake with selection (MODEL.md §9): every eligible person gets the clock
// -ln(1 - u) / w from the intake word's uniform u and its weight w; the `asked` smallest
// (clock, person) pairs start: drawing without replacement with probability proportional to
// weight (Efraimidis and Spirakis). 1 - u is exact and the logarithm increasing, so with all
// weights 1 the clocks keep the order of the words and the same persons start as in v1.
void weighted_intake(const Run& r, int m, std::int64_t asked, std::int64_t eligible_count) {
  auto& clocks = r.pop.clocks;
  if (eligible_count <= asked) {
    collect_clocks(r, m, std::uint64_t{1} << 32, std::numeric_limits<double>::infinity());
    r.counts.unfilled(m) += static_cast<double>(asked - eligible_count);
  } else {
    // Prefilter, as v1's: with every weight at least w_min, the clocks below
    // T = -ln(1 - share) / w_min number about share * eligible or more, so keep only those
    // (a clock below T needs u < 1 - (1 - share)^(w_max / w_min), a bound on the word). The
    // chosen set is the same either way: the `asked` smallest (clock, person) pairs, all below T
    // when at least `asked` are; else all eligible persons are taken.
    const double a = static_cast<double>(asked);
    const double share = (a + 6.0 * std::sqrt(a) + 32.0) / static_cast<double>(eligible_count);
    const double ratio = r.dyn.selection_weight_max() / r.dyn.selection_weight_min();
    const double passing = share >= 1.0 ? 1.0 : -std::expm1(ratio * std::log1p(-share));
    if (passing < 1.0) {
      const double below = -std::log1p(-share) / r.dyn.selection_weight_min();
      collect_clocks(r, m, static_cast<std::uint64_t>(std::ceil(passing * 0x1p32)) + 1, below);
    }
    if (passing >= 1.0 || static_cast<std::int64_t>(clocks.size()) < asked) {
      collect_clocks(r, m, std::uint64_t{1} << 32, std::numeric_limits<double>::infinity());
    }
    std::nth_element(clocks.begin(), clocks.begin() + asked, clocks.end());
    clocks.resize(static_cast<std::size_t>(asked));
  }
  for (const auto& [clock, i] : clocks) start(r, m, i);
}

// Capacity intake at the start of month m (MODEL step 4): the eligible persons with the
// smallest intake priority start, up to the number asked for.
void capacity_intake(const Run& r, int m, const AfterMoves& now) {
  const std::int64_t target = r.dyn.intake_target(m);
  const std::int64_t asked = r.dyn.intake_kind() == IntakeKind::kPlaces
                                 ? std::max<std::int64_t>(0, target - now.in_xj)
                                 : target;
  if (asked <= 0) return;
  const std::int64_t eligible_count = now.intake_eligible;
  if (r.dyn.has_selection()) return weighted_intake(r, m, asked, eligible_count);
  auto& candidates = r.pop.candidates;
  if (eligible_count <= asked) {
    collect_candidates(r, m, std::uint64_t{1} << 32);
    r.counts.unfilled(m) += static_cast<double>(asked - eligible_count);
  } else {
    // Priorities are uniform, so the `asked` smallest lie below about asked / eligible of the
    // range: keep only those (with a wide margin) and fall back to all if too few pass. The
    // chosen set is the same either way: the `asked` smallest (word, person) pairs.
    const double a = static_cast<double>(asked);
    const double share = (a + 6.0 * std::sqrt(a) + 32.0) / static_cast<double>(eligible_count);
    collect_candidates(r, m, share >= 1.0 ? std::uint64_t{1} << 32
                                       : static_cast<std::uint64_t>(share * 0x1p32));
    if (static_cast<std::int64_t>(candidates.size()) < asked) collect_candidates(r, m, std::uint64_t{1} << 32);
    std::nth_element(candidates.begin(), candidates.begin() + asked, candidates.end());
    candidates.resize(static_cast<std::size_t>(asked));
  }
  for (const auto& [word, i] : candidates) start(r, m, i);
}


// Runs the sides in lockstep month by month; capacity intake (the first side's, if any) needs
// every person's words before the moves.
void run_sides(const Run* sides, int side_count) {
  const Run& first = sides[0];
  const bool intake = first.programme_on && first.dyn.intake_kind() != IntakeKind::kNone;
  for (int k = 0; k < side_count; ++k) initialise(sides[k]);
  AfterMoves now = intake ? initial_counts(first) : AfterMoves{};
  for (int m = 0; m < first.dyn.months(); ++m) {
    if (intake) {
      draw(first, m, 0, first.dyn.person_count());
      capacity_intake(first, m, now);
    }
    now = step_month(sides, side_count, m, intake, intake);
  }
}

}  // namespace

void simulate(const Dynamics& dynamics, Side side, const ReplicationStreams& streams,
              Population& population, Counts& counts) {
  const Run r{dynamics, side == Side::kScenario && dynamics.has_programme(), streams, population,
              population.side[0], counts};
  run_sides(&r, 1);
}

void simulate_pair(const Dynamics& dynamics, const ReplicationStreams& streams, Population& population,
                   Counts& scenario, Counts& baseline) {
  const std::array<Run, 2> sides = {Run{dynamics, dynamics.has_programme(), streams, population, population.side[0], scenario},
                                    Run{dynamics, false, streams, population, population.side[1], baseline}};
  run_sides(sides.data(), 2);
}

}  // namespace extrasim
