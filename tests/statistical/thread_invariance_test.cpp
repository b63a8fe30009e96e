// Same seed -> bit-identical results for 1, 2 and 8 threads.
#include <gtest/gtest.h>

#include <sstream>

#include "extrasim/output.hpp"
#include "extrasim/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

std::string json_with_threads(const Scenario& sc, int threads) {
  RunOptions options;
  options.threads = threads;
  options.replications = 203;  // not a multiple of the grain: uneven leaves
  std::ostringstream out;
  write_json(run_monte_carlo(sc, options), out);
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

TEST(ThreadInvariance, UncertainCapacityIntakeScenarioIsBitIdentical) {
  expect_thread_invariant("tests/data/uncertain-intake.yaml");
}

TEST(ThreadInvariance, SplitOverRunsDoesNotChangeReplications) {
  // A replication's values depend only on (seed, replication): the first 50 of a 203-run equal
  // a 50-run, which is what lets a run be split over processes.
  const Scenario sc = load_scenario_file(test::source_path("tests/data/uncertain-intake.yaml"));
  RunOptions small;
  small.replications = 50;
  RunOptions large;
  large.replications = 203;
  const RunResult a = run_monte_carlo(sc, small), b = run_monte_carlo(sc, large);
  const auto xa = a.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
  const auto xb = b.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
  EXPECT_EQ(xa, std::vector<double>(xb.begin(), xb.begin() + 50));
}

}  // namespace extrasim
