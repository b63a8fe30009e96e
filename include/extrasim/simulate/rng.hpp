// Counter-based random numbers: the reproducibility contract, version 2 (kRngContract in
// results/provenance.hpp records it in every output and manifest).
//
// Every draw is a pure function of its key, never of a thread, a stream position or the order
// in which work is done. Philox4x32-10 with key = seed and counter = {c0, c1, replication, domain}:
//   transition words:    domain 2. Persons come in tiles of kTileSize = 1024; person p reads
//                        word (p / 256) % 4 of block c0 = (p / 1024) * 256 + p % 256,
//                        c1 = month. One block serves four persons, and a tile's 256 blocks
//                        fill its four quarters as four contiguous arrays (no shuffles).
//   intake priorities:   domain 3, the same layout; drawn for a month only when that month
//                        has capacity intake.
//   event words:         domain 4, c0 = person, c1 = month: word 0 decides an extension, word 1
//                        the destination on expiry. Drawn only for a person in xj whose
//                        decision or expiry falls due, so most person-months draw none.
//   parameter draws:     domain 1, c0 = parameter, c1 = i for i = 0, 1, ... as many blocks as
//                        the distribution needs. Parameter numbers: each user of parameter
//                        streams owns one range of kParameterStreams below, disjoint from every
//                        other, so no two draws of any combination (a sweep over a scenario
//                        with a bonus block and uncertainty, say) share a stream.
// (Domain 0 was contract 1's: one block per person-month, its four words the transition,
// programme, expiry and intake words. Contract 2 is not bit-compatible with it; outputs say
// which contract made them.)
// Person numbers: group by group, except that groups alike (Dynamics' counting units) are
// numbered one after another from the first of them (simulate/dynamics.hpp, UnitLayout).
// Scenario and baseline use the same keys (common random numbers). So the same seed gives
// bit-identical results for any thread count and any split of replications over processes.
// Changing this mapping changes every result: treat it as a file format.
#pragma once

#include <array>
#include <cstdint>

#include <Random123/philox.h>

namespace extrasim {

enum class Purpose : int { kTransition = 0, kProgramme = 1, kExpiry = 2, kIntake = 3 };

using Philox = r123::Philox4x32;

// Philox4x32 constants (Salmon et al. 2011), as in Random123's philox.h.
inline constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
inline constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;
inline constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;

// A 32-bit word as a uniform in the open interval (0, 1): (w + 1/2) / 2^32.
inline double to_unit(std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; }

// The table of parameter streams: [first, first + size) of the 32-bit parameter number.
struct ParameterStreamRange {
  const char* purpose;
  std::uint32_t first;
  std::uint32_t size;
};
inline constexpr ParameterStreamRange kUncertainParameters{"uncertainty: parameter k of the scenario", 0u, 1u << 30};
inline constexpr ParameterStreamRange kBonusUnitStreams{"bonus: the other units' counts, unit i", 1u << 30, 1u << 28};
inline constexpr ParameterStreamRange kLatinHypercubeStreams{"sweep: Latin hypercube column j (replication 0)", 5u << 28, 1u << 28};
inline constexpr ParameterStreamRange kBootstrapStreams{"sensitivity: bootstrap resamples", 3u << 29, 1u};
inline constexpr ParameterStreamRange kParameterStreams[] = {kUncertainParameters, kBonusUnitStreams,
                                                             kLatinHypercubeStreams, kBootstrapStreams};

constexpr bool parameter_streams_disjoint() {
  for (const auto& a : kParameterStreams) {
    for (const auto& b : kParameterStreams) {
      if (&a != &b && a.first < b.first + b.size && b.first < a.first + a.size) return false;
    }
  }
  return true;
}
static_assert(parameter_streams_disjoint(), "two users of parameter streams would share draws");

inline constexpr std::uint32_t kLatinHypercubeParameterBase = kLatinHypercubeStreams.first;
inline constexpr std::uint32_t kBootstrapParameter = kBootstrapStreams.first;
inline constexpr std::uint32_t kBonusParameterBase = kBonusUnitStreams.first;

// Persons per tile of transition and intake words (see the contract above).
inline constexpr std::uint32_t kTileSize = 1024;
inline constexpr std::uint32_t kTileBlocks = kTileSize / 4;

enum class WordDomain : std::uint32_t { kParameter = 1, kTransition = 2, kIntake = 3, kEvent = 4 };

class ReplicationStreams {
 public:
  ReplicationStreams(std::uint64_t seed, std::uint64_t replication)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        replication_(static_cast<std::uint32_t>(replication)) {}

  // The word of (person, month) for `purpose`, one at a time (tests, rare events). The month
  // step reads transition and intake words tile by tile (fill_tile) instead.
  std::uint32_t word(std::uint32_t person, std::uint32_t month, Purpose purpose) const {
    switch (purpose) {
      case Purpose::kTransition: return tiled_word(WordDomain::kTransition, person, month);
      case Purpose::kIntake: return tiled_word(WordDomain::kIntake, person, month);
      case Purpose::kProgramme: return event_words(person, month)[0];
      case Purpose::kExpiry: return event_words(person, month)[1];
    }
    return 0;
  }
  double uniform(std::uint32_t person, std::uint32_t month, Purpose p) const {
    return to_unit(word(person, month, p));
  }

  // The event words of (person, month): [0] the extension decision, [1] the expiry destination.
  std::array<std::uint32_t, 2> event_words(std::uint32_t person, std::uint32_t month) const {
    const auto r = block(person, month, WordDomain::kEvent);
    return {r[0], r[1]};
  }

  // The kTileSize words of `domain` (kTransition or kIntake) for persons tile * kTileSize + k,
  // k < kTileSize, in person order: 256 blocks computed lane by lane (structure of arrays) so
  // that the compiler can vectorise Philox. With `persons` < 256 only the blocks of the first
  // `persons` persons are computed (a small population's only tile), and only those blocks'
  // words are written: the same words for the persons there are, for 100 / 256 of the work at
  // 100 persons.
  void fill_tile(WordDomain domain, std::uint32_t month, std::uint32_t tile, std::uint32_t* out,
                 std::uint32_t persons = kTileSize) const;

  // Block i of the stream for uncertain parameter `parameter`.
  std::array<std::uint32_t, 4> parameter_words(std::uint32_t parameter, std::uint32_t i) const {
    return block(parameter, i, WordDomain::kParameter);
  }

 private:
  std::array<std::uint32_t, 4> block(std::uint32_t c0, std::uint32_t c1, WordDomain domain) const {
    Philox::ctr_type c = {{c0, c1, replication_, static_cast<std::uint32_t>(domain)}};
    Philox::ctr_type r = Philox()(c, key_);
    return {r.v[0], r.v[1], r.v[2], r.v[3]};
  }
  std::uint32_t tiled_word(WordDomain domain, std::uint32_t person, std::uint32_t month) const {
    const std::uint32_t b = person / kTileSize * kTileBlocks + person % kTileBlocks;
    return block(b, month, domain)[person / kTileBlocks % 4];
  }

  Philox::key_type key_;
  std::uint32_t replication_;
};

}  // namespace extrasim
