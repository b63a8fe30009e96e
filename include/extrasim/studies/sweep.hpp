// Batch sweeps: one base scenario run at many parameter points, all with the same seed (so the
// points share their random numbers), for researchers' designs and sensitivity analysis.
// A sweep file names the scenario, the design, the parameters by path (docs/scenario-format.md,
// "Paths") and the metrics to keep; docs/sweeps.md has the format.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "extrasim/model/metrics.hpp"
#include "extrasim/model/scenario.hpp"
#include "extrasim/results/results.hpp"

namespace extrasim {

enum class SweepDesign { kGrid, kLhs, kSobol };

// How an lhs or sobol design spreads a parameter over its range [lo, hi]: uniformly, or by a
// distribution within it: triangular (mode a), normal (mean a, sd b) truncated to the range,
// or beta (shapes a, b) scaled to the range.
enum class SweepShape { kUniform, kTriangular, kNormal, kBeta };
struct SweepParameter {
  std::string path;
  std::vector<double> values;  // grid
  double lo = 0, hi = 0;       // lhs, sobol: the range
  SweepShape shape = SweepShape::kUniform;
  double a = 0, b = 0;         // the shape's parameters (above)
  // The value at u in [0, 1] of the design's unit cube (the inverse CDF), within [lo, hi].
  double at(double u) const;
};

// A kept metric: SIDE.METRIC over the whole horizon, or SIDE.METRIC.YEAR for one calendar year
// of the scenario (difference.municipality.net.2018).
struct SweepMetric {
  ResultSide side = ResultSide::kDifference;
  Metric metric = Metric::kMunicipalityNet;
  int year = 0;    // 0: the whole horizon
  int period = 0;  // 0, or 1 + the year's index in the scenario's calendar (the loader sets it)
  std::string name() const;  // as in the results file and the manifest
};
struct SweepSpec {
  std::string name;
  std::string source_file;
  std::string scenario_file;  // resolved against the sweep file's folder
  std::int64_t replications = 100;
  std::uint64_t seed = 1;
  SweepDesign design = SweepDesign::kGrid;
  std::int64_t samples = 0;   // lhs: points; sobol: base samples N (N * (parameters + 2) points)
  std::vector<SweepParameter> parameters;
  std::vector<SweepMetric> metrics;
};

// The most points a sweep may have (a million points is already weeks of runs).
inline constexpr std::int64_t kMaxSweepPoints = 10'000'000;

// Loads and validates a sweep file; errors are InputErrors with file, line and path.
SweepSpec load_sweep_file(const std::string& path);
// The same from text; `file` names it in messages, and the scenario is found beside it.
SweepSpec load_sweep_text(const std::string& text, const std::string& file);

// The design's points, in order: point[k][j] is parameter j's value at point k. Grids vary the
// last parameter fastest; Latin hypercube samples are keyed by the sweep's seed. A Sobol design
// is Saltelli's: two base matrices A and B from one Sobol sequence of dimension 2d (Joe-Kuo
// direction numbers, Boost.Random; the all-zero first point skipped), and for each base sample
// i the d + 2 points A_i, AB_i^1 ... AB_i^d, B_i, where AB_i^j is A_i with column j from B_i.
std::vector<std::vector<double>> sweep_points(const SweepSpec& spec);

// The number of points in a Saltelli design of d parameters and N base samples.
std::int64_t saltelli_points(std::int64_t base_samples, std::size_t parameters);

// The largest number of parameters a Sobol design takes (the sequence's dimension limit / 2).
std::size_t max_sobol_parameters();

// The base scenario with point `values` (one per spec.parameters) set through the parameter
// resolver and validated; a refused value is an InputError naming the point.
Scenario scenario_at_point(const Scenario& base, const SweepSpec& spec, const std::vector<double>& values);

// The design's name as in the sweep file and the manifest.
const char* design_name(SweepDesign design);

// A parameter value as written into the scenario (an integer-valued double without ".0").
std::string sweep_value_text(double v);

}  // namespace extrasim
