// RunSession (runner.hpp): a run that grows, reports progress, can be cancelled and owns its
// thread arena, and stays bit-identical to one run of its size.
#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

Scenario uncertain_intake(std::int64_t replications) {
  Scenario sc = load_scenario_file(test::source_path("tests/data/uncertain-intake.yaml"));
  sc.replications = replications;
  return sc;
}

SessionOptions with_threads(int threads, bool keep_monthly_people = true) {
  SessionOptions options;
  options.threads = threads;
  options.keep_monthly_people = keep_monthly_people;
  return options;
}

void add(std::vector<std::uint64_t>& out, double x) { out.push_back(std::bit_cast<std::uint64_t>(x)); }

void add(std::vector<std::uint64_t>& out, const Summary& s) {
  for (double x : {s.mean, s.sd, s.se, s.p025, s.p05, s.p50, s.p95, s.p975, s.p_positive}) add(out, x);
}

void add(std::vector<std::uint64_t>& out, const SideSummaries& s) {
  for (const auto& side : s) {
    for (const Summary& m : side) add(out, m);
  }
}

// Every number of a result, as bits: totals, yearly, monthly means, monthly people, counters
// and every stored value of every side, period and metric (notes apart).
std::vector<std::uint64_t> numbers(const RunResult& r) {
  std::vector<std::uint64_t> out{static_cast<std::uint64_t>(r.replications), r.seed,
                                 static_cast<std::uint64_t>(r.replications_rows_scaled),
                                 static_cast<std::uint64_t>(r.replications_expiry_normalised),
                                 static_cast<std::uint64_t>(r.samples.replications())};
  add(out, r.total);
  for (const YearResult& y : r.yearly) {
    out.push_back(static_cast<std::uint64_t>(y.year));
    add(out, y.summaries);
  }
  for (const MonthResult& m : r.monthly) {
    for (const MetricValues& side : m.mean) {
      for (double x : side) add(out, x);
    }
  }
  for (const auto& bands : r.monthly_people) {
    for (const Summary& s : bands) add(out, s);
  }
  for (int p = 0; p < r.samples.periods(); ++p) {
    for (int i = 0; i < kMetricCount; ++i) {
      for (ResultSide side : {ResultSide::kScenario, ResultSide::kBaseline}) {
        for (double x : r.samples.column(side, p, metric_at(i))) add(out, x);
      }
    }
  }
  return out;
}

// Bit-identical in every number; a plain EXPECT_EQ on the vectors would print thousands.
void expect_identical(const RunResult& got, const RunResult& want, const std::string& what) {
  const std::vector<std::uint64_t> a = numbers(got), b = numbers(want);
  ASSERT_EQ(a.size(), b.size()) << what;
  std::size_t differ = 0;
  for (std::size_t k = 0; k < a.size(); ++k) differ += a[k] != b[k];
  EXPECT_EQ(differ, 0u) << what << ": " << differ << " of " << a.size() << " numbers differ";
  EXPECT_FALSE(got.monthly.empty()) << what;
  EXPECT_GT(got.samples.replications(), 0) << what;
}

}  // namespace

TEST(RunSession, AppendsInStepsEqualOneRunOnAnyThreadCount) {
  const RunResult one_250 = run_monte_carlo(uncertain_intake(250), with_threads(2));
  ASSERT_EQ(one_250.replications, 250);
  ASSERT_EQ(one_250.monthly_people.size(), one_250.monthly.size());
  {
    RunSession session(uncertain_intake(1), with_threads(1));
    EXPECT_EQ(session.append(100), 100);
    EXPECT_EQ(session.append(150), 150);
    EXPECT_EQ(session.replications(), 250);
    expect_identical(session.result(), one_250, "append(100) + append(150), 1 thread");
  }
  {
    // Appends that end inside a block: the open block continues.
    RunSession session(uncertain_intake(1), with_threads(2));
    EXPECT_EQ(session.append(101), 101);
    expect_identical(session.result(), run_monte_carlo(uncertain_intake(101), with_threads(1)), "append(101)");
    EXPECT_EQ(session.append(99), 99);
    expect_identical(session.result(), run_monte_carlo(uncertain_intake(200), with_threads(1)),
                     "append(101) + append(99)");
  }
  {
    // Many uneven steps, through the growth of the stored values.
    RunSession session(uncertain_intake(1), with_threads(2));
    for (std::int64_t n : {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 19}) EXPECT_EQ(session.append(n), n);
    expect_identical(session.result(), one_250, "eleven uneven appends");
  }
}

TEST(RunSession, AppendsPastTheSampleMemoryBudgetEqualOneRun) {
  const RunResult one_250 = run_monte_carlo(uncertain_intake(250), with_threads(1));
  ASSERT_FALSE(one_250.samples.spilled());
  // Room for 150 replications: the first append stays in memory, the second moves them to the file.
  const std::size_t row_bytes = 2 * static_cast<std::size_t>(one_250.samples.periods()) * kMetricCount * sizeof(double);
  SessionOptions options = with_threads(2);
  options.sample_memory_bytes = 150 * row_bytes;
  RunSession session(uncertain_intake(1), options);
  session.append(100);
  const RunResult first = session.result();
  EXPECT_FALSE(first.samples.spilled());
  session.append(150);
  const RunResult both = session.result();
  EXPECT_TRUE(both.samples.spilled());
  expect_identical(first, run_monte_carlo(uncertain_intake(100), with_threads(1)), "first 100, in memory");
  expect_identical(both, one_250, "250, spilled while growing");
}

TEST(RunSession, ConcurrentRunsWithOneAndTwoThreadsEqualSeparateRuns) {
  const Scenario sc = uncertain_intake(203);
  const RunResult alone_1 = run_monte_carlo(sc, with_threads(1));
  const RunResult alone_2 = run_monte_carlo(sc, with_threads(2));
  expect_identical(alone_1, alone_2, "separate runs on 1 and 2 threads");

  // Each session's first progress report waits for the other's, so both are certainly running
  // at the same time (not one after the other by chance).
  std::mutex mutex;
  std::condition_variable cv;
  bool started[2] = {false, false};
  std::vector<std::thread::id> reporters[2];
  auto options = [&](int k) {
    SessionOptions o = with_threads(k + 1);
    o.progress = [&, k](std::int64_t, std::int64_t) {
      reporters[k].push_back(std::this_thread::get_id());  // calls are serialised per session
      std::unique_lock<std::mutex> lock(mutex);
      if (!started[k]) {
        started[k] = true;
        cv.notify_all();
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return started[1 - k]; }));
      }
    };
    return o;
  };
  RunResult together[2];
  std::thread::id callers[2];
  std::vector<std::thread> threads;
  for (int k = 0; k < 2; ++k) {
    threads.emplace_back([&, k] {
      callers[k] = std::this_thread::get_id();
      together[k] = run_monte_carlo(sc, options(k));
    });
  }
  for (std::thread& t : threads) t.join();
  expect_identical(together[0], alone_1, "1 thread, next to a 2-thread run");
  expect_identical(together[1], alone_2, "2 threads, next to a 1-thread run");
  // The arenas are the sessions' own: the 1-thread session ran on its caller only, and the
  // other's setting did not reach it (nor the reverse).
  ASSERT_FALSE(reporters[0].empty());
  for (std::thread::id id : reporters[0]) EXPECT_EQ(id, callers[0]);
  EXPECT_LE(std::set<std::thread::id>(reporters[1].begin(), reporters[1].end()).size(), 2u);
}

TEST(RunSession, CancelFromAnotherThreadStopsItSoon) {
  constexpr std::int64_t kAsked = 1'000'000;  // uncancelled: about 1000 s on one core
  const auto limit = std::chrono::seconds(test::kSanitized ? 5 : 1);
  std::mutex mutex;
  std::condition_variable cv;
  bool started = false;
  SessionOptions options = with_threads(2, false);
  options.progress = [&](std::int64_t done, std::int64_t total) {
    EXPECT_EQ(total, kAsked);
    EXPECT_GT(done, 0);
    std::lock_guard<std::mutex> lock(mutex);
    started = true;
    cv.notify_all();
  };
  RunSession session(uncertain_intake(kAsked), options);
  std::int64_t completed = -1;
  std::chrono::steady_clock::time_point returned;
  std::thread runner([&] {
    completed = session.append(kAsked);
    returned = std::chrono::steady_clock::now();
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    const bool ok = cv.wait_for(lock, std::chrono::seconds(120), [&] { return started; });
    if (!ok) session.cancel();  // do not leave the thread running a 1000 s append
    ASSERT_TRUE(ok) << "no progress reported within 120 s";
  }
  const auto cancelled_at = std::chrono::steady_clock::now();
  session.cancel();
  runner.join();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(returned - cancelled_at);
  std::cout << "[ INFO     ] append returned " << took.count() << " ms after cancel(), with " << completed
            << " of " << kAsked << " replications (" << session.replications_simulated() << " simulated)\n";
  EXPECT_LT(took, limit);
  EXPECT_TRUE(session.cancelled());
  // Really cut short, and what it kept is a whole run of its size.
  EXPECT_GT(completed, 0);
  EXPECT_LT(completed, kAsked);
  EXPECT_EQ(completed, session.replications());
  EXPECT_GE(session.replications_simulated(), session.replications());
  EXPECT_EQ(session.append(10), 0);  // cancel is final
  EXPECT_EQ(session.replications(), completed);
  const RunResult r = session.result();
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("cancelled"), std::string::npos);
  expect_identical(r, run_monte_carlo(uncertain_intake(completed), with_threads(1, false)), "the cancelled run's replications");
}

TEST(RunSession, PrecisionTargetAddsReplicationsWithoutRepeatingAny) {
  Scenario sc = load_scenario_file(test::source_path("scenarios/motala.yaml"));
  const PrecisionTarget target = parse_precision_target("difference.municipality.fs_benefit=2000");
  RunSession session(sc, with_threads(2));
  const RunResult r = run_to_precision(session, target);
  ASSERT_GT(r.replications, target.batch) << "one pass: nothing to show about continuing";
  EXPECT_EQ(session.replications(), r.replications);
  EXPECT_EQ(session.replications_simulated(), r.replications);  // a rerun from 0 would be more
  sc.replications = r.replications;
  expect_identical(r, run_monte_carlo(sc, with_threads(1)), "run_to_precision vs one run of its size");

  PrecisionTarget unreachable = parse_precision_target("difference.municipality.fs_benefit=1");
  unreachable.max_replications = 300;
  RunSession capped(sc, with_threads(1));
  const RunResult c = run_to_precision(capped, unreachable);
  EXPECT_EQ(c.replications, 300);
  EXPECT_EQ(capped.replications_simulated(), 300);
  EXPECT_NE(c.notes.at(0).find("NOT reached"), std::string::npos);
}

TEST(RunSession, RefusesNegativeAppendsAndEmptyResults) {
  RunSession session(uncertain_intake(1), with_threads(1));
  EXPECT_THROW(session.append(-1), std::invalid_argument);
  EXPECT_EQ(session.append(0), 0);
  EXPECT_THROW(session.result(), std::logic_error);
  EXPECT_EQ(session.replications_simulated(), 0);
}

TEST(RunSession, SamplesGrowKeepingEveryStoredValue) {
  constexpr int kPeriods = 3;
  const std::size_t row_bytes = 2 * kPeriods * kMetricCount * sizeof(double);
  auto values = [](int side, std::int64_t rep) {
    std::vector<MetricValues> v(kPeriods);
    for (int p = 0; p < kPeriods; ++p) {
      for (int i = 0; i < kMetricCount; ++i) v[p][i] = static_cast<double>(((rep * 2 + side) * kPeriods + p) * 100 + i);
    }
    return v;
  };
  Samples s(0, kPeriods, 40 * row_bytes);  // 40 replications in memory
  std::int64_t stored = 0;
  for (std::int64_t n : {3, 7, 25, 40, 41, 90}) {  // doubling room, the budget, then the file
    s.resize(n);
    for (; stored < n; ++stored) {
      for (int side = 0; side < 2; ++side) s.store(side, stored, values(side, stored));
    }
    EXPECT_EQ(s.spilled(), n > 40) << n;
    for (int p = 0; p < kPeriods; ++p) {
      const std::vector<double> x = s.column(ResultSide::kBaseline, p, Metric::kStateNet);
      ASSERT_EQ(x.size(), static_cast<std::size_t>(n));
      for (std::int64_t r = 0; r < n; ++r) ASSERT_EQ(x[r], values(1, r)[p][index_of(Metric::kStateNet)]) << n << " " << r;
    }
  }
  const Samples head = s.prefix(10);
  EXPECT_EQ(head.replications(), 10);
  EXPECT_EQ(head.column(ResultSide::kDifference, 2, Metric::kMonthsXj),
            std::vector<double>(10, -static_cast<double>(kPeriods * 100)));
  Samples small(0, kPeriods);
  small.resize(20);
  for (int side = 0; side < 2; ++side) small.store(side, 19, values(side, 19));
  small.resize(10);
  small.resize(20);  // values left from before the shrink are gone
  EXPECT_EQ(small.column(ResultSide::kScenario, 0, Metric::kStateNet)[19], 0.0);
  EXPECT_EQ(small.prefix(5).column(ResultSide::kScenario, 1, Metric::kStateNet), std::vector<double>(5, 0.0));
}

}  // namespace extrasim
