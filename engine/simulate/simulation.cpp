#include "extrasim/simulate/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "month_step.hpp"

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
  detail::BlockStep step;  // the month step's inner loop (month_step.hpp)

  std::uint32_t intake_word(std::uint32_t person) const { return pop.intake[person - pop.draw_base]; }
};

void initialise(const Run& r) {
  const std::uint32_t n = r.dyn.person_count();
  r.people.state.resize(n);
  r.people.d.resize(n);
  r.people.x.resize(n);
  r.people.ever_xj.resize(n);
  r.pop.draw_base = 0;
  r.pop.drawn_month = -1;  // new streams: no tile is drawn yet
  r.pop.events.resize(kTileSize);
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

// Transition words of the tile holding `person` in month m, unless they are in place.
const std::uint32_t* transition_words(const Run& r, int m, std::uint32_t person) {
  Population& pop = r.pop;
  const std::uint32_t tile = person / kTileSize;
  if (pop.drawn_month != m || pop.drawn_tile != tile) {
    pop.transition.resize(kTileSize);
    r.rng.fill_tile(WordDomain::kTransition, static_cast<std::uint32_t>(m), tile, pop.transition.data(),
                    r.dyn.person_count() - tile * kTileSize);
    pop.draw_base = tile * kTileSize;
    pop.drawn_month = m;
    pop.drawn_tile = tile;
  }
  return pop.transition.data() + (person - pop.draw_base);
}

// Every person's transition and intake words of month m (capacity intake needs them all).
void draw_all(const Run& r, int m) {
  const std::uint32_t tiles = (r.dyn.person_count() + kTileSize - 1) / kTileSize;
  r.pop.transition.resize(std::size_t{tiles} * kTileSize);
  r.pop.intake.resize(std::size_t{tiles} * kTileSize);
  for (std::uint32_t t = 0; t < tiles; ++t) {
    const std::uint32_t persons = r.dyn.person_count() - t * kTileSize;  // fewer in the last tile
    r.rng.fill_tile(WordDomain::kTransition, static_cast<std::uint32_t>(m), t, r.pop.transition.data() + std::size_t{t} * kTileSize, persons);
    r.rng.fill_tile(WordDomain::kIntake, static_cast<std::uint32_t>(m), t, r.pop.intake.data() + std::size_t{t} * kTileSize, persons);
  }
  r.pop.draw_base = 0;
  r.pop.drawn_month = -1;
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

// Settles a person in xj whose expiry or decision fell due at the end of month m (the step
// left it in xj with d + 1): expiry when x reached max_months, else the decision to extend;
// the event words are drawn here, for these persons only.
void settle_event(const Run& r, int m, std::uint32_t i) {
  const auto words = r.rng.event_words(i, static_cast<std::uint32_t>(m));
  const bool expired = r.people.x[i] >= r.dyn.max_months(m);
  const bool extended = !expired && words[0] < r.dyn.extension_word_threshold(m);
  const State next = extended ? State::kXj : static_cast<State>(walk(r.dyn.expiry_word_thresholds().data(), words[1]));
  if (next == State::kXj) return;
  r.people.state[i] = next;
  r.people.d[i] = 0;
}

// People per state and xj people per spell month, for the last month m (no moves follow; the
// other months count inside the step).
void count_month(const Run& r, int m, int u) {
  const UnitLayout& layout = r.dyn.unit(u);
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
  for (State s : kAllStates) r.counts.state(m, u, s) += in_state[index_of(s)];
  if (in_state[index_of(State::kXj)] == 0) return;
  const std::uint16_t* d = r.people.d.data() + layout.first_person;
  const bool histogram = r.counts.spell_slots() > 0;
  std::uint32_t first = 0;
  for (std::uint32_t k = 0; k < layout.size; ++k) {
    if (state[k] != State::kXj) continue;
    first += d[k] < r.dyn.first_months(layout.group);
    if (histogram) r.counts.xj_spell(m, u, d[k]) += 1.0;
  }
  r.counts.xj_first(m, u) += first;
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
void count_twins(const Run& scenario, const Run& baseline, int m, int u) {
  const UnitLayout& layout = scenario.dyn.unit(u);
  if (scenario.counts.state(m, u, State::kXj) == 0.0) return;
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

static_assert(detail::kDistinctRowStride == Dynamics::kMaxDistinctRows && detail::kHighStride == Dynamics::kHighEntries,
              "the month step reads the deduplicated tables with Dynamics' strides");

// What the step reads about unit u (its first group's rows) in month m on one side.
detail::BlockRules rules_of(const Run& r, int m, int u) {
  const int g = r.dyn.unit(u).group;
  const Dynamics& dyn = r.dyn;
  detail::BlockRules rules;
  rules.rows = dyn.word_thresholds(m, g, State::kFs, 0, false);
  rules.after_xj_offset = static_cast<std::int32_t>(dyn.word_thresholds(m, g, State::kFs, 0, true) - rules.rows);
  rules.slots = dyn.duration_cap() + 1;
  rules.row_ids = dyn.row_ids(m, g);
  rules.distinct_rows = dyn.distinct_rows(m, g);
  rules.row_id_bytes = dyn.row_id_bytes(m, g);
  rules.distinct_high16 = dyn.distinct_high16(m, g);
  rules.row_ids_after_xj = dyn.has_after_xj() ? kStateCount * rules.slots : 0;
  rules.duration_cap = dyn.duration_cap();
  rules.max_months_cap = dyn.max_months_cap();
  rules.max_months_now = dyn.max_months(m);
  rules.max_months_next = dyn.max_months(m + 1);
  rules.decision_months = dyn.decision_months();
  rules.first_months = dyn.first_months(g);
  rules.spell_histogram = dyn.spell_slots() > 0;
  rules.programme_on = r.programme_on;
  rules.reentry = dyn.reentry();
  return rules;
}

// The persons of [0, n) in xj, and those eligible for capacity intake: in a state intake takes
// from (bit s of from_states) and not used up (x < max_months with re-entry, else never in xj).
// Branch-free over plain arrays so that the compiler vectorises it (with an AVX-512 clone
// where the CPU has one: the words of every side with intake pass through here each month).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("arch=x86-64-v4", "default")))
#endif
void count_in_xj_and_eligible(const State* __restrict state, const std::uint16_t* __restrict x,
                              const std::uint8_t* __restrict ever_xj, std::uint32_t n, std::uint32_t from_states,
                              bool reentry, std::uint32_t max_months, std::uint32_t& in_xj, std::uint32_t& eligible) {
  // Per state whether intake takes from it, as loop constants: a shift by the state would not
  // vectorise.
  std::uint8_t from[kStateCount];
  for (int s = 0; s < kStateCount; ++s) from[s] = static_cast<std::uint8_t>((from_states >> s) & 1u);
  const auto taken = [&](std::uint8_t s) {
    return static_cast<std::uint8_t>(((s == 0) & from[0]) | ((s == 1) & from[1]) | ((s == 2) & from[2]) |
                                     ((s == 3) & from[3]) | ((s == 4) & from[4]));
  };
  std::uint32_t xj = 0, ok = 0;
  const auto xj_code = static_cast<std::uint8_t>(State::kXj);
  const auto* s8 = reinterpret_cast<const std::uint8_t*>(state);
  if (reentry) {
    for (std::uint32_t i = 0; i < n; ++i) {
      xj += s8[i] == xj_code;
      ok += taken(s8[i]) & static_cast<std::uint8_t>(x[i] < max_months);
    }
  } else {
    for (std::uint32_t i = 0; i < n; ++i) {
      xj += s8[i] == xj_code;
      ok += taken(s8[i]) & static_cast<std::uint8_t>(ever_xj[i] == 0);
    }
  }
  in_xj += xj;
  eligible += ok;
}

// After the moves of [begin, end): people in xj and eligible for capacity intake in month
// m + 1 (intake_eligible). Sums in locals and the rules read once: a store through `after`
// might alias the persons' arrays, so summing into it kept a scalar loop (a third of compare's
// time) that now vectorises.
void count_after(const Run& r, int m, std::uint32_t begin, std::uint32_t end, AfterMoves& after) {
  std::uint32_t from_states = 0;
  for (State s : kAllStates) from_states |= r.dyn.intake_from(s) ? 1u << index_of(s) : 0u;
  std::uint32_t in_xj = 0, eligible = 0;
  count_in_xj_and_eligible(r.people.state.data() + begin, r.people.x.data() + begin, r.people.ever_xj.data() + begin,
                           end - begin, from_states, r.dyn.reentry(), static_cast<std::uint32_t>(r.dyn.max_months(m + 1)),
                           in_xj, eligible);
  after.in_xj += in_xj;
  after.intake_eligible += eligible;
}

// Adds one group-month's tallies to the side's counts.
void add_tally(const Run& r, int m, int u, const detail::BlockTally& t, bool twins) {
  for (State s : kAllStates) r.counts.state(m, u, s) += t.in_state[index_of(s)];
  r.counts.xj_first(m, u) += t.xj_first;
  if (t.in_state[index_of(State::kXj)] != 0 && r.counts.spell_slots() > 0) {
    for (int d = 0; d <= r.dyn.duration_cap(); ++d) r.counts.xj_spell(m, u, d) += t.spell[d];
  }
  r.counts.starts(m + 1, u) += t.starts;
  if (twins) {
    r.counts.twin_job(m) += t.twin_job;
    r.counts.twin_fs(m) += t.twin_fs;
  }
}

// The sides of one lockstep pass: the scenario sides, then, when there are two or more, the
// baseline, against whose month-m states each scenario side counts its twins. With what the
// step needs per side, sized once per replication.
struct Sides {
  std::span<const Run> runs;
  std::size_t spell_stride = 0;  // entries of Population::spell per side
  std::vector<detail::BlockRules> rules;
  std::vector<detail::BlockTally> tally;
  std::vector<char> intake;       // the side has capacity intake
  std::vector<AfterMoves> after;  // per side with intake: after the last month's moves

  explicit Sides(std::span<const Run> sides) : runs(sides), rules(sides.size()), tally(sides.size()), intake(sides.size()), after(sides.size()) {
    for (const Run& r : sides) spell_stride = std::max(spell_stride, static_cast<std::size_t>(r.dyn.duration_cap() + 1));
  }
  const Run& first() const { return runs.front(); }
  bool counts_twins(std::size_t k) const { return runs.size() > 1 && k + 1 < runs.size(); }
  const Run& baseline() const { return runs.back(); }
};

// Counts unit u in month m on every side and moves it to month m + 1, tile by tile, the
// sides in lockstep on the same words: the scenario sides first, while the baseline's states
// are still month m's (twins).
void step_unit(Sides& sides, int m, int u, bool drawn_already) {
  const Run& first = sides.first();
  const std::size_t count = sides.runs.size();
  for (std::size_t k = 0; k < count; ++k) {
    sides.rules[k] = rules_of(sides.runs[k], m, u);
    sides.tally[k] = detail::BlockTally{};
    sides.tally[k].spell = first.pop.spell.data() + k * sides.spell_stride;
    if (sides.rules[k].spell_histogram) std::fill_n(sides.tally[k].spell, sides.spell_stride, 0u);
    sides.tally[k].events = first.pop.events.data();
  }
  const UnitLayout& layout = first.dyn.unit(u);
  const std::uint32_t end = layout.first_person + layout.size;
  for (std::uint32_t i = layout.first_person; i < end;) {
    const std::uint32_t block_end = std::min(end, (i / kTileSize + 1) * kTileSize);
    const std::uint32_t* words = drawn_already ? first.pop.transition.data() + (i - first.pop.draw_base)
                                               : transition_words(first, m, i);
    for (std::size_t k = 0; k < count; ++k) {
      const Run& side = sides.runs[k];
      People& people = side.people;
      const detail::BlockPeople block{people.state.data() + i, people.d.data() + i, people.x.data() + i,
                                      people.ever_xj.data() + i, words,
                                      sides.counts_twins(k) ? sides.baseline().people.state.data() + i : nullptr,
                                      block_end - i};
      detail::BlockTally& tally = sides.tally[k];
      tally.event_count = 0;
      side.step(sides.rules[k], block, tally);
      for (std::uint32_t e = 0; e < tally.event_count; ++e) settle_event(side, m, i + tally.events[e]);
      if (sides.intake[k]) count_after(side, m, i, block_end, sides.after[k]);
    }
    i = block_end;
  }
  for (std::size_t k = 0; k < count; ++k) add_tally(sides.runs[k], m, u, sides.tally[k], sides.counts_twins(k));
}

// Counts month m on every side (and each scenario side's twins) and, unless it is the last,
// moves everyone to month m + 1, leaving in `after` what capacity intake needs next. With
// `drawn_already` the month's words are in place for everyone (capacity intake needed them);
// otherwise they are drawn tile by tile just before use.
void step_month(Sides& sides, int m, bool drawn_already) {
  const Run& first = sides.first();
  std::fill(sides.after.begin(), sides.after.end(), AfterMoves{});
  for (int u = 0; u < first.dyn.unit_count(); ++u) {
    if (m + 1 < first.dyn.months()) {
      step_unit(sides, m, u, drawn_already);
      continue;
    }
    for (const Run& side : sides.runs) count_month(side, m, u);
    for (std::size_t k = 0; k < sides.runs.size(); ++k) {
      if (sides.counts_twins(k)) count_twins(sides.runs[k], sides.baseline(), m, u);
    }
  }
}

AfterMoves initial_counts(const Run& r) {
  AfterMoves now;
  for (std::uint32_t i = 0; i < r.dyn.person_count(); ++i) {
    now.in_xj += r.people.state[i] == State::kXj;
    now.intake_eligible += intake_eligible(r, i, 0);
  }
  return now;
}

// Starts asked for by capacity intake at the start of month m.
std::int64_t starts_asked(const Run& r, int m, const AfterMoves& now) {
  const std::int64_t target = r.dyn.intake_target(m);
  return r.dyn.intake_kind() == IntakeKind::kPlaces ? std::max<std::int64_t>(0, target - now.in_xj) : target;
}

// Priorities are uniform, so the `asked` smallest of `eligible` lie below about asked / eligible
// of the range: capacity intake keeps only the persons whose word lies below this bound (with a
// wide margin) and falls back to all if too few pass. The chosen set is the same either way:
// the `asked` smallest (word, person) pairs.
std::uint64_t priority_bound(std::int64_t asked, std::int64_t eligible) {
  const double a = static_cast<double>(asked);
  const double share = (a + 6.0 * std::sqrt(a) + 32.0) / static_cast<double>(eligible);
  return share >= 1.0 ? std::uint64_t{1} << 32 : static_cast<std::uint64_t>(share * 0x1p32);
}

// Persons eligible in month m whose priority word lies below `limit` (2^32: all of them).
void collect_candidates(const Run& r, int m, std::uint64_t limit) {
  auto& candidates = r.pop.candidates;
  candidates.clear();
  if (limit <= r.pop.low_word_bound) {  // every such person is in the shared list, in order
    for (const auto& [w, i] : r.pop.low_words) {
      if (w < limit && intake_eligible(r, i, m)) candidates.emplace_back(w, i);
    }
    return;
  }
  // Everyone's words from person 0 (draw_all), by pointer: emplace_back might otherwise make
  // every iteration reload them.
  const std::uint32_t* words = r.pop.intake.data();
  const std::uint32_t n = r.dyn.person_count();
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t w = words[i];
    if (w < limit && intake_eligible(r, i, m)) candidates.emplace_back(w, i);
  }
}

void start(const Run& r, int m, std::uint32_t i) {
  r.people.state[i] = State::kXj;
  r.people.d[i] = 0;
  r.people.ever_xj[i] = 1;
  r.counts.starts(m, r.dyn.unit_of_person(i)) += 1.0;
}

// Eligible persons in month m whose intake word lies below `limit` and whose clock
// -ln(1 - u) / w lies below `below` (2^32 and infinity: all of them).
void collect_clocks(const Run& r, int m, std::uint64_t limit, double below) {
  auto& clocks = r.pop.clocks;
  clocks.clear();
  for (int g = 0; g < r.dyn.group_count(); ++g) {
    const GroupLayout& layout = r.dyn.group(g);
    for (std::uint32_t i = layout.first_person; i < layout.first_person + layout.size; ++i) {
      const std::uint32_t w = r.intake_word(i);
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
  const std::int64_t asked = starts_asked(r, m, now);
  if (asked <= 0) return;
  const std::int64_t eligible_count = now.intake_eligible;
  if (r.dyn.has_selection()) return weighted_intake(r, m, asked, eligible_count);
  auto& candidates = r.pop.candidates;
  if (eligible_count <= asked) {
    collect_candidates(r, m, std::uint64_t{1} << 32);
    r.counts.unfilled(m) += static_cast<double>(asked - eligible_count);
  } else {
    collect_candidates(r, m, priority_bound(asked, eligible_count));
    if (static_cast<std::int64_t>(candidates.size()) < asked) collect_candidates(r, m, std::uint64_t{1} << 32);
    std::nth_element(candidates.begin(), candidates.begin() + asked, candidates.end());
    candidates.resize(static_cast<std::size_t>(asked));
  }
  for (const auto& [word, i] : candidates) start(r, m, i);
}


// With two or more sides taking capacity intake by priority in month m, one pass over the
// month's intake words lists the persons below the largest of their bounds (priority_bound);
// each side then filters that short list instead of everyone, and finds the same candidates in
// the same order. (One side alone scans everyone once, as before.)
void share_low_words(const Sides& sides, int m) {
  Population& pop = sides.first().pop;
  pop.low_word_bound = 0;
  std::uint64_t bound = 0;
  int takers = 0;
  for (std::size_t k = 0; k < sides.runs.size(); ++k) {
    const Run& r = sides.runs[k];
    if (!sides.intake[k] || r.dyn.has_selection()) continue;
    const std::int64_t asked = starts_asked(r, m, sides.after[k]);
    const std::int64_t eligible = sides.after[k].intake_eligible;
    if (asked <= 0 || eligible <= asked) continue;  // nobody to start, or everyone: no bound
    ++takers;
    bound = std::max(bound, priority_bound(asked, eligible));
  }
  if (takers < 2 || bound >= std::uint64_t{1} << 32) return;
  pop.low_words.clear();
  const std::uint32_t* words = pop.intake.data();
  const std::uint32_t n = sides.first().dyn.person_count();
  for (std::uint32_t i = 0; i < n; ++i) {
    if (words[i] < bound) pop.low_words.emplace_back(words[i], i);
  }
  pop.low_word_bound = bound;
}

// Runs the sides in lockstep month by month; capacity intake (on each scenario side that has
// it) needs every person's words before the moves.
void run_sides(std::span<const Run> runs) {
  Sides sides(runs);
  const Run& first = sides.first();
  bool intake = false;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    initialise(runs[k]);
    sides.intake[k] = runs[k].programme_on && runs[k].dyn.intake_kind() != IntakeKind::kNone;
    if (sides.intake[k]) sides.after[k] = initial_counts(runs[k]);
    intake = intake || sides.intake[k];
  }
  first.pop.spell.resize(runs.size() * sides.spell_stride);
  for (int m = 0; m < first.dyn.months(); ++m) {
    if (intake) {
      draw_all(first, m);
      share_low_words(sides, m);
      for (std::size_t k = 0; k < runs.size(); ++k) {
        if (sides.intake[k]) capacity_intake(runs[k], m, sides.after[k]);
      }
    }
    step_month(sides, m, intake);
  }
}

}  // namespace

bool step_kernel_available(StepKernel kernel) {
  return kernel != StepKernel::kAvx512 || detail::avx512_available();
}

namespace {

detail::BlockStep block_step(StepKernel kernel) {
  static const bool avx512 = detail::avx512_available();
  if (kernel == StepKernel::kPortable || !avx512) return detail::step_block_portable;
  return detail::step_block_avx512;
}

}  // namespace

void simulate(const Dynamics& dynamics, Side side, const ReplicationStreams& streams,
              Population& population, Counts& counts, StepKernel kernel) {
  const Run r{dynamics, side == Side::kScenario && dynamics.has_programme(), streams, population,
              population.side[0], counts, block_step(kernel)};
  run_sides({&r, 1});
}

void simulate_pair(const Dynamics& dynamics, const ReplicationStreams& streams, Population& population,
                   Counts& scenario, Counts& baseline, StepKernel kernel) {
  const Dynamics* scenarios[] = {&dynamics};
  Counts* counts[] = {&scenario};
  simulate_lockstep(scenarios, streams, population, counts, baseline, kernel);
}

void simulate_lockstep(std::span<const Dynamics* const> scenarios, const ReplicationStreams& streams,
                       Population& population, std::span<Counts* const> scenario_counts, Counts& baseline,
                       StepKernel kernel) {
  const detail::BlockStep step = block_step(kernel);
  const std::size_t count = scenarios.size();
  if (population.side.size() < count + 1) population.side.resize(count + 1);
  std::vector<Run> sides;
  sides.reserve(count + 1);
  for (std::size_t k = 0; k < count; ++k) {
    sides.push_back(Run{*scenarios[k], scenarios[k]->has_programme(), streams, population, population.side[k], *scenario_counts[k], step});
  }
  sides.push_back(Run{*scenarios[0], false, streams, population, population.side[count], baseline, step});
  run_sides(sides);
}

}  // namespace extrasim
