// Sobol indices against functions whose indices are known analytically, through the same path
// as a sweep: Saltelli points from sweep_points, the results file's writer and reader, then
// sweep_sensitivity.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include <tbb/global_control.h>

#include "extrasim/studies/sensitivity.hpp"
#include "sweep_support.hpp"

namespace extrasim {

namespace {

constexpr double kPi = 3.14159265358979323846;

SweepSensitivity analyse(const SweepSpec& spec, const std::function<double(const std::vector<double>&)>& f,
                         const BootstrapOptions& options = {}) {
  std::istringstream file(test::results_of(spec, f));
  return sweep_sensitivity(read_sweep_results(file, "results.csv"), "results.csv", options);
}

void expect_within(const SobolIndex& x, double analytic, const std::string& what) {
  EXPECT_LE(x.lo, analytic) << what << ": " << x.estimate << " [" << x.lo << ", " << x.hi << "]";
  EXPECT_GE(x.hi, analytic) << what << ": " << x.estimate << " [" << x.lo << ", " << x.hi << "]";
  EXPECT_LE(x.lo, x.estimate);
  EXPECT_GE(x.hi, x.estimate);
}

}  // namespace

TEST(Sensitivity, IshigamiIndicesLieInTheirBootstrapIntervals) {
  const SweepSpec spec = test::sobol_spec({{-kPi, kPi}, {-kPi, kPi}, {-kPi, kPi}}, 1024);
  const SweepSensitivity s = analyse(spec, test::ishigami);
  const test::AnalyticIndices exact = test::ishigami_indices();
  ASSERT_EQ(s.base_samples, 1024u);
  ASSERT_EQ(s.indices.size(), 1u);
  for (std::size_t j = 0; j < 3; ++j) {
    expect_within(s.indices[0].first[j], exact.first[j], "S" + std::to_string(j + 1));
    expect_within(s.indices[0].total[j], exact.total[j], "ST" + std::to_string(j + 1));
    // And not by being wide: at N = 1024 the intervals are 0.07-0.19 across.
    EXPECT_LT(s.indices[0].first[j].hi - s.indices[0].first[j].lo, 0.25);
    EXPECT_LT(s.indices[0].total[j].hi - s.indices[0].total[j].lo, 0.2);
  }
}

TEST(Sensitivity, IshigamiEstimatesConvergeWithMoreSamples) {
  const test::AnalyticIndices exact = test::ishigami_indices();
  double error_small = 0, error_large = 0;
  for (const auto& [n, error] : {std::pair{256, &error_small}, std::pair{16384, &error_large}}) {
    const SweepSensitivity s = analyse(test::sobol_spec({{-kPi, kPi}, {-kPi, kPi}, {-kPi, kPi}}, n), test::ishigami, {100, 0.95, 1});
    for (std::size_t j = 0; j < 3; ++j) {
      *error = std::max({*error, std::abs(s.indices[0].first[j].estimate - exact.first[j]),
                         std::abs(s.indices[0].total[j].estimate - exact.total[j])});
    }
  }
  EXPECT_LT(error_large, 0.02);
  EXPECT_LT(error_large, error_small);
}

TEST(Sensitivity, LinearModelSharesVarianceBySquaredWeights) {
  // y = x1 + 2 x2 + 0 x3 on the unit cube: Var = (1 + 4) / 12, so S = ST = (0.2, 0.8, 0).
  const SweepSpec spec = test::sobol_spec({{0, 1}, {0, 1}, {0, 1}}, 512);
  const SweepSensitivity s = analyse(spec, [](const std::vector<double>& x) { return x[0] + 2 * x[1]; });
  const double expected[] = {0.2, 0.8, 0.0};
  for (std::size_t j = 0; j < 3; ++j) {
    expect_within(s.indices[0].first[j], expected[j], "S" + std::to_string(j + 1));
    expect_within(s.indices[0].total[j], expected[j], "ST" + std::to_string(j + 1));
    EXPECT_NEAR(s.indices[0].total[j].estimate, expected[j], 0.02);
  }
  // x3 has no effect at all: its total index is exactly 0, with a zero-width interval.
  EXPECT_EQ(s.indices[0].total[2].estimate, 0.0);
  EXPECT_EQ(s.indices[0].total[2].hi, 0.0);
}

TEST(Sensitivity, ConstantOutputHasUndefinedIndices) {
  // 0.1 and 2e9 + 0.3 do not survive a sum and a division exactly: no index from rounding dust.
  for (const double constant : {42.0, 0.1, 2e9 + 0.3}) {
    const SweepSensitivity s = analyse(test::sobol_spec({{0, 1}, {0, 1}}, 7), [&](const std::vector<double>&) { return constant; });
    EXPECT_TRUE(std::isnan(s.indices[0].first[0].estimate)) << constant;
    EXPECT_TRUE(std::isnan(s.indices[0].total[1].hi)) << constant;
    EXPECT_EQ(s.indices[0].variance, 0.0);
  }
}

TEST(Sensitivity, BootstrapRepeatsExactlyOnAnyThreadCount) {
  const SweepSpec spec = test::sobol_spec({{-kPi, kPi}, {-kPi, kPi}, {-kPi, kPi}}, 128);
  auto intervals = [&](int threads, std::uint64_t seed) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    const SweepSensitivity s = analyse(spec, test::ishigami, {200, 0.9, seed});
    std::vector<double> v;
    for (const SobolIndex& x : s.indices[0].first) v.insert(v.end(), {x.estimate, x.lo, x.hi});
    for (const SobolIndex& x : s.indices[0].total) v.insert(v.end(), {x.estimate, x.lo, x.hi});
    return v;
  };
  EXPECT_EQ(intervals(1, 7), intervals(2, 7));
  EXPECT_EQ(intervals(2, 7), intervals(8, 7));
  EXPECT_NE(intervals(2, 7), intervals(2, 8));  // the seed keys the resamples
}

TEST(Sensitivity, RefusesResultsThatAreNotASaltelliDesign) {
  SweepSpec spec = test::sobol_spec({{0, 1}, {0, 1}}, 4);
  spec.design = SweepDesign::kLhs;
  spec.samples = 16;  // 16 points = 4 blocks of 4, but not A, AB, B
  try {
    (void)analyse(spec, [](const std::vector<double>& x) { return x[0]; });
    FAIL() << "a Latin hypercube was taken for a Saltelli design";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a Saltelli design (point 1 is not point 0 with parameter 1 from point 3)"), std::string::npos) << e.what();
  }
}

}  // namespace extrasim
