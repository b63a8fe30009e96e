#include "text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace extrasim::text {

std::string grouped(double v, int decimals, const std::string& group, const std::string& minus) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(v));
  const std::string digits(buf);
  const std::size_t point = digits.find('.');
  std::string whole = digits.substr(0, point);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), group);
  const bool negative = v < 0 && std::abs(v) >= 0.5 * std::pow(10.0, -decimals);
  return (negative ? minus : "") + whole + (point == std::string::npos ? "" : digits.substr(point));
}

std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace extrasim::text
