#include "extrasim/results/effect.hpp"

namespace extrasim {

namespace {

constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

EffectPeriod period_of(const SideSummaries& s, int year, int months, int first_month, int last_month) {
  EffectPeriod p;
  p.year = year;
  p.months = months;
  p.partial = year != 0 && months < 12;
  p.first_month = first_month;
  p.last_month = last_month;
  if (year != 0) {
    p.covered = kMonthNames[first_month - 1];
    if (last_month != first_month) p.covered += std::string("-") + kMonthNames[last_month - 1];
  }
  for (std::size_t k = 0; k < kEffectLines.size(); ++k) {
    p.lines[k] = s[static_cast<int>(ResultSide::kDifference)][index_of(kEffectLines[k])];
  }
  return p;
}

}  // namespace

Effect effect_of(const RunResult& r) {
  Effect e;
  for (const YearResult& y : r.yearly) {
    int months = 0, first = 13, last = 0;
    for (int m = 0; m < r.calendar.months; ++m) {
      const YearMonth ym = r.calendar.month(m);
      if (ym.year != y.year) continue;
      ++months;
      first = std::min(first, ym.month);
      last = std::max(last, ym.month);
    }
    e.periods.push_back(period_of(y.summaries, y.year, months, first, last));
  }
  e.periods.push_back(period_of(r.total, 0, r.calendar.months, 0, 0));
  return e;
}

std::string period_label(const EffectPeriod& p) {
  if (p.year == 0) return "total";
  std::string label = std::to_string(p.year);
  if (p.partial) label += " (" + p.covered + (p.months == 1 ? " only)" : ")");
  return label;
}

}  // namespace extrasim
