// The population dynamics compiled from a Scenario: everything the monthly step needs, as
// flat tables, and nothing about money (that is the ledger's).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "extrasim/model/scenario.hpp"
#include "extrasim/model/states.hpp"

namespace extrasim {

struct GroupLayout {
  std::uint32_t first_person = 0;
  std::uint32_t size = 0;
  std::array<std::uint32_t, kStateCount> initial_count{};  // largest-remainder split
  int initial_duration = 0;                                 // clamped to the duration cap
};

// A counting unit: groups with equal rows, equal supervision months, equal selection weights
// and equal prices (the caller's price classes) behave alike and are priced alike, so their
// persons are numbered one after the other and moved and counted as one block: 1 000 such
// groups cost what one does. Without price classes every group is a unit of its own.
struct UnitLayout {
  std::uint32_t first_person = 0;
  std::uint32_t size = 0;
  int group = 0;  // the unit's first group: its rows and prices are the unit's
};

enum class IntakeKind { kNone, kPlaces, kStarts };

// Rules that may change with the calendar (transition probabilities, extension_probability,
// max_months) are compiled per month m and read at the end of month m, when the moves happen.
// Rows are stored once per "epoch" (a run of months with the same rows), so a scenario without
// timelines in its rows keeps one table. Persons with ever_xj read their own table when the
// scenario has after_xj rows (MODEL.md §9).
class Dynamics {
 public:
  // price_classes[g]: groups with equal prices share a number (PriceTable::price_classes());
  // empty: no two groups are counted together.
  static Dynamics compile(const Scenario& scenario, const std::vector<int>& price_classes = {});

  int months() const { return months_; }
  int group_count() const { return static_cast<int>(groups_.size()); }
  std::uint32_t person_count() const { return person_count_; }
  const GroupLayout& group(int g) const { return groups_[g]; }

  // Counting units (UnitLayout): persons are numbered unit by unit, each unit's groups in
  // scenario order, so a unit's persons are contiguous. Counts are kept per unit.
  int unit_count() const { return static_cast<int>(units_.size()); }
  const UnitLayout& unit(int u) const { return units_[u]; }
  int unit_of(int g) const { return unit_of_[g]; }
  int unit_of_person(std::uint32_t person) const;
  // Each unit's first group, in unit order (Counts prices unit u as this group).
  std::vector<int> unit_groups() const;

  // Bytes held by the compiled tables (the run-size estimate).
  std::size_t bytes() const;

  // Durations at or above the cap behave alike (bands, decisions, supervision), so d is stored
  // saturated at the cap and tables have cap + 1 duration slots.
  int duration_cap() const { return duration_cap_; }
  // What the counts keep of xj spells (counts.hpp): persons with d < first_months(g) (the
  // group's supervision support's first months, 0 without), and per spell month only when a
  // group's subsidy cap follows the decision period (spell_slots() = cap + 1, else 0).
  int first_months(int g) const { return first_months_[g]; }
  int spell_slots() const { return spell_histogram_ ? duration_cap_ + 1 : 0; }

  // Cumulative probabilities in state order fs, xj, job, other, exit for the moves at the end
  // of month m of (group, origin, duration band of d, ever_xj); a uniform u >= the last one
  // means "stay".
  const double* thresholds(int m, int g, State origin, int d, bool ever_xj) const {
    return &cumulative_[offset(m, g, origin, d, ever_xj)];
  }
  // The same thresholds as 32-bit-word bounds: u >= c exactly when the word w (u = (w + 1/2)
  // / 2^32) satisfies w >= ceil(c 2^32 - 1/2), so the simulation compares raw words.
  const std::uint64_t* word_thresholds(int m, int g, State origin, int d, bool ever_xj) const {
    return &word_thresholds_[offset(m, g, origin, d, ever_xj)];
  }
  // The same rows deduplicated per (month, group), for the vectorised month step (16 persons
  // at a time look their thresholds up by permutes instead of gathers). row_ids(m, g) holds,
  // for (ever_xj, origin, d) at [(ever_xj * kStateCount + origin) * (cap + 1) + d] (ever_xj
  // only when has_after_xj()), the row's index r in bits 0-7 and in bit 8 whether d + 1 is a
  // multiple of decision_months; distinct_rows(m, g)[j * kMaxDistinctRows + r] is destination
  // j's word threshold of row r. Null when the group has more than kMaxDistinctRows rows.
  static constexpr int kMaxDistinctRows = 16;
  const std::uint32_t* row_ids(int m, int g) const {
    const DistinctRows& t = distinct_[static_cast<std::size_t>(row_epoch_[m]) * groups_.size() + g];
    return t.ids.empty() ? nullptr : t.ids.data();
  }
  // The same ids as bytes (row index in bits 0-6, decision flag in bit 7), 128 of them, so a
  // vector byte permute can look them up; null when row_ids is null or has more than 128.
  static constexpr int kRowIdBytes = 128;
  const std::uint8_t* row_id_bytes(int m, int g) const {
    const DistinctRows& t = distinct_[static_cast<std::size_t>(row_epoch_[m]) * groups_.size() + g];
    return t.fits_bytes ? t.bytes.data() : nullptr;
  }
  const std::uint64_t* distinct_rows(int m, int g) const {
    return distinct_[static_cast<std::size_t>(row_epoch_[m]) * groups_.size() + g].thresholds.data();
  }
  // The upper 16 bits of those thresholds, min(t >> 16, 0xFFFF), at [j * kHighEntries + r]:
  // enough to decide w >= t unless the word's upper 16 bits equal them (month_step.cpp).
  static constexpr int kHighEntries = 32;
  const std::uint16_t* distinct_high16(int m, int g) const {
    return distinct_[static_cast<std::size_t>(row_epoch_[m]) * groups_.size() + g].high16.data();
  }
  // Whether persons with ever_xj have rows of their own (after_xj).
  bool has_after_xj() const { return has_after_xj_; }
  // Months m whose rows are those of month m - 1 (the chain reuses its matrix).
  bool same_rows_as_before(int m) const { return m > 0 && row_epoch_[m] == row_epoch_[m - 1]; }

  bool has_programme() const { return has_programme_; }
  int decision_months() const { return decision_months_; }
  // max_months in force in month m; x is stored saturated at the largest value over the horizon.
  int max_months(int m) const { return max_months_[m]; }
  int max_months_cap() const { return max_months_cap_; }
  double extension_probability(int m) const { return extension_probability_[m]; }
  // Cumulative on_expiry shares; the last positive entry is exactly 1.
  const std::array<double, kStateCount>& expiry_cumulative() const { return expiry_cumulative_; }
  const std::array<std::uint64_t, kStateCount>& expiry_word_thresholds() const { return expiry_words_; }
  // Extended at the end of month m when the programme word is below this
  // (u < extension_probability).
  std::uint64_t extension_word_threshold(int m) const { return extension_word_[m]; }
  bool reentry() const { return reentry_; }

  IntakeKind intake_kind() const { return intake_kind_; }
  // places(m) or starts(m) for month m of the horizon.
  std::int64_t intake_target(int m) const { return intake_target_[m]; }
  bool intake_from(State s) const { return intake_from_[index_of(s)]; }
  // Selection at capacity intake (MODEL.md §9): whether the scenario has a selection block
  // (then capacity intake orders by the clock -ln(1 - u) / w, else by the priority word as v1),
  // and the weight w of a person of group g with d months in the origin state.
  bool has_selection() const { return has_selection_; }
  double selection_weight(int g, int d) const {
    return selection_weight_[static_cast<std::size_t>(g) * (duration_cap_ + 1) + d];
  }
  // The smallest and largest weight of any (group, d): bounds for capacity intake's prefilter.
  double selection_weight_min() const { return selection_weight_min_; }
  double selection_weight_max() const { return selection_weight_max_; }

 private:
  std::size_t offset(int m, int g, State origin, int d, bool ever_xj) const {
    const std::size_t table = static_cast<std::size_t>(row_epoch_[m]) * (has_after_xj_ ? 2 : 1) +
                              (has_after_xj_ && ever_xj ? 1 : 0);
    return ((((table * groups_.size() + g) * kStateCount + index_of(origin)) * (duration_cap_ + 1)) + d) *
           kStateCount;
  }
  void compile_rows(const Scenario& sc);
  void compile_distinct_rows();
  void compile_units(const std::vector<int>& price_classes);
  bool same_rules(int g, int h) const;
  std::uint64_t rules_hash(int g) const;

  struct DistinctRows {
    std::vector<std::uint32_t> ids;                               // empty: too many rows
    std::array<std::uint8_t, kRowIdBytes> bytes{};
    bool fits_bytes = false;
    std::array<std::uint64_t, kStateCount * kMaxDistinctRows> thresholds{};
    std::array<std::uint16_t, kStateCount * kHighEntries> high16{};
  };
  void compile_programme(const Scenario& sc);

  int months_ = 0;
  std::uint32_t person_count_ = 0;
  std::vector<GroupLayout> groups_;
  std::vector<UnitLayout> units_;
  std::vector<int> unit_of_;  // [group]
  int duration_cap_ = 0;
  std::vector<int> first_months_;  // [group]
  bool spell_histogram_ = false;
  std::vector<int> row_epoch_;  // [month] -> table
  bool has_after_xj_ = false;
  std::vector<double> cumulative_;  // [epoch][ever_xj][group][origin][d][destination]
  std::vector<std::uint64_t> word_thresholds_;
  std::vector<DistinctRows> distinct_;  // [epoch][group]
  bool has_programme_ = false;
  int decision_months_ = 12;
  std::vector<int> max_months_;
  int max_months_cap_ = 24;
  std::vector<double> extension_probability_;
  std::vector<std::uint64_t> extension_word_;
  std::array<double, kStateCount> expiry_cumulative_{};
  std::array<std::uint64_t, kStateCount> expiry_words_{};
  bool reentry_ = false;
  IntakeKind intake_kind_ = IntakeKind::kNone;
  std::vector<std::int64_t> intake_target_;
  std::array<bool, kStateCount> intake_from_{};
  bool has_selection_ = false;
  std::vector<double> selection_weight_;  // [group][d]
  double selection_weight_min_ = 1.0;
  double selection_weight_max_ = 1.0;
};

// ceil(c 2^32 - 1/2), clamped to [0, 2^32]: the word bound equivalent to u >= c. Exact in
// double: c 2^32 <= 2^32 has an ulp of at most 2^-20, so subtracting 1/2 does not round.
std::uint64_t word_threshold(double c);

// Largest-remainder split of `size` persons by `shares` (floors with a 1e-9 tolerance, ties in
// state order). Exposed for tests.
std::array<std::uint32_t, kStateCount> split_largest_remainder(std::int64_t size,
                                                               const PerState& shares);

}  // namespace extrasim
