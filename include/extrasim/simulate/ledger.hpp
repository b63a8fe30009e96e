// The ledger: prices the monthly Counts into every money metric, per payer (MODEL.md §4).
// It knows amounts and calendars, nothing about random numbers or people's paths.
#pragma once

#include <vector>

#include "extrasim/simulate/counts.hpp"
#include "extrasim/model/metrics.hpp"
#include "extrasim/model/scenario.hpp"

namespace extrasim {

// Amounts per person-month of one group in one month.
struct GroupPrices {
  double fs_benefit = 0;        // paid by the municipality while in fs (and income)
  double fs_topup_in_xj = 0;    // fs still paid while in xj
  double wage = 0;              // W = wage * working_time
  double xj_wage_cost = 0;      // W * (1 + payroll_oncost)
  double xj_subsidy = 0;        // min(share * W * (1 + fee), cap * days * working_time)
  double xj_tax = 0;            // municipal_tax_rate * W
  double xj_employer_fee = 0;   // statutory_fee * W
  double job_wage = 0;
  double job_tax = 0;
  double job_employer_fee = 0;
  double activity_support = 0;
};

struct MonthPrices {
  double supervision_first = 0;  // per participant-month while k <= first_months
  double supervision_then = 0;
  double supervision_cost = 0;
  double discount_factor = 1;  // (1 + r)^(-m / 12)
};

class PriceTable {
 public:
  static PriceTable compile(const Scenario& scenario);

  int months() const { return static_cast<int>(month_.size()); }
  const GroupPrices& group(int m, int g) const { return group_[m * groups_ + g]; }
  const MonthPrices& month(int m) const { return month_[m]; }
  int supervision_first_months() const { return first_months_; }

 private:
  int groups_ = 0;
  int first_months_ = 0;
  std::vector<GroupPrices> group_;
  std::vector<MonthPrices> month_;
};

// One month's metric values from that month's counts (end.* hold that month's stocks).
void tally_month(const PriceTable& prices, const Counts& counts, int m, MetricValues& out);

// Every month's metric values.
std::vector<MetricValues> tally(const PriceTable& prices, const Counts& counts);

}  // namespace extrasim
