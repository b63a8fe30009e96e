// Counter-based random numbers: the reproducibility contract.
//
// Every draw is a pure function of its key, never of a thread, a stream position or the order
// in which work is done:
//   person-month draws:  Philox4x32-10(key = seed, counter = {person, month, replication, 0})
//                        gives four 32-bit words, one per Purpose (transition, programme,
//                        expiry, intake);
//   parameter draws:     Philox4x32-10(key = seed, counter = {parameter, i, replication, 1})
//                        for i = 0, 1, ... as many blocks as the distribution needs.
//                        Parameter numbers: each user of parameter streams owns one range of
//                        kParameterStreams below, disjoint from every other, so no two draws
//                        of any combination (a sweep over a scenario with a bonus block and
//                        uncertainty, say) share a stream.
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

class ReplicationStreams {
 public:
  ReplicationStreams(std::uint64_t seed, std::uint64_t replication)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        replication_(static_cast<std::uint32_t>(replication)) {}

  // The four raw words of (person, month), indexed by Purpose.
  std::array<std::uint32_t, 4> words(std::uint32_t person, std::uint32_t month) const {
    Philox::ctr_type c = {{person, month, replication_, 0u}};
    Philox::ctr_type r = Philox()(c, key_);
    return {r.v[0], r.v[1], r.v[2], r.v[3]};
  }
  double uniform(std::uint32_t person, std::uint32_t month, Purpose p) const {
    return to_unit(words(person, month)[static_cast<int>(p)]);
  }

  // words(first + i, month) for i < count, one array per purpose. The same values as words(),
  // computed lane by lane (structure of arrays) so that the compiler can vectorise Philox.
  void fill_month(std::uint32_t month, std::uint32_t first, std::uint32_t count,
                  std::uint32_t* transition, std::uint32_t* programme, std::uint32_t* expiry,
                  std::uint32_t* intake) const;

  // Block i of the stream for uncertain parameter `parameter`.
  std::array<std::uint32_t, 4> parameter_words(std::uint32_t parameter, std::uint32_t i) const {
    Philox::ctr_type c = {{parameter, i, replication_, 1u}};
    Philox::ctr_type r = Philox()(c, key_);
    return {r.v[0], r.v[1], r.v[2], r.v[3]};
  }

 private:
  Philox::key_type key_;
  std::uint32_t replication_;
};

}  // namespace extrasim
