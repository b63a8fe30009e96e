// Comparing scenarios run with the same seed and replications: the same people meet the same
// random numbers in every scenario (common random numbers), so differences between
// scenarios are computed per replication and their intervals are far narrower than those of
// independent runs.
#pragma once

#include <string>
#include <vector>

#include "extrasim/results/effect.hpp"
#include "extrasim/results/results.hpp"

namespace extrasim {

struct ScenarioComparison {
  std::vector<std::string> names;            // in the order given
  std::vector<std::string> periods;          // "total", then the calendar years
  // means[k][p][metric]: scenario k's own side (with its programme), period p.
  std::vector<std::vector<MetricValues>> means;
  // versus_first[k - 1][p][metric]: scenario k minus the first, per replication.
  std::vector<std::vector<std::array<Summary, kMetricCount>>> versus_first;
  std::int64_t replications = 0;
  std::uint64_t seed = 0;
  // effects[k]: scenario k against no programme, per budget year and payer (effect.hpp).
  std::vector<Effect> effects;
  std::vector<Warning> warnings;  // each run's, named, and the comparison's own
  std::vector<std::string> notes;  // how the runs were made (e.g. baselines not shared)
};

// Throws InputError when the runs differ in calendar, seed or replications (they would not
// be paired), or when fewer than two are given.
ScenarioComparison compare_runs(const std::vector<RunResult>& runs);

}  // namespace extrasim
