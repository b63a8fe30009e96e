#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "extrasim/simulate/rng.hpp"

namespace extrasim {

namespace {

// Philox4x32-10 of one counter, straight from Random123: the contract's reference.
std::array<std::uint32_t, 4> philox(std::uint64_t seed, std::uint32_t c0, std::uint32_t c1, std::uint32_t replication,
                                    std::uint32_t domain) {
  const Philox::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const Philox::ctr_type r = Philox()(Philox::ctr_type{{c0, c1, replication, domain}}, key);
  return {r.v[0], r.v[1], r.v[2], r.v[3]};
}

}  // namespace

TEST(Rng, DrawsArePureFunctionsOfTheirKey) {
  const ReplicationStreams a(42, 7), b(42, 7);
  for (Purpose p : {Purpose::kTransition, Purpose::kProgramme, Purpose::kExpiry, Purpose::kIntake}) {
    EXPECT_EQ(a.word(123, 5, p), b.word(123, 5, p));
  }
  EXPECT_EQ(a.event_words(9, 3), b.event_words(9, 3));
}

TEST(Rng, EveryKeyPartChangesTheDraw) {
  const auto base = ReplicationStreams(42, 7).event_words(123, 5);
  EXPECT_NE(base, ReplicationStreams(43, 7).event_words(123, 5));
  EXPECT_NE(base, ReplicationStreams(42, 8).event_words(123, 5));
  EXPECT_NE(base, ReplicationStreams(42, 7).event_words(124, 5));
  EXPECT_NE(base, ReplicationStreams(42, 7).event_words(123, 6));
  // Seeds differing only in the high 32 bits differ too.
  EXPECT_NE(base, ReplicationStreams(42 + (std::uint64_t{1} << 32), 7).event_words(123, 5));
  // The four purposes read four different words.
  const ReplicationStreams s(42, 7);
  const std::set<std::uint32_t> words = {s.word(123, 5, Purpose::kTransition), s.word(123, 5, Purpose::kProgramme),
                                         s.word(123, 5, Purpose::kExpiry), s.word(123, 5, Purpose::kIntake)};
  EXPECT_EQ(words.size(), 4u);
}

// Contract 2: person p's transition word is word (p / 256) % 4 of the domain-2 block
// (p / 1024) * 256 + p % 256; intake words the same in domain 3; event words the first two of
// the domain-4 block (p, month); parameter blocks domain 1.
TEST(Rng, WordsFollowContractTwo) {
  const std::uint64_t seed = 0x123456789ABCDEFull;
  const ReplicationStreams s(seed, 77);
  for (std::uint32_t p : {0u, 1u, 255u, 256u, 700u, 1023u, 1024u, 5000u, 123456u}) {
    const std::uint32_t block = p / 1024 * 256 + p % 256, word = p / 256 % 4;
    EXPECT_EQ(s.word(p, 11, Purpose::kTransition), philox(seed, block, 11, 77, 2)[word]) << p;
    EXPECT_EQ(s.word(p, 11, Purpose::kIntake), philox(seed, block, 11, 77, 3)[word]) << p;
    EXPECT_EQ(s.word(p, 11, Purpose::kProgramme), philox(seed, p, 11, 77, 4)[0]) << p;
    EXPECT_EQ(s.word(p, 11, Purpose::kExpiry), philox(seed, p, 11, 77, 4)[1]) << p;
  }
  EXPECT_EQ(s.parameter_words(123, 5), philox(seed, 123, 5, 77, 1));
}

TEST(Rng, TilesEqualTheWordsOneByOne) {
  const ReplicationStreams s(0x123456789ABCDEFull, 77);
  std::vector<std::uint32_t> tile(kTileSize);
  for (WordDomain domain : {WordDomain::kTransition, WordDomain::kIntake}) {
    const Purpose purpose = domain == WordDomain::kTransition ? Purpose::kTransition : Purpose::kIntake;
    s.fill_tile(domain, 11, 3, tile.data());
    for (std::uint32_t k = 0; k < kTileSize; ++k) {
      ASSERT_EQ(tile[k], s.word(3 * kTileSize + k, 11, purpose)) << "person " << 3 * kTileSize + k;
    }
  }
}

// A partial tile (a population of fewer than 256 persons in its last tile) computes only the
// blocks its persons read: their words are the full tile's, and the words of blocks past them
// are left as they were.
TEST(Rng, PartialTilesGiveTheSameWordsForThePersonsThere) {
  const ReplicationStreams s(0x123456789ABCDEFull, 77);
  std::vector<std::uint32_t> full(kTileSize);
  s.fill_tile(WordDomain::kTransition, 11, 3, full.data());
  for (std::uint32_t persons : {1u, 100u, 255u, 256u, 700u}) {
    std::vector<std::uint32_t> part(kTileSize, 0xDEADBEEFu);
    s.fill_tile(WordDomain::kTransition, 11, 3, part.data(), persons);
    for (std::uint32_t k = 0; k < persons; ++k) ASSERT_EQ(part[k], full[k]) << persons << " persons, person " << k;
    if (persons < kTileBlocks) {
      EXPECT_EQ(part[persons], 0xDEADBEEFu) << "block " << persons << " was computed";
    }
  }
}

TEST(Rng, UniformsLieStrictlyInsideTheUnitInterval) {
  EXPECT_GT(to_unit(0u), 0.0);
  EXPECT_LT(to_unit(0xFFFFFFFFu), 1.0);
  const ReplicationStreams s(1, 0);
  for (Purpose p : {Purpose::kTransition, Purpose::kProgramme, Purpose::kExpiry, Purpose::kIntake}) {
    double sum = 0.0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) sum += s.uniform(static_cast<std::uint32_t>(i), 0, p);
    EXPECT_NEAR(sum / n, 0.5, 4.0 * std::sqrt(1.0 / 12.0 / n));
  }
}

}  // namespace extrasim
