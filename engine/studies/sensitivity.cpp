#include "extrasim/studies/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <tbb/parallel_for.h>

#include "extrasim/error.hpp"
#include "extrasim/simulate/rng.hpp"
#include "extrasim/results/statistics.hpp"
#include "extrasim/results/sweep_results.hpp"

namespace extrasim {

namespace {

// The outputs of one Saltelli block, by role.
struct Block {
  const double* y;
  std::size_t d;
  double a() const { return y[0]; }
  double ab(std::size_t j) const { return y[1 + j]; }
  double b() const { return y[d + 1]; }
};

// The indices from the blocks listed in `rows` (each a block number; repeats allowed).
SobolIndices estimate(std::span<const double> outputs, std::size_t d, const std::vector<std::size_t>& rows) {
  const auto block = [&](std::size_t i) { return Block{outputs.data() + i * (d + 2), d}; };
  const auto n = static_cast<double>(rows.size());
  double mean = 0;
  for (std::size_t i : rows) mean += block(i).a() + block(i).b();
  mean /= 2 * n;
  double variance = 0;
  for (std::size_t i : rows) variance += std::pow(block(i).a() - mean, 2) + std::pow(block(i).b() - mean, 2);
  variance /= 2 * n;
  SobolIndices s;
  s.variance = variance;
  for (std::size_t j = 0; j < d; ++j) {
    double first = 0, total = 0;
    for (std::size_t i : rows) {
      const Block b = block(i);
      first += b.b() * (b.ab(j) - b.a());
      total += std::pow(b.a() - b.ab(j), 2);
    }
    // A constant output has no variance to share out: the indices are undefined, not 0.
    const bool defined = variance > 0 && std::isfinite(variance);
    s.first.push_back({defined ? first / n / variance : NAN, NAN, NAN});
    s.total.push_back({defined ? total / n / (2 * variance) : NAN, NAN, NAN});
  }
  return s;
}

std::vector<std::size_t> resample(std::size_t n, std::uint64_t seed, int r) {
  const ReplicationStreams streams(seed, static_cast<std::uint64_t>(r));
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = to_unit(streams.parameter_words(kBootstrapParameter, static_cast<std::uint32_t>(i / 4))[i % 4]);
    rows[i] = std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)));
  }
  return rows;
}

// The first-order estimator is not shift-invariant: for outputs far from zero (a net of 2e9 kr
// that varies by 5e7 over the points) its variance explodes. Centred outputs give the same
// indices in expectation (SALib centres too).
std::vector<double> centred(std::span<const double> outputs) {
  double mean = 0;
  for (double y : outputs) mean += y;
  mean /= static_cast<double>(outputs.size());
  std::vector<double> y(outputs.begin(), outputs.end());
  for (double& v : y) v -= mean;
  return y;
}

SobolIndex with_interval(SobolIndex point, std::vector<double> draws, double level) {
  if (std::isnan(point.estimate)) return point;
  std::sort(draws.begin(), draws.end());
  point.lo = quantile_sorted(draws, (1 - level) / 2);
  point.hi = quantile_sorted(draws, (1 + level) / 2);
  return point;
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> outputs, std::size_t d, const BootstrapOptions& options) {
  if (d == 0 || outputs.size() % (d + 2) != 0 || outputs.size() / (d + 2) < 2) {
    throw std::invalid_argument("sobol_indices: outputs must be N >= 2 blocks of parameters + 2");
  }
  const std::size_t n = outputs.size() / (d + 2);
  const auto [low, high] = std::minmax_element(outputs.begin(), outputs.end());
  if (*low == *high) {  // decided on the raw values: centring can leave rounding dust
    return SobolIndices{std::vector<SobolIndex>(d, {NAN, NAN, NAN}), std::vector<SobolIndex>(d, {NAN, NAN, NAN}), 0.0};
  }
  const std::vector<double> y = centred(outputs);
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  SobolIndices s = estimate(y, d, all);
  // Each resample's indices stored by its number: the same for any thread count.
  std::vector<SobolIndices> boot(static_cast<std::size_t>(options.resamples));
  tbb::parallel_for(0, options.resamples, [&](int r) { boot[static_cast<std::size_t>(r)] = estimate(y, d, resample(n, options.seed, r)); });
  for (std::size_t j = 0; j < d; ++j) {
    std::vector<double> first, total;
    for (const SobolIndices& b : boot) {
      if (!std::isnan(b.first[j].estimate)) first.push_back(b.first[j].estimate);
      if (!std::isnan(b.total[j].estimate)) total.push_back(b.total[j].estimate);
    }
    if (first.empty() || total.empty()) continue;  // every resample constant: no interval
    s.first[j] = with_interval(s.first[j], first, options.level);
    s.total[j] = with_interval(s.total[j], total, options.level);
  }
  return s;
}

std::string saltelli_layout_problem(const std::vector<std::vector<double>>& points, std::size_t d) {
  const std::size_t block = d + 2;
  if (d == 0) return "no parameters";
  if (points.size() % block != 0 || points.size() < 2 * block) {
    return std::to_string(points.size()) + " points, not N * (" + std::to_string(d) + " + 2) with N >= 2";
  }
  for (std::size_t first = 0; first < points.size(); first += block) {
    const std::vector<double>& a = points[first];
    const std::vector<double>& b = points[first + d + 1];
    for (std::size_t j = 0; j < d; ++j) {
      std::vector<double> expected = a;
      expected[j] = b[j];
      if (points[first + 1 + j] != expected) {
        return "point " + std::to_string(first + 1 + j) + " is not point " + std::to_string(first) +
               " with parameter " + std::to_string(j + 1) + " from point " + std::to_string(first + d + 1);
      }
    }
  }
  return {};
}

SweepSensitivity sweep_sensitivity(const SweepResultsTable& table, const std::string& file, const BootstrapOptions& options) {
  const std::size_t d = table.parameters.size();
  const std::string problem = saltelli_layout_problem(table.points, d);
  if (!problem.empty()) {
    throw InputError({file}, "", "not a Saltelli design (" + problem + ")", "the results of a sweep with design: {type: sobol, samples: N}");
  }
  SweepSensitivity s;
  s.parameters = table.parameters;
  s.metrics = table.metrics;
  s.base_samples = table.points.size() / (d + 2);
  s.bootstrap = options;
  for (const std::vector<double>& means : table.means) s.indices.push_back(sobol_indices(means, d, options));
  return s;
}

}  // namespace extrasim
