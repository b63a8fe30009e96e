// Hand-computed ledgers: one person on a path that the probabilities (all 0 or 1) fix, so the
// random numbers cannot matter and every amount can be worked out on paper.
#include <gtest/gtest.h>

#include <cmath>

#include "extrasim/simulate/expected.hpp"
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

// MODEL.md v2 §8: state benefits by state, admin cost, work value, payers' totals. The same
// path, but on_expiry goes to `other`: fs (m0), xj k = 1..4 (m1..m4), other (m5, m6).
std::string payers_scenario() {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("    fs_topup_in_xj: 1000"), 24,
               "    fs_topup_in_xj: 1000\n"
               "    state_benefit: {fs: 1000, xj: 300, job: 200, other: 500}");
  yaml.replace(yaml.find("on_expiry: {job: 1.0}"), 21, "on_expiry: {other: 1.0}");
  yaml.replace(yaml.find("  supervision_cost: 500"), 23,
               "  supervision_cost: 500\n  admin_cost: {per_start: 5000, per_month: 800}\n"
               "  work_value_share: 0.25");
  return yaml;
}

TEST(Ledger, StateBenefitsAdminCostWorkValueAndPayers) {
  const RunResult r = run_monte_carlo(test::scenario_from(payers_scenario()));
  const auto s = ResultSide::kScenario;
  // The state pays 1000 in fs (m0), 300 in each of 4 xj months, 500 in each of 2 other months.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateBenefits), -(1000.0 + 4 * 300.0 + 2 * 500.0));
  // Income: fs 8000 + 1000; xj W 10000 + top-up 1000 + 300; other 500.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kIndividualIncome), 9000.0 + 4 * 11300.0 + 2 * 500.0);
  // One start (the extension at k = 2 is none): 5000; 800 for each of the 4 xj months.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityAdminCost), -(5000.0 + 4 * 800.0));
  // Work value: 0.25 of the wage cost 14000 in each xj month; not cash.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityWorkValue), 4 * 3500.0);
  // No tax block: individual.tax is v1's municipal rate on earnings, 0.2 * 10000 in xj.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityTaxRevenue), 4 * 2000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kIndividualTax), -4 * 2000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kIndividualDisposableIncome), 55200.0 - 8000.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateTaxRevenue), 0.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateTaxTransfer), 0.0);
  // Municipality: fs -8000 - 4 * 1000, wage -56000, subsidy +20000, support +10000, supervision
  // cost -2000, admin -8200, tax +8000 = -40200 (the work value is not in it).
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityNet), -40200.0);
  // State: subsidy paid -30000, fees 4 * 3000, benefits -3200.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateNet), -30000.0 + 12000.0 - 3200.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kRegionNet), 0.0);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kPublicNet), -40200.0 - 21200.0);
  // Present value of the region's zero net exists beside the others.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kPvRegionNet), 0.0);
}

TEST(Ledger, BaselinePaysTheSameBenefitRules) {
  const RunResult r = run_monte_carlo(test::scenario_from(payers_scenario()));
  // Baseline: fs for 7 months, 1000 from the state each month, no admin cost.
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kStateBenefits), -7000.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kIndividualIncome), 7 * 9000.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kMunicipalityAdminCost), 0.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kDifference, Metric::kStateBenefits), -3200.0 + 7000.0);
}

TEST(Ledger, InitialStockPaysPerMonthAdminCostButNoStartCost) {
  std::string yaml = payers_scenario();
  yaml.replace(yaml.find("    size: 1\n"), 12, "    size: 1\n    initial: {xj: 1.0}\n");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  // xj in m0..m3 (x = 0, decisions at k = 2 and 4, max 4), then other: no counted start.
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kStartsXj), 0.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMunicipalityAdminCost), -4 * 800.0);
}

TEST(Ledger, GroupProgrammeReplacesTheWholeBlock) {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("    fs_topup_in_xj: 1000"), 24,
               "    fs_topup_in_xj: 1000\n"
               "    programme:\n"
               "      subsidy: {share: 0.5}\n"
               "      supervision_support: {first_months: 1, first_per_day: 50, then_per_day: 0}");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  const auto s = ResultSide::kScenario;
  // The group's subsidy has no cap and the default 21.67 days: 0.5 * 10000 * 1.3 a month.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalityXjSubsidy), 4 * 6500.0);
  // Its support: 50 kr/day for k = 1 only, over the group's 21.67 days.
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kMunicipalitySupervisionSupport), 50 * 21.67);
  EXPECT_DOUBLE_EQ(total(r, s, Metric::kStateSubsidyPaid), -(4 * 6500.0 + 50 * 21.67));
}

// cap_rule: decision. Cap 500 kr/day to 2016-12, 400 from 2017-01; 20 days, half time: 5000
// then 4000 a month, below the uncapped 13000. xj k = 1..4 in 2016-12 .. 2017-03; the decision
// periods begin at k = 1 (2016-12) and k = 3 (2017-02).
std::string capped_scenario() {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("cap_per_day: 500"), 16,
               "cap_per_day: [{from: 2016-11, value: 500}, {from: 2017-01, value: 400}]");
  return yaml;
}

TEST(Ledger, CapByCalendarFollowsTheMonthPaid) {
  const RunResult r = run_monte_carlo(test::scenario_from(capped_scenario()));
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMunicipalityXjSubsidy), 5000.0 + 3 * 4000.0);
}

TEST(Ledger, CapByDecisionFollowsThePeriodStart) {
  std::string yaml = capped_scenario();
  yaml.replace(yaml.find("days_per_month: 20}"), 19, "days_per_month: 20, cap_rule: decision}");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  // Dec and Jan read Dec's cap (5000); Feb and Mar read Feb's (4000).
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMunicipalityXjSubsidy), 2 * 5000.0 + 2 * 4000.0);
}

TEST(Ledger, CapByDecisionForTheInitialStockReadsBeforeTheCalendar) {
  std::string yaml = capped_scenario();
  yaml.replace(yaml.find("days_per_month: 20}"), 19, "days_per_month: 20, cap_rule: decision}");
  yaml.replace(yaml.find("start: 2016-11"), 14, "start: 2017-01");
  yaml.replace(yaml.find("    size: 1\n"), 12, "    size: 1\n    initial: {xj: 1.0}\n    initial_duration: 3\n");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  // d0 = 3: month 0 is k = 4, in the period that began at k = 3, one month before the start
  // (2016-12, cap 500 -> 5000); x reaches max_months 4 and the spell ends.
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsXj), 1.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMunicipalityXjSubsidy), 5000.0);
  // d0 = 5, beyond max_months: still 5 mod 2 = 1 month before the start (d is not cut at 4).
  yaml.replace(yaml.find("initial_duration: 3"), 19, "initial_duration: 5");
  const RunResult longer = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_DOUBLE_EQ(total(longer, ResultSide::kScenario, Metric::kMunicipalityXjSubsidy), 5000.0);
  EXPECT_DOUBLE_EQ(expected_values(test::scenario_from(yaml)).total[0][index_of(Metric::kMunicipalityXjSubsidy)].mean, 5000.0);
}

// Rule timelines are read in the month of the decision (the end of month m, MODEL.md §8.4).
TEST(Ledger, ExtensionProbabilityIsReadInTheDecisionMonth) {
  std::string yaml = kOnePerson;
  const std::size_t at = yaml.find("extension_probability: 1.0");
  // k = 2 ends in 2017-01: stopped there, the spell ends after 2 months.
  yaml.replace(at, 26, "extension_probability: [{from: 2016-11, value: 1.0}, {from: 2017-01, value: 0.0}]");
  EXPECT_DOUBLE_EQ(total(run_monte_carlo(test::scenario_from(yaml)), ResultSide::kScenario, Metric::kMonthsXj), 2.0);
  // Stopped from 2017-02 only: the 2017-01 decision still extends, expiry at x = 4.
  yaml = kOnePerson;
  yaml.replace(at, 26, "extension_probability: [{from: 2016-11, value: 1.0}, {from: 2017-02, value: 0.0}]");
  EXPECT_DOUBLE_EQ(total(run_monte_carlo(test::scenario_from(yaml)), ResultSide::kScenario, Metric::kMonthsXj), 4.0);
}

TEST(Ledger, MaxMonthsIsReadInTheMonthXReachesIt) {
  // x reaches 4 at the end of 2017-03. Raised to 6 from 2017-03: extended to the horizon
  // (k = 1..6, 2016-12 .. 2017-05); raised only from 2017-04: expiry as before.
  std::string yaml = kOnePerson;
  const std::size_t at = yaml.find("max_months: 4");
  yaml.replace(at, 13, "max_months: [{from: 2016-11, value: 4}, {from: 2017-03, value: 6}]");
  EXPECT_DOUBLE_EQ(total(run_monte_carlo(test::scenario_from(yaml)), ResultSide::kScenario, Metric::kMonthsXj), 6.0);
  yaml = kOnePerson;
  yaml.replace(at, 13, "max_months: [{from: 2016-11, value: 4}, {from: 2017-04, value: 6}]");
  EXPECT_DOUBLE_EQ(total(run_monte_carlo(test::scenario_from(yaml)), ResultSide::kScenario, Metric::kMonthsXj), 4.0);
}

TEST(Ledger, TransitionProbabilitiesFollowTheirTimeline) {
  std::string yaml = kOnePerson;
  // No move to xj until 2017-02: the move happens at the end of 2017-02, xj from 2017-03.
  yaml.replace(yaml.find("fs: {xj: 1.0}"), 13, "fs: {xj: [{from: 2016-11, value: 0}, {from: 2017-02, value: 1}]}");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsFs), 4.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsXj), 3.0);
}

// after_xj (MODEL.md §9): back in fs after the spell, the person's row is after_xj's.
TEST(Ledger, AfterXjRowsApplyToFormerParticipantsOnly) {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("on_expiry: {job: 1.0}"), 21, "on_expiry: {fs: 1.0}");
  yaml.replace(yaml.find("programme:\n"), 11, "after_xj: {fs: {job: 1.0}}\nprogramme:\n");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  // fs (2016-11), xj k = 1..4, fs (2017-04, after expiry), job (2017-05).
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsFs), 2.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsJob), 1.0);
  // The baseline never uses after_xj: fs all seven months.
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kBaseline, Metric::kMonthsFs), 7.0);
}

TEST(Ledger, GroupAfterXjRowComesFirst) {
  std::string yaml = kOnePerson;
  yaml.replace(yaml.find("on_expiry: {job: 1.0}"), 21, "on_expiry: {fs: 1.0}");
  yaml.replace(yaml.find("programme:\n"), 11, "after_xj: {fs: {job: 1.0}}\nprogramme:\n");
  yaml.replace(yaml.find("    fs_topup_in_xj: 1000"), 24, "    fs_topup_in_xj: 1000\n    after_xj: {fs: {exit: 1.0}}");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsJob), 0.0);
  EXPECT_DOUBLE_EQ(total(r, ResultSide::kScenario, Metric::kMonthsExit), 1.0);
}

// Income tax (MODEL.md §8.2), one person in a job all of 2018-01 .. 2018-04 at 18 700 kr/month,
// rates 20.75 % + 11.36 %. Annual: AI = FFI = 224 400 = 4.932 PBB (PBB 45 500), so
// GA = 0.77 PBB - 10 % (FFI - 3.11 PBB) = 26 745.5 -> 26 800; taxable 197 600; municipal tax
// 41 002, regional 22 447.36, no state tax (skiktgräns 455 300); JSA base = 1.584 PBB + 11.1 %
// (AI - 2.94 PBB) = 82 131.93, JSA = (82 131.93 - 26 800) x 0.3211 = 17 767.082723.
// Equalisation: the municipality keeps 0.1 (0.5 from 2018-04), the region 0.2, 2 months later.
const char* const kTaxed = R"(
name: taxed
calendar: {start: 2018-01, months: 4}
replications: 2
groups: [{name: solo, size: 1, initial: {job: 1.0}, job_wage: 18700}]
accounting: {statutory_fee: 0}
tax:
  rules: sweden
  municipal_rate: 0.2075
  regional_rate: 0.1136
  equalisation:
    municipality_keeps: [{from: 2018-01, value: 0.1}, {from: 2018-04, value: 0.5}]
    region_keeps: 0.2
    lag_months: 2
)";

TEST(Ledger, IncomeTaxIsPaidToTheStateAndHandedOnLater) {
  const RunResult r = run_monte_carlo(test::scenario_from(kTaxed));
  const auto s = ResultSide::kScenario;
  const double municipal = 41002.0 / 12, regional = 22447.36 / 12, jsa = 17767.082723 / 12;
  const double paid = municipal + regional - jsa;  // 3 806.86 kr a month
  EXPECT_NEAR(total(r, s, Metric::kStateTaxRevenue), 4 * paid, 1e-5);
  EXPECT_NEAR(total(r, s, Metric::kIndividualTax), -4 * paid, 1e-5);
  EXPECT_NEAR(total(r, s, Metric::kIndividualDisposableIncome), 4 * (18700 - paid), 1e-5);
  // Months 0 and 1's tax is booked in months 2 (keep 0.1) and 3 (keep 0.5, in force then);
  // months 2 and 3's stays with the state (the horizon ends).
  EXPECT_NEAR(total(r, s, Metric::kMunicipalityTaxRevenue), (0.1 + 0.5) * municipal, 1e-9);
  EXPECT_NEAR(total(r, s, Metric::kRegionTaxRevenue), 2 * 0.2 * regional, 1e-9);
  EXPECT_NEAR(total(r, s, Metric::kRegionNet), 2 * 0.2 * regional, 1e-9);
  EXPECT_NEAR(total(r, s, Metric::kStateTaxTransfer), -(0.6 * municipal + 0.4 * regional), 1e-9);
  EXPECT_NEAR(total(r, s, Metric::kStateNet), 4 * paid - 0.6 * municipal - 0.4 * regional, 1e-5);
  // Every krona of tax counts for the public sector in the month it is paid.
  EXPECT_NEAR(total(r, s, Metric::kPublicNet), 4 * paid, 1e-5);
  EXPECT_NEAR(r.monthly[0].mean[0][index_of(Metric::kPublicNet)], paid, 1e-6);
  EXPECT_EQ(r.monthly[1].mean[0][index_of(Metric::kMunicipalityTaxRevenue)], 0.0);
}

// A taxable state benefit gives no jobbskatteavdrag; a tax-free one no tax. 2017, 4 830 kr a
// month in fs: FFI 57 960 = 1.294 PBB (44 800), GA = 0.423 PBB + 20 % (FFI - 0.99 PBB)
// = 21 672 -> 21 700, taxable 36 260, tax 0.3211 x 36 260 = 11 643.086 a year.
TEST(Ledger, TaxableStateBenefitIsTaxedWithoutJobbskatteavdrag) {
  std::string yaml = kTaxed;
  yaml.replace(yaml.find("calendar: {start: 2018-01"), 25, "calendar: {start: 2017-01");
  yaml.replace(yaml.find("from: 2018-01"), 13, "from: 2017-01");
  yaml.replace(yaml.find("initial: {job: 1.0}, job_wage: 18700"), 36,
               "initial: {fs: 1.0}, state_benefit: {fs: 4830}, state_benefit_taxable: true");
  RunResult r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_NEAR(total(r, ResultSide::kScenario, Metric::kStateTaxRevenue), 4 * 11643.086 / 12, 1e-6);
  yaml.replace(yaml.find("state_benefit_taxable: true"), 27, "state_benefit_taxable: false");
  r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_EQ(total(r, ResultSide::kScenario, Metric::kStateTaxRevenue), 0.0);
  EXPECT_EQ(total(r, ResultSide::kScenario, Metric::kIndividualTax), 0.0);
}

}  // namespace extrasim
