// libFuzzer target: any bytes as a sweep results file, as `extrasim sensitivity` and
// `--resume` read it. The reader must return a table or throw InputError.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "extrasim/results/sweep_results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    (void)extrasim::read_sweep_results(in, "fuzz.csv");
  } catch (const extrasim::InputError&) {
  }
  return 0;
}
