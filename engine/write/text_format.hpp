// Number and text formatting shared by the writers (table, bonus, report). Internal.
#pragma once

#include <string>

namespace extrasim::text {

// |v| with `decimals` digits, thousands grouped by `group`, and `minus` before negatives
// (not before a value that rounds to zero).
std::string grouped(double v, int decimals, const std::string& group = ",",
                    const std::string& minus = "-");

// Characters as displayed: UTF-8 continuation bytes take no column.
std::size_t display_width(const std::string& s);

}  // namespace extrasim::text
