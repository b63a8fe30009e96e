#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "extrasim/simulate/rng.hpp"

namespace extrasim {

TEST(Rng, DrawsArePureFunctionsOfTheirKey) {
  const ReplicationStreams a(42, 7), b(42, 7);
  EXPECT_EQ(a.words(123, 5), b.words(123, 5));
  EXPECT_EQ(a.uniform(9, 3, Purpose::kExpiry), b.uniform(9, 3, Purpose::kExpiry));
}

TEST(Rng, EveryKeyPartChangesTheDraw) {
  const auto base = ReplicationStreams(42, 7).words(123, 5);
  EXPECT_NE(base, ReplicationStreams(43, 7).words(123, 5));
  EXPECT_NE(base, ReplicationStreams(42, 8).words(123, 5));
  EXPECT_NE(base, ReplicationStreams(42, 7).words(124, 5));
  EXPECT_NE(base, ReplicationStreams(42, 7).words(123, 6));
  EXPECT_NE(base, ReplicationStreams(42, 7).parameter_words(123, 5));
  // The four purposes are four different words.
  EXPECT_EQ(std::set<std::uint32_t>(base.begin(), base.end()).size(), 4u);
  // Seeds differing only in the high 32 bits differ too.
  EXPECT_NE(base, ReplicationStreams(42 + (std::uint64_t{1} << 32), 7).words(123, 5));
}

TEST(Rng, UniformsLieStrictlyInsideTheUnitInterval) {
  EXPECT_GT(to_unit(0u), 0.0);
  EXPECT_LT(to_unit(0xFFFFFFFFu), 1.0);
  const ReplicationStreams s(1, 0);
  double sum = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) sum += s.uniform(static_cast<std::uint32_t>(i), 0, Purpose::kTransition);
  EXPECT_NEAR(sum / n, 0.5, 4.0 * std::sqrt(1.0 / 12.0 / n));
}

}  // namespace extrasim

namespace extrasim {

TEST(Rng, MonthBlocksEqualRandom123Philox) {
  const ReplicationStreams s(0x123456789ABCDEFull, 77);
  constexpr std::uint32_t kCount = 37;
  std::array<std::array<std::uint32_t, kCount>, 4> w{};
  s.fill_month(11, 1000, kCount, w[0].data(), w[1].data(), w[2].data(), w[3].data());
  for (std::uint32_t i = 0; i < kCount; ++i) {
    const auto expected = s.words(1000 + i, 11);
    for (int p = 0; p < 4; ++p) EXPECT_EQ(w[p][i], expected[p]) << "person " << 1000 + i;
  }
}

}  // namespace extrasim
