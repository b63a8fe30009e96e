// Provenance (MODEL.md §11): what produced an output, recorded in every output.
//
// Version, random-number contract, each input file with its SHA-256 (of the bytes that were
// read), every flag that changed a value (from Scenario::origins), seed, replications, threads
// and discount rate. Writers put it in the table header, the JSON's `provenance`, a CSV's
// sidecar FILE.manifest.json, the HTML report and the sweep manifest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extrasim/model/scenario.hpp"

namespace extrasim {

// The random-number contract the results were drawn under (simulate/rng.hpp).
inline constexpr const char* kRngContract = "2";

struct Provenance {
  std::string version;
  std::string rng_contract = kRngContract;
  std::vector<SourceFile> inputs;
  std::vector<std::string> set;  // "--set a.b=1", "--discount-rate 0.03", in path order
  std::uint64_t seed = 1;
  std::int64_t replications = 0;
  int threads = 0;  // 0: not a Monte Carlo run (expected values)
  double discount_rate = 0.0;
};

Provenance provenance_of(const Scenario& scenario, int threads);

// Lowercase hex SHA-256 of `bytes` (OpenSSL).
std::string sha256_hex(std::string_view bytes);

}  // namespace extrasim
