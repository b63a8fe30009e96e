#include "extrasim/simulate/shared_baseline.hpp"

#include <algorithm>

namespace extrasim {

namespace {

bool same_persons(const Dynamics& a, const Dynamics& b) {
  if (a.months() != b.months() || a.group_count() != b.group_count() || a.person_count() != b.person_count()) return false;
  // The same counting units: the baseline's counts are kept per unit and priced per unit.
  if (a.unit_groups() != b.unit_groups()) return false;
  for (int g = 0; g < a.group_count(); ++g) {
    const GroupLayout& x = a.group(g);
    const GroupLayout& y = b.group(g);
    if (x.first_person != y.first_person || x.size != y.size || x.initial_count != y.initial_count ||
        x.initial_duration != y.initial_duration || a.unit_of(g) != b.unit_of(g)) {
      return false;
    }
  }
  return true;
}

// The rows a baseline person can read at the end of month m in group g: never xj, never ever_xj.
bool same_baseline_rows(const Dynamics& a, const Dynamics& b, int m, int g) {
  for (State origin : kAllStates) {
    if (origin == State::kXj) continue;
    for (int d = 0; d <= a.duration_cap(); ++d) {
      const std::uint64_t* x = a.word_thresholds(m, g, origin, d, false);
      const std::uint64_t* y = b.word_thresholds(m, g, origin, d, false);
      if (!std::equal(x, x + kStateCount, y)) return false;
    }
  }
  return true;
}

}  // namespace

bool same_baseline(const Dynamics& a, const Dynamics& b) {
  if (&a == &b) return true;
  if (!same_persons(a, b) || a.duration_cap() != b.duration_cap()) return false;
  // The last month is only counted: its rows are never read.
  for (int m = 0; m + 1 < a.months(); ++m) {
    for (int g = 0; g < a.group_count(); ++g) {
      if (!same_baseline_rows(a, b, m, g)) return false;
    }
  }
  return true;
}

}  // namespace extrasim
