#include "extrasim/simulation.hpp"

#include <algorithm>

namespace extrasim {

namespace {

// Everything one side of one replication works on.
struct Run {
  const Dynamics& dyn;
  bool programme_on;  // false for the baseline
  const ReplicationStreams& rng;
  Population& pop;
  Counts& counts;
};

void initialise(const Run& r) {
  const std::uint32_t n = r.dyn.person_count();
  r.pop.state.resize(n);
  r.pop.d.resize(n);
  r.pop.x.resize(n);
  r.pop.ever_xj.resize(n);
  for (int g = 0; g < r.dyn.group_count(); ++g) {
    const GroupLayout& layout = r.dyn.group(g);
    std::uint32_t i = layout.first_person;
    for (State s : kAllStates) {
      // The baseline has no programme: an initial xj stock starts in fs instead.
      const bool in_xj = s == State::kXj && r.programme_on;
      const State start = (s == State::kXj && !r.programme_on) ? State::kFs : s;
      const auto x0 = static_cast<std::uint16_t>(
          in_xj ? std::min(layout.initial_duration, r.dyn.max_months()) : 0);
      for (std::uint32_t k = 0; k < layout.initial_count[index_of(s)]; ++k, ++i) {
        r.pop.state[i] = start;
        r.pop.d[i] = static_cast<std::uint16_t>(layout.initial_duration);
        r.pop.x[i] = x0;
        r.pop.ever_xj[i] = in_xj;
      }
    }
  }
}

bool eligible(const Run& r, std::uint32_t i) {
  return r.dyn.reentry() ? r.pop.x[i] < r.dyn.max_months() : r.pop.ever_xj[i] == 0;
}

constexpr int purpose(Purpose p) { return static_cast<int>(p); }

// Index of the first cumulative probability above u; kStateCount means "stay".
inline int walk(const double* cum, double u) {
  return (u >= cum[0]) + (u >= cum[1]) + (u >= cum[2]) + (u >= cum[3]) + (u >= cum[4]);
}

State expiry_destination(const Dynamics& dyn, std::uint32_t word) {
  return static_cast<State>(walk(dyn.expiry_cumulative().data(), to_unit(word)));
}

int group_of(const Dynamics& dyn, std::uint32_t person) {
  int g = 0;
  while (g + 1 < dyn.group_count() && dyn.group(g + 1).first_person <= person) ++g;
  return g;
}

void start_in_xj(const Run& r, std::uint32_t i, int month, int g) {
  r.pop.state[i] = State::kXj;
  r.pop.d[i] = 0;
  r.pop.ever_xj[i] = 1;
  r.counts.starts(month, g) += 1.0;
}

// End of month m for a person in xj: early exit, expiry, or the decision (MODEL.md §2 step 1).
State step_xj(const Run& r, int g, std::uint32_t i, int m) {
  const int x = std::min<int>(r.pop.x[i] + 1, r.dyn.max_months());
  r.pop.x[i] = static_cast<std::uint16_t>(x);
  const int d = r.pop.d[i];
  const auto w = r.rng.words(i, static_cast<std::uint32_t>(m));
  const int early = walk(r.dyn.thresholds(g, State::kXj, d), to_unit(w[purpose(Purpose::kTransition)]));
  if (early < kStateCount) return static_cast<State>(early);
  if (x >= r.dyn.max_months()) return expiry_destination(r.dyn, w[purpose(Purpose::kExpiry)]);
  if ((d + 1) % r.dyn.decision_months() == 0) {
    const bool extended = to_unit(w[purpose(Purpose::kProgramme)]) < r.dyn.extension_probability();
    return extended ? State::kXj : expiry_destination(r.dyn, w[purpose(Purpose::kExpiry)]);
  }
  return State::kXj;
}

// End of month m for anyone else: the Markov row, with rate-based intake for the eligible.
State step_other(const Run& r, int g, std::uint32_t i, int m, State s) {
  if (!r.dyn.row_active(g, s)) return s;
  const auto w = r.rng.words(i, static_cast<std::uint32_t>(m));
  const int to = walk(r.dyn.thresholds(g, s, r.pop.d[i]), to_unit(w[purpose(Purpose::kTransition)]));
  if (to == kStateCount) return s;
  if (to == index_of(State::kXj)) {
    if (!r.programme_on || !eligible(r, i)) return s;
    r.pop.ever_xj[i] = 1;
    r.counts.starts(m + 1, g) += 1.0;
  }
  return static_cast<State>(to);
}

// Counts month m and moves everyone to month m + 1; returns the xj count after the moves.
std::uint32_t step_month(const Run& r, int m) {
  const bool last = m + 1 == r.dyn.months();
  const auto cap = static_cast<std::uint16_t>(r.dyn.duration_cap());
  std::uint32_t xj_after = 0;
  for (int g = 0; g < r.dyn.group_count(); ++g) {
    const GroupLayout& layout = r.dyn.group(g);
    std::array<std::uint32_t, kStateCount> in_state{};
    for (std::uint32_t i = layout.first_person; i < layout.first_person + layout.size; ++i) {
      const State s = r.pop.state[i];
      ++in_state[index_of(s)];
      if (s == State::kXj) r.counts.xj_spell(m, g, r.pop.d[i]) += 1.0;
      if (last) continue;
      const State next = s == State::kXj ? step_xj(r, g, i, m) : step_other(r, g, i, m, s);
      // An extension is no change of state, so d keeps counting through it.
      r.pop.d[i] = next == s ? std::min<std::uint16_t>(r.pop.d[i] + 1, cap) : 0;
      r.pop.state[i] = next;
      xj_after += next == State::kXj;
    }
    for (State s : kAllStates) r.counts.state(m, g, s) += in_state[index_of(s)];
  }
  return xj_after;
}

// Capacity intake at the start of month m (MODEL.md §2 step 4): the eligible persons with the
// smallest intake priority start, up to the number asked for.
void capacity_intake(const Run& r, int m, std::uint32_t xj_count) {
  const std::int64_t target = r.dyn.intake_target(m);
  const std::int64_t asked = r.dyn.intake_kind() == IntakeKind::kPlaces
                                 ? std::max<std::int64_t>(0, target - xj_count)
                                 : target;
  if (asked <= 0) return;
  auto& candidates = r.pop.candidates;
  candidates.clear();
  for (std::uint32_t i = 0; i < r.dyn.person_count(); ++i) {
    if (r.dyn.intake_from(r.pop.state[i]) && eligible(r, i)) {
      const auto w = r.rng.words(i, static_cast<std::uint32_t>(m));
      candidates.emplace_back(w[purpose(Purpose::kIntake)], i);
    }
  }
  auto chosen_end = candidates.end();
  if (static_cast<std::int64_t>(candidates.size()) <= asked) {
    r.counts.unfilled(m) += static_cast<double>(asked - static_cast<std::int64_t>(candidates.size()));
  } else {
    // (word, person) pairs are unique, so the chosen set does not depend on the algorithm.
    chosen_end = candidates.begin() + asked;
    std::nth_element(candidates.begin(), chosen_end, candidates.end());
  }
  for (auto it = candidates.begin(); it != chosen_end; ++it) {
    start_in_xj(r, it->second, m, group_of(r.dyn, it->second));
  }
}

std::uint32_t count_xj(const Run& r) {
  return static_cast<std::uint32_t>(std::count(r.pop.state.begin(), r.pop.state.end(), State::kXj));
}

}  // namespace

void simulate(const Dynamics& dynamics, Side side, const ReplicationStreams& streams,
              Population& population, Counts& counts) {
  const Run r{dynamics, side == Side::kScenario && dynamics.has_programme(), streams, population,
              counts};
  const bool intake = r.programme_on && dynamics.intake_kind() != IntakeKind::kNone;
  initialise(r);
  if (intake) capacity_intake(r, 0, count_xj(r));
  for (int m = 0; m < dynamics.months(); ++m) {
    const std::uint32_t xj_after = step_month(r, m);
    if (intake && m + 1 < dynamics.months()) capacity_intake(r, m + 1, xj_after);
  }
}

}  // namespace extrasim
