// The month step's two implementations (portable C++ and AVX-512 intrinsics) give the same
// counts bit for bit, on scenarios that reach every branch: after_xj rows, re-entry, decisions
// and expiries, capacity intake with selection, groups whose sizes are no multiple of 16.
#include <gtest/gtest.h>

#include <random>

#include "../../engine/simulate/month_step.hpp"

#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/simulation.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

void expect_same_counts(const Counts& a, const Counts& b, const Dynamics& dyn) {
  for (int m = 0; m < dyn.months(); ++m) {
    ASSERT_EQ(a.unfilled(m), b.unfilled(m));
    ASSERT_EQ(a.twin_job(m), b.twin_job(m)) << "month " << m;
    ASSERT_EQ(a.twin_fs(m), b.twin_fs(m)) << "month " << m;
    for (int g = 0; g < dyn.group_count(); ++g) {
      for (State s : kAllStates) ASSERT_EQ(a.state(m, g, s), b.state(m, g, s)) << "month " << m << " group " << g;
      ASSERT_EQ(a.starts(m, g), b.starts(m, g));
      ASSERT_EQ(a.xj_first(m, g), b.xj_first(m, g));
      for (int d = 0; d < a.spell_slots(); ++d) ASSERT_EQ(a.xj_spell(m, g, d), b.xj_spell(m, g, d));
    }
  }
}

void expect_kernels_agree(const std::string& yaml) {
  if (!step_kernel_available(StepKernel::kAvx512)) GTEST_SKIP() << "this CPU has no AVX-512";
  const Scenario sc = test::scenario_from(yaml);
  const Dynamics dyn = Dynamics::compile(sc);
  Population portable_pop, avx_pop;
  const auto make = [&] { return Counts(dyn.months(), dyn.group_count(), dyn.spell_slots()); };
  for (std::uint64_t rep = 0; rep < 4; ++rep) {
    const ReplicationStreams streams(sc.seed, rep);
    Counts s1 = make(), b1 = make(), s2 = make(), b2 = make();
    simulate_pair(dyn, streams, portable_pop, s1, b1, StepKernel::kPortable);
    simulate_pair(dyn, streams, avx_pop, s2, b2, StepKernel::kAvx512);
    expect_same_counts(s1, s2, dyn);
    expect_same_counts(b1, b2, dyn);
  }
}

}  // namespace

TEST(StepKernel, Avx512EqualsPortableWithRateIntakeAndDecisions) {
  expect_kernels_agree(R"(
name: kernels
calendar: {start: 2017-01, months: 40}
groups:
  - {name: a, size: 1037, initial: {fs: 0.6, job: 0.1, xj: 0.2, other: 0.1}, initial_duration: 7}
  - {name: b, size: 13, initial: {fs: 1}}
  - {name: c, size: 2050, initial: {fs: 0.5, other: 0.5}, initial_duration: 30,
     transitions: {fs: [{until: 6, to: {xj: 0.2, job: 0.05}}, {until: 30, to: {xj: 0.05, exit: 0.02}}, {to: {xj: 1.0}}]}}
transitions: {fs: {xj: 0.08, job: 0.03, exit: 0.01}, job: {fs: 0.05}, xj: {job: 0.04, other: 0.01}, other: {fs: 0.1}}
after_xj: {fs: {job: 0.06, xj: 0.1}}
programme:
  decision_months: 5
  max_months: [{from: 2017-01, value: 9}, {from: 2018-03, value: 14}]
  reentry: true
  extension_probability: 0.6
  on_expiry: {fs: 0.5, job: 0.3, other: 0.2}
)");
}

TEST(StepKernel, Avx512EqualsPortableWithCapacityIntake) {
  expect_kernels_agree(R"(
name: kernels-intake
calendar: {start: 2017-01, months: 30}
groups:
  - {name: a, size: 1500, initial: {fs: 0.6, job: 0.2, xj: 0.2}, initial_duration: 3}
  - {name: b, size: 701, initial: {other: 1}, transitions: {other: {xj: 0.05, fs: 0.03}}}
transitions: {fs: {xj: 0.04, job: 0.03, exit: 0.01}, job: {fs: 0.02}, xj: {job: 0.02}}
programme:
  decision_months: 6
  max_months: 12
  extension_probability: 0.7
  on_expiry: {fs: 0.5, job: 0.3, other: 0.2}
  intake: {places: 150, from: [fs, other], selection: {groups: {b: 2}}}
)");
}

// More than Dynamics::kMaxDistinctRows rows in a group: the AVX-512 step gathers thresholds
// instead of permuting them.
TEST(StepKernel, Avx512EqualsPortableWithManyDistinctRows) {
  std::string bands;
  for (int until = 1; until <= 20; ++until) {
    bands += "{until: " + std::to_string(until) + ", to: {xj: 0.0" + std::to_string(until % 9 + 1) + ", job: 0.0" + std::to_string(10 + until) + "}}, ";
  }
  bands += "{to: {xj: 0.03, exit: 0.01}}";
  const Scenario check = test::scenario_from(R"(
name: rows
calendar: {start: 2017-01, months: 3}
groups: [{name: a, size: 10}]
transitions: {fs: [)" + bands + R"(]}
programme: {extension_probability: 0.5, on_expiry: {fs: 1}}
)");
  EXPECT_EQ(Dynamics::compile(check).row_ids(0, 0), nullptr);
  expect_kernels_agree(R"(
name: kernels-rows
calendar: {start: 2017-01, months: 36}
groups:
  - {name: a, size: 1999, initial: {fs: 0.8, xj: 0.2}, initial_duration: 4}
transitions: {fs: [)" + bands + R"(], xj: {job: 0.03}, job: {fs: 0.04}}
programme:
  decision_months: 4
  max_months: 10
  extension_probability: 0.5
  on_expiry: {fs: 0.7, other: 0.3}
)");
}


// The 16-bit step decides on the words' upper halves and redoes an iteration exactly when a
// word's upper half equals a threshold's: words chosen to tie with every threshold (and the
// extremes 0 and 2^32 - 1, thresholds 0 and 2^32) must move everyone as the portable step does.
namespace {

struct KernelRun {
  std::vector<State> state;
  std::vector<std::uint16_t> d, x;
  std::vector<std::uint8_t> ever;
  detail::BlockTally tally;
  std::vector<std::uint32_t> spell, events;
};

KernelRun run_kernel(detail::BlockStep step, const detail::BlockRules& rules, const KernelRun& start,
                     const std::vector<std::uint32_t>& words, const std::vector<State>& twin) {
  KernelRun r = start;
  r.spell.assign(static_cast<std::size_t>(rules.slots), 0);
  r.events.assign(words.size(), 0);
  r.tally.spell = r.spell.data();
  r.tally.events = r.events.data();
  const detail::BlockPeople people{r.state.data(), r.d.data(), r.x.data(), r.ever.data(), words.data(), twin.data(),
                                   static_cast<std::uint32_t>(words.size())};
  step(rules, people, r.tally);
  r.events.resize(r.tally.event_count);
  return r;
}

}  // namespace

TEST(StepKernel, SixteenBitStepBreaksTiesExactly) {
  if (!step_kernel_available(StepKernel::kAvx512)) GTEST_SKIP() << "this CPU has no AVX-512";
  // One row per origin state (slots = 1): cumulative word thresholds with zeros, repeats,
  // shared upper halves and 2^32.
  const std::uint64_t kAll = std::uint64_t{1} << 32;
  const std::uint64_t table[kStateCount][kStateCount] = {
      {0, 0x00010000, 0x7FFF1234, 0x7FFF1234, 0x7FFFFFFF},
      {0x00000001, 0x00000001, 0x12340000, 0x1234FFFF, 0x20000000},
      {0x0000FFFF, 0x10000000, 0x10000001, 0x10000001, kAll},
      {0, 0, 0, 0xFFFF0000, 0xFFFFFFFF},
      {kAll, kAll, kAll, kAll, kAll}};
  std::vector<std::uint64_t> rows, distinct(kStateCount * 16, 0);
  std::vector<std::uint16_t> high(kStateCount * 32, 0);
  std::vector<std::uint8_t> ids(128, 0);
  for (int s = 0; s < kStateCount; ++s) {
    ids[s] = static_cast<std::uint8_t>(s);
    for (int j = 0; j < kStateCount; ++j) {
      rows.push_back(table[s][j]);
      distinct[j * 16 + s] = table[s][j];
      high[j * 32 + s] = static_cast<std::uint16_t>(std::min<std::uint64_t>(table[s][j] >> 16, 0xFFFF));
    }
  }
  detail::BlockRules rules;
  rules.rows = rows.data();
  rules.row_ids = nullptr;
  rules.distinct_rows = distinct.data();
  rules.row_id_bytes = ids.data();
  rules.distinct_high16 = high.data();
  rules.slots = 1;
  rules.duration_cap = 0;
  rules.max_months_cap = 24;
  rules.max_months_now = 24;
  rules.max_months_next = 24;
  rules.first_months = 1;
  rules.programme_on = true;

  std::mt19937 random(7);
  for (std::uint32_t n : {1u, 31u, 32u, 61u, 1000u}) {
    KernelRun start;
    std::vector<std::uint32_t> words;
    std::vector<State> twin;
    for (std::uint32_t k = 0; k < n; ++k) {
      const auto s = static_cast<int>(random() % kStateCount);
      start.state.push_back(static_cast<State>(s));
      start.d.push_back(0);
      start.x.push_back(static_cast<std::uint16_t>(random() % 30));
      start.ever.push_back(static_cast<std::uint8_t>(random() % 2));
      twin.push_back(static_cast<State>(random() % kStateCount));
      const std::uint64_t t = table[s][random() % kStateCount];
      const std::uint32_t kind = random() % 6;
      const std::uint32_t upper = static_cast<std::uint32_t>(std::min<std::uint64_t>(t >> 16, 0xFFFF)) << 16;
      words.push_back(kind == 0 ? 0u : kind == 1 ? 0xFFFFFFFFu : kind == 2 ? static_cast<std::uint32_t>(t)
                      : kind == 3 ? static_cast<std::uint32_t>(t - 1) : upper | (random() & 0xFFFF));
    }
    const KernelRun a = run_kernel(detail::step_block_portable, rules, start, words, twin);
    const KernelRun b = run_kernel(detail::step_block_avx512, rules, start, words, twin);
    EXPECT_EQ(a.state, b.state) << n;
    EXPECT_EQ(a.d, b.d) << n;
    EXPECT_EQ(a.x, b.x) << n;
    EXPECT_EQ(a.ever, b.ever) << n;
    EXPECT_EQ(a.events, b.events) << n;
    EXPECT_EQ(a.tally.in_state, b.tally.in_state) << n;
    EXPECT_EQ(a.tally.starts, b.tally.starts) << n;
    EXPECT_EQ(a.tally.xj_first, b.tally.xj_first) << n;
    EXPECT_EQ(a.tally.twin_job, b.tally.twin_job) << n;
    EXPECT_EQ(a.tally.twin_fs, b.tally.twin_fs) << n;
  }
}

}  // namespace extrasim
