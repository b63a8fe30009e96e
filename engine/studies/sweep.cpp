#include "extrasim/studies/sweep.hpp"

#include <charconv>
#include <cmath>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/random/sobol.hpp>
#include <algorithm>
#include <numeric>

#include "extrasim/model/parameters.hpp"
#include "extrasim/model/validate.hpp"
#include "extrasim/simulate/rng.hpp"

namespace extrasim {

namespace {

// Latin hypercube: for each parameter a permutation of the n strata and a uniform within
// each, from Philox streams keyed by (seed, parameter); independent of everything else.
std::vector<std::vector<double>> latin_hypercube(const SweepSpec& spec) {
  const auto n = static_cast<std::size_t>(spec.samples);
  std::vector<std::vector<double>> points(n, std::vector<double>(spec.parameters.size()));
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const ReplicationStreams streams(spec.seed, 0);
    auto uniform = [&](std::uint32_t i, std::uint32_t k) {
      return to_unit(streams.parameter_words(kLatinHypercubeParameterBase + static_cast<std::uint32_t>(j), i)[k]);
    };
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), 0);
    for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates
      const auto pick = static_cast<std::size_t>(uniform(static_cast<std::uint32_t>(i), 0) * static_cast<double>(i));
      std::swap(strata[i - 1], strata[std::min(pick, i - 1)]);
    }
    const SweepParameter& p = spec.parameters[j];
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(strata[i]) + uniform(static_cast<std::uint32_t>(i), 1)) / static_cast<double>(n);
      points[i][j] = p.at(u);
    }
  }
  return points;
}

std::vector<std::vector<double>> grid(const SweepSpec& spec) {
  std::vector<std::vector<double>> points = {{}};
  for (const SweepParameter& p : spec.parameters) {
    std::vector<std::vector<double>> next;
    for (const auto& prefix : points) {
      for (double v : p.values) {
        next.push_back(prefix);
        next.back().push_back(v);
      }
    }
    points = std::move(next);
  }
  return points;
}

// Saltelli's design (Saltelli et al. 2010, "Variance based sensitivity analysis of model
// output", scheme without second-order terms), the order SALib uses, so results can be
// checked against it. The sequence is not scrambled: the same file gives the same points.
std::vector<std::vector<double>> saltelli(const SweepSpec& spec) {
  const std::size_t d = spec.parameters.size();
  boost::random::sobol sequence(2 * d);  // starts after the all-zero point
  std::vector<std::vector<double>> points;
  points.reserve(static_cast<std::size_t>(saltelli_points(spec.samples, d)));
  std::vector<double> base(2 * d);
  for (std::int64_t i = 0; i < spec.samples; ++i) {
    for (std::size_t c = 0; c < 2 * d; ++c) {
      const SweepParameter& p = spec.parameters[c % d];
      const double u = std::ldexp(static_cast<double>(sequence() >> 11), -53);  // exact: dyadic
      base[c] = p.at(u);
    }
    const std::vector<double> a(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(d));
    const std::vector<double> b(base.begin() + static_cast<std::ptrdiff_t>(d), base.end());
    points.push_back(a);
    for (std::size_t j = 0; j < d; ++j) {
      points.push_back(a);
      points.back()[j] = b[j];
    }
    points.push_back(b);
  }
  return points;
}

}  // namespace

std::vector<std::vector<double>> sweep_points(const SweepSpec& spec) {
  switch (spec.design) {
    case SweepDesign::kGrid: return grid(spec);
    case SweepDesign::kLhs: return latin_hypercube(spec);
    case SweepDesign::kSobol: return saltelli(spec);
  }
  return {};
}

std::int64_t saltelli_points(std::int64_t base_samples, std::size_t parameters) {
  return base_samples * static_cast<std::int64_t>(parameters + 2);
}

std::size_t max_sobol_parameters() { return boost::random::default_sobol_table::max_dimension / 2; }

double SweepParameter::at(double u) const {
  const double w = hi - lo;
  switch (shape) {
    case SweepShape::kUniform:
      return lo + u * w;
    case SweepShape::kTriangular: {
      const double c = w > 0 ? (a - lo) / w : 0.5;
      const double x = u < c ? std::sqrt(u * c) : 1 - std::sqrt((1 - u) * (1 - c));
      return std::clamp(lo + x * w, lo, hi);
    }
    case SweepShape::kNormal: {
      const boost::math::normal_distribution<double> n(a, b);
      const double fa = boost::math::cdf(n, lo), fb = boost::math::cdf(n, hi);
      const double q = std::clamp(fa + u * (fb - fa), 1e-300, 1 - 1e-16);
      return std::clamp(boost::math::quantile(n, q), lo, hi);
    }
    case SweepShape::kBeta:
      return std::clamp(lo + boost::math::ibeta_inv(a, b, std::clamp(u, 0.0, 1.0)) * w, lo, hi);
  }
  return lo + u * w;
}

std::string SweepMetric::name() const {
  std::string n = std::string(side_name(side)) + "." + std::string(metric_name(metric));
  if (year != 0) n += "." + std::to_string(year);
  return n;
}

const char* design_name(SweepDesign design) {
  switch (design) {
    case SweepDesign::kGrid: return "grid";
    case SweepDesign::kLhs: return "lhs";
    case SweepDesign::kSobol: return "sobol";
  }
  return "?";
}

std::string sweep_value_text(double v) {
  char buf[40];
  // As printf's "%.17g" (the standard says so), without the locale and format parsing.
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17);
  return std::string(buf, ec == std::errc() ? end : buf);
}

Scenario scenario_at_point(const Scenario& base, const SweepSpec& spec, const std::vector<double>& values) {
  Scenario sc = base;
  sc.seed = spec.seed;
  sc.replications = spec.replications;
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const std::string& path = spec.parameters[j].path;
    set_parameter(sc, path, values[j], spec.source_file + ": " + path + "=" + sweep_value_text(values[j]));
  }
  validate(sc);
  return sc;
}

}  // namespace extrasim
