#include "extrasim/results/warnings.hpp"

#include <algorithm>

namespace extrasim {

namespace {

bool given(const Scenario& sc, const std::string& path) {
  const auto it = sc.origins.lower_bound(path);
  return it != sc.origins.end() && (it->first == path || it->first.starts_with(path + "."));
}

bool all_zero(const Timeline& t) {
  for (const TimelineEntry& e : t.entries()) {
    if (e.value != 0.0) return false;
  }
  return true;
}

}  // namespace

std::string_view warning_code(WarningKind kind) {
  switch (kind) {
    case WarningKind::kUnfilledPlaces: return "unfilled_places";
    case WarningKind::kSupervisionCostUnset: return "supervision_cost_unset";
    case WarningKind::kAdminCostUnset: return "admin_cost_unset";
    case WarningKind::kIdenticalScenarios: return "identical_scenarios";
    case WarningKind::kDrawsClamped: return "draws_clamped";
  }
  return "unknown";
}

std::vector<Warning> result_warnings(const Scenario& sc, const RunResult& r) {
  std::vector<Warning> out;
  const auto mean = [&](Metric m) { return r.total[static_cast<int>(ResultSide::kScenario)][index_of(m)].mean; };
  const double unfilled = mean(Metric::kIntakeUnfilled);
  const double asked = unfilled + mean(Metric::kMonthsXj);
  if (asked > 0 && unfilled / asked > kUnfilledWarningShare) {
    out.push_back(Warning::of(WarningKind::kUnfilledPlaces, unfilled / asked));
  }
  for (const auto& [path, replications] : r.replications_clamped) {
    const double share = static_cast<double>(replications) / static_cast<double>(std::max<std::int64_t>(r.replications, 1));
    if (share <= kClampedWarningShare) continue;
    Warning w = Warning::of(WarningKind::kDrawsClamped, share);
    w.other = path;
    out.push_back(std::move(w));
  }
  if (!sc.programme || mean(Metric::kMonthsXj) <= 0) return out;
  const Programme& p = *sc.programme;
  if (!given(sc, "programme.supervision_cost") && all_zero(p.supervision_cost)) {
    out.push_back(Warning::of(WarningKind::kSupervisionCostUnset));
  }
  if (!given(sc, "programme.admin_cost") && all_zero(p.admin_cost.per_start) && all_zero(p.admin_cost.per_month)) {
    out.push_back(Warning::of(WarningKind::kAdminCostUnset));
  }
  return out;
}

Warning about_scenario(Warning warning, const std::string& scenario) {
  warning.scenario = scenario;
  return warning;
}

}  // namespace extrasim
