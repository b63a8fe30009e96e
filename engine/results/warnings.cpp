#include "extrasim/results/warnings.hpp"

#include <cmath>
#include <cstdio>

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

std::string percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * share);
  return buf;
}

}  // namespace

std::vector<std::string> result_warnings(const Scenario& sc, const RunResult& r) {
  std::vector<std::string> out;
  const auto mean = [&](Metric m) { return r.total[static_cast<int>(ResultSide::kScenario)][index_of(m)].mean; };
  const double unfilled = mean(Metric::kIntakeUnfilled);
  const double asked = unfilled + mean(Metric::kMonthsXj);
  if (asked > 0 && unfilled / asked > kUnfilledWarningShare) {
    out.push_back(percent(unfilled / asked) + " of the place-months stayed empty (intake.unfilled): fewer eligible persons than places, "
                  "so the programme is smaller than its places say");
  }
  if (!sc.programme || mean(Metric::kMonthsXj) <= 0) return out;
  const Programme& p = *sc.programme;
  if (!given(sc, "programme.supervision_cost") && all_zero(p.supervision_cost)) {
    out.push_back("programme.supervision_cost is not set, so a supervisor's time counts as 0 kr; set it, or write 0 with its "
                  "source if the support covers it");
  }
  if (!given(sc, "programme.admin_cost") && all_zero(p.admin_cost.per_start) && all_zero(p.admin_cost.per_month)) {
    out.push_back("programme.admin_cost is not set, so recruitment and coordination count as 0 kr");
  }
  return out;
}

}  // namespace extrasim
