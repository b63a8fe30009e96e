#include "extrasim/simulate/dynamics.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

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
  if (sc.programme && sc.programme->intake && sc.programme->intake->selection) {
    for (const SelectionBand& b : sc.programme->intake->selection->duration) {
      if (b.until) cap = std::max(cap, *b.until);
    }
  }
  if (sc.programme) {
    for (const TimelineEntry& e : sc.programme->max_months.entries()) cap = std::max(cap, static_cast<int>(e.value));
    for (const Group& g : sc.groups) {
      if (const auto& support = sc.supervision_for(g)) cap = std::max(cap, support->first_months);
      // A cap by decision date reads d mod decision_months, so the initial stock's d must not
      // saturate in month 0 (later, d <= x stays below max_months).
      const bool stock = g.initial[index_of(State::kXj)] > 0.0;
      if (stock && sc.subsidy_for(g).cap_by_decision()) cap = std::max(cap, g.initial_duration);
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

// The cumulative thresholds of every (ever_xj, group, origin, d) for calendar month `when`.
std::vector<double> rows_in(const Scenario& sc, YearMonth when, bool with_after_xj, int slots) {
  std::vector<double> table;
  for (const bool after : {false, true}) {
    if (after && !with_after_xj) break;
    for (const Group& g : sc.groups) {
      for (State origin : kAllStates) {
        const std::optional<Row>& row = after ? sc.row_after_xj(g, origin) : sc.row_for(g, origin);
        for (int d = 0; d < slots; ++d) {
          const PerState p = row && origin != State::kExit ? band_for(*row, d).at(when) : PerState{};
          double running = 0.0;
          for (int j = 0; j < kStateCount; ++j) {
            if (j != index_of(origin)) running += p[j];
            table.push_back(running);
          }
        }
      }
    }
  }
  return table;
}

// Months m > 0 in which some row's probability may change: where a timeline of a band has an
// entry. Every other month has the rows of the month before, so its table is not built.
std::vector<bool> row_change_months(const Scenario& sc) {
  std::vector<bool> change(static_cast<std::size_t>(sc.calendar.months), false);
  const int start = sc.calendar.start.serial();
  auto mark = [&](const Transitions& rows) {
    for (const auto& row : rows) {
      if (!row) continue;
      for (const Band& band : row->bands) {
        for (const Timeline& timeline : band.to) {
          for (const TimelineEntry& e : timeline.entries()) {
            const int m = e.from.serial() - start;
            if (m > 0 && m < sc.calendar.months) change[static_cast<std::size_t>(m)] = true;
          }
        }
      }
    }
  };
  mark(sc.transitions);
  mark(sc.after_xj);
  for (const Group& g : sc.groups) {
    mark(g.transitions);
    mark(g.after_xj);
  }
  return change;
}

bool any_row(const Transitions& rows) {
  return std::any_of(rows.begin(), rows.end(), [](const std::optional<Row>& r) { return r.has_value(); });
}

}  // namespace

// One table per run of months with equal rows: month m's table is built and kept only when it
// differs from the last one kept.
void Dynamics::compile_rows(const Scenario& sc) {
  has_after_xj_ = any_row(sc.after_xj) ||
                  std::any_of(sc.groups.begin(), sc.groups.end(), [](const Group& g) { return any_row(g.after_xj); });
  const std::vector<bool> change = row_change_months(sc);
  std::vector<double> last;
  for (int m = 0; m < months_; ++m) {
    if (m > 0 && !change[static_cast<std::size_t>(m)]) {
      row_epoch_.push_back(row_epoch_.back());
      continue;
    }
    std::vector<double> table = rows_in(sc, sc.calendar.month(m), has_after_xj_, duration_cap_ + 1);
    if (m == 0 || table != last) {
      cumulative_.insert(cumulative_.end(), table.begin(), table.end());
      last = std::move(table);
      row_epoch_.push_back(m == 0 ? 0 : row_epoch_.back() + 1);
    } else {
      row_epoch_.push_back(row_epoch_.back());
    }
  }
  word_thresholds_.resize(cumulative_.size());
  for (std::size_t i = 0; i < cumulative_.size(); ++i) word_thresholds_[i] = word_threshold(cumulative_[i]);
}

void Dynamics::compile_programme(const Scenario& sc) {
  const Programme& p = *sc.programme;
  has_programme_ = true;
  decision_months_ = p.decision_months;
  reentry_ = p.reentry;
  for (int m = 0; m < months_; ++m) {
    const YearMonth when = sc.calendar.month(m);
    max_months_[m] = static_cast<int>(std::llround(p.max_months.at(when)));
    extension_probability_[m] = p.extension_probability.at(when);
    extension_word_[m] = word_threshold(extension_probability_[m]);
  }
  max_months_cap_ = 1;
  for (const TimelineEntry& e : p.max_months.entries()) max_months_cap_ = std::max(max_months_cap_, static_cast<int>(std::llround(e.value)));
  double running = 0.0;
  int last_positive = 0;
  for (int j = 0; j < kStateCount; ++j) {
    running += p.on_expiry[j];
    expiry_cumulative_[j] = running;
    if (p.on_expiry[j] > 0.0) last_positive = j;
  }
  // Rounding must never leave a sliver past the sum: the last destination takes it.
  for (int j = last_positive; j < kStateCount; ++j) expiry_cumulative_[j] = 1.0;
  for (int j = 0; j < kStateCount; ++j) expiry_words_[j] = word_threshold(expiry_cumulative_[j]);

  if (p.intake) {
    for (State s : p.intake->from) intake_from_[index_of(s)] = true;
    if (p.intake->kind == Intake::Kind::kPlaces) {
      intake_kind_ = IntakeKind::kPlaces;
      const std::vector<double> places = p.intake->places.over(sc.calendar.start, months_);
      for (int m = 0; m < months_; ++m) intake_target_[m] = std::llround(places[m]);
    } else {
      intake_kind_ = IntakeKind::kStarts;
      const auto& starts = p.intake->starts;
      for (int m = 0; m < months_ && m < static_cast<int>(starts.size()); ++m) intake_target_[m] = starts[m];
    }
    if (const auto& sel = p.intake->selection) {
      has_selection_ = true;
      const auto slots = static_cast<std::size_t>(duration_cap_ + 1);
      selection_weight_.assign(groups_.size() * slots, 1.0);
      for (std::size_t g = 0; g < groups_.size(); ++g) {
        double group_weight = 1.0;
        for (const auto& [name, w] : sel->groups) {
          if (name == sc.groups[g].name) group_weight = w;
        }
        for (std::size_t d = 0; d < slots; ++d) {
          double band_weight = 1.0;
          for (const SelectionBand& b : sel->duration) {
            if (!b.until || static_cast<int>(d) < *b.until) {
              band_weight = b.weight;
              break;
            }
          }
          selection_weight_[g * slots + d] = group_weight * band_weight;
        }
      }
      selection_weight_min_ = *std::min_element(selection_weight_.begin(), selection_weight_.end());
      selection_weight_max_ = *std::max_element(selection_weight_.begin(), selection_weight_.end());
    }
  }
}

// Per (epoch, group): each (ever_xj, origin, d)'s row as an index into the group's distinct
// rows, with the decision flag (see row_ids()).
void Dynamics::compile_distinct_rows() {
  static_assert(kMaxDistinctRows <= kHighEntries, "the 16-bit tables hold every distinct row");
  const int epochs = row_epoch_.empty() ? 0 : row_epoch_.back() + 1;
  const int slots = duration_cap_ + 1;
  distinct_.assign(static_cast<std::size_t>(epochs) * groups_.size(), DistinctRows{});
  for (int e = 0; e < epochs; ++e) {
    const int m = static_cast<int>(std::find(row_epoch_.begin(), row_epoch_.end(), e) - row_epoch_.begin());
    for (int g = 0; g < group_count(); ++g) {
      DistinctRows& out = distinct_[static_cast<std::size_t>(e) * groups_.size() + g];
      std::vector<std::array<std::uint64_t, kStateCount>> rows;
      for (const bool ever : {false, true}) {
        if (ever && !has_after_xj_) break;
        for (State s : kAllStates) {
          for (int d = 0; d < slots; ++d) {
            const std::uint64_t* t = word_thresholds(m, g, s, d, ever);
            std::array<std::uint64_t, kStateCount> row{};
            std::copy(t, t + kStateCount, row.begin());
            auto found = std::find(rows.begin(), rows.end(), row);
            if (found == rows.end()) {
              rows.push_back(row);
              found = rows.end() - 1;
            }
            const bool decision = has_programme_ && (d + 1) % decision_months_ == 0;
            out.ids.push_back(static_cast<std::uint32_t>(found - rows.begin()) | (decision ? 0x100u : 0u));
          }
        }
      }
      if (rows.size() > kMaxDistinctRows) {
        out.ids.clear();
        continue;
      }
      for (std::size_t r = 0; r < rows.size(); ++r) {
        for (int j = 0; j < kStateCount; ++j) {
          out.thresholds[static_cast<std::size_t>(j) * kMaxDistinctRows + r] = rows[r][j];
          out.high16[static_cast<std::size_t>(j) * kHighEntries + r] =
              static_cast<std::uint16_t>(std::min<std::uint64_t>(rows[r][j] >> 16, 0xFFFF));
        }
      }
      out.fits_bytes = out.ids.size() <= kRowIdBytes;
      if (!out.fits_bytes) continue;
      for (std::size_t i = 0; i < out.ids.size(); ++i) {
        out.bytes[i] = static_cast<std::uint8_t>((out.ids[i] & 0xFFu) | ((out.ids[i] & 0x100u) != 0 ? 0x80u : 0u));
      }
    }
  }
}

// Groups g and h move alike: the same word thresholds in every row table (each epoch, and
// ever_xj with after_xj rows), supervision months and selection weights.
bool Dynamics::same_rules(int g, int h) const {
  if (first_months_[g] != first_months_[h]) return false;
  const std::size_t block = static_cast<std::size_t>(kStateCount) * (duration_cap_ + 1) * kStateCount;
  const std::size_t tables = word_thresholds_.size() / (block * groups_.size());
  for (std::size_t table = 0; table < tables; ++table) {
    const std::uint64_t* a = &word_thresholds_[(table * groups_.size() + g) * block];
    const std::uint64_t* b = &word_thresholds_[(table * groups_.size() + h) * block];
    if (!std::equal(a, a + block, b)) return false;
  }
  if (!has_selection_) return true;
  const auto slots = static_cast<std::size_t>(duration_cap_ + 1);
  return std::equal(selection_weight_.begin() + g * slots, selection_weight_.begin() + (g + 1) * slots,
                    selection_weight_.begin() + h * slots);
}

// FNV-1a over what same_rules compares, so that only groups with equal hashes are compared.
std::uint64_t Dynamics::rules_hash(int g) const {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  mix(static_cast<std::uint64_t>(first_months_[g]));
  const std::size_t block = static_cast<std::size_t>(kStateCount) * (duration_cap_ + 1) * kStateCount;
  const std::size_t tables = word_thresholds_.size() / (block * groups_.size());
  for (std::size_t table = 0; table < tables; ++table) {
    const std::uint64_t* a = &word_thresholds_[(table * groups_.size() + g) * block];
    for (std::size_t i = 0; i < block; ++i) mix(a[i]);
  }
  return h;
}

// Units of groups with equal rules and price class, then the persons' numbers unit by unit.
void Dynamics::compile_units(const std::vector<int>& price_classes) {
  const int groups = group_count();
  unit_of_.assign(static_cast<std::size_t>(groups), -1);
  std::unordered_map<std::uint64_t, std::vector<int>> units_by_hash;
  for (int g = 0; g < groups; ++g) {
    if (!price_classes.empty()) {
      const std::uint64_t key = rules_hash(g) ^ (static_cast<std::uint64_t>(price_classes[g]) * 0x9E3779B97F4A7C15ull);
      std::vector<int>& candidates = units_by_hash[key];
      for (int u : candidates) {
        const int h = units_[u].group;
        if (price_classes[h] == price_classes[g] && same_rules(g, h)) {
          unit_of_[g] = u;
          break;
        }
      }
      if (unit_of_[g] < 0) candidates.push_back(static_cast<int>(units_.size()));
    }
    if (unit_of_[g] < 0) {
      unit_of_[g] = static_cast<int>(units_.size());
      units_.push_back(UnitLayout{0, 0, g});
    }
  }
  std::vector<std::vector<int>> members(units_.size());
  for (int g = 0; g < groups; ++g) members[unit_of_[g]].push_back(g);
  std::uint32_t first = 0;
  for (std::size_t u = 0; u < units_.size(); ++u) {
    units_[u].first_person = first;
    for (int g : members[u]) {
      groups_[g].first_person = first;
      first += groups_[g].size;
    }
    units_[u].size = first - units_[u].first_person;
  }
}

int Dynamics::unit_of_person(std::uint32_t person) const {
  const auto after = std::upper_bound(units_.begin(), units_.end(), person,
                                      [](std::uint32_t p, const UnitLayout& u) { return p < u.first_person; });
  return static_cast<int>(after - units_.begin()) - 1;
}

std::vector<int> Dynamics::unit_groups() const {
  std::vector<int> groups;
  for (const UnitLayout& u : units_) groups.push_back(u.group);
  return groups;
}

std::size_t Dynamics::bytes() const {
  std::size_t ids = 0;
  for (const DistinctRows& d : distinct_) ids += d.ids.capacity() * sizeof(std::uint32_t);
  return cumulative_.capacity() * sizeof(double) + word_thresholds_.capacity() * sizeof(std::uint64_t) +
         distinct_.capacity() * sizeof(DistinctRows) + ids + selection_weight_.capacity() * sizeof(double);
}

Dynamics Dynamics::compile(const Scenario& sc, const std::vector<int>& price_classes) {
  Dynamics dyn;
  dyn.months_ = sc.calendar.months;
  dyn.duration_cap_ = duration_cap_of(sc);

  std::uint32_t first = 0;
  for (const Group& g : sc.groups) {
    GroupLayout layout;
    layout.first_person = first;
    layout.size = static_cast<std::uint32_t>(g.size);
    layout.initial_count = split_largest_remainder(g.size, g.initial);
    layout.initial_duration = std::min(g.initial_duration, dyn.duration_cap_);
    dyn.groups_.push_back(layout);
    first += layout.size;
    const auto& support = sc.programme ? sc.supervision_for(g) : std::nullopt;
    dyn.first_months_.push_back(support ? support->first_months : 0);
    dyn.spell_histogram_ = dyn.spell_histogram_ || (sc.programme && sc.subsidy_for(g).cap_by_decision());
  }
  dyn.person_count_ = first;
  dyn.compile_rows(sc);

  const auto months = static_cast<std::size_t>(dyn.months_);
  dyn.intake_target_.assign(months, 0);
  dyn.max_months_.assign(months, 24);
  dyn.extension_probability_.assign(months, 0.0);
  dyn.extension_word_.assign(months, 0);
  if (sc.programme) dyn.compile_programme(sc);
  dyn.compile_distinct_rows();
  dyn.compile_units(price_classes);
  return dyn;
}

}  // namespace extrasim
