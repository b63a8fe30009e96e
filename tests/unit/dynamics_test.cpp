#include <gtest/gtest.h>

#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/ledger.hpp"
#include "extrasim/simulate/rng.hpp"
#include "test_support.hpp"

namespace extrasim {

using Split = std::array<std::uint32_t, kStateCount>;

TEST(LargestRemainder, GivesTheRestToTheLargestRemainders) {
  EXPECT_EQ(split_largest_remainder(10, {0.33, 0.33, 0.34, 0, 0}), (Split{3, 3, 4, 0, 0}));
  EXPECT_EQ(split_largest_remainder(3, {0.5, 0.5, 0, 0, 0}), (Split{2, 1, 0, 0, 0}));  // tie: state order
  EXPECT_EQ(split_largest_remainder(7, {0, 0, 0, 0.5, 0.5}), (Split{0, 0, 0, 4, 3}));
  EXPECT_EQ(split_largest_remainder(0, {1, 0, 0, 0, 0}), (Split{0, 0, 0, 0, 0}));
}

TEST(LargestRemainder, FloorsWithTolerance) {
  // 30 * 0.1 is 3.0000000000000004 and 30 * 0.7 is 20.999999999999996 in binary.
  EXPECT_EQ(split_largest_remainder(30, {0.1, 0.2, 0.7, 0, 0}), (Split{3, 6, 21, 0, 0}));
  EXPECT_EQ(split_largest_remainder(100, {0.9, 0.1, 0, 0, 0}), (Split{90, 10, 0, 0, 0}));
}

TEST(Dynamics, BandsAndGroupOverridesCompileToThresholds) {
  const Scenario sc = test::scenario_from(R"(
name: t
calendar: {start: 2016-01, months: 3}
groups:
  - {name: a, size: 2}
  - {name: b, size: 3, transitions: {fs: {job: 0.5}}}
transitions:
  fs:
    - {until: 2, to: {xj: 0.1, job: 0.2}}
    - {to: {exit: 0.3}}
programme: {extension_probability: 0.5, on_expiry: {fs: 0.5, job: 0.5}}
)");
  const Dynamics dyn = Dynamics::compile(sc);
  EXPECT_EQ(dyn.person_count(), 5u);
  EXPECT_EQ(dyn.group(1).first_person, 2u);
  const double* d0 = dyn.thresholds(0, 0, State::kFs, 0, false);
  EXPECT_DOUBLE_EQ(d0[0], 0.0);   // fs itself
  EXPECT_DOUBLE_EQ(d0[1], 0.1);   // + xj
  EXPECT_DOUBLE_EQ(d0[2], 0.3);   // + job
  EXPECT_DOUBLE_EQ(d0[4], 0.3);
  EXPECT_DOUBLE_EQ(dyn.thresholds(0, 0, State::kFs, 1, false)[4], 0.3);
  EXPECT_DOUBLE_EQ(dyn.thresholds(0, 0, State::kFs, 2, false)[4], 0.3);   // second band: exit 0.3
  EXPECT_DOUBLE_EQ(dyn.thresholds(0, 0, State::kFs, 2, false)[3], 0.0);
  EXPECT_DOUBLE_EQ(dyn.thresholds(0, 1, State::kFs, 0, false)[2], 0.5);   // group b's own row
  EXPECT_DOUBLE_EQ(dyn.thresholds(0, 0, State::kJob, 0, false)[4], 0.0);  // no row: everyone stays
  EXPECT_EQ(dyn.expiry_cumulative()[4], 1.0);
}

}  // namespace extrasim

namespace extrasim {

TEST(WordThresholds, DecideExactlyAsTheUniformWould) {
  // For probabilities near word boundaries, w >= bound(c) must equal to_unit(w) >= c.
  const double cs[] = {0.0, 1.0, 0.5, 0.002, 0.1, 1.0 / 3.0, 0x1p-32, 0.5 * 0x1p-32, 1.5 * 0x1p-32,
                       1.0 - 0x1p-33, 0.999999999, 0.3142};
  for (double c : cs) {
    const std::uint64_t b = word_threshold(c);
    const std::uint64_t centre = static_cast<std::uint64_t>(c * 0x1p32);
    for (std::uint64_t w = centre > 3 ? centre - 3 : 0; w <= std::min<std::uint64_t>(centre + 3, 0xFFFFFFFFu); ++w) {
      EXPECT_EQ(w >= b, to_unit(static_cast<std::uint32_t>(w)) >= c) << "c " << c << " w " << w;
    }
  }
  EXPECT_EQ(word_threshold(0.0), 0u);
  EXPECT_EQ(word_threshold(1.0), std::uint64_t{1} << 32);
}

}  // namespace extrasim

namespace extrasim {

// Groups that move and are priced alike are one counting unit, numbered together; a group
// with another price (or other rows) is a unit of its own. Without price classes, every
// group is its own unit in scenario order.
TEST(Units, GroupsAlikeAreNumberedAndCountedTogether) {
  const Scenario sc = test::scenario_from(R"(
name: units
calendar: {start: 2018-01, months: 6}
groups:
  - {name: a, size: 3, fs_benefit: 7000, wage: 18000}
  - {name: b, size: 4, fs_benefit: 6000, wage: 18000}
  - {name: a2, size: 5, fs_benefit: 7000, wage: 18000, initial: {job: 1}}
  - {name: b2, size: 2, fs_benefit: 6000, wage: 18000, transitions: {fs: {job: 0.3}}}
  - {name: a3, size: 1, fs_benefit: 7000, wage: 18000}
transitions: {fs: {xj: 0.1, job: 0.05}}
programme: {extension_probability: 0.5, on_expiry: {fs: 1}}
)");
  const PriceTable prices = PriceTable::compile(sc);
  EXPECT_EQ(prices.price_classes(), (std::vector<int>{0, 1, 0, 1, 0}));
  const Dynamics dyn = Dynamics::compile(sc, prices.price_classes());
  ASSERT_EQ(dyn.unit_count(), 3);
  EXPECT_EQ(dyn.unit_groups(), (std::vector<int>{0, 1, 3}));
  EXPECT_EQ((std::vector<int>{dyn.unit_of(0), dyn.unit_of(1), dyn.unit_of(2), dyn.unit_of(3), dyn.unit_of(4)}),
            (std::vector<int>{0, 1, 0, 2, 0}));
  // a, a2, a3 first (persons 0-8), then b (9-12), then b2 (13-14).
  EXPECT_EQ(dyn.group(0).first_person, 0u);
  EXPECT_EQ(dyn.group(2).first_person, 3u);
  EXPECT_EQ(dyn.group(4).first_person, 8u);
  EXPECT_EQ(dyn.group(1).first_person, 9u);
  EXPECT_EQ(dyn.group(3).first_person, 13u);
  EXPECT_EQ(dyn.unit(0).size, 9u);
  EXPECT_EQ(dyn.unit_of_person(8), 0);
  EXPECT_EQ(dyn.unit_of_person(9), 1);
  EXPECT_EQ(dyn.unit_of_person(14), 2);

  const Dynamics alone = Dynamics::compile(sc);
  EXPECT_EQ(alone.unit_count(), 5);
  EXPECT_EQ(alone.group(1).first_person, 3u);
}

}  // namespace extrasim
