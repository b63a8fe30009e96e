// A value that may change with the calendar month: a constant, or a list of
// {from: YYYY-MM, value} entries in date order (MODEL.md §3, "(T)").
#pragma once

#include <vector>

#include "extrasim/model/calendar.hpp"

namespace extrasim {

struct TimelineEntry {
  YearMonth from;
  double value = 0.0;
};

class Timeline {
 public:
  Timeline() = default;
  Timeline(double constant) : entries_{{YearMonth{0, 1}, constant}} {}  // NOLINT: a number is a timeline
  explicit Timeline(std::vector<TimelineEntry> entries)
      : entries_(std::move(entries)), written_as_list_(true) {}

  // Value in calendar month `when`: that of the last entry with from <= when. Entries are in
  // date order (equal dates: the last wins); the first is not after the calendar start.
  double at(YearMonth when) const;
  // Values for `months` consecutive months from `start`.
  std::vector<double> over(YearMonth start, int months) const;

  bool written_as_list() const { return written_as_list_; }
  const std::vector<TimelineEntry>& entries() const { return entries_; }
  std::vector<TimelineEntry>& entries() { return entries_; }

 private:
  std::vector<TimelineEntry> entries_{{YearMonth{0, 1}, 0.0}};
  bool written_as_list_ = false;
};

}  // namespace extrasim
