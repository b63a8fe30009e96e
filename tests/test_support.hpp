// Helpers shared by the test layers.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "extrasim/config/config.hpp"

namespace extrasim::test {

// Sanitizer builds reserve terabytes of virtual address space for their shadow memory, so
// address-space limits (ulimit -v) cannot be applied to them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

inline std::string source_path(const std::string& relative) {
  return std::string(EXTRASIM_SOURCE_DIR) + "/" + relative;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Scenario scenario_from(const std::string& yaml) {
  return load_scenario_text(yaml, "test.yaml");
}

}  // namespace extrasim::test
