// Calibration (MODEL.md §10): fit a scenario's parameters to observed aggregates.
//
// A calibration file names a scenario, the targets (model outputs with an observed value and
// its standard error), the parameters to fit (paths as in --set, with a range, a transform and
// a prior) and the method. The loader (engine/config/calibration_loader.cpp) checks all of it
// against the scenario before anything runs; every problem is an InputError located in the
// calibration file. docs/calibration.md has the format.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "extrasim/error.hpp"
#include "extrasim/model/calendar.hpp"
#include "extrasim/model/metrics.hpp"
#include "extrasim/model/scenario.hpp"
#include "extrasim/results/provenance.hpp"
#include "extrasim/results/results.hpp"
#include "extrasim/write/report.hpp"

namespace extrasim {

// One observed aggregate: SIDE.METRIC over the whole period, a calendar year or one month.
struct CalibrationTarget {
  std::string metric;  // as written (SIDE.METRIC or SIDE.METRIC.YYYY)
  ResultSide side = ResultSide::kScenario;
  Metric id = Metric::kMonthsXj;
  int period = 0;                   // 0: whole period; 1 + y: calendar year y of the run
  std::optional<YearMonth> month;   // that month's value instead of a period's
  double observed = 0;
  double se = 1;                    // > 0
  std::string source;
  SourceLocation where;
  // "scenario.end.xj 2017-12": the metric and its period, for tables and fit.csv.
  std::string label(const Calendar& calendar) const;
};

// The space the optimiser (and ABC's proposals) work in.
enum class Transform { kIdentity, kLog, kLogit };
const char* transform_name(Transform t);

struct CalibrationParameter {
  std::string path;  // canonical (parameters.hpp)
  double lo = 0, hi = 0;
  Transform transform = Transform::kIdentity;
  std::optional<Distribution> prior;  // absent: uniform on [lo, hi]
  double start = 0;  // the scenario's own value
  SourceLocation where;

  double to_inner(double x) const;    // the transform
  double from_inner(double z) const;  // its inverse
  double inner_lo() const { return to_inner(lo); }
  double inner_hi() const { return to_inner(hi); }
  // log prior density at x up to a constant (0 for uniform); -inf outside the range.
  double log_prior(double x) const;
};

struct CalibrationMethod {
  enum class Kind { kOptimise, kAbcSmc };
  Kind kind = Kind::kOptimise;
  std::string algorithm = "bobyqa";  // optimise: bobyqa or sbplx
  int starts = 4;                    // optimise: the first at the scenario's own values
  int max_evaluations = 2000;        // optimise: per start
  int particles = 1000;              // abc-smc
  int max_stages = 40;               // abc-smc
};

struct CalibrationSpec {
  std::string name;
  std::string source_file;    // the calibration file
  std::string source_sha256;
  std::string scenario_file;  // resolved against the calibration file's folder
  std::string scenario_text;  // as read, for fitted.yaml
  Scenario scenario;          // loaded and validated
  std::vector<CalibrationTarget> targets;
  std::vector<CalibrationParameter> parameters;
  CalibrationMethod method;
  std::int64_t replications = 200;  // per evaluation, when Monte Carlo is needed
  std::uint64_t seed = 1;
  std::int64_t draws = 1000;        // rows of posterior.csv
};

// Loads and checks a calibration file and its scenario. Errors: InputError with the
// calibration file's line and column (unknown keys, bad ranges, unknown metrics, paths that
// name no real-valued parameter or a value the scenario file does not write as a number).
CalibrationSpec load_calibration_file(const std::string& path);
CalibrationSpec load_calibration_text(const std::string& text, const std::string& file);

// The scenario's own text with each parameter's value replaced in place by `values` (written
// as given in `value_texts`), comments kept, the uncertainty block replaced by
// `uncertainty: {draws: DRAWS}` (distributions of paths that were not fitted are kept), and
// file paths (bonus units) rewritten relative to `out_dir`.
std::string fitted_scenario_text(const CalibrationSpec& spec, const std::vector<std::string>& value_texts,
                                 const std::string& draws_file, const std::string& out_dir);

// The month targets on people in fs, xj or job (scenario side) of a calibration's fit.csv,
// within `calendar`, for the report's people chart. Throws InputError for an unreadable file.
std::vector<ObservedPeople> observed_people_from_fit(const std::string& fit_csv, const Calendar& calendar);

// --- The objective -------------------------------------------------------------------------

// What the model gives for each target at a parameter point.
struct TargetValues {
  std::vector<double> simulated;  // per target
  std::vector<double> se;         // Monte Carlo standard error of each (0 for expected values)
};

// Σ ((sim − observed) / sqrt(se² + se_sim²))² over the targets, at points of the parameters.
// Uses expected values when the scenario allows them (no capacity intake: exact, no noise),
// else Monte Carlo means of `replications` with the calibration's seed at every point (common
// random numbers). The scenario's own `uncertainty` is not drawn: the objective is at points.
class CalibrationObjective {
 public:
  CalibrationObjective(const CalibrationSpec& spec, int threads);
  bool exact() const { return exact_; }
  // "expected values (exact, no noise)" or "Monte Carlo, 200 replications, common random numbers".
  std::string mode() const;
  // The scenario at `x` (one value per parameter), validated; InputError when refused.
  Scenario scenario_at(const std::vector<double>& x) const;
  TargetValues targets_at(const std::vector<double>& x) const;
  // The objective; +inf where the scenario refuses the point (a row summing above 1).
  double operator()(const std::vector<double>& x) const;
  std::int64_t evaluations() const { return evaluations_; }

 private:
  const CalibrationSpec& spec_;
  Scenario base_;
  int threads_;
  bool exact_;
  mutable std::atomic<std::int64_t> evaluations_{0};
};

// --- Fitting ---------------------------------------------------------------------------------

struct CalibrationProgress {
  std::function<void(const std::string& stage, std::int64_t done, std::int64_t total)> update;
};

struct CalibrationResult {
  std::vector<double> point;  // fitted values (rounded to 6 significant digits)
  std::vector<std::string> point_texts;  // as written into fitted.yaml
  double objective = 0;
  std::vector<double> simulated, simulated_se;  // at `point`, per target
  std::vector<std::vector<double>> posterior;   // equally weighted draws [draw][parameter]
  std::vector<double> posterior_sd;             // per parameter
  std::string mode;                             // the objective's mode()
  std::vector<std::string> notes;               // what the method did (starts, Hessian, ...)
  std::int64_t evaluations = 0;
  double seconds = 0;
  Provenance provenance;
};

// How ABC-SMC's particles are shared over processes (an MPI job): process `rank` evaluates the
// particles i with i % size == rank, and combine() sums each slot over the processes (the
// others' slots are 0), so every process continues with the same values and draws: the result
// is the same for any number of processes. The default is a group of one.
class ParticleTransport {
 public:
  virtual ~ParticleTransport() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  virtual void combine(std::vector<double>& /*slots*/) {}
};

// Runs the method of `spec`. Throws InputError for what only running can find (e.g. no point
// of the ranges the scenario accepts). `transport` splits ABC-SMC's particles (optimise runs
// on every process alike).
CalibrationResult calibrate(const CalibrationSpec& spec, int threads, const CalibrationProgress& progress = {},
                            ParticleTransport* transport = nullptr);

// Writers: fit.csv (target, observed, se, simulated, simulated_se, z, source), posterior.csv
// (columns = parameter paths), the manifest (JSON, MODEL.md §11) and the table for people.
void write_fit_csv(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out);
void write_posterior_csv(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out);
void write_calibration_manifest(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out);
void write_calibration_table(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out);

}  // namespace extrasim
