// Batch sweeps: one base scenario run at many parameter points, all with the same seed (so the
// points share their random numbers), for researchers' designs and sensitivity analysis.
// A sweep file names the scenario, the design, the parameters by path (docs/scenario-format.md,
// "Paths") and the metrics to keep; docs/sweeps.md has the format.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "extrasim/metrics.hpp"
#include "extrasim/results.hpp"

namespace extrasim {

enum class SweepDesign { kGrid, kLhs };

struct SweepParameter {
  std::string path;
  std::vector<double> values;  // grid
  double lo = 0, hi = 0;       // lhs: the range
};

struct SweepSpec {
  std::string name;
  std::string source_file;
  std::string scenario_file;  // resolved against the sweep file's folder
  std::int64_t replications = 100;
  std::uint64_t seed = 1;
  SweepDesign design = SweepDesign::kGrid;
  std::int64_t samples = 0;   // lhs
  std::vector<SweepParameter> parameters;
  std::vector<std::pair<ResultSide, Metric>> metrics;
};

// Loads and validates a sweep file; errors are InputErrors with file, line and path.
SweepSpec load_sweep_file(const std::string& path);

// The design's points, in order: point[k][j] is parameter j's value at point k. Grids vary the
// last parameter fastest; Latin hypercube samples are keyed by the sweep's seed.
std::vector<std::vector<double>> sweep_points(const SweepSpec& spec);

// A parameter value as written into the scenario (an integer-valued double without ".0").
std::string sweep_value_text(double v);

}  // namespace extrasim
