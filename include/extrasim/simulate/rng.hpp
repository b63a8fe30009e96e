// Counter-based random numbers: the reproducibility contract.
//
// Every draw is a pure function of its key, never of a thread, a stream position or the order
// in which work is done:
//   person-month draws:  Philox4x32-10(key = seed, counter = {person, month, replication, 0})
//                        gives four 32-bit words, one per Purpose (transition, programme,
//                        expiry, intake);
//   parameter draws:     Philox4x32-10(key = seed, counter = {parameter, i, replication, 1})
//                        for i = 0, 1, ... as many blocks as the distribution needs.
//                        Parameter numbers: scenario parameters from 0, the bonus block's
//                        from 2^30, a Latin hypercube's from 2^30 (with replication 0, and
//                        never in the same run), the bootstrap of Sobol indices 3 * 2^29.
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

inline constexpr std::uint32_t kLatinHypercubeParameterBase = 2u << 29;
inline constexpr std::uint32_t kBootstrapParameter = 3u << 29;

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
