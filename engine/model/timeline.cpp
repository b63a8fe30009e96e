#include "extrasim/model/timeline.hpp"

namespace extrasim {

double Timeline::at(YearMonth when) const {
  double value = entries_.front().value;
  for (const TimelineEntry& e : entries_) {
    if (e.from > when) break;
    value = e.value;  // equal dates: the last one wins
  }
  return value;
}

std::vector<double> Timeline::over(YearMonth start, int months) const {
  std::vector<double> values(static_cast<std::size_t>(months));
  for (int m = 0; m < months; ++m) values[m] = at(start.plus(m));
  return values;
}

}  // namespace extrasim
