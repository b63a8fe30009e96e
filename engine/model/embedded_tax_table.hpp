// The text of data/tax/sweden.csv, compiled into the library (engine/CMakeLists.txt generates
// the definition at configure time), so an installed binary needs no file from the source tree.
// Internal.
#pragma once

#include <string_view>

namespace extrasim::detail {

std::string_view embedded_sweden_tax_csv();

}  // namespace extrasim::detail
