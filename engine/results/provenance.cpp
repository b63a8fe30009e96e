#include "extrasim/results/provenance.hpp"

#include <openssl/evp.h>

#include <array>
#include <set>
#include <stdexcept>

#include "extrasim/version.hpp"

namespace extrasim {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

Provenance provenance_of(const Scenario& sc, int threads) {
  Provenance p;
  p.version = kVersion;
  p.inputs = sc.inputs;
  std::set<std::string> flags;  // one flag may set several paths (a timeline's entries)
  for (const auto& [path, where] : sc.origins) {
    if (where.file.starts_with("--") && flags.insert(where.file).second) p.set.push_back(where.file);
  }
  p.seed = sc.seed;
  p.replications = sc.replications;
  p.threads = threads;
  p.discount_rate = sc.accounting.discount_rate;
  return p;
}

}  // namespace extrasim
