// libFuzzer target: any bytes as a units table of the performance-based grant. The loader must
// return a table or throw InputError; a table it returns must allocate (payouts summing to the
// pot) or be refused with InputError, never hang, crash or throw anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "extrasim/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    extrasim::UnitsTable table = extrasim::load_units_csv_text(text, "fuzz.csv");
    if (table.units.size() <= 400) {
      (void)extrasim::allocate_bonus(extrasim::BonusRule{}, table.units);
      extrasim::spread_total(table, extrasim::BonusRule{}, 1000);
    }
  } catch (const extrasim::InputError&) {
  }
  return 0;
}
