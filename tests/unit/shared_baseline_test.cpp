// compare's single lockstep pass: scenarios that share a baseline run with one, and every
// scenario's result is that of a run of its own, bit for bit.
#include <gtest/gtest.h>

#include <sstream>

#include "extrasim/model/parameters.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/simulate/shared_baseline.hpp"
#include "extrasim/write/output.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

Scenario shipped(const std::string& file, std::int64_t replications) {
  Scenario sc = load_scenario_file(test::source_path(file));
  sc.replications = replications;
  return sc;
}

// norrkoping-200 whose people find jobs faster: its baseline differs from norrkoping-120's.
Scenario faster_jobs(std::int64_t replications) {
  Scenario sc = shipped("scenarios/norrkoping-200.yaml", replications);
  set_parameter(sc, "transitions.fs.job", 0.02, "test");
  sc.name = "norrkoping-200-faster";
  return sc;
}

std::string json(const RunResult& r) {
  std::ostringstream out;
  write_json(r, out);
  return out.str();
}

// Each scenario of one session against a session of its own, on 1 and 2 threads.
void expect_same_as_separate_runs(const std::vector<Scenario>& scenarios) {
  for (int threads : {1, 2}) {
    SessionOptions options;
    options.threads = threads;
    const std::vector<RunResult> together = run_monte_carlo(scenarios, options);
    ASSERT_EQ(together.size(), scenarios.size());
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      EXPECT_EQ(json(together[k]), json(run_monte_carlo(scenarios[k], options)))
          << scenarios[k].name << " on " << threads << " threads";
    }
  }
}

}  // namespace

TEST(SharedBaseline, FollowsWhatABaselineReads) {
  const Dynamics a = Dynamics::compile(shipped("scenarios/norrkoping-120.yaml", 1));
  const Dynamics b = Dynamics::compile(shipped("scenarios/norrkoping-200.yaml", 1));
  EXPECT_TRUE(same_baseline(a, b));  // only the places differ: the baseline has none
  Scenario extension = shipped("scenarios/norrkoping-120.yaml", 1);
  set_parameter(extension, "programme.extension_probability", 0.4, "test");
  EXPECT_TRUE(same_baseline(a, Dynamics::compile(extension)));  // a programme rule
  EXPECT_FALSE(same_baseline(a, Dynamics::compile(faster_jobs(1))));  // a rate of fs
  Scenario bigger = shipped("scenarios/norrkoping-120.yaml", 1);
  set_parameter(bigger, "groups.long_term_fs.size", 1600, "test");
  EXPECT_FALSE(same_baseline(a, Dynamics::compile(bigger)));  // other persons
}

TEST(SharedBaseline, SessionSaysWhoShares) {
  RunSession session({shipped("scenarios/norrkoping-120.yaml", 1), shipped("scenarios/norrkoping-200.yaml", 1), faster_jobs(1)});
  EXPECT_EQ(session.baseline_leaders(), (std::vector<int>{0, 0, 2}));
  EXPECT_NE(baseline_note(session).find("norrkoping-200-faster"), std::string::npos) << baseline_note(session);
  RunSession uncertain({shipped("tests/data/uncertain-intake.yaml", 1), shipped("tests/data/uncertain-intake.yaml", 1)});
  EXPECT_TRUE(uncertain.baseline_leaders().empty());  // decided per replication
}

TEST(SharedBaseline, ScenariosThatShareGiveTheirOwnRunsBitForBit) {
  expect_same_as_separate_runs({shipped("scenarios/norrkoping-120.yaml", 37), shipped("scenarios/norrkoping-200.yaml", 37)});
}

TEST(SharedBaseline, ScenariosThatDoNotShareGiveTheirOwnRunsBitForBit) {
  expect_same_as_separate_runs({shipped("scenarios/norrkoping-120.yaml", 37), faster_jobs(37)});
}

TEST(SharedBaseline, MixedSharingUncertaintyAndBonusGiveTheirOwnRunsBitForBit) {
  expect_same_as_separate_runs({shipped("scenarios/norrkoping-120.yaml", 13), faster_jobs(13), shipped("scenarios/norrkoping-200.yaml", 13)});
  Scenario more_places = shipped("tests/data/uncertain-intake.yaml", 21);
  set_parameter(more_places, "programme.intake.places", 60, "test");
  more_places.name = "more-places";
  expect_same_as_separate_runs({shipped("tests/data/uncertain-intake.yaml", 21), more_places});
  Scenario lund_more = shipped("scenarios/lund.yaml", 9);
  set_parameter(lund_more, "programme.extension_probability", 0.9, "test");
  lund_more.name = "lund-more";
  expect_same_as_separate_runs({shipped("scenarios/lund.yaml", 9), lund_more});
}

TEST(SharedBaseline, SplitAppendsMatchOneRun) {
  const std::vector<Scenario> scenarios = {shipped("scenarios/norrkoping-120.yaml", 23), shipped("scenarios/norrkoping-200.yaml", 23)};
  SessionOptions two;
  two.threads = 2;
  RunSession session(scenarios, two);
  session.append(6);
  session.append(17);
  for (int k = 0; k < 2; ++k) EXPECT_EQ(json(session.result(k)), json(run_monte_carlo(scenarios[static_cast<std::size_t>(k)])));
}

}  // namespace extrasim

namespace extrasim {

// Groups alike are counted as one unit (Dynamics): a scenario that prices one of them apart
// counts in other units (here with the same person numbers), so it cannot share the baseline.
TEST(SharedBaseline, OtherCountingUnitsDoNotShare) {
  const std::string yaml = R"(
name: alike
seed: 3
replications: 20
calendar: {start: 2018-01, months: 18}
groups:
  - {name: a, size: 40, fs_benefit: 7000, wage: 18000}
  - {name: a2, size: 20, fs_benefit: 7000, wage: 18000}
  - {name: b, size: 30, fs_benefit: 6000, wage: 18000}
transitions: {fs: {xj: 0.1, job: 0.02}, xj: {job: 0.03}}
programme: {extension_probability: 0.5, on_expiry: {fs: 1}}
)";
  const Scenario alike = test::scenario_from(yaml);
  Scenario apart = test::scenario_from(yaml);
  set_parameter(apart, "groups.a2.wage", 19000, "test");
  apart.name = "apart";
  RunSession session({alike, apart});
  EXPECT_EQ(session.baseline_leaders(), (std::vector<int>{0, 1}));
  expect_same_as_separate_runs({alike, apart});
}

}  // namespace extrasim
