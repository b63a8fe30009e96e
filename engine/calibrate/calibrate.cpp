// The calibration objective, the optimiser (NLopt) and the Laplace posterior (MODEL.md §10).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include <Eigen/Dense>
#include <nlopt.hpp>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/model/validate.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/simulate/rng.hpp"
#include "extrasim/simulate/runner.hpp"

namespace extrasim {

namespace {

constexpr double kRefused = 1e12;  // the objective where the scenario refuses a point

double logit(double p) { return std::log(p / (1.0 - p)); }
double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Calibration's own random numbers: Philox4x32-10 keyed by the calibration's seed, counter
// {i, j, stream, 2}: word 3 = 2 keeps them apart from person-month draws (0) and parameter
// draws (1) of simulate/rng.hpp, so they never share a stream with the model's.
class CalibrationStream {
 public:
  CalibrationStream(std::uint64_t seed, std::uint32_t stream)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}}, stream_(stream) {}
  // The four uniforms of block (i, j).
  std::array<double, 4> uniforms(std::uint32_t i, std::uint32_t j) const {
    const Philox::ctr_type c = {{i, j, stream_, 2u}};
    const Philox::ctr_type r = Philox()(c, key_);
    return {to_unit(r.v[0]), to_unit(r.v[1]), to_unit(r.v[2]), to_unit(r.v[3])};
  }
  // A standard normal for (i, j) (Box-Muller on the block's first two words).
  double normal(std::uint32_t i, std::uint32_t j) const {
    const auto u = uniforms(i, j);
    return std::sqrt(-2.0 * std::log(u[0])) * std::cos(2.0 * std::numbers::pi * u[1]);
  }

 private:
  Philox::key_type key_;
  std::uint32_t stream_;
};
constexpr std::uint32_t kStartStream = 0;      // optimiser starts
constexpr std::uint32_t kPosteriorStream = 1;  // Laplace draws

double round_significant(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return v;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return std::strtod(buf, nullptr);
}

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The value of one target in a result.
void read_target(const CalibrationTarget& t, const RunResult& r, double& value, double& se) {
  const int side = static_cast<int>(t.side), metric = index_of(t.id);
  if (t.month) {
    const int m = t.month->serial() - r.calendar.start.serial();
    value = r.monthly[static_cast<std::size_t>(m)].mean[side][metric];
    se = 0;
    // A stock at the last simulated month of a year is that year's value, whose standard
    // error the result has; other months keep means only (their Monte Carlo error is left out).
    if (is_stock(t.id) && !r.exact) {
      const PeriodLayout layout = PeriodLayout::of(r.calendar);
      const int y = layout.year_index[static_cast<std::size_t>(m)];
      const bool last_of_year = m + 1 == r.calendar.months || layout.year_index[static_cast<std::size_t>(m + 1)] != y;
      if (last_of_year) se = r.yearly[static_cast<std::size_t>(y)].summaries[side][metric].se;
    }
    return;
  }
  const Summary& s = t.period == 0 ? r.total[side][metric] : r.yearly[static_cast<std::size_t>(t.period - 1)].summaries[side][metric];
  value = s.mean;
  se = r.exact ? 0.0 : s.se;
}

}  // namespace

const char* transform_name(Transform t) {
  switch (t) {
    case Transform::kIdentity: return "identity";
    case Transform::kLog: return "log";
    case Transform::kLogit: return "logit";
  }
  return "identity";
}

double CalibrationParameter::to_inner(double x) const {
  switch (transform) {
    case Transform::kIdentity: return x;
    case Transform::kLog: return std::log(x);
    case Transform::kLogit: return logit(x);
  }
  return x;
}

double CalibrationParameter::from_inner(double z) const {
  switch (transform) {
    case Transform::kIdentity: return z;
    case Transform::kLog: return std::exp(z);
    case Transform::kLogit: return logistic(z);
  }
  return z;
}

double CalibrationParameter::log_prior(double x) const {
  if (x < lo || x > hi) return -std::numeric_limits<double>::infinity();
  if (!prior) return 0.0;
  const Distribution& d = *prior;
  switch (d.kind) {
    case Distribution::Kind::kBeta: return (d.a - 1) * std::log(std::max(x, 1e-300)) + (d.b - 1) * std::log(std::max(1 - x, 1e-300));
    case Distribution::Kind::kUniform: return x < d.a || x > d.b ? -std::numeric_limits<double>::infinity() : 0.0;
    case Distribution::Kind::kNormal: return -0.5 * std::pow((x - d.a) / d.b, 2);
    case Distribution::Kind::kLognormal: return -std::log(x) - 0.5 * std::pow((std::log(x) - d.a) / d.b, 2);
    case Distribution::Kind::kFixed: return 0.0;
  }
  return 0.0;
}

CalibrationObjective::CalibrationObjective(const CalibrationSpec& spec, int threads)
    : spec_(spec), base_(spec.scenario), threads_(threads) {
  // The objective is at points: the scenario's own uncertainty is not drawn.
  base_.uncertainty.clear();
  base_.draws.reset();
  base_.seed = spec.seed;
  base_.replications = spec.replications;
  exact_ = !(base_.programme && base_.programme->intake);
}

std::string CalibrationObjective::mode() const {
  if (exact_) return "expected values (exact Markov chain, no noise)";
  return "Monte Carlo means of " + std::to_string(spec_.replications) +
         " replications, the same random numbers at every point (the scenario has capacity intake, so expected values do not apply)";
}

Scenario CalibrationObjective::scenario_at(const std::vector<double>& x) const {
  Scenario sc = base_;
  for (std::size_t j = 0; j < spec_.parameters.size(); ++j) {
    set_parameter(sc, spec_.parameters[j].path, x[j], "calibration " + spec_.parameters[j].path);
  }
  validate(sc);
  return sc;
}

TargetValues CalibrationObjective::targets_at(const std::vector<double>& x) const {
  const Scenario sc = scenario_at(x);
  ++evaluations_;
  SessionOptions options;
  options.threads = threads_;
  const RunResult r = exact_ ? expected_values(sc) : run_monte_carlo(sc, options);
  TargetValues v;
  for (const CalibrationTarget& t : spec_.targets) {
    double value = 0, se = 0;
    read_target(t, r, value, se);
    v.simulated.push_back(value);
    v.se.push_back(se);
  }
  return v;
}

double CalibrationObjective::operator()(const std::vector<double>& x) const {
  TargetValues v;
  try {
    v = targets_at(x);
  } catch (const InputError&) {
    return std::numeric_limits<double>::infinity();
  }
  double sum = 0;
  for (std::size_t i = 0; i < spec_.targets.size(); ++i) {
    const CalibrationTarget& t = spec_.targets[i];
    sum += std::pow((v.simulated[i] - t.observed), 2) / (t.se * t.se + v.se[i] * v.se[i]);
  }
  return sum;
}

namespace {

// Minus twice the log posterior in the transformed space, up to a constant: the objective plus
// the priors' penalty (0 for uniform priors). Large and finite where the scenario refuses.
class Criterion {
 public:
  Criterion(const CalibrationSpec& spec, const CalibrationObjective& objective, const CalibrationProgress& progress,
            std::int64_t budget)
      : spec_(spec), objective_(objective), progress_(progress), budget_(budget) {}

  std::vector<double> outer(const std::vector<double>& z) const {
    std::vector<double> x(z.size());
    for (std::size_t j = 0; j < z.size(); ++j) {
      const CalibrationParameter& p = spec_.parameters[j];
      x[j] = std::clamp(p.from_inner(z[j]), p.lo, p.hi);
    }
    return x;
  }
  double operator()(const std::vector<double>& z) const {
    const std::vector<double> x = outer(z);
    double f = objective_(x);
    for (std::size_t j = 0; j < x.size(); ++j) f -= 2.0 * spec_.parameters[j].log_prior(x[j]);
    ++calls_;
    if (progress_.update) progress_.update("fitting", calls_, std::max(budget_, calls_));
    return std::isfinite(f) ? f : kRefused;
  }
  std::int64_t calls() const { return calls_; }
  void set_budget(std::int64_t budget) { budget_ = budget; }

 private:
  const CalibrationSpec& spec_;
  const CalibrationObjective& objective_;
  const CalibrationProgress& progress_;
  std::int64_t budget_;
  mutable std::int64_t calls_ = 0;
};

double nlopt_criterion(const std::vector<double>& z, std::vector<double>& /*gradient*/, void* data) {
  return (*static_cast<const Criterion*>(data))(z);
}

struct Optimum {
  std::vector<double> z;
  double value = std::numeric_limits<double>::infinity();
};

// Several local searches in the transformed box; the first from the scenario's own values,
// the others from points keyed by the seed (uniform in the transformed box).
Optimum optimise(const CalibrationSpec& spec, const Criterion& criterion, std::vector<std::string>& notes) {
  const std::size_t n = spec.parameters.size();
  std::vector<double> lo(n), hi(n), first(n);
  for (std::size_t j = 0; j < n; ++j) {
    const CalibrationParameter& p = spec.parameters[j];
    lo[j] = p.inner_lo();
    hi[j] = p.inner_hi();
    first[j] = p.to_inner(std::clamp(p.start, p.lo, p.hi));
    // Searches that start on a bound cannot probe beyond it: start a little inside.
    first[j] = std::clamp(first[j], lo[j] + 1e-3 * (hi[j] - lo[j]), hi[j] - 1e-3 * (hi[j] - lo[j]));
  }
  const CalibrationStream stream(spec.seed, kStartStream);
  const nlopt::algorithm algorithm = spec.method.algorithm == "sbplx" ? nlopt::LN_SBPLX : nlopt::LN_BOBYQA;
  Optimum best;
  int converged = 0;
  for (int s = 0; s < spec.method.starts; ++s) {
    std::vector<double> z = first;
    if (s > 0) {
      for (std::size_t j = 0; j < n; ++j) {
        const double u = stream.uniforms(static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(j))[0];
        z[j] = lo[j] + (0.05 + 0.9 * u) * (hi[j] - lo[j]);
      }
    }
    nlopt::opt opt(algorithm, static_cast<unsigned>(n));
    opt.set_lower_bounds(lo);
    opt.set_upper_bounds(hi);
    opt.set_min_objective(nlopt_criterion, const_cast<Criterion*>(&criterion));
    opt.set_xtol_rel(1e-7);
    opt.set_ftol_abs(1e-9);
    opt.set_maxeval(spec.method.max_evaluations);
    std::vector<double> step(n);
    for (std::size_t j = 0; j < n; ++j) step[j] = 0.1 * (hi[j] - lo[j]);
    opt.set_initial_step(step);
    double value = 0;
    nlopt::result result = nlopt::FAILURE;
    try {
      result = opt.optimize(z, value);
    } catch (const nlopt::roundoff_limited&) {
      value = criterion(z);  // as far as the arithmetic allows: still a point
    }
    if (result == nlopt::XTOL_REACHED || result == nlopt::FTOL_REACHED) ++converged;
    if (value < best.value) best = {z, value};
  }
  notes.push_back(std::string("NLopt ") + (spec.method.algorithm == "sbplx" ? "Sbplx" : "BOBYQA") + " from " +
                  std::to_string(spec.method.starts) + " start(s) (the first at the scenario's own values); " +
                  std::to_string(converged) + " of them reached the tolerance" +
                  (converged < spec.method.starts ? ", the others stopped at " + std::to_string(spec.method.max_evaluations) +
                                                        " evaluations or the arithmetic's limit"
                                                  : std::string()));
  return best;
}

// The numerical Hessian of half the criterion at z (the negative log posterior in the
// transformed space), with steps `h`; one-sided where a bound is nearer than the step.
Eigen::MatrixXd hessian(const Criterion& criterion, const std::vector<double>& z, const std::vector<double>& h,
                        const std::vector<double>& lo, const std::vector<double>& hi) {
  const std::size_t n = z.size();
  const double f0 = 0.5 * criterion(z);
  auto at = [&](std::size_t i, double di, std::size_t j, double dj) {
    std::vector<double> p = z;
    p[i] += di;
    if (j < n) p[j] += dj;
    return 0.5 * criterion(p);
  };
  std::vector<double> dir(n);  // +1: step up is inside; -1: only down is
  std::vector<bool> central(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool up = z[i] + h[i] <= hi[i], down = z[i] - h[i] >= lo[i];
    central[i] = up && down;
    dir[i] = up ? 1.0 : -1.0;
  }
  Eigen::MatrixXd H(n, n);
  std::vector<double> fi(n);  // f at one step along i (direction dir)
  for (std::size_t i = 0; i < n; ++i) {
    const double s = dir[i] * h[i];
    fi[i] = at(i, s, n, 0);
    if (central[i]) {
      H(i, i) = (fi[i] - 2 * f0 + at(i, -s, n, 0)) / (h[i] * h[i]);
    } else {
      H(i, i) = (at(i, 2 * s, n, 0) - 2 * fi[i] + f0) / (h[i] * h[i]);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double si = dir[i] * h[i], sj = dir[j] * h[j];
      const double fij = at(i, si, j, sj);
      H(i, j) = H(j, i) = (fij - fi[i] - fi[j] + f0) / (si * sj);
    }
  }
  return H;
}

// Equally weighted draws from the Laplace approximation: normal in the transformed space with
// the inverse Hessian as covariance, truncated to the ranges (a draw outside is redrawn).
std::vector<std::vector<double>> laplace_draws(const CalibrationSpec& spec, const Criterion& criterion, const std::vector<double>& z,
                                               std::vector<double>& sd_out, std::vector<std::string>& notes) {
  const std::size_t n = z.size();
  std::vector<double> lo(n), hi(n), h(n);
  for (std::size_t j = 0; j < n; ++j) {
    lo[j] = spec.parameters[j].inner_lo();
    hi[j] = spec.parameters[j].inner_hi();
    h[j] = 1e-3 * (hi[j] - lo[j]);
  }
  // Two passes: a first curvature with small steps gives each direction's posterior scale, and
  // the Hessian is then taken over about one posterior standard deviation (robust to the
  // small steps of a Monte Carlo objective, exact for a quadratic).
  Eigen::MatrixXd H = hessian(criterion, z, h, lo, hi);
  for (std::size_t j = 0; j < n; ++j) {
    const double scale = H(j, j) > 0 ? 1.0 / std::sqrt(H(j, j)) : 0.1 * (hi[j] - lo[j]);
    h[j] = std::clamp(scale, 1e-6 * (hi[j] - lo[j]), 0.1 * (hi[j] - lo[j]));
  }
  H = hessian(criterion, z, h, lo, hi);
  // A direction without curvature (the data say nothing about it) is spread over its range.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(H);
  Eigen::VectorXd values = eigen.eigenvalues();
  double widest = 0;
  for (std::size_t j = 0; j < n; ++j) widest = std::max(widest, hi[j] - lo[j]);
  int flat = 0;
  for (Eigen::Index k = 0; k < values.size(); ++k) {
    if (!(values(k) > 1.0 / (widest * widest))) {
      values(k) = 1.0 / (widest * widest);
      ++flat;
    }
  }
  const Eigen::MatrixXd root = eigen.eigenvectors() * values.cwiseInverse().cwiseSqrt().asDiagonal();
  notes.push_back("Laplace approximation: normal in the transformed space, covariance the inverse Hessian of half the objective "
                  "(central differences over about one posterior SD), truncated to the ranges" +
                  (flat ? "; " + std::to_string(flat) + " direction(s) without curvature were spread over the range" : std::string()));
  const CalibrationStream stream(spec.seed, kPosteriorStream);
  std::vector<std::vector<double>> draws;
  std::int64_t redrawn = 0;
  for (std::int64_t d = 0; d < spec.draws; ++d) {
    std::vector<double> x(n);
    for (std::uint32_t attempt = 0;; ++attempt) {
      Eigen::VectorXd e(static_cast<Eigen::Index>(n));
      for (std::size_t j = 0; j < n; ++j) {
        e(static_cast<Eigen::Index>(j)) = stream.normal(static_cast<std::uint32_t>(d), attempt * static_cast<std::uint32_t>(n) + static_cast<std::uint32_t>(j));
      }
      const Eigen::VectorXd step = root * e;
      bool inside = true;
      for (std::size_t j = 0; j < n; ++j) {
        const double zj = z[j] + step(static_cast<Eigen::Index>(j));
        inside = inside && zj >= lo[j] && zj <= hi[j];
        x[j] = spec.parameters[j].from_inner(std::clamp(zj, lo[j], hi[j]));
        x[j] = std::clamp(x[j], spec.parameters[j].lo, spec.parameters[j].hi);
      }
      if (inside || attempt == 1000) break;
      ++redrawn;
    }
    draws.push_back(std::move(x));
  }
  if (redrawn > 0) notes.push_back(std::to_string(redrawn) + " posterior draw(s) fell outside the ranges and were drawn again");
  sd_out.assign(n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double mean = 0, m2 = 0;
    for (const auto& x : draws) mean += x[j];
    mean /= static_cast<double>(draws.size());
    for (const auto& x : draws) m2 += (x[j] - mean) * (x[j] - mean);
    sd_out[j] = draws.size() > 1 ? std::sqrt(m2 / static_cast<double>(draws.size() - 1)) : 0.0;
  }
  return draws;
}

}  // namespace

CalibrationResult calibrate(const CalibrationSpec& spec, int threads, const CalibrationProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  CalibrationResult r;
  const CalibrationObjective objective(spec, threads);
  r.mode = objective.mode();
  const std::size_t n = spec.parameters.size();
  const std::int64_t hessian_calls = 2 * static_cast<std::int64_t>(1 + 2 * n + n * (n - 1) / 2);
  Criterion criterion(spec, objective, progress, static_cast<std::int64_t>(spec.method.starts) * spec.method.max_evaluations / 4 + hessian_calls);
  const Optimum best = optimise(spec, criterion, r.notes);
  if (!(best.value < kRefused)) {
    throw InputError({spec.source_file}, "parameters", "no point of the ranges that the scenario accepts",
                     "ranges within which every row sums to at most 1");
  }
  criterion.set_budget(criterion.calls() + hessian_calls);
  r.posterior = laplace_draws(spec, criterion, best.z, r.posterior_sd, r.notes);
  // The fitted point as written into fitted.yaml (6 significant digits), and the fit there.
  const std::vector<double> x = criterion.outer(best.z);
  for (std::size_t j = 0; j < n; ++j) {
    const CalibrationParameter& p = spec.parameters[j];
    r.point.push_back(std::clamp(round_significant(x[j], 6), p.lo, p.hi));
    r.point_texts.push_back(number_text(r.point[j]));
  }
  const TargetValues fit = objective.targets_at(r.point);
  r.simulated = fit.simulated;
  r.simulated_se = fit.se;
  r.objective = objective(r.point);
  if (r.objective > 2.0 * static_cast<double>(spec.targets.size()) + 4.0) {
    r.notes.push_back("the objective is well above the number of targets: the model cannot meet every target within its standard "
                      "error at any point of the ranges (fit.csv's z says which targets disagree)");
  }
  r.evaluations = objective.evaluations();
  r.provenance = provenance_of(spec.scenario, objective.exact() ? 0 : threads);
  r.provenance.inputs.insert(r.provenance.inputs.begin(), SourceFile{spec.source_file, spec.source_sha256});
  r.provenance.seed = spec.seed;
  r.provenance.replications = objective.exact() ? 0 : spec.replications;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace extrasim
