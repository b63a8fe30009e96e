#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "extrasim/results/statistics.hpp"

namespace extrasim {

TEST(Statistics, QuantilesAreType7) {
  // R: quantile(c(1, 2, 3, 4), c(.05, .5, .95)) = 1.15, 2.5, 3.85
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.05), 1.15);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.95), 3.85);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 1.0), 4.0);
}

TEST(Statistics, SummaryUsesSampleSd) {
  const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};  // sum of squares about 5: 32
  const Summary s = summarize(v);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.sd, std::sqrt(32.0 / 7.0), 1e-14);
  EXPECT_NEAR(s.se, std::sqrt(32.0 / 7.0) / std::sqrt(8.0), 1e-14);
  EXPECT_DOUBLE_EQ(s.p_positive, 1.0);
  EXPECT_DOUBLE_EQ(s.p50, 4.5);
}

TEST(Statistics, SingleValueHasZeroSpread) {
  const std::vector<double> v = {-3.0};
  const Summary s = summarize(v);
  EXPECT_EQ(s.mean, -3.0);
  EXPECT_EQ(s.sd, 0.0);
  EXPECT_EQ(s.p05, -3.0);
  EXPECT_EQ(s.p_positive, 0.0);
}

TEST(Statistics, MergedMomentsEqualSequential) {
  Moments all, left, right;
  for (int i = 0; i < 100; ++i) {
    const double x = 1e9 + std::sin(i) * 1000.0;  // large offset: the naive formula would fail
    all.add(x);
    (i < 37 ? left : right).add(x);
  }
  left.merge(right);
  EXPECT_EQ(left.count(), 100);
  EXPECT_NEAR(left.mean(), all.mean(), 1e-6);
  EXPECT_NEAR(left.variance(), all.variance(), 1e-6 * all.variance());
}

}  // namespace extrasim
