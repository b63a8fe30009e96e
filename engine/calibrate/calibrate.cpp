// The calibration objective, the optimiser (NLopt) and the Laplace posterior (MODEL.md §10).
#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include <Eigen/Dense>
#include <nlopt.hpp>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

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

// --- ABC-SMC ----------------------------------------------------------------------------------
//
// Sequential Monte Carlo ABC (Del Moral, Doucet and Jasra 2012) with a Gaussian kernel on the
// objective: a particle's weight at tolerance eps is prior x exp(-objective / (2 eps^2)). At
// eps = 1 the kernel is the likelihood of the targets (normal errors with their standard
// errors), so the particles are then draws from the posterior itself. Tolerances fall so that
// each stage keeps half of the previous effective sample size; the run stops at eps = 1, or
// when the moves' acceptance rate falls below 2 % (the particles no longer mix; said in the
// notes), or after max_stages. Every random number is keyed by (seed, stage, particle), and
// particles are evaluated into their own slots, so the result is the same on any thread count.

struct Particles {
  std::vector<std::vector<double>> z;  // transformed space
  std::vector<double> f;               // objective
  std::vector<double> log_prior;       // log prior density in x, plus log |dx/dz|
  std::vector<double> w;               // normalised weights
};

double log_jacobian(const CalibrationParameter& p, double x) {
  switch (p.transform) {
    case Transform::kIdentity: return 0.0;
    case Transform::kLog: return std::log(x);
    case Transform::kLogit: return std::log(x * (1.0 - x));
  }
  return 0.0;
}

// log prior density in the transformed space: -inf outside the ranges.
double log_prior_inner(const CalibrationSpec& spec, const std::vector<double>& z) {
  double sum = 0;
  for (std::size_t j = 0; j < z.size(); ++j) {
    const CalibrationParameter& p = spec.parameters[j];
    if (z[j] < p.inner_lo() || z[j] > p.inner_hi()) return -std::numeric_limits<double>::infinity();
    const double x = p.from_inner(z[j]);
    sum += p.log_prior(x) + log_jacobian(p, x);
  }
  return sum;
}

double ess(const std::vector<double>& w) {
  double s = 0;
  for (double v : w) s += v * v;
  return s > 0 ? 1.0 / s : 0.0;
}

// The weights at a new tolerance: the old ones times the kernel's ratio
// exp(-f/2 (1/eps_new^2 - 1/eps_old^2)), normalised (inv = 1/eps^2; eps_0 = infinity, inv 0).
std::vector<double> reweighted(const std::vector<double>& w, const std::vector<double>& f, double inv_old, double inv_new) {
  std::vector<double> logw(w.size());
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < w.size(); ++i) {
    logw[i] = w[i] > 0 && std::isfinite(f[i]) ? std::log(w[i]) - 0.5 * f[i] * (inv_new - inv_old) : -std::numeric_limits<double>::infinity();
    top = std::max(top, logw[i]);
  }
  std::vector<double> out(w.size());
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) sum += (out[i] = std::isfinite(logw[i]) ? std::exp(logw[i] - top) : 0.0);
  for (double& v : out) v = sum > 0 ? v / sum : 0.0;
  return out;
}

// Systematic resampling: `count` indices, one uniform.
std::vector<std::size_t> systematic(const std::vector<double>& w, std::size_t count, double u) {
  std::vector<std::size_t> out;
  double cumulative = w[0];
  std::size_t i = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double target = (static_cast<double>(k) + u) / static_cast<double>(count);
    while (target > cumulative && i + 1 < w.size()) cumulative += w[++i];
    out.push_back(i);
  }
  return out;
}

class AbcSmc {
 public:
  AbcSmc(const CalibrationSpec& spec, const CalibrationObjective& objective, int threads, const CalibrationProgress& progress,
         ParticleTransport& transport)
      : spec_(spec), objective_(objective), arena_(threads > 0 ? threads : tbb::info::default_concurrency()), progress_(progress),
        transport_(transport) {}

  Particles run(std::vector<std::string>& notes) {
    const std::size_t n = spec_.parameters.size(), N = static_cast<std::size_t>(spec_.method.particles);
    Particles p;
    p.z.assign(N, std::vector<double>(n));
    // Stage 0: uniform in the ranges (in x), importance-weighted by the prior.
    for (std::size_t i = 0; i < N; ++i) {
      const auto u = CalibrationStream(spec_.seed, kAbcStream).uniforms(static_cast<std::uint32_t>(i), 0);
      for (std::size_t j = 0; j < n; ++j) {
        const CalibrationParameter& q = spec_.parameters[j];
        const double uj = j < 4 ? u[j] : CalibrationStream(spec_.seed, kAbcStream).uniforms(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(1 + j / 4))[j % 4];
        p.z[i][j] = q.to_inner(q.lo + uj * (q.hi - q.lo));
      }
    }
    evaluate(p, 0, "abc-smc: stage 0");
    // Importance weights of the uniform proposal: the prior density (1 for a uniform prior).
    p.w.assign(N, 0.0);
    for (std::size_t i = 0; i < N; ++i) {
      double lp = 0;
      for (std::size_t j = 0; j < n; ++j) lp += spec_.parameters[j].log_prior(spec_.parameters[j].from_inner(p.z[i][j]));
      p.w[i] = std::exp(lp);
    }
    p.w = reweighted(p.w, p.f, 0.0, 0.0);
    double inv = 0.0;  // 1 / eps^2 of the current stage
    std::string stop = "reached the stage limit (" + std::to_string(spec_.method.max_stages) + ")";
    int stage = 1;
    double last_acceptance = 1;
    for (; stage <= spec_.method.max_stages; ++stage) {
      const double next = next_inverse(p, inv);
      p.w = reweighted(p.w, p.f, inv, next);
      inv = next;
      if (ess(p.w) < 0.5 * static_cast<double>(N)) {
        resample(p, stage);
        std::fill(p.w.begin(), p.w.end(), 1.0 / static_cast<double>(N));
      }
      // Metropolis-Hastings sweeps until the particles have moved about half of them once (at
      // most 5 sweeps): a stage's acceptance rate is over its sweeps.
      std::int64_t tried = 0, accepted = 0;
      for (int sweep = 0; sweep < 5 && 2 * accepted < static_cast<std::int64_t>(N); ++sweep) move(p, 1.0 / std::sqrt(inv), stage, sweep, tried, accepted);
      last_acceptance = tried > 0 ? static_cast<double>(accepted) / static_cast<double>(tried) : 0.0;
      if (inv >= 1.0) {
        stop = "reached tolerance 1 (the kernel is the targets' likelihood: the particles are posterior draws)";
        break;
      }
      if (last_acceptance < 0.02) {
        stop = "stopped: the moves' acceptance rate fell below 2 % at tolerance " + format_g(1.0 / std::sqrt(inv)) +
               " (the posterior is then wider than the targets alone would make it)";
        break;
      }
    }
    notes.push_back("ABC-SMC with " + std::to_string(N) + " particles, Gaussian kernel on the objective; " + std::to_string(std::min(stage, spec_.method.max_stages)) +
                    " stages, " + stop + "; last acceptance rate " + format_g(100 * last_acceptance) + " %");
    return p;
  }

 private:
  static constexpr std::uint32_t kAbcStream = 2;
  static std::string format_g(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }

  // Evaluates every particle into its own slot (parallel when the objective is exact; a Monte
  // Carlo objective runs its replications in parallel instead).
  void evaluate(Particles& p, int stage, const std::string& label) {
    const std::size_t N = p.z.size();
    p.f.assign(N, 0);
    p.log_prior.assign(N, 0);
    std::atomic<std::int64_t> done{0};
    const auto rank = static_cast<std::size_t>(transport_.rank()), size = static_cast<std::size_t>(transport_.size());
    auto one = [&](std::size_t i) {
      if (i % size != rank) return;  // another process's particle: its slot stays 0 until combined
      p.log_prior[i] = log_prior_inner(spec_, p.z[i]);
      p.f[i] = std::isfinite(p.log_prior[i]) ? objective_(outer(p.z[i])) : std::numeric_limits<double>::infinity();
      const std::int64_t d = ++done;
      if (progress_.update && d % 16 == 0) report(label, d, static_cast<std::int64_t>((N + size - 1 - rank) / size));
    };
    run_all(N, one);
    if (size > 1) {
      transport_.combine(p.f);
      transport_.combine(p.log_prior);
    }
    (void)stage;
  }

  void run_all(std::size_t N, const std::function<void(std::size_t)>& one) {
    if (objective_.exact()) {
      arena_.execute([&] { tbb::parallel_for(std::size_t{0}, N, one); });
    } else {
      for (std::size_t i = 0; i < N; ++i) one(i);
    }
  }

  void report(const std::string& label, std::int64_t done, std::int64_t total) {
    const std::lock_guard<std::mutex> lock(progress_mutex_);
    progress_.update(label, done, total);
  }

  std::vector<double> outer(const std::vector<double>& z) const {
    std::vector<double> x(z.size());
    for (std::size_t j = 0; j < z.size(); ++j) {
      const CalibrationParameter& q = spec_.parameters[j];
      x[j] = std::clamp(q.from_inner(z[j]), q.lo, q.hi);
    }
    return x;
  }

  // The next tolerance: the effective sample size falls to half of the current one (bisection
  // on 1/eps^2), and eps not below 1.
  double next_inverse(const Particles& p, double inv) const {
    const double target = 0.5 * ess(p.w);
    if (ess(reweighted(p.w, p.f, inv, 1.0)) >= target) return 1.0;
    double lo = inv, hi = 1.0;
    for (int k = 0; k < 60; ++k) {
      const double mid = 0.5 * (lo + hi);
      (ess(reweighted(p.w, p.f, inv, mid)) >= target ? lo : hi) = mid;
    }
    return std::max(lo, inv + 1e-12);
  }

  void resample(Particles& p, int stage) {
    const double u = CalibrationStream(spec_.seed, kAbcStream).uniforms(0xFFFFFFFFu, static_cast<std::uint32_t>(stage))[0];
    const std::vector<std::size_t> picks = systematic(p.w, p.z.size(), u);
    Particles q = p;
    for (std::size_t i = 0; i < picks.size(); ++i) {
      q.z[i] = p.z[picks[i]];
      q.f[i] = p.f[picks[i]];
      q.log_prior[i] = p.log_prior[picks[i]];
    }
    p = std::move(q);
  }

  // One Metropolis-Hastings move per particle with weight: a normal random walk with the
  // particles' weighted covariance; counts the moves tried and accepted.
  void move(Particles& p, double eps, int stage, int sweep, std::int64_t& tried, std::int64_t& accepted) {
    const std::size_t N = p.z.size(), n = spec_.parameters.size();
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < N; ++i) {
      for (std::size_t j = 0; j < n; ++j) mean(static_cast<Eigen::Index>(j)) += p.w[i] * p.z[i][j];
    }
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < N; ++i) {
      Eigen::VectorXd d(static_cast<Eigen::Index>(n));
      for (std::size_t j = 0; j < n; ++j) d(static_cast<Eigen::Index>(j)) = p.z[i][j] - mean(static_cast<Eigen::Index>(j));
      cov += p.w[i] * d * d.transpose();
    }
    for (std::size_t j = 0; j < n; ++j) {
      const double range = spec_.parameters[j].inner_hi() - spec_.parameters[j].inner_lo();
      cov(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j)) += 1e-12 * range * range;
    }
    // The random walk's scale for n dimensions (Roberts, Gelman and Gilks 1997): 2.38^2 / n.
    const Eigen::MatrixXd root = Eigen::LLT<Eigen::MatrixXd>((2.38 * 2.38 / static_cast<double>(n)) * cov).matrixL();
    Particles proposed = p;
    const CalibrationStream stream(spec_.seed, kAbcStream + 8 * static_cast<std::uint32_t>(stage) + static_cast<std::uint32_t>(sweep));
    for (std::size_t i = 0; i < N; ++i) {
      Eigen::VectorXd e(static_cast<Eigen::Index>(n));
      for (std::size_t j = 0; j < n; ++j) e(static_cast<Eigen::Index>(j)) = stream.normal(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(1 + j));
      const Eigen::VectorXd step = root * e;
      for (std::size_t j = 0; j < n; ++j) proposed.z[i][j] = p.z[i][j] + step(static_cast<Eigen::Index>(j));
    }
    evaluate(proposed, stage, "abc-smc: stage " + std::to_string(stage) + ", tolerance " + format_g(eps));
    for (std::size_t i = 0; i < N; ++i) {
      if (!(p.w[i] > 0)) continue;
      ++tried;
      const double log_ratio = (proposed.log_prior[i] - proposed.f[i] / (2 * eps * eps)) - (p.log_prior[i] - p.f[i] / (2 * eps * eps));
      const double u = stream.uniforms(static_cast<std::uint32_t>(i), 0)[2];
      if (std::isfinite(proposed.log_prior[i]) && std::isfinite(proposed.f[i]) && std::log(u) < log_ratio) {
        p.z[i] = proposed.z[i];
        p.f[i] = proposed.f[i];
        p.log_prior[i] = proposed.log_prior[i];
        ++accepted;
      }
    }
  }

  const CalibrationSpec& spec_;
  const CalibrationObjective& objective_;
  tbb::task_arena arena_;
  const CalibrationProgress& progress_;
  ParticleTransport& transport_;
  std::mutex progress_mutex_;
};

// Equally weighted draws (systematic resampling), the weighted median point and SDs.
void abc_summary(const CalibrationSpec& spec, const Particles& p, CalibrationResult& r, std::vector<double>& median) {
  const std::size_t n = spec.parameters.size();
  const double u = CalibrationStream(spec.seed, kPosteriorStream).uniforms(0, 0)[0];
  for (std::size_t i : systematic(p.w, static_cast<std::size_t>(spec.draws), u)) {
    std::vector<double> x(n);
    for (std::size_t j = 0; j < n; ++j) x[j] = std::clamp(spec.parameters[j].from_inner(p.z[i][j]), spec.parameters[j].lo, spec.parameters[j].hi);
    r.posterior.push_back(std::move(x));
  }
  median.assign(n, 0);
  r.posterior_sd.assign(n, 0);
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<std::pair<double, double>> xw;
    double mean = 0;
    for (std::size_t i = 0; i < p.z.size(); ++i) {
      const double x = spec.parameters[j].from_inner(p.z[i][j]);
      xw.emplace_back(x, p.w[i]);
      mean += p.w[i] * x;
    }
    std::sort(xw.begin(), xw.end());
    double cumulative = 0, var = 0;
    for (const auto& [x, w] : xw) {
      var += w * (x - mean) * (x - mean);
      if (cumulative < 0.5 && cumulative + w >= 0.5) median[j] = x;
      cumulative += w;
    }
    r.posterior_sd[j] = std::sqrt(var);
  }
}

}  // namespace

CalibrationResult calibrate(const CalibrationSpec& spec, int threads, const CalibrationProgress& progress, ParticleTransport* transport) {
  ParticleTransport one_process;
  const auto started = std::chrono::steady_clock::now();
  CalibrationResult r;
  const CalibrationObjective objective(spec, threads);
  r.mode = objective.mode();
  const std::size_t n = spec.parameters.size();
  std::vector<double> x;
  if (spec.method.kind == CalibrationMethod::Kind::kAbcSmc) {
    AbcSmc abc(spec, objective, threads, progress, transport ? *transport : one_process);
    const Particles particles = abc.run(r.notes);
    abc_summary(spec, particles, r, x);  // the point: the posterior median
  } else {
    const std::int64_t hessian_calls = 2 * static_cast<std::int64_t>(1 + 2 * n + n * (n - 1) / 2);
    Criterion criterion(spec, objective, progress, static_cast<std::int64_t>(spec.method.starts) * spec.method.max_evaluations / 4 + hessian_calls);
    const Optimum best = optimise(spec, criterion, r.notes);
    if (!(best.value < kRefused)) {
      throw InputError({spec.source_file}, "parameters", "no point of the ranges that the scenario accepts",
                       "ranges within which every row sums to at most 1");
    }
    criterion.set_budget(criterion.calls() + hessian_calls);
    r.posterior = laplace_draws(spec, criterion, best.z, r.posterior_sd, r.notes);
    x = criterion.outer(best.z);
  }
  // The fitted point as written into fitted.yaml (6 significant digits), and the fit there.
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
