// What a simulation observes, per month: people per (group, state), people in xj in their
// spell's first months (the higher supervision support), starts per group, unfilled places,
// and, only when some group's subsidy cap follows the decision period, people in xj per
// (group, month of the spell). Money is linear in these
// counts, so the ledger prices them instead of every person-month (aggregate, then account).
// Counts are doubles so that the exact expectation fills the same structure.
#pragma once

#include <cstddef>
#include <vector>

#include "extrasim/model/states.hpp"

namespace extrasim {

class Counts {
 public:
  Counts() = default;
  // One counting unit per group.
  Counts(int months, int groups, int spell_slots);
  // Unit u counts groups priced as group unit_groups[u] (Dynamics::unit_groups()).
  Counts(int months, std::vector<int> unit_groups, int spell_slots);

  void clear();
  int months() const { return months_; }
  // Counting units (Dynamics' units; groups without price classes), and the group whose
  // prices unit u has.
  int groups() const { return groups_; }
  int unit_group(int u) const { return unit_groups_[u]; }
  const std::vector<int>& unit_groups() const { return unit_groups_; }
  // Slot d = xj with d months already spent; 0 slots when no price reads them.
  int spell_slots() const { return spell_slots_; }

  double& state(int m, int g, State s) { return data_[cell(m, g) + index_of(s)]; }
  double state(int m, int g, State s) const { return data_[cell(m, g) + index_of(s)]; }
  double& xj_spell(int m, int g, int d) { return data_[cell(m, g) + kStateCount + 2 + d]; }
  double xj_spell(int m, int g, int d) const { return data_[cell(m, g) + kStateCount + 2 + d]; }
  // xj persons with d < the group's supervision first_months (Dynamics::first_months).
  double& xj_first(int m, int g) { return data_[cell(m, g) + kStateCount + 1]; }
  double xj_first(int m, int g) const { return data_[cell(m, g) + kStateCount + 1]; }
  double& starts(int m, int g) { return data_[cell(m, g) + kStateCount]; }
  double starts(int m, int g) const { return data_[cell(m, g) + kStateCount]; }
  double& unfilled(int m) { return unfilled_[m]; }
  double unfilled(int m) const { return unfilled_[m]; }
  // Twins (MODEL.md §9), on the scenario's counts of a lockstep run: persons in xj during month
  // m whose baseline twin is in job / fs. 0 elsewhere (the baseline, one side alone, expected).
  double& twin_job(int m) { return twins_[2 * static_cast<std::size_t>(m)]; }
  double twin_job(int m) const { return twins_[2 * static_cast<std::size_t>(m)]; }
  double& twin_fs(int m) { return twins_[2 * static_cast<std::size_t>(m) + 1]; }
  double twin_fs(int m) const { return twins_[2 * static_cast<std::size_t>(m) + 1]; }

 private:
  std::size_t cell(int m, int g) const {
    return (static_cast<std::size_t>(m) * groups_ + g) * stride_;
  }
  int months_ = 0, groups_ = 0, spell_slots_ = 0;
  std::size_t stride_ = 0;
  std::vector<int> unit_groups_;
  std::vector<double> data_;
  std::vector<double> unfilled_;
  std::vector<double> twins_;  // [month][job, fs]
};

}  // namespace extrasim
