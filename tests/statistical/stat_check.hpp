// Monte Carlo against exact expectations. Bound: every mean within 4 standard errors (plus a
// 1e-9 relative slack for metrics that do not vary). The seeds are fixed, so each test is
// deterministic; with about 100 correlated comparisons per scenario the chance that a correct
// engine fails a new seed is under 1 %, the flake budget for choosing seeds.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "extrasim/results/results.hpp"

namespace extrasim::test {

inline void expect_within_4se(const SideSummaries& mc, const SideSummaries& exact,
                              const RunResult& shown, const std::string& where) {
  for (int side = 0; side < kResultSideCount; ++side) {
    for (int i = 0; i < kMetricCount; ++i) {
      // expected need not report twins (MODEL.md §9 settled readings): it has none.
      if (!metric_shown(shown, metric_at(i)) || is_twin(metric_at(i))) continue;
      const double e = exact[side][i].mean;
      const Summary& s = mc[side][i];
      const double bound = 4.0 * s.se + 1e-9 * std::max(1.0, std::abs(e));
      EXPECT_LE(std::abs(s.mean - e), bound)
          << where << " " << side_name(static_cast<ResultSide>(side)) << "."
          << metric_name(metric_at(i)) << ": Monte Carlo " << s.mean << " (se " << s.se
          << "), exact " << e;
    }
  }
}

inline void expect_run_matches_expected(const RunResult& mc, const RunResult& exact) {
  expect_within_4se(mc.total, exact.total, mc, "total");
  ASSERT_EQ(mc.yearly.size(), exact.yearly.size());
  for (std::size_t y = 0; y < mc.yearly.size(); ++y) {
    expect_within_4se(mc.yearly[y].summaries, exact.yearly[y].summaries, mc,
                      std::to_string(mc.yearly[y].year));
  }
}

}  // namespace extrasim::test
