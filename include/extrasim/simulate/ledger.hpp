// The ledger: prices the monthly Counts into every money metric, per payer (MODEL.md §4, §8).
// It knows amounts and calendars, nothing about random numbers or people's paths.
//
// Every amount depends only on (group, state, month) and, for the supervision support and a
// cap by decision date, on the month of the spell; so prices are compiled once per scenario
// (income tax included) and multiplied by the counts. Lagged tax revenue (equalisation) reads
// the counts of an earlier month, which the Counts hold.
#pragma once

#include <vector>

#include "extrasim/simulate/counts.hpp"
#include "extrasim/model/metrics.hpp"
#include "extrasim/model/scenario.hpp"

namespace extrasim {

// Amounts per person-month of one group in one month.
struct GroupPrices {
  bool operator==(const GroupPrices&) const = default;

  double fs_benefit = 0;        // paid by the municipality while in fs
  double fs_topup_in_xj = 0;    // fs still paid while in xj
  double wage = 0;              // W = wage * working_time
  double xj_wage_cost = 0;      // W * (1 + payroll_oncost)
  double xj_subsidy = 0;        // min(share * W * (1 + fee), cap * days * working_time)
  double xj_employer_fee = 0;   // statutory_fee * W
  double job_wage = 0;
  double job_employer_fee = 0;
  double supervision_first = 0;  // per participant-month while k <= first_months
  double supervision_then = 0;
  double work_value = 0;         // work_value_share * xj_wage_cost (not cash)
  PerState state_benefit{};      // paid by the state while in each state
  PerState income{};             // individual.income while in each state
  PerState income_tax{};         // all income tax paid: with a tax block municipal + regional +
                                 // state tax - JSA; without, v1's municipal_tax_rate on earnings
  PerState municipal_tax{};      // its municipal part (booked lagged; with a tax block only)
  PerState regional_tax{};       // its regional part (likewise)
};

struct MonthPrices {
  double supervision_cost = 0;
  double admin_per_start = 0;
  double admin_per_month = 0;
  double municipality_keeps = 1;  // equalisation: kept share in force in the booking month
  double region_keeps = 1;
  double discount_factor = 1;  // (1 + r)^(-m / 12)
};

class PriceTable {
 public:
  static PriceTable compile(const Scenario& scenario);

  int months() const { return static_cast<int>(month_.size()); }
  const GroupPrices& group(int m, int g) const { return group_[m * groups_ + g]; }
  const MonthPrices& month(int m) const { return month_[m]; }
  int supervision_first_months(int g) const { return first_months_[g]; }
  // With cap_rule: decision the subsidy depends on the spell: the decision period of an xj
  // person with d months spent began d mod decision_months months ago.
  bool subsidy_by_period(int g) const { return by_period_[g]; }
  double period_subsidy(int m, int g, int d) const {
    return period_subsidy_[(static_cast<std::size_t>(m) * groups_ + g) * decision_months_ + d % decision_months_];
  }
  bool has_tax() const { return has_tax_; }
  int tax_lag() const { return tax_lag_; }
  // Per group, the first group with exactly the same prices in every month (Dynamics counts
  // groups with equal rules and equal prices together).
  std::vector<int> price_classes() const;
  // Bytes held by the tables (the run-size estimate).
  std::size_t bytes() const {
    return group_.capacity() * sizeof(GroupPrices) + month_.capacity() * sizeof(MonthPrices) +
           period_subsidy_.capacity() * sizeof(double);
  }

 private:
  int groups_ = 0;
  int decision_months_ = 1;
  bool has_tax_ = false;
  int tax_lag_ = 0;
  std::vector<int> first_months_;
  std::vector<bool> by_period_;
  std::vector<GroupPrices> group_;
  std::vector<MonthPrices> month_;
  std::vector<double> period_subsidy_;  // [month][group][d mod decision_months]
};

// One month's metric values from the counts (end.* hold that month's stocks). Reads month m's
// counts, and month m - lag's for lagged tax revenue.
// Counting unit u is priced as group counts.unit_group(u).
void tally_month(const PriceTable& prices, const Counts& counts, int m, MetricValues& out);

// Every month's metric values.
std::vector<MetricValues> tally(const PriceTable& prices, const Counts& counts);

}  // namespace extrasim
