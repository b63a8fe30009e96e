// Statistics that do not know what they summarise.
#pragma once

#include <cstdint>
#include <span>

namespace extrasim {

// Mean and variance by Welford's update, mergeable by Chan's formula: numerically stable,
// and deterministic when merged in a fixed order.
class Moments {
 public:
  void add(double x);
  void merge(const Moments& other);
  std::int64_t count() const { return n_; }
  double mean() const { return mean_; }
  double variance() const;  // with n - 1; 0 for n < 2

 private:
  std::int64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

struct Summary {
  double mean = 0, sd = 0, se = 0;
  double p025 = 0, p05 = 0, p50 = 0, p95 = 0, p975 = 0;
  double p_positive = 0;  // share of replications with a value > 0
};

// Quantile of sorted data by linear interpolation between order statistics (Hyndman-Fan
// type 7, R's default): h = (n - 1) p.
double quantile_sorted(std::span<const double> sorted, double p);

// All of Summary from per-replication values (at least one); sd with n - 1, se = sd / sqrt(n).
Summary summarize(std::span<const double> values);

}  // namespace extrasim
