// Throughput benchmarks on scenarios/bench/national.yaml (20 000 persons, 48 months).
// items/s is person-months per second; scenario and baseline both count.
//   build/release/bench/extrasim_benchmarks [--benchmark_filter=...]
// Kept out of the test suite: speed is measured here, never asserted in tests.
#include <benchmark/benchmark.h>

#include <vector>

#include "extrasim/config/config.hpp"
#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/ledger.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/simulate/simulation.hpp"

namespace extrasim {
namespace {

const Scenario& bench_scenario() {
  static const Scenario sc =
      load_scenario_file(std::string(EXTRASIM_SOURCE_DIR) + "/scenarios/bench/national.yaml");
  return sc;
}

// The random-number kernel: one month of transition words (contract 2: a Philox4x32-10 block
// serves four persons) for every person, tile by tile.
void BM_RandomNumbers(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(bench_scenario().person_count());
  const std::uint32_t tiles = (n + kTileSize - 1) / kTileSize;
  std::vector<std::uint32_t> words(std::size_t{tiles} * kTileSize);
  std::uint32_t month = 0;
  for (auto _ : state) {
    const ReplicationStreams streams(1, 0);
    for (std::uint32_t t = 0; t < tiles; ++t) streams.fill_tile(WordDomain::kTransition, month % 48, t, words.data() + std::size_t{t} * kTileSize);
    ++month;
    benchmark::DoNotOptimize(words.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_RandomNumbers);

// The monthly step: one replication of one side (draws, moves, counts), all months.
void BM_Transitions(benchmark::State& state) {
  const Dynamics dyn = Dynamics::compile(bench_scenario());
  Population pop;
  Counts counts(dyn.months(), dyn.group_count(), dyn.duration_cap() + 1);
  std::uint64_t rep = 0;
  for (auto _ : state) {
    counts.clear();
    simulate(dyn, Side::kScenario, ReplicationStreams(1, rep++), pop, counts);
    benchmark::DoNotOptimize(counts.state(0, 0, State::kFs));
  }
  state.SetItemsProcessed(state.iterations() * dyn.person_count() * dyn.months());
}
BENCHMARK(BM_Transitions)->Unit(benchmark::kMillisecond);

// The accounting: pricing one replication's counts into every metric and month. Items are
// the person-months the counts stand for.
void BM_Accounting(benchmark::State& state) {
  const Dynamics dyn = Dynamics::compile(bench_scenario());
  const PriceTable prices = PriceTable::compile(bench_scenario());
  Population pop;
  Counts counts(dyn.months(), dyn.group_count(), dyn.duration_cap() + 1);
  simulate(dyn, Side::kScenario, ReplicationStreams(1, 0), pop, counts);
  for (auto _ : state) benchmark::DoNotOptimize(tally(prices, counts));
  state.SetItemsProcessed(state.iterations() * dyn.person_count() * dyn.months());
}
BENCHMARK(BM_Accounting)->Unit(benchmark::kMicrosecond);

// End to end: replications in parallel, scenario and baseline, statistics. Arg: threads.
void BM_EndToEnd(benchmark::State& state) {
  Scenario sc = bench_scenario();
  sc.replications = 40;
  SessionOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(run_monte_carlo(sc, options));
  state.SetItemsProcessed(state.iterations() * 2 * sc.replications * sc.person_count() *
                          sc.calendar.months);
}
BENCHMARK(BM_EndToEnd)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace extrasim

BENCHMARK_MAIN();
