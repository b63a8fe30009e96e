// The sweep results file: the tidy CSV that `extrasim sweep` appends point by point and that
// `extrasim sensitivity` (and --resume) read back. One row per (point, kept metric):
//   point,<one column per parameter>,metric,mean,sd,se,p05,p50,p95
// Numbers are written with 17 significant digits, so they read back exactly.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "extrasim/results/statistics.hpp"
#include "extrasim/studies/sweep.hpp"

namespace extrasim {

std::string sweep_results_header(const SweepSpec& spec);

// One point's rows: kept[m] summarises spec.metrics[m] at the point.
std::string sweep_results_rows(const SweepSpec& spec, std::size_t point, const std::vector<double>& values,
                               const std::vector<Summary>& kept);

// A results file read back: the parameter and metric names in file order, each point's
// parameter values, and each metric's mean at each point.
struct SweepResultsTable {
  std::vector<std::string> parameters;
  std::vector<std::string> metrics;
  std::vector<std::vector<double>> points;  // points[k][j]
  std::vector<std::vector<double>> means;   // means[m][k]
};

// Reads a whole results file; a malformed row, a point whose rows disagree on its parameters,
// or a missing point (an interrupted sweep) is an InputError naming the file and line.
SweepResultsTable read_sweep_results(std::istream& in, const std::string& file);

}  // namespace extrasim
