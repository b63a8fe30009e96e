// Capacity intake, eligibility and re-entry, checked on paths that do not depend on the draws.
#include <gtest/gtest.h>

#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

double total(const RunResult& r, Metric m) { return r.total[0][index_of(m)].mean; }
double month(const RunResult& r, int m, Metric metric) { return r.monthly[m].mean[0][index_of(metric)]; }

std::string intake_scenario(int size, const std::string& intake, const std::string& extra = "") {
  return R"(
name: intake
calendar: {start: 2017-01, months: 6}
replications: 5
groups:
  - {name: pool, size: )" + std::to_string(size) + R"(, initial: {fs: 0.5, job: 0.5}}
programme:
  decision_months: 2
  max_months: 2
  extension_probability: 1.0
  on_expiry: {fs: 1.0}
  intake: )" + intake + "\n" + extra;
}

}  // namespace

TEST(CapacityIntake, FillsPlacesFromEligibleFsAndCountsEmptyPlaces) {
  // 4 persons in fs, 2 places, spells of exactly 2 months; nobody may re-enter.
  const RunResult r = run_monte_carlo(test::scenario_from(intake_scenario(8, "{places: 2}")));
  EXPECT_EQ(month(r, 0, Metric::kMonthsXj), 2.0);
  EXPECT_EQ(month(r, 0, Metric::kStartsXj), 2.0);
  EXPECT_EQ(month(r, 2, Metric::kStartsXj), 2.0);  // the first two expire, two more start
  EXPECT_EQ(month(r, 4, Metric::kMonthsXj), 0.0);  // no eligible left in fs
  EXPECT_EQ(month(r, 4, Metric::kIntakeUnfilled), 2.0);
  EXPECT_EQ(total(r, Metric::kIntakeUnfilled), 4.0);  // counted once per empty month
  EXPECT_EQ(total(r, Metric::kStartsXj), 4.0);
  EXPECT_EQ(total(r, Metric::kMonthsJob), 24.0);  // job is not in intake.from
}

TEST(CapacityIntake, ReentryLetsPeopleBackWhileMonthsRemain) {
  const std::string s = intake_scenario(8, "{places: 2}");
  std::string with_reentry = s;
  with_reentry.replace(with_reentry.find("  intake:"), 9, "  reentry: true\n  intake:");
  const RunResult r = run_monte_carlo(test::scenario_from(with_reentry));
  // max_months 2 and spells of 2 months: each person's months are used up after one spell.
  EXPECT_EQ(total(r, Metric::kStartsXj), 4.0);
  std::string longer = with_reentry;
  longer.replace(longer.find("max_months: 2"), 13, "max_months: 4");
  longer.replace(longer.find("extension_probability: 1.0"), 26, "extension_probability: 0.0");
  const RunResult r2 = run_monte_carlo(test::scenario_from(longer));
  // Spells now end at the first decision (2 months) with 2 months left, so places never empty.
  EXPECT_EQ(total(r2, Metric::kIntakeUnfilled), 0.0);
  EXPECT_EQ(total(r2, Metric::kMonthsXj), 12.0);
}

TEST(CapacityIntake, StartsListAndFromStates) {
  const RunResult r = run_monte_carlo(
      test::scenario_from(intake_scenario(8, "{starts: [1, 0, 3, 9], from: [job]}")));
  EXPECT_EQ(month(r, 0, Metric::kStartsXj), 1.0);
  EXPECT_EQ(month(r, 1, Metric::kStartsXj), 0.0);
  EXPECT_EQ(month(r, 2, Metric::kStartsXj), 3.0);
  EXPECT_EQ(month(r, 3, Metric::kStartsXj), 0.0);  // nobody eligible in job is left
  EXPECT_EQ(month(r, 3, Metric::kIntakeUnfilled), 9.0);
  EXPECT_EQ(total(r, Metric::kMonthsFs), 4 * 6 + 1 * 4 + 3 * 2);  // after expiry: to fs
  EXPECT_EQ(total(r, Metric::kStartsXj), 4.0);
}

TEST(CapacityIntake, PlacesNeverPushPeopleOut) {
  const std::string yaml = intake_scenario(
      8, "{places: [{from: 2017-01, value: 3}, {from: 2017-02, value: 1}]}");
  const RunResult r = run_monte_carlo(test::scenario_from(yaml));
  EXPECT_EQ(month(r, 1, Metric::kMonthsXj), 3.0);  // places fell to 1: the three stay
  EXPECT_EQ(month(r, 2, Metric::kMonthsXj), 1.0);
}

TEST(CapacityIntake, ChoiceDependsOnTheSeedButNotOnAnythingElse) {
  const Scenario sc = test::scenario_from(intake_scenario(400, "{places: 10}"));
  SessionOptions one;
  one.threads = 1;
  SessionOptions two;
  two.threads = 2;
  const RunResult a = run_monte_carlo(sc, one), b = run_monte_carlo(sc, two);
  EXPECT_EQ(a.samples.column(ResultSide::kScenario, 0, Metric::kMonthsXj),
            b.samples.column(ResultSide::kScenario, 0, Metric::kMonthsXj));
}

TEST(Baseline, InitialStockStartsInFsWithoutProgramme) {
  const RunResult r = run_monte_carlo(test::scenario_from(R"(
name: stock
calendar: {start: 2017-01, months: 2}
replications: 2
groups: [{name: g, size: 10, initial: {xj: 0.3, fs: 0.7}, initial_duration: 5}]
programme: {extension_probability: 1, on_expiry: {fs: 1}}
)"));
  EXPECT_EQ(r.total[1][index_of(Metric::kMonthsFs)].mean, 20.0);
  EXPECT_EQ(r.total[0][index_of(Metric::kMonthsXj)].mean, 6.0);
  EXPECT_EQ(r.total[0][index_of(Metric::kStartsXj)].mean, 0.0);  // the stock is not a start
}

}  // namespace extrasim
