// Same seed -> bit-identical results for 1, 2 and 8 threads.
#include <gtest/gtest.h>

#include <sstream>

#include "extrasim/write/output.hpp"
#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

std::string json_with_threads(Scenario sc, int threads) {
  SessionOptions options;
  options.threads = threads;
  sc.replications = 203;  // not a multiple of the block: the last one is partial
  RunResult r = run_monte_carlo(sc, options);
  r.provenance.threads = 0;  // the one field that names the thread count
  std::ostringstream out;
  write_json(r, out);
  return out.str();
}

void expect_thread_invariant(const std::string& file) {
  const Scenario sc = load_scenario_file(test::source_path(file));
  const std::string one = json_with_threads(sc, 1);
  EXPECT_EQ(one, json_with_threads(sc, 2)) << file;
  EXPECT_EQ(one, json_with_threads(sc, 8)) << file;
}

}  // namespace

TEST(ThreadInvariance, RateIntakeScenarioIsBitIdentical) {
  expect_thread_invariant("tests/data/vectors/v1-bands-rate-intake.yaml");
}

TEST(ThreadInvariance, PayersTaxAndRuleTimelinesScenarioIsBitIdentical) {
  expect_thread_invariant("tests/data/vectors/v3-payers-tax-behaviour.yaml");
}

TEST(ThreadInvariance, UncertainCapacityIntakeScenarioIsBitIdentical) {
  expect_thread_invariant("tests/data/uncertain-intake.yaml");
}

TEST(ThreadInvariance, SplitOverRunsDoesNotChangeReplications) {
  // A replication's values depend only on (seed, replication): the first 50 of a 203-run equal
  // a 50-run, which is what lets a run be split over processes.
  Scenario small = load_scenario_file(test::source_path("tests/data/uncertain-intake.yaml"));
  Scenario large = small;
  small.replications = 50;
  large.replications = 203;
  const RunResult a = run_monte_carlo(small), b = run_monte_carlo(large);
  const auto xa = a.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
  const auto xb = b.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
  EXPECT_EQ(xa, std::vector<double>(xb.begin(), xb.begin() + 50));
}

}  // namespace extrasim

namespace extrasim {

TEST(PrecisionTarget, SameFlagsGiveTheSameReplicationsOnAnyThreadCount) {
  const Scenario sc = load_scenario_file(test::source_path("scenarios/motala.yaml"));
  const PrecisionTarget target = parse_precision_target("difference.municipality.fs_benefit=2000");
  SessionOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const RunResult a = run_to_precision(sc, one, target), b = run_to_precision(sc, two, target);
  EXPECT_EQ(a.replications, b.replications);
  EXPECT_EQ(a.replications % 100, 0);
  EXPECT_LE(a.total[2][index_of(Metric::kMunicipalityFsBenefit)].se, 2000.0);
  EXPECT_EQ(a.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet),
            b.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet));
  ASSERT_EQ(a.notes.size(), 1u);
  EXPECT_NE(a.notes[0].find("reached with"), std::string::npos);
  PrecisionTarget unreachable = parse_precision_target("difference.municipality.fs_benefit=1");
  unreachable.max_replications = 300;
  const RunResult c = run_to_precision(sc, one, unreachable);
  EXPECT_EQ(c.replications, 300);
  EXPECT_NE(c.notes[0].find("NOT reached"), std::string::npos);
  EXPECT_THROW(parse_precision_target("difference.municipality.net"), InputError);
  EXPECT_THROW(parse_precision_target("side.municipality.net=5"), InputError);
}

}  // namespace extrasim

namespace extrasim {

TEST(Samples, SpillingToATemporaryFileChangesNothing) {
  Scenario sc = load_scenario_file(test::source_path("tests/data/uncertain-intake.yaml"));
  sc.replications = 203;
  SessionOptions in_memory, spilled;
  spilled.sample_memory_bytes = 1;  // everything to the file
  spilled.threads = 2;
  const RunResult a = run_monte_carlo(sc, in_memory), b = run_monte_carlo(sc, spilled);
  EXPECT_FALSE(a.samples.spilled());
  EXPECT_TRUE(b.samples.spilled());
  std::ostringstream ja, jb;
  write_json(a, ja);
  write_json(b, jb);
  EXPECT_EQ(ja.str(), jb.str());
  for (int p = 0; p < a.samples.periods(); ++p) {
    EXPECT_EQ(a.samples.column(ResultSide::kDifference, p, Metric::kMunicipalityNet),
              b.samples.column(ResultSide::kDifference, p, Metric::kMunicipalityNet));
  }
}

}  // namespace extrasim
