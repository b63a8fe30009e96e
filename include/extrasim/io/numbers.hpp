// Strict number parsing for flags, --set values and CSV cells.
//
// Contract: the whole text must be the number: no spaces, no trailing characters ("40abc",
// "40,5" as an integer), no locale (std::from_chars; '.' is the only decimal mark). A value
// outside [lo, hi] is refused rather than wrapped or clamped, so "-1" is never read as
// 18446744073709551615. Every refusal is an InputError at `where` whose path is `what` and
// which says the text found and the range expected.
//
// Signs: parse_int and parse_double take one leading '-' or '+' (as the YAML reader does);
// parse_uint64 takes neither, because a '-' there is always a mistake (seeds, counts).
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "extrasim/error.hpp"

namespace extrasim::io {

long long parse_int(std::string_view text, long long lo, long long hi, const SourceLocation& where,
                    std::string_view what);

std::uint64_t parse_uint64(std::string_view text, std::uint64_t lo, std::uint64_t hi,
                           const SourceLocation& where, std::string_view what);

// A finite number in [lo, hi]: nan, inf and values beyond double's range are refused. Pass
// std::numeric_limits<double>::lowest() / max() for an open side. A decimal comma ("40,5") is
// refused with a message that suggests the '.' spelling ("40.5").
double parse_double(std::string_view text, double lo, double hi, const SourceLocation& where,
                    std::string_view what);

}  // namespace extrasim::io
