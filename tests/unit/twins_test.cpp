// Twins (MODEL.md §9): scenario and baseline run in lockstep, and each person-month in xj is
// compared with the same person's baseline month. The lockstep changes no number.
#include <gtest/gtest.h>

#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/simulate/simulation.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

// Three persons in fs; one start in month 0 (spell of exactly 2 months); everyone else moves on
// at the end of month 0 with certainty, to `to` (job or other). The person in xj is in xj in
// months 0 and 1; the twin is in fs in month 0 and in `to` in month 1.
std::string tiny(const std::string& to) {
  return R"(
name: twins
calendar: {start: 2017-12, months: 4}
replications: 3
groups: [{name: g, size: 3, initial: {fs: 1}, fs_benefit: 7000, wage: 18000}]
transitions: {fs: {)" + to + R"(: 1.0}}
programme:
  decision_months: 2
  max_months: 2
  extension_probability: 1
  on_expiry: {)" + to + R"(: 1}
  intake: {starts: [1]}
)";
}

double total(const RunResult& r, ResultSide side, Metric m) { return r.total[static_cast<int>(side)][index_of(m)].mean; }
double year(const RunResult& r, std::size_t y, Metric m) { return r.yearly[y].summaries[2][index_of(m)].mean; }

void expect_same_counts(const Counts& a, const Counts& b, const Dynamics& dyn) {
  for (int m = 0; m < dyn.months(); ++m) {
    EXPECT_EQ(a.unfilled(m), b.unfilled(m));
    for (int g = 0; g < dyn.group_count(); ++g) {
      for (State s : kAllStates) EXPECT_EQ(a.state(m, g, s), b.state(m, g, s)) << m << " " << g;
      EXPECT_EQ(a.starts(m, g), b.starts(m, g));
      EXPECT_EQ(a.xj_first(m, g), b.xj_first(m, g));
      for (int d = 0; d < a.spell_slots(); ++d) EXPECT_EQ(a.xj_spell(m, g, d), b.xj_spell(m, g, d));
    }
  }
}

}  // namespace

TEST(Twins, HandCountOnATinyDeterministicCase) {
  const RunResult r = run_monte_carlo(test::scenario_from(tiny("job")));
  EXPECT_EQ(total(r, ResultSide::kScenario, Metric::kMonthsXj), 2.0);
  EXPECT_EQ(total(r, ResultSide::kDifference, Metric::kTwinXjBaselineFs), 1.0);   // month 0
  EXPECT_EQ(total(r, ResultSide::kDifference, Metric::kTwinXjBaselineJob), 1.0);  // month 1
  EXPECT_EQ(total(r, ResultSide::kBaseline, Metric::kTwinXjBaselineJob), 0.0);
  EXPECT_EQ(deadweight_share(r.total), 0.5);
  ASSERT_EQ(r.yearly.size(), 2u);  // 2017-12, then 2018-01 .. 03
  EXPECT_EQ(year(r, 0, Metric::kTwinXjBaselineFs), 1.0);
  EXPECT_EQ(year(r, 0, Metric::kTwinXjBaselineJob), 0.0);
  EXPECT_EQ(year(r, 1, Metric::kTwinXjBaselineFs), 0.0);
  EXPECT_EQ(year(r, 1, Metric::kTwinXjBaselineJob), 1.0);
  EXPECT_EQ(r.monthly[1].mean[2][index_of(Metric::kTwinXjBaselineJob)], 1.0);
}

TEST(Twins, ZeroWhenTheBaselineHasNobodyInJob) {
  const RunResult r = run_monte_carlo(test::scenario_from(tiny("other")));
  EXPECT_EQ(total(r, ResultSide::kBaseline, Metric::kMonthsJob), 0.0);
  EXPECT_EQ(total(r, ResultSide::kDifference, Metric::kTwinXjBaselineJob), 0.0);
  EXPECT_EQ(total(r, ResultSide::kDifference, Metric::kTwinXjBaselineFs), 1.0);
  EXPECT_EQ(deadweight_share(r.total), 0.0);
  // A random scenario whose baseline never reaches a job: still 0 in every replication.
  const RunResult random = run_monte_carlo(test::scenario_from(R"(
name: nojob
calendar: {start: 2017-01, months: 24}
replications: 20
groups: [{name: g, size: 200, initial: {fs: 0.8, other: 0.2}}]
transitions: {fs: {xj: 0.1, other: 0.05}, other: {fs: 0.1}, xj: {other: 0.05}}
programme: {extension_probability: 0.5, on_expiry: {fs: 0.5, other: 0.5}}
)"));
  EXPECT_GT(total(random, ResultSide::kScenario, Metric::kMonthsXj), 100.0);
  const auto column = random.samples.column(ResultSide::kDifference, 0, Metric::kTwinXjBaselineJob);
  for (double v : column) EXPECT_EQ(v, 0.0);
}

TEST(Twins, LockstepGivesTheNumbersOfTwoSeparateRuns) {
  const Scenario sc = test::scenario_from(R"(
name: lockstep
calendar: {start: 2017-01, months: 30}
groups:
  - {name: a, size: 1500, initial: {fs: 0.6, job: 0.2, xj: 0.2}, initial_duration: 3}
  - {name: b, size: 700, initial: {other: 1}, transitions: {other: {xj: 0.05, fs: 0.03}}}
transitions: {fs: {xj: 0.04, job: 0.03, exit: 0.01}, job: {fs: 0.02}, xj: {job: 0.02}}
after_xj: {fs: {job: 0.06}}
programme:
  decision_months: 6
  max_months: 12
  reentry: true
  extension_probability: 0.7
  on_expiry: {fs: 0.5, job: 0.3, other: 0.2}
  intake: {places: 150, from: [fs, other], selection: {groups: {b: 2}}}
)");
  const Dynamics dyn = Dynamics::compile(sc);
  Population pair, alone;
  const auto make = [&] { return Counts(dyn.months(), dyn.group_count(), dyn.spell_slots()); };
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    const ReplicationStreams streams(sc.seed, rep);
    Counts s = make(), b = make(), s1 = make(), b1 = make();
    simulate_pair(dyn, streams, pair, s, b);
    simulate(dyn, Side::kScenario, streams, alone, s1);
    simulate(dyn, Side::kBaseline, streams, alone, b1);
    expect_same_counts(s, s1, dyn);
    expect_same_counts(b, b1, dyn);
    double xj = 0, twins = 0;
    for (int m = 0; m < dyn.months(); ++m) {
      for (int g = 0; g < dyn.group_count(); ++g) xj += s.state(m, g, State::kXj);
      twins += s.twin_job(m) + s.twin_fs(m);
      EXPECT_EQ(b.twin_job(m), 0.0);
    }
    EXPECT_GT(twins, 0.0);
    EXPECT_LE(twins, xj);
  }
}

}  // namespace extrasim
