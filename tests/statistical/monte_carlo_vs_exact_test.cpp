// Monte Carlo against the exact chain on scenarios built to exercise one rule each.
#include <gtest/gtest.h>

#include "extrasim/simulate/expected.hpp"
#include "extrasim/simulate/runner.hpp"
#include "stat_check.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

struct Case {
  std::string label;
  std::string yaml;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

const std::string kCommon = R"(
seed: 5
replications: 3000
)";

class MonteCarloVsExact : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(MonteCarloVsExact, MeansLieWithin4StandardErrors) {
  const Scenario sc = test::scenario_from(GetParam().yaml + kCommon);
  test::expect_run_matches_expected(run_monte_carlo(sc), expected_values(sc));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, MonteCarloVsExact,
    ::testing::Values(
        Case{"rule_and_rate_timelines_after_xj_and_reentry", R"(
name: timelines
calendar: {start: 2018-06, months: 30}
groups:
  - name: a
    size: 60
    initial: {xj: 0.3, fs: 0.7}
    initial_duration: 5
    fs_benefit: 7000
    wage: 18000
    state_benefit: {fs: 2000, other: [{from: 2018-06, value: 4000}, {from: 2019-03, value: 4500}]}
    after_xj: {other: {job: 0.05, fs: 0.02}}
  - name: b
    size: 40
    fs_benefit: 6000
    wage: 18000
    programme: {supervision_support: {first_months: 2, first_per_day: 50, then_per_day: 10}}
transitions:
  fs: {xj: [{from: 2018-06, value: 0.10}, {from: 2019-01, value: 0.0}, {from: 2019-06, value: 0.2}], job: 0.01}
  xj: {job: 0.01}
  other: {fs: 0.1}
after_xj:
  fs:
    - {until: 4, to: {xj: 0.2, job: 0.04}}
    - {to: {xj: 0.1, job: [{from: 2018-06, value: 0.02}, {from: 2019-09, value: 0.06}]}}
programme:
  decision_months: 4
  max_months: [{from: 2018-06, value: 8}, {from: 2019-05, value: 12}]
  extension_probability: [{from: 2018-06, value: 0.8}, {from: 2019-01, value: 0.0}, {from: 2019-04, value: 0.6}]
  reentry: true
  on_expiry: {fs: 0.5, other: 0.3, job: 0.2}
  subsidy: {cap_per_day: [{from: 2018-01, value: 700}, {from: 2019-02, value: 600}], days_per_month: 21, cap_rule: decision}
  supervision_support: {first_months: 3, first_per_day: 150, then_per_day: 100}
  admin_cost: {per_start: 3000, per_month: 400}
  work_value_share: 0.3
)"},
        Case{"groups_alike_in_one_unit_with_cap_by_decision", R"(
name: units
calendar: {start: 2018-06, months: 24}
groups:
  - {name: a, size: 30, initial: {xj: 0.3, fs: 0.7}, initial_duration: 5, fs_benefit: 7000, wage: 18000}
  - {name: b, size: 20, fs_benefit: 6000, wage: 18000, transitions: {fs: {xj: 0.2, job: 0.02}}}
  - {name: a2, size: 25, initial: {fs: 1}, fs_benefit: 7000, wage: 18000}
  - {name: b2, size: 15, initial: {job: 0.5, fs: 0.5}, fs_benefit: 6000, wage: 18000, transitions: {fs: {xj: 0.2, job: 0.02}}}
transitions: {fs: {xj: 0.1, job: 0.01}, xj: {job: 0.02}, job: {fs: 0.03}}
programme:
  decision_months: 4
  max_months: 8
  extension_probability: 0.7
  on_expiry: {fs: 0.5, job: 0.5}
  subsidy: {cap_per_day: [{from: 2018-01, value: 700}, {from: 2019-02, value: 600}], days_per_month: 21, cap_rule: decision}
  supervision_support: {first_months: 3, first_per_day: 150, then_per_day: 100}
  admin_cost: {per_start: 3000, per_month: 400}
)"},
        Case{"extensions_and_max_months", R"(
name: extensions
calendar: {start: 2016-01, months: 40}
groups: [{name: g, size: 80, initial: {xj: 0.5, fs: 0.5}, fs_benefit: 7000, wage: 18000}]
transitions:
  fs: {xj: 0.15, job: 0.01}
  xj: {job: 0.01}
programme:
  decision_months: 6
  max_months: 15
  extension_probability: 0.8
  on_expiry: {fs: 0.5, other: 0.3, job: 0.2}
  supervision_support: {first_months: 3, first_per_day: 150, then_per_day: 100}
)"},
        Case{"binding_cap_part_time_and_timelines", R"(
name: cap
calendar: {start: 2016-10, months: 16}
groups:
  - {name: full, size: 30, wage: [{from: 2016-01, value: 24000}, {from: 2017-06, value: 26000}], fs_benefit: 7700}
  - {name: half, size: 30, wage: 30000, working_time: 0.5, fs_benefit: 8000, fs_topup_in_xj: 2500}
transitions: {fs: {xj: 0.2, exit: 0.01}}
programme:
  extension_probability: 0.5
  on_expiry: {fs: 1}
  subsidy:
    share: [{from: 2015-11, value: 0.75}, {from: 2016-12, value: 1.0}]
    cap_per_day: [{from: 2015-11, value: 1140}, {from: 2017-11, value: 1213}]
accounting:
  payroll_oncost: [{from: 2016-01, value: 0.3846}, {from: 2017-01, value: 0.3915}]
  municipal_tax_rate: 0.22
)"},
        Case{"bands_discounting_and_activity_support", R"(
name: bands
calendar: {start: 2017-03, months: 36}
groups: [{name: g, size: 50, initial: {fs: 0.6, other: 0.2, job: 0.2}, initial_duration: 2,
          fs_benefit: 9135, job_wage: 22000, activity_support: 6500, wage: 18700}]
transitions:
  fs:
    - {until: 3, to: {xj: 0.1, job: 0.05}}
    - {until: 12, to: {xj: 0.03, job: 0.02, other: 0.02}}
    - {to: {job: 0.01, exit: 0.01}}
  other:
    - {until: 4, to: {fs: 0.2}}
    - {to: {fs: 0.05, job: 0.05}}
  job: {fs: 0.02}
programme: {extension_probability: 0.7, on_expiry: {fs: 0.3, other: 0.5, job: 0.2}}
accounting: {discount_rate: 0.04, municipal_tax_rate: 0.2}
)"},
        // after_xj precedence (MODEL.md §9 settled readings) for a person with ever_xj: the
        // group's after_xj row, then the scenario's after_xj row, then the group's transitions
        // row, then the scenario's. Group a overrides the scenario's after_xj fs row; group b's
        // own fs row yields to the scenario's after_xj fs row; nobody has an after_xj job row,
        // so group b's own job row applies after xj too. Banded after_xj rows, reentry.
        Case{"after_xj_precedence_bands_and_reentry", R"(
name: precedence
calendar: {start: 2016-01, months: 36}
groups:
  - name: a
    size: 50
    initial: {fs: 0.6, xj: 0.2, job: 0.2}
    initial_duration: 3
    fs_benefit: 7000
    wage: 18000
    job_wage: 21000
    after_xj:
      fs:
        - {until: 6, to: {job: 0.12, xj: 0.05}}
        - {to: {job: 0.02, other: 0.04}}
  - name: b
    size: 40
    initial: {fs: 0.5, other: 0.5}
    fs_benefit: 6000
    wage: 17000
    job_wage: 20000
    transitions:
      fs: {xj: 0.15, job: 0.005}
      job: {fs: 0.08}
transitions:
  fs: {xj: 0.1, job: 0.01, other: 0.01}
  xj: {job: 0.02, fs: 0.02}
  job: {fs: 0.02}
  other: {fs: 0.1, xj: 0.03}
after_xj:
  fs:
    - {until: 3, to: {job: 0.08}}
    - {until: 9, to: {job: 0.04, xj: 0.08}}
    - {to: {job: 0.01, exit: 0.01}}
  other: {job: 0.06, fs: 0.02}
programme:
  decision_months: 3
  max_months: 9
  reentry: true
  extension_probability: 0.6
  on_expiry: {fs: 0.5, other: 0.3, job: 0.2}
)"},
        Case{"rate_intake_from_job_and_other_with_reentry", R"(
name: reentry
calendar: {start: 2016-01, months: 30}
groups:
  - {name: a, size: 40, initial: {fs: 0.5, job: 0.25, other: 0.25}, fs_benefit: 7000, wage: 18000}
  - {name: b, size: 20, initial: {other: 1}, wage: 16000, transitions: {other: {xj: 0.2}}}
transitions:
  fs: {xj: 0.1}
  job: {xj: 0.05, fs: 0.05}
  other: {xj: 0.05, fs: 0.05}
  xj: {fs: 0.05}
programme:
  decision_months: 4
  max_months: 8
  reentry: true
  extension_probability: 0.5
  on_expiry: {fs: 0.5, other: 0.5}
)"}));

TEST(Expected, RefusesCapacityIntake) {
  const Scenario sc = test::scenario_from(R"(
name: cap
calendar: {start: 2016-01, months: 3}
groups: [{name: g, size: 5}]
programme: {extension_probability: 0.5, on_expiry: {fs: 1}, intake: {places: 2}}
)");
  try {
    expected_values(sc);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("capacity intake"), std::string::npos);
  }
}

TEST(Expected, IgnoresUncertaintyWithANote) {
  const Scenario sc = test::scenario_from(R"(
name: u
calendar: {start: 2016-01, months: 3}
groups: [{name: g, size: 5, fs_benefit: 100}]
transitions: {fs: {job: 0.1}}
uncertainty: {transitions.fs.job: {uniform: [0.5, 0.9]}}
)");
  const RunResult r = expected_values(sc);
  EXPECT_EQ(r.notes.size(), 1u);
  EXPECT_NEAR(r.total[0][index_of(Metric::kMonthsFs)].mean, 5 * (1 + 0.9 + 0.81), 1e-12);
}

// Thirty persons on fs for a year, without a programme; `replications` per run.
std::string thirty_on_fs(int replications) {
  return "name: u\ncalendar: {start: 2016-01, months: 12}\nreplications: " + std::to_string(replications) +
         "\ngroups: [{name: g, size: 30, fs_benefit: 7700}]\ntransitions: {fs: {job: 0.1}}\n";
}

TEST(Uncertainty, FixedDrawsGiveTheSameRunAsTheFile) {
  const std::string yaml = thirty_on_fs(50);
  const RunResult plain = run_monte_carlo(test::scenario_from(yaml));
  const RunResult fixed = run_monte_carlo(
      test::scenario_from(yaml + "uncertainty: {transitions.fs.job: {fixed: 0.1}}\n"));
  EXPECT_EQ(plain.samples.column(ResultSide::kScenario, 0, Metric::kMonthsFs),
            fixed.samples.column(ResultSide::kScenario, 0, Metric::kMonthsFs));
}

TEST(Uncertainty, WidensTheSpreadAndIsSharedByBothSides) {
  const std::string yaml = thirty_on_fs(400);
  const RunResult plain = run_monte_carlo(test::scenario_from(yaml));
  const RunResult wide = run_monte_carlo(test::scenario_from(
      yaml + "uncertainty: {groups.g.fs_benefit: {normal: [7700, 2000]}}\n"));
  const int m = index_of(Metric::kMunicipalityFsBenefit);
  EXPECT_GT(wide.total[0][m].sd, 1.5 * plain.total[0][m].sd);
  // No programme: both sides see the same people and the same drawn benefit.
  EXPECT_EQ(wide.total[2][m].sd, 0.0);
}

}  // namespace extrasim
