// Monte Carlo runs: a RunSession simulates replications in parallel (oneTBB) and reduces
// them deterministically; it can grow, reports progress, can be cancelled, and owns its threads.
//
// Contract:
// - One source of truth: the Scenario's `seed` keys every random draw; replication r draws
//   only from (seed, r), so its values are the same in every run, session, process and thread
//   count. The Scenario's `replications` is what run_monte_carlo runs; a session runs what it
//   is asked (append). No option overrides either: set them on the Scenario.
// - Determinism: replications [kB, kB + B) form block k (B = RunSession::kBlock). A block's
//   monthly moments are accumulated in replication order; blocks are merged into the session's
//   accumulator strictly in block order (a left fold); a block that an append leaves unfinished
//   stays open and the next append continues it. So the reduction does not depend on the
//   number of threads, nor on how the replications were split into appends: append(100) then
//   append(150) is bit-identical to append(250) and to run_monte_carlo with 250 replications.
//   Totals, yearly values and quantiles come from the per-replication values stored by index.
// - Cancellation: cancel() may be called from any thread, at any time (also before an
//   append); it is final for the session. No exception: the running append stops within about
//   one replication per thread (a replication is not interrupted, so a scenario of millions of
//   persons stops only as fast as one replication runs) and returns how many it completed;
//   later appends return 0. What was done stays usable: the session keeps the completed
//   replications 0 .. r - 1 up to the first one left undone (any completed after it are
//   dropped), so result() equals a run of r replications bit for bit, plus a note saying so.
// - Threads: each session runs in its own tbb::task_arena of SessionOptions::threads; no
//   process-wide setting, so sessions with different thread counts can run at once. (An arena
//   wider than TBB's worker pool, the machine's cores by default, gets no more threads.)
// - Memory: the replications' values (Samples: a budget, then a temporary file), the monthly
//   people if asked, and the monthly moments of at most 4 blocks per thread in flight.
// - A session is not thread-safe apart from cancel(), cancelled() and replications_simulated():
//   call append and result from one thread at a time (never from the progress callback).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "extrasim/results/results.hpp"
#include "extrasim/model/scenario.hpp"

namespace extrasim {

struct SessionOptions {
  int threads = 0;  // the session's arena; 0: tbb::info::default_concurrency()
  // Keep each replication's people in fs, xj and job per month (scenario side) for the
  // monthly bands of RunResult::monthly_people (reports). Memory: 24 bytes per month and
  // replication.
  bool keep_monthly_people = false;
  // The monthly means (RunResult::monthly; empty without them). A sweep keeps none, and
  // skipping them saves a tenth of a small run.
  bool monthly_means = true;
  // Memory for the replications' values before they go to a temporary file (results.hpp).
  std::size_t sample_memory_bytes = Samples::kDefaultMemoryBudget;
  // Called as blocks of replications complete with (replications done in the session, what the
  // session will have when the running append ends); one call at a time, from any of the
  // session's threads. It may call cancel(), nothing else of the session.
  std::function<void(std::int64_t, std::int64_t)> progress;
};

class RunSession {
 public:
  static constexpr std::int64_t kBlock = 4;  // replications per block of the reduction

  // Compiles the scenario (a copy is kept; its `replications` is not used); runs nothing yet.
  explicit RunSession(const Scenario& scenario, SessionOptions options = {});
  // Several scenarios in one session (compare): each append runs the same replications of
  // every one. The scenarios with the same baseline (the same seed and same_baseline dynamics,
  // shared_baseline.hpp; under uncertainty decided per replication, after the draws) run with
  // one baseline in one lockstep pass (simulate_lockstep); the others each with their own.
  // result(k) is a session of scenario k alone, bit for bit, on any thread count. Throws
  // std::invalid_argument when `scenarios` is empty.
  explicit RunSession(const std::vector<Scenario>& scenarios, SessionOptions options = {});
  ~RunSession();
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  // Simulates replications [replications(), replications() + n) in the session's arena and
  // returns how many of them were completed: n, unless cancelled (then possibly fewer, and 0
  // once cancelled). Throws std::invalid_argument for n < 0. If a replication throws, the
  // exception propagates and the session keeps what was merged before it.
  std::int64_t append(std::int64_t n);

  // Completed replications, 0 .. replications() - 1, all in the result.
  std::int64_t replications() const;
  // Replications simulated by this session, including any dropped by a cancel or an
  // exception: otherwise equal to replications(), so it shows that nothing ran twice.
  std::int64_t replications_simulated() const;

  // From any thread: stops the running append soon and every later one (see the contract).
  void cancel();
  bool cancelled() const;

  // The result of the replications so far (folds the open block into a copy; the session can
  // go on): the first scenario's, or scenario k's. Throws std::logic_error when there are none.
  RunResult result() const;
  RunResult result(int k) const;
  // One summary of the first scenario's replications so far, equal to the one result() gives
  // for (side, period, metric) (period 0: the whole horizon, 1 + y: calendar year y), without
  // the rest. Throws std::logic_error when there are none.
  Summary summary(ResultSide side, int period, Metric metric) const;

  int scenario_count() const;
  const Scenario& scenario(int k = 0) const;
  // Per scenario, the first scenario whose baseline it shares (itself when it runs its own);
  // empty under uncertainty, where that is decided per replication.
  std::vector<int> baseline_leaders() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One session of scenario.replications replications: RunSession(scenario, options),
// append(scenario.replications), result().
RunResult run_monte_carlo(const Scenario& scenario, const SessionOptions& options = {});

// Several scenarios, each its own scenario.replications: one session of them all (one lockstep
// pass per replication, one baseline for those that share it) when they all run the same
// number, else a session each. The results are those of run_monte_carlo of each, bit for bit.
// `notes` (when not null) gets a line if some scenarios could not share the first's baseline.
std::vector<RunResult> run_monte_carlo(const std::vector<Scenario>& scenarios, const SessionOptions& options,
                                       std::vector<std::string>* notes = nullptr);

// The note for a session whose scenarios do not all share one baseline (empty when they do).
std::string baseline_note(const RunSession& session);

// Precision on demand: adds replications to one session in whole batches of `batch` (100,
// 200, ... as the standard error asks) until `side`.`metric`'s standard error is at most
// `target_se`, or `max_replications` is reached (said in the result's notes). Nothing is
// simulated twice, and the result is bit-identical to one run of its final size, so the same
// flags give the same replications and results on any thread count.
struct PrecisionTarget {
  ResultSide side = ResultSide::kDifference;
  Metric metric = Metric::kMunicipalityNet;
  double target_se = 0;
  std::int64_t batch = 100;
  std::int64_t max_replications = 100000;
};
// Parses "difference.municipality.net=50000"; throws InputError (file "--target-se").
PrecisionTarget parse_precision_target(const std::string& text);
RunResult run_to_precision(const Scenario& scenario, const SessionOptions& options, const PrecisionTarget& target);
// The same on a session of one's own (to cancel it, or to read its counters); it continues
// from the replications the session has. Stops early, with the session's note, if cancelled.
RunResult run_to_precision(RunSession& session, const PrecisionTarget& target);

// What a run will need, estimated before it starts, so that absurd sizes can be refused with
// numbers instead of discovered hours later. Time comes from a cost model measured on this
// project's machine (per person-month, per capacity-intake person-month, per group-month,
// per run; runner.cpp), checked against real runs by bench/estimate_check.py.
struct RunEstimate {
  double bytes = 0;         // peak memory
  double seconds = 0;       // wall time on `threads` threads
  double person_months = 0;  // scenario and baseline
};
RunEstimate estimate_run(const Scenario& scenario, std::int64_t replications, int threads);

}  // namespace extrasim
