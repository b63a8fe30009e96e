// libFuzzer target: any bytes as a sweep file over a fixed small scenario (written once to a
// temporary folder, since a sweep names its scenario by path). The loader must return a
// SweepSpec whose points all give valid scenarios, or throw InputError.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "extrasim/studies/sweep.hpp"

namespace {

std::string folder() {
  static const std::string dir = [] {
    const auto d = std::filesystem::temp_directory_path() / ("extrasim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::ofstream(d / "base.yaml") << "name: base\ncalendar: {start: 2016-01, months: 6}\n"
                                      "groups: [{name: a, size: 5, wage: 18700}]\n"
                                      "transitions: {fs: {xj: 0.05, job: 0.01}}\n"
                                      "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, max_months: 6, decision_months: 3}\n";
    return d.string();
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const extrasim::SweepSpec spec = extrasim::load_sweep_text(text, folder() + "/sweep.yaml");
    (void)extrasim::sweep_points(spec);
  } catch (const extrasim::InputError&) {
  }
  return 0;
}
