// libFuzzer target: --set arguments. The input is split at newlines into PATH=VALUE
// overrides, applied to a fixed valid scenario that uses every kind of value (bands, a group
// override, timelines, uncertainty, intake). Must return a Scenario or throw InputError.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "extrasim/config/config.hpp"

namespace {
const char* const kBase = R"(name: base
calendar: {start: 2016-01, months: 12}
groups:
  - {name: a, size: 10, fs_benefit: [{from: 2016-01, value: 7700}], wage: 18700,
     transitions: {job: {fs: 0.01}}}
  - {name: b, size: 5, initial: {fs: 0.5, xj: 0.5}}
transitions:
  fs: {xj: 0.02, job: 0.01}
  other:
    - {until: 3, to: {fs: 0.1}}
    - {to: {fs: 0.05}}
programme:
  extension_probability: 0.7
  on_expiry: {fs: 0.5, other: 0.5}
  intake: {starts: [1, 2, 3]}
  subsidy: {cap_per_day: [{from: 2015-01, value: 1140}, {from: 2017-01, value: 1213}]}
uncertainty:
  transitions.fs.job: {beta: [2, 98]}
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  try {
    std::vector<extrasim::Override> overrides;
    for (std::string line; std::getline(lines, line) && overrides.size() < 8;) {
      overrides.push_back(extrasim::parse_override(line));
    }
    (void)extrasim::load_scenario_text(kBase, "base.yaml", overrides);
  } catch (const extrasim::InputError&) {
  }
  return 0;
}
