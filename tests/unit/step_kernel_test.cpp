// The month step's two implementations (portable C++ and AVX-512 intrinsics) give the same
// counts bit for bit, on scenarios that reach every branch: after_xj rows, re-entry, decisions
// and expiries, capacity intake with selection, groups whose sizes are no multiple of 16.
#include <gtest/gtest.h>

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

}  // namespace extrasim
