#include "extrasim/sweep.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>

#include "extrasim/rng.hpp"

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
      return to_unit(streams.parameter_words((2u << 29) + static_cast<std::uint32_t>(j), i)[k]);
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
      points[i][j] = p.lo + u * (p.hi - p.lo);
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

}  // namespace

std::vector<std::vector<double>> sweep_points(const SweepSpec& spec) {
  return spec.design == SweepDesign::kGrid ? grid(spec) : latin_hypercube(spec);
}

std::string sweep_value_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace extrasim
