// libFuzzer target: any bytes as a scenario file. The loader must either return a valid
// Scenario or throw InputError; anything else (a crash, another exception, a sanitizer
// report, a hang) is a bug. Valid scenarios are also compiled, to reach the validation's
// promises (sums, bands, integer ranges) from the model's side.
#include <cstddef>
#include <cstdint>
#include <string>

#include "extrasim/config/config.hpp"
#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/ledger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const extrasim::Scenario sc = extrasim::load_scenario_text(text, "fuzz.yaml");
    // Keep the work per input small: compile only modest scenarios.
    if (sc.person_count() <= 10000 && sc.calendar.months <= 120) {
      (void)extrasim::Dynamics::compile(sc);
      (void)extrasim::PriceTable::compile(sc);
    }
  } catch (const extrasim::InputError&) {
  }
  return 0;
}
