#include "extrasim/simulate/dynamics.hpp"

#include <algorithm>
#include <cmath>

namespace extrasim {

std::array<std::uint32_t, kStateCount> split_largest_remainder(std::int64_t size,
                                                               const PerState& shares) {
  std::array<std::uint32_t, kStateCount> count{};
  std::array<double, kStateCount> remainder{};
  std::int64_t assigned = 0;
  for (int s = 0; s < kStateCount; ++s) {
    const double exact = static_cast<double>(size) * shares[s];
    const double floor = std::floor(exact + 1e-9);
    count[s] = static_cast<std::uint32_t>(floor);
    remainder[s] = exact - floor;
    assigned += count[s];
  }
  // Hand out what is left by largest remainder; stable order breaks ties in state order.
  std::array<int, kStateCount> order = {0, 1, 2, 3, 4};
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return remainder[a] > remainder[b]; });
  for (int i = 0; assigned < size; i = (i + 1) % kStateCount, ++assigned) ++count[order[i]];
  return count;
}

std::uint64_t word_threshold(double c) {
  const double t = std::ceil(c * 0x1p32 - 0.5);
  if (t <= 0.0) return 0;
  if (t >= 0x1p32) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(t);
}

namespace {

int duration_cap_of(const Scenario& sc) {
  int cap = 1;
  auto consider_row = [&](const std::optional<Row>& row) {
    if (!row) return;
    for (const Band& b : row->bands) {
      if (b.until) cap = std::max(cap, *b.until);
    }
  };
  for (const auto& row : sc.transitions) consider_row(row);
  for (const auto& row : sc.after_xj) consider_row(row);
  for (const Group& g : sc.groups) {
    for (const auto& row : g.transitions) consider_row(row);
    for (const auto& row : g.after_xj) consider_row(row);
  }
  if (sc.programme) {
    cap = std::max(cap, sc.programme->max_months);
    for (const Group& g : sc.groups) {
      if (const auto& support = sc.supervision_for(g)) cap = std::max(cap, support->first_months);
    }
  }
  return cap;
}

const Band& band_for(const Row& row, int d) {
  for (const Band& b : row.bands) {
    if (!b.until || d < *b.until) return b;
  }
  return row.bands.back();
}

}  // namespace

Dynamics Dynamics::compile(const Scenario& sc) {
  Dynamics dyn;
  dyn.months_ = sc.calendar.months;
  dyn.duration_cap_ = duration_cap_of(sc);
  const int slots = dyn.duration_cap_ + 1;

  std::uint32_t first = 0;
  for (const Group& g : sc.groups) {
    GroupLayout layout;
    layout.first_person = first;
    layout.size = static_cast<std::uint32_t>(g.size);
    layout.initial_count = split_largest_remainder(g.size, g.initial);
    layout.initial_duration = std::min(g.initial_duration, dyn.duration_cap_);
    dyn.groups_.push_back(layout);
    first += layout.size;
  }
  dyn.person_count_ = first;

  const std::size_t groups = sc.groups.size();
  dyn.cumulative_.assign(groups * kStateCount * slots * kStateCount, 0.0);
  dyn.word_thresholds_.assign(dyn.cumulative_.size(), 0);
  for (std::size_t g = 0; g < groups; ++g) {
    for (State origin : kAllStates) {
      const std::optional<Row>& row = sc.row_for(sc.groups[g], origin);
      if (!row || origin == State::kExit) continue;
      for (int d = 0; d < slots; ++d) {
        const Band& band = band_for(*row, d);
        double* cum = &dyn.cumulative_[((g * kStateCount + index_of(origin)) * slots + d) *
                                       kStateCount];
        double running = 0.0;
        for (int j = 0; j < kStateCount; ++j) {
          if (j != index_of(origin)) running += band.to[j];
          cum[j] = running;
        }
      }
    }
  }

  for (std::size_t i = 0; i < dyn.cumulative_.size(); ++i) {
    dyn.word_thresholds_[i] = word_threshold(dyn.cumulative_[i]);
  }

  dyn.intake_target_.assign(static_cast<std::size_t>(dyn.months_), 0);
  if (!sc.programme) return dyn;
  const Programme& p = *sc.programme;
  dyn.has_programme_ = true;
  dyn.decision_months_ = p.decision_months;
  dyn.max_months_ = p.max_months;
  dyn.extension_probability_ = p.extension_probability;
  dyn.reentry_ = p.reentry;
  double running = 0.0;
  int last_positive = 0;
  for (int j = 0; j < kStateCount; ++j) {
    running += p.on_expiry[j];
    dyn.expiry_cumulative_[j] = running;
    if (p.on_expiry[j] > 0.0) last_positive = j;
  }
  // Rounding must never leave a sliver past the sum: the last destination takes it.
  for (int j = last_positive; j < kStateCount; ++j) dyn.expiry_cumulative_[j] = 1.0;
  for (int j = 0; j < kStateCount; ++j) dyn.expiry_words_[j] = word_threshold(dyn.expiry_cumulative_[j]);
  dyn.extension_word_ = word_threshold(p.extension_probability);

  if (p.intake) {
    for (State s : p.intake->from) dyn.intake_from_[index_of(s)] = true;
    if (p.intake->kind == Intake::Kind::kPlaces) {
      dyn.intake_kind_ = IntakeKind::kPlaces;
      const std::vector<double> places = p.intake->places.over(sc.calendar.start, dyn.months_);
      for (int m = 0; m < dyn.months_; ++m) dyn.intake_target_[m] = std::llround(places[m]);
    } else {
      dyn.intake_kind_ = IntakeKind::kStarts;
      const auto& starts = p.intake->starts;
      for (int m = 0; m < dyn.months_ && m < static_cast<int>(starts.size()); ++m) {
        dyn.intake_target_[m] = starts[m];
      }
    }
  }
  return dyn;
}

}  // namespace extrasim
