#include "extrasim/model/metrics.hpp"

namespace extrasim {

namespace {
constexpr std::array<std::string_view, kMetricCount> kNames = {
    "municipality.fs_benefit",
    "municipality.xj_wage_cost",
    "municipality.xj_subsidy",
    "municipality.supervision_support",
    "municipality.supervision_cost",
    "municipality.admin_cost",
    "municipality.tax_revenue",
    "municipality.bonus",
    "municipality.work_value",
    "region.tax_revenue",
    "state.subsidy_paid",
    "state.employer_fees",
    "state.benefits",
    "state.tax_revenue",
    "state.tax_transfer",
    "state.bonus",
    "individual.income",
    "individual.tax",
    "individual.disposable_income",
    "municipality.net",
    "region.net",
    "state.net",
    "public.net",
    "pv.municipality.net",
    "pv.region.net",
    "pv.state.net",
    "pv.public.net",
    "months.fs",
    "months.xj",
    "months.job",
    "months.other",
    "months.exit",
    "starts.xj",
    "intake.unfilled",
    "twin.xj_baseline_job",
    "twin.xj_baseline_fs",
    "end.fs",
    "end.xj",
    "end.job",
    "end.other",
    "end.exit",
};
}  // namespace

std::string_view metric_name(Metric m) { return kNames[index_of(m)]; }

std::string_view metric_alias(Metric m) {
  return m == Metric::kStateBenefits ? std::string_view("state.activity_support") : std::string_view();
}

std::optional<Metric> parse_metric(std::string_view name) {
  for (int i = 0; i < kMetricCount; ++i) {
    if (kNames[i] == name || (!metric_alias(metric_at(i)).empty() && metric_alias(metric_at(i)) == name)) return metric_at(i);
  }
  return std::nullopt;
}

}  // namespace extrasim
