#include "extrasim/results.hpp"

namespace extrasim {

std::string_view side_name(ResultSide s) {
  switch (s) {
    case ResultSide::kScenario: return "scenario";
    case ResultSide::kBaseline: return "baseline";
    case ResultSide::kDifference: return "difference";
  }
  return "?";
}

Samples::Samples(std::int64_t replications, int periods)
    : replications_(replications),
      periods_(periods),
      data_(static_cast<std::size_t>(2) * periods * kMetricCount * replications, 0.0) {}

std::vector<double> Samples::column(ResultSide side, int period, Metric metric) const {
  const int m = index_of(metric);
  std::vector<double> values(static_cast<std::size_t>(replications_));
  const double* scenario = &data_[index(0, period, m)];
  const double* baseline = &data_[index(1, period, m)];
  for (std::int64_t r = 0; r < replications_; ++r) {
    switch (side) {
      case ResultSide::kScenario: values[r] = scenario[r]; break;
      case ResultSide::kBaseline: values[r] = baseline[r]; break;
      case ResultSide::kDifference: values[r] = scenario[r] - baseline[r]; break;
    }
  }
  return values;
}

RunResult RunResult::about(const Scenario& sc) {
  RunResult r;
  r.scenario = sc.name;
  r.seed = sc.seed;
  r.replications = sc.replications;
  r.discounted = sc.accounting.discount_rate > 0.0;
  r.calendar = sc.calendar;
  return r;
}

bool metric_shown(const RunResult& r, Metric m) { return r.discounted || !is_present_value(m); }

PeriodLayout PeriodLayout::of(const Calendar& calendar) {
  PeriodLayout layout;
  for (int m = 0; m < calendar.months; ++m) {
    const int year = calendar.month(m).year;
    if (layout.years.empty() || layout.years.back() != year) layout.years.push_back(year);
    layout.year_index.push_back(static_cast<int>(layout.years.size()) - 1);
  }
  return layout;
}

std::vector<MetricValues> aggregate_periods(const std::vector<MetricValues>& monthly,
                                            const PeriodLayout& layout) {
  std::vector<MetricValues> periods(static_cast<std::size_t>(layout.count()));
  for (auto& p : periods) p.fill(0.0);
  for (std::size_t m = 0; m < monthly.size(); ++m) {
    MetricValues& total = periods[0];
    MetricValues& year = periods[1 + layout.year_index[m]];
    for (int i = 0; i < kMetricCount; ++i) {
      if (is_stock(metric_at(i))) {
        total[i] = monthly[m][i];  // months run in order: the last one stays
        year[i] = monthly[m][i];
      } else {
        total[i] += monthly[m][i];
        year[i] += monthly[m][i];
      }
    }
  }
  return periods;
}

}  // namespace extrasim
