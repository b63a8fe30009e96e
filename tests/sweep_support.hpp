// Sweep results of known functions, for checking the sensitivity analysis through the same
// path as a real sweep: the design's points, the results file's writer and its reader.
#pragma once

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "extrasim/studies/sweep.hpp"
#include "extrasim/results/sweep_results.hpp"

namespace extrasim::test {

inline SweepSpec sobol_spec(const std::vector<std::pair<double, double>>& ranges, std::int64_t samples) {
  SweepSpec spec;
  spec.name = "known-function";
  spec.design = SweepDesign::kSobol;
  spec.samples = samples;
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    SweepParameter p;
    p.path = "x" + std::to_string(j + 1);
    p.lo = ranges[j].first;
    p.hi = ranges[j].second;
    spec.parameters.push_back(p);
  }
  spec.metrics = {{ResultSide::kDifference, Metric::kMunicipalityNet}};
  return spec;
}

// The results file a sweep of `f` writes, f's value standing for each point's mean.
inline std::string results_of(const SweepSpec& spec, const std::function<double(const std::vector<double>&)>& f) {
  std::string text = sweep_results_header(spec) + "\n";
  const std::vector<std::vector<double>> points = sweep_points(spec);
  for (std::size_t k = 0; k < points.size(); ++k) {
    Summary s;
    s.mean = f(points[k]);
    text += sweep_results_rows(spec, k, points[k], {s});
  }
  return text;
}

// Ishigami's function (a = 7, b = 0.1) over [-pi, pi]^3 and its analytic Sobol indices
// (Ishigami and Homma 1990; Sobol' and Levitan 1999).
inline double ishigami(const std::vector<double>& x) {
  return std::sin(x[0]) + 7 * std::pow(std::sin(x[1]), 2) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]);
}
struct AnalyticIndices {
  std::vector<double> first, total;
};
inline AnalyticIndices ishigami_indices() {
  const double a = 7, b = 0.1, pi = 3.14159265358979323846;
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = 8 * b * b * std::pow(pi, 8) / 225;
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

}  // namespace extrasim::test
