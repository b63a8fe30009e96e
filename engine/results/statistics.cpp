#include "extrasim/results/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace extrasim {

void Moments::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void Moments::merge(const Moments& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double n = static_cast<double>(n_ + other.n_);
  const double delta = other.mean_ - mean_;
  mean_ += delta * static_cast<double>(other.n_) / n;
  m2_ += other.m2_ + delta * delta * static_cast<double>(n_) * static_cast<double>(other.n_) / n;
  n_ += other.n_;
}

double Moments::variance() const {
  return n_ < 2 ? 0.0 : m2_ / static_cast<double>(n_ - 1);
}

double quantile_sorted(std::span<const double> sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Summary summarize(std::span<const double> values) {
  Moments moments;
  std::int64_t positive = 0;
  for (double v : values) {
    moments.add(v);
    positive += v > 0.0;
  }
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  Summary s;
  const double n = static_cast<double>(values.size());
  s.mean = moments.mean();
  s.sd = std::sqrt(moments.variance());
  s.se = s.sd / std::sqrt(n);
  s.p025 = quantile_sorted(sorted, 0.025);
  s.p05 = quantile_sorted(sorted, 0.05);
  s.p50 = quantile_sorted(sorted, 0.50);
  s.p95 = quantile_sorted(sorted, 0.95);
  s.p975 = quantile_sorted(sorted, 0.975);
  s.p_positive = static_cast<double>(positive) / n;
  return s;
}

}  // namespace extrasim
