// The reference vectors (exact expected values from an independent implementation of the
// model, shipped in tests/data/vectors with their provenance in README.md there).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "extrasim/simulate/expected.hpp"
#include "extrasim/simulate/runner.hpp"
#include "stat_check.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::json;

class ReferenceVector : public ::testing::TestWithParam<std::string> {
 protected:
  Scenario scenario() const {
    return load_scenario_file(test::source_path("tests/data/vectors/" + GetParam() + ".yaml"));
  }
  Json reference() const {
    return Json::parse(test::read_file(test::source_path("tests/data/vectors/" + GetParam() + ".expected.json")));
  }
};

void expect_close(double got, double want, const std::string& where) {
  EXPECT_LE(std::abs(got - want), 1e-9 * std::max(1.0, std::abs(want)))
      << where << ": got " << got << ", reference " << want;
}

int side_index(const std::string& side) {
  return side == "scenario" ? 0 : side == "baseline" ? 1 : 2;
}

}  // namespace

TEST_P(ReferenceVector, ExpectedMatchesTheIndependentImplementation) {
  const RunResult r = expected_values(scenario());
  const Json ref = reference();
  int compared = 0;
  for (const auto& [side, metrics] : ref["metrics"].items()) {
    for (const auto& [name, value] : metrics.items()) {
      const Metric m = *parse_metric(name);
      expect_close(r.total[side_index(side)][index_of(m)].mean, value["mean"], side + "." += name);
      ++compared;
    }
  }
  for (const YearResult& y : r.yearly) {
    for (const auto& [side, metrics] : ref["yearly"][std::to_string(y.year)].items()) {
      for (const auto& [name, value] : metrics.items()) {
        expect_close(y.summaries[side_index(side)][index_of(*parse_metric(name))].mean, value,
                     std::to_string(y.year) + " " + side + "." += name);
        ++compared;
      }
    }
  }
  ASSERT_EQ(r.monthly.size(), ref["monthly"].size());
  for (std::size_t m = 0; m < r.monthly.size(); ++m) {
    const Json& month = ref["monthly"][m];
    EXPECT_EQ(r.monthly[m].month.to_string(), month["month"]);
    for (const char* side : {"scenario", "baseline", "difference"}) {
      for (const auto& [name, value] : month[side].items()) {
        expect_close(r.monthly[m].mean[side_index(side)][index_of(*parse_metric(name))], value,
                     month["month"].get<std::string>() + " " + side + "." + name);
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

TEST_P(ReferenceVector, MonteCarloMeansLieWithin4StandardErrors) {
  Scenario sc = scenario();
  sc.replications = 4000;
  sc.seed = 20240601;
  const RunResult mc = run_monte_carlo(sc);
  test::expect_run_matches_expected(mc, expected_values(scenario()));
}

INSTANTIATE_TEST_SUITE_P(Vectors, ReferenceVector,
                         ::testing::Values("v1-bands-rate-intake", "v2-cap-timelines",
                                           "v3-payers-tax-behaviour"));

}  // namespace extrasim
