// Hand-computed ledgers: one person on a path that the probabilities (all 0 or 1) fix, so the
// random numbers cannot matter and every amount can be worked out on paper.
#include <gtest/gtest.h>

#include <cmath>

#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

// Month 0 in fs; to xj at its end; decisions every 2 months, always extended; max 4 months;
// then job. Path: fs, xj (k = 1..4), job, job.
const char* const kOnePerson = R"(
name: one-person
calendar: {start: 2016-11, months: 7}
replications: 3
groups:
  - name: solo
    size: 1
    fs_benefit: 8000
    wage: 20000
    working_time: 0.5
    job_wage: 25000
    fs_topup_in_xj: 1000
transitions:
  fs: {xj: 1.0}
programme:
  decision_months: 2
  max_months: 4
  extension_probability: 1.0
  on_expiry: {job: 1.0}
  subsidy: {share: 1.0, cap_per_day: 500, days_per_month: 20}
  supervision_support: {first_months: 2, first_per_day: 150, then_per_day: 100}
  supervision_cost: 500
accounting:
  statutory_fee: 0.3
  payroll_oncost: 0.4
  municipal_tax_rate: 0.2
  discount_rate: 0.12
)";

double total(const RunResult& r, ResultSide side, Metric m) {
  return r.total[static_cast<int>(side)][index_of(m)].mean;
}

}  // namespace

TEST(Ledger, OnePersonKnownPathScenario) {
  const RunResult r = run_monte_carlo(test::scenario_from(kOnePerson));
  const auto s = ResultSide::kScenario;
  // W = 20000 * 0.5 = 10000; subsidy min(1.0 * 10000 * 1.3, 500 * 20 * 0.5) = 5000 (cap binds).
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityFsBenefit), -8000.0 - 4 * 1000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityXjWageCost), -4 * 14000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityXjSubsidy), 4 * 5000.0);
  // k = 1, 2 at 150 kr/day, k = 3, 4 at 100 kr/day, 20 days, not scaled by working time.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalitySupervisionSupport), 2 * 3000.0 + 2 * 2000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalitySupervisionCost), -4 * 500.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityTaxRevenue), 4 * 2000.0 + 2 * 5000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityNet), -22000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateSubsidyPaid), -30000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateEmployerFees), 4 * 3000.0 + 2 * 7500.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateNet), -3000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kPublicNet), -25000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kIndividualIncome), 8000.0 + 4 * 11000.0 + 2 * 25000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMonthsFs), 1.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMonthsXj), 4.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMonthsJob), 2.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStartsXj), 1.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kEndJob), 1.0);
  EXPECT_DOUBLE_EQ(r.total[0][index_of(Metric::kMunicipalityNet)].sd, 0.0);
}

TEST(Ledger, OnePersonBaselineAndDifference) {
  const RunResult r = run_monte_carlo(test::scenario_from(kOnePerson));
  // Baseline: the move to xj is not possible, so the person stays in fs all 7 months.
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kMunicipalityFsBenefit), -56000.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kMonthsFs), 7.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kEndFs), 1.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kDifference, Metric::kMunicipalityFsBenefit), 44000.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kDifference, Metric::kMunicipalityNet), -22000.0 + 56000.0);
}

TEST(Ledger, YearsSplitTheMonthsAndPresentValuesDiscount) {
  const RunResult r = run_monte_carlo(test::scenario_from(kOnePerson));
  ASSERT_EQ(r.yearly.size(), 2u);  // 2016-11 .. 2017-05
  EXPECT_EQ(r.yearly[0].year, 2016);
  // 2016: Nov fs (-8000), Dec xj k=1 (-1000 topup -14000 + 5000 + 3000 - 500 + 2000).
  EXPECT_DOUBLE_EQ(r.yearly[0].summaries[0][index_of(Metric::kMunicipalityNet)].mean,
                   -8000.0 + (-1000.0 - 14000.0 + 5000.0 + 3000.0 - 500.0 + 2000.0));
  EXPECT_DOUBLE_EQ(r.yearly[0].summaries[0][index_of(Metric::kEndXj)].mean, 1.0);
  // Present value: month m weighted by 1.12^(-m/12).
  const double nets[7] = {-8000, -5500, -5500, -6500, -6500, 5000, 5000};
  double pv = 0.0;
  for (int m = 0; m < 7; ++m) pv += nets[m] * std::pow(1.12, -m / 12.0);
  EXPECT_NEAR(total(r, ResultSide::kScenario, Metric::kPvMunicipalityNet), pv, 1e-9);
}

TEST(Ledger, DecisionWithoutExtensionEndsTheSpell) {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("extension_probability: 1.0"), 26, "extension_probability: 0.0");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsXj), 2.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsJob), 4.0);
}

TEST(Ledger, EarlyExitComesBeforeTheDecision) {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("  fs: {xj: 1.0}"), 15, "  fs: {xj: 1.0}\n  xj: {exit: 1.0}");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsXj), 1.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsExit), 5.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kEndExit), 1.0);
}

}  // namespace extrasim
