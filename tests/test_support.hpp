// Helpers shared by the test layers.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "extrasim/config.hpp"

namespace extrasim::test {

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
