// Variance-based sensitivity (Sobol indices) from a Saltelli design's outputs.
//
// For N base samples and d parameters the outputs come in blocks of d + 2, in the order of
// sweep_points(): f(A_i), f(AB_i^1) ... f(AB_i^d), f(B_i). With V the variance of the 2N values
// f(A_i), f(B_i) (divisor 2N):
//   first order  S_j  = mean_i f(B_i) (f(AB_i^j) - f(A_i)) / V         (Saltelli et al. 2010)
//   total        ST_j = mean_i (f(A_i) - f(AB_i^j))^2 / (2 V)          (Jansen 1999)
// the estimators SALib uses. Intervals are bootstrap percentile intervals: the N blocks are
// resampled with replacement, keyed by (seed, resample) through Philox, so they repeat exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace extrasim {

struct SobolIndex {
  double estimate = 0, lo = 0, hi = 0;  // NaN when the output does not vary
};

struct SobolIndices {
  std::vector<SobolIndex> first;  // S_j, one per parameter
  std::vector<SobolIndex> total;  // ST_j
  double variance = 0;            // V
};

struct BootstrapOptions {
  int resamples = 1000;
  double level = 0.95;
  std::uint64_t seed = 1;
};

// outputs.size() must be N * (parameters + 2) with N >= 2.
SobolIndices sobol_indices(std::span<const double> outputs, std::size_t parameters, const BootstrapOptions& options);

// Whether points (in file order) have the shape of a Saltelli design of d parameters: blocks of
// d + 2 where point 1 + j is the first with column j from the last. Empty if so, else what
// is wrong, for the error message.
std::string saltelli_layout_problem(const std::vector<std::vector<double>>& points, std::size_t parameters);

struct SweepResultsTable;

// The Sobol indices of every metric of a Saltelli sweep's results file.
struct SweepSensitivity {
  std::vector<std::string> parameters;
  std::vector<std::string> metrics;
  std::vector<SobolIndices> indices;  // one per metric
  std::size_t base_samples = 0;
  BootstrapOptions bootstrap;
};

// Throws InputError (naming `file`) when the table is not a Saltelli design.
SweepSensitivity sweep_sensitivity(const SweepResultsTable& table, const std::string& file, const BootstrapOptions& options);

}  // namespace extrasim
