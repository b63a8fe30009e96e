// Monte Carlo runs: replications in parallel (oneTBB), reduced deterministically.
//
// Each replication draws its parameters (if the scenario is uncertain), simulates the scenario
// and its baseline with the same random keys, and prices both. Per-replication totals and
// yearly values are kept for quantiles; monthly means are merged in a fixed tree order
// (tbb::parallel_deterministic_reduce with a fixed grain), so results are bit-identical for
// any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "extrasim/results/results.hpp"
#include "extrasim/model/scenario.hpp"

namespace extrasim {

struct RunOptions {
  std::optional<std::int64_t> replications;  // overrides the scenario's
  std::optional<std::uint64_t> seed;         // overrides the scenario's
  int threads = 0;                           // 0: all hardware threads
  // Keep each replication's people in fs, xj and job per month (scenario side) for the
  // monthly bands of RunResult::monthly_people (reports). Memory: 24 bytes per month and
  // replication.
  bool keep_monthly_people = false;
  // Memory for the replications' values before they go to a temporary file (results.hpp).
  std::size_t sample_memory_bytes = Samples::kDefaultMemoryBudget;
  // Called now and then with (replications done, total); from any thread, serialised.
  std::function<void(std::int64_t, std::int64_t)> progress;
};

RunResult run_monte_carlo(const Scenario& scenario, const RunOptions& options = {});

// Precision on demand: runs batches of `batch` replications (100, 200, ... as the standard
// error asks) until `side`.`metric`'s standard error is at most `target_se`, or
// `max_replications` is reached (said in the result's notes). Replication r is the same in
// every pass, so the same flags give the same replications and results on any thread count.
struct PrecisionTarget {
  ResultSide side = ResultSide::kDifference;
  Metric metric = Metric::kMunicipalityNet;
  double target_se = 0;
  std::int64_t batch = 100;
  std::int64_t max_replications = 100000;
};
// Parses "difference.municipality.net=50000"; throws InputError (file "--target-se").
PrecisionTarget parse_precision_target(const std::string& text);
RunResult run_to_precision(const Scenario& scenario, RunOptions options, const PrecisionTarget& target);

// What a run will need, estimated before it starts, so that absurd sizes can be refused with
// numbers instead of discovered hours later. Time assumes about 7 ns per person-month and
// side on one core of the reference machine (see README, "Performance").
struct RunEstimate {
  double bytes = 0;         // peak memory
  double seconds = 0;       // wall time on `threads` threads
  double person_months = 0;  // scenario and baseline
};
RunEstimate estimate_run(const Scenario& scenario, std::int64_t replications, int threads);

}  // namespace extrasim
