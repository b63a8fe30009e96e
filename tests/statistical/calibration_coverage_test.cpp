// ABC-SMC's posterior against the truth: 20 synthetic data sets (the engine's expected values
// at known parameters plus normal noise of the stated standard errors, fixed seeds), each
// calibrated; the 90 % posterior interval of each parameter must cover the truth in at least
// 14 of the 20. Flake budget: with exact 90 % coverage, P(at most 13 of 20) = 0.24 % per
// parameter, about 0.5 % for the two; the seeds are fixed, so a given build passes or fails
// for good. Release builds only (about a minute there; sanitizer builds are 10-50x slower).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <random>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/simulate/expected.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

// The toy scenario shortened to two years (faster expected values).
std::string short_toy() {
  std::string text = test::read_file(test::source_path("tests/data/calibration/toy.yaml"));
  const std::string from = "months: 36", to = "months: 24";
  text.replace(text.find(from), from.size(), to);
  return text;
}

double quantile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto i = static_cast<std::size_t>(h);
  return i + 1 < v.size() ? v[i] + (h - static_cast<double>(i)) * (v[i + 1] - v[i]) : v[i];
}

}  // namespace

TEST(CalibrationCoverage, AbcSmcNinetyPercentIntervalsCoverTheTruth) {
#ifndef NDEBUG
  GTEST_SKIP() << "Release builds only (20 calibrations)";
#endif
  const std::string dir = ::testing::TempDir();
  const std::string scenario = dir + "/coverage-toy.yaml";
  {
    std::ofstream(scenario) << short_toy();
  }
  const double truth[2] = {0.03, 0.7};
  Scenario at_truth = load_scenario_file(scenario);
  set_parameter(at_truth, "transitions.fs.xj", truth[0], "test");
  set_parameter(at_truth, "programme.extension_probability", truth[1], "test");
  const RunResult exact = expected_values(at_truth);
  const int xj = index_of(Metric::kEndXj), starts = index_of(Metric::kStartsXj);
  struct Target {
    std::string metric;
    double value;
  };
  const std::vector<Target> targets = {
      {"scenario.end.xj, month: 2016-06", exact.monthly[5].mean[0][xj]},
      {"scenario.end.xj, year: 2016", exact.yearly[0].summaries[0][xj].mean},
      {"scenario.end.xj, year: 2017", exact.yearly[1].summaries[0][xj].mean},
      {"scenario.starts.xj, year: 2016", exact.yearly[0].summaries[0][starts].mean},
      {"scenario.starts.xj, year: 2017", exact.yearly[1].summaries[0][starts].mean},
  };
  int covered[2] = {0, 0};
  for (std::uint64_t set = 0; set < 20; ++set) {
    std::mt19937_64 rng(1000 + set);
    std::string text = "name: coverage\nscenario: " + scenario + "\ndraws: 1000\nseed: " + std::to_string(set + 1) +
                       "\nmethod: {type: abc-smc, particles: 300}\ntargets:\n";
    for (const Target& t : targets) {
      const double se = 0.04 * t.value;
      const double u1 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53, u2 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53;
      const double noise = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
      text += "  - {metric: " + t.metric + ", observed: " + std::to_string(t.value + se * noise) + ", se: " + std::to_string(se) + "}\n";
    }
    text += "parameters:\n  transitions.fs.xj: {range: [0.005, 0.1], transform: logit}\n"
            "  programme.extension_probability: {range: [0.2, 0.95], transform: logit}\n";
    const CalibrationSpec spec = load_calibration_text(text, "coverage.yaml");
    const CalibrationResult r = calibrate(spec, 2);
    for (std::size_t j = 0; j < 2; ++j) {
      std::vector<double> draws;
      for (const auto& row : r.posterior) draws.push_back(row[j]);
      const double lo = quantile(draws, 0.05), hi = quantile(draws, 0.95);
      if (lo <= truth[j] && truth[j] <= hi) ++covered[j];
    }
  }
  EXPECT_GE(covered[0], 14) << "transitions.fs.xj covered in " << covered[0] << " of 20";
  EXPECT_GE(covered[1], 14) << "programme.extension_probability covered in " << covered[1] << " of 20";
  std::cout << "90 % intervals covered the truth in " << covered[0] << " and " << covered[1] << " of 20 data sets\n";
}

}  // namespace extrasim
