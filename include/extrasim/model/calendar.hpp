// Calendar months. A YearMonth is a calendar month; a scenario's month index m counts from
// calendar.start (m = 0 is the start month).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace extrasim {

struct YearMonth {
  int year = 2000;
  int month = 1;  // 1..12

  // Months since year 0: ordering and differences of calendar months.
  int serial() const { return year * 12 + (month - 1); }
  static YearMonth from_serial(int serial) { return {serial / 12, serial % 12 + 1}; }
  YearMonth plus(int months) const { return from_serial(serial() + months); }
  std::string to_string() const;  // "YYYY-MM"

  friend bool operator==(const YearMonth&, const YearMonth&) = default;
  friend auto operator<=>(const YearMonth& a, const YearMonth& b) { return a.serial() <=> b.serial(); }
};

// Parses "YYYY-MM" (month 01..12, year 1900..2199); nullopt when the text is not of that form.
std::optional<YearMonth> parse_year_month(std::string_view text);

}  // namespace extrasim
