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

enum class IntakeKind { kNone, kPlaces, kStarts };

class Dynamics {
 public:
  static Dynamics compile(const Scenario& scenario);

  int months() const { return months_; }
  int group_count() const { return static_cast<int>(groups_.size()); }
  std::uint32_t person_count() const { return person_count_; }
  const GroupLayout& group(int g) const { return groups_[g]; }

  // Durations at or above the cap behave alike (bands, decisions, supervision), so d is stored
  // saturated at the cap and tables have cap + 1 duration slots.
  int duration_cap() const { return duration_cap_; }

  // Cumulative probabilities in state order fs, xj, job, other, exit for (group, origin,
  // duration band of d); a uniform u >= the last one means "stay".
  const double* thresholds(int g, State origin, int d) const {
    return &cumulative_[(((static_cast<std::size_t>(g) * kStateCount + index_of(origin)) *
                              (duration_cap_ + 1)) + d) * kStateCount];
  }
  // The same thresholds as 32-bit-word bounds: u >= c exactly when the word w (u = (w + 1/2)
  // / 2^32) satisfies w >= ceil(c 2^32 - 1/2), so the simulation compares raw words.
  const std::uint64_t* word_thresholds(int g, State origin, int d) const {
    return &word_thresholds_[(((static_cast<std::size_t>(g) * kStateCount + index_of(origin)) *
                                   (duration_cap_ + 1)) + d) * kStateCount];
  }

  bool has_programme() const { return has_programme_; }
  int decision_months() const { return decision_months_; }
  int max_months() const { return max_months_; }
  double extension_probability() const { return extension_probability_; }
  // Cumulative on_expiry shares; the last positive entry is exactly 1.
  const std::array<double, kStateCount>& expiry_cumulative() const { return expiry_cumulative_; }
  const std::array<std::uint64_t, kStateCount>& expiry_word_thresholds() const { return expiry_words_; }
  // Extended when the programme word is below this (u < extension_probability).
  std::uint64_t extension_word_threshold() const { return extension_word_; }
  bool reentry() const { return reentry_; }

  IntakeKind intake_kind() const { return intake_kind_; }
  // places(m) or starts(m) for month m of the horizon.
  std::int64_t intake_target(int m) const { return intake_target_[m]; }
  bool intake_from(State s) const { return intake_from_[index_of(s)]; }

 private:
  int months_ = 0;
  std::uint32_t person_count_ = 0;
  std::vector<GroupLayout> groups_;
  int duration_cap_ = 0;
  std::vector<double> cumulative_;
  std::vector<std::uint64_t> word_thresholds_;
  bool has_programme_ = false;
  int decision_months_ = 12;
  int max_months_ = 24;
  double extension_probability_ = 0.0;
  std::array<double, kStateCount> expiry_cumulative_{};
  std::array<std::uint64_t, kStateCount> expiry_words_{};
  std::uint64_t extension_word_ = 0;
  bool reentry_ = false;
  IntakeKind intake_kind_ = IntakeKind::kNone;
  std::vector<std::int64_t> intake_target_;
  std::array<bool, kStateCount> intake_from_{};
};

// ceil(c 2^32 - 1/2), clamped to [0, 2^32]: the word bound equivalent to u >= c. Exact in
// double: c 2^32 <= 2^32 has an ulp of at most 2^-20, so subtracting 1/2 does not round.
std::uint64_t word_threshold(double c);

// Largest-remainder split of `size` persons by `shares` (floors with a 1e-9 tolerance, ties in
// state order). Exposed for tests.
std::array<std::uint32_t, kStateCount> split_largest_remainder(std::int64_t size,
                                                               const PerState& shares);

}  // namespace extrasim
