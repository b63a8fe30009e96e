#include "extrasim/model/metrics.hpp"

namespace extrasim {

namespace {
constexpr std::array<std::string_view, kMetricCount> kNames = {
    "municipality.fs_benefit",
    "municipality.xj_wage_cost",
    "municipality.xj_subsidy",
    "municipality.supervision_support",
    "municipality.supervision_cost",
    "municipality.tax_revenue",
    "municipality.bonus",
    "state.subsidy_paid",
    "state.employer_fees",
    "state.activity_support",
    "state.bonus",
    "individual.income",
    "municipality.net",
    "state.net",
    "public.net",
    "pv.municipality.net",
    "pv.state.net",
    "pv.public.net",
    "months.fs",
    "months.xj",
    "months.job",
    "months.other",
    "months.exit",
    "starts.xj",
    "intake.unfilled",
    "end.fs",
    "end.xj",
    "end.job",
    "end.other",
    "end.exit",
};
}  // namespace

std::string_view metric_name(Metric m) { return kNames[index_of(m)]; }

std::optional<Metric> parse_metric(std::string_view name) {
  for (int i = 0; i < kMetricCount; ++i) {
    if (kNames[i] == name) return metric_at(i);
  }
  return std::nullopt;
}

}  // namespace extrasim
