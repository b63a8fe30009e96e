#include "extrasim/results/compare.hpp"

#include "extrasim/error.hpp"
#include "extrasim/results/warnings.hpp"

namespace extrasim {

ScenarioComparison compare_runs(const std::vector<RunResult>& runs) {
  if (runs.size() < 2) throw InputError({"compare"}, "", std::to_string(runs.size()) + " scenario(s)", "at least two scenarios");
  const RunResult& first = runs.front();
  for (const RunResult& r : runs) {
    if (r.calendar.start != first.calendar.start || r.calendar.months != first.calendar.months) {
      throw InputError({r.scenario}, "calendar", r.calendar.start.to_string() + " + " + std::to_string(r.calendar.months) + " months",
                       "the calendar of " + first.scenario + " (" + first.calendar.start.to_string() + " + " +
                           std::to_string(first.calendar.months) + " months): compared scenarios cover the same months");
    }
    if (r.seed != first.seed || r.replications != first.replications) {
      throw InputError({r.scenario}, "", "another seed or replication count", "the same as " + first.scenario + " (pass --seed and --replications)");
    }
  }
  ScenarioComparison c;
  c.replications = first.replications;
  c.seed = first.seed;
  c.periods.emplace_back("total");
  for (const YearResult& y : first.yearly) c.periods.push_back(std::to_string(y.year));
  const int periods = static_cast<int>(c.periods.size());
  for (const RunResult& r : runs) {
    c.names.push_back(r.scenario);
    c.effects.push_back(effect_of(r));
    for (const Warning& w : r.warnings) c.warnings.push_back(about_scenario(w, r.scenario));
    std::vector<MetricValues> means(static_cast<std::size_t>(periods));
    for (int i = 0; i < kMetricCount; ++i) {
      means[0][i] = r.total[0][i].mean;
      for (int p = 1; p < periods; ++p) means[p][i] = r.yearly[p - 1].summaries[0][i].mean;
    }
    c.means.push_back(means);
  }
  c.versus_first.assign(runs.size() - 1, std::vector<std::array<Summary, kMetricCount>>(static_cast<std::size_t>(periods)));
  for (int p = 0; p < periods; ++p) {
    for (int i = 0; i < kMetricCount; ++i) {
      const std::vector<double> a = first.samples.column(ResultSide::kScenario, p, metric_at(i));
      for (std::size_t k = 1; k < runs.size(); ++k) {
        std::vector<double> d = runs[k].samples.column(ResultSide::kScenario, p, metric_at(i));
        for (std::size_t rep = 0; rep < d.size(); ++rep) d[rep] -= a[rep];
        c.versus_first[k - 1][p][i] = summarize(d);
      }
    }
  }
  return c;
}

}  // namespace extrasim
