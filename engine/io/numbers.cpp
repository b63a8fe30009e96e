#include "extrasim/io/numbers.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "../config/text_checks.hpp"

namespace extrasim::io {

namespace {

constexpr std::size_t kShownChars = 60;  // a pasted file in a flag must not flood the terminal

std::string quoted(std::string_view text) {
  if (text.empty()) return "nothing";
  std::string s = config::printable(std::string(text.substr(0, kShownChars)));
  if (text.size() > kShownChars) s += "...";
  return "'" + s + "'";
}

[[noreturn]] void refuse(std::string_view text, const SourceLocation& where, std::string_view what,
                         const std::string& expected) {
  throw InputError(where, std::string(what), quoted(text), expected);
}

// One leading '+' is allowed where a sign is; from_chars itself only knows '-'.
std::string_view skip_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

template <typename Integer>
bool parse_whole(std::string_view text, Integer& value) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string format_double(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::string double_range(double lo, double hi) {
  constexpr double kLowest = std::numeric_limits<double>::lowest();
  constexpr double kMax = std::numeric_limits<double>::max();
  if (lo == kLowest && hi == kMax) return "a finite number";
  if (lo == kLowest) return "a number <= " + format_double(hi);
  if (hi == kMax) return "a number >= " + format_double(lo);
  return "a number in [" + format_double(lo) + ", " + format_double(hi) + "]";
}

// Reads a finite double; false for anything else, nan and overflow included.
bool parse_finite(std::string_view text, double& value) {
  text = skip_plus(text);
  if (text.empty()) return false;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

// "40,5" -> "40.5" when that is a number, so the message can show the fix.
std::string point_spelling(std::string_view text) {
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos)
    return "";
  std::string fixed(text);
  fixed[comma] = '.';
  double ignored = 0;
  return parse_finite(fixed, ignored) ? fixed : "";
}

}  // namespace

long long parse_int(std::string_view text, long long lo, long long hi, const SourceLocation& where,
                    std::string_view what) {
  long long value = 0;
  if (!parse_whole(skip_plus(text), value) || value < lo || value > hi) {
    refuse(text, where, what,
           "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return value;
}

std::uint64_t parse_uint64(std::string_view text, std::uint64_t lo, std::uint64_t hi,
                           const SourceLocation& where, std::string_view what) {
  std::uint64_t value = 0;
  // from_chars for unsigned types already refuses '-'; the '+' check documents the intent.
  const bool signed_text = !text.empty() && (text[0] == '-' || text[0] == '+');
  if (signed_text || !parse_whole(text, value) || value < lo || value > hi) {
    refuse(
        text, where, what,
        "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], without a sign");
  }
  return value;
}

double parse_double(std::string_view text, double lo, double hi, const SourceLocation& where,
                    std::string_view what) {
  double value = 0;
  if (!parse_finite(text, value)) {
    const std::string fixed = point_spelling(text);
    const std::string expected = double_range(lo, hi);
    refuse(text, where, what,
           fixed.empty() ? expected : expected + " written with '.' as the decimal mark: " + fixed);
  }
  if (value < lo || value > hi) refuse(text, where, what, double_range(lo, hi));
  return value;
}

}  // namespace extrasim::io
