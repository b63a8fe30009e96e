#include "extrasim/model/scenario.hpp"

#include <algorithm>

namespace extrasim {

PerState Band::at(YearMonth when) const {
  PerState p{};
  for (int j = 0; j < kStateCount; ++j) p[j] = to[j].at(when);
  return p;
}

std::vector<YearMonth> Scenario::change_months(const Row& row) const {
  std::vector<YearMonth> months{calendar.start};
  const YearMonth last = calendar.month(calendar.months - 1);
  for (const Band& band : row.bands) {
    for (const Timeline& t : band.to) {
      for (const TimelineEntry& e : t.entries()) {
        if (e.from > calendar.start && e.from <= last) months.push_back(e.from);
      }
    }
  }
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());
  return months;
}

std::int64_t Scenario::person_count() const {
  std::int64_t n = 0;
  for (const Group& g : groups) n += g.size;
  return n;
}

const std::optional<Row>& Scenario::row_for(const Group& g, State origin) const {
  const std::optional<Row>& own = g.transitions[index_of(origin)];
  return own ? own : transitions[index_of(origin)];
}

const std::optional<Row>& Scenario::row_after_xj(const Group& g, State origin) const {
  if (const std::optional<Row>& own = g.after_xj[index_of(origin)]) return own;
  if (const std::optional<Row>& shared = after_xj[index_of(origin)]) return shared;
  return row_for(g, origin);
}

const Subsidy& Scenario::subsidy_for(const Group& g) const {
  if (g.programme && g.programme->subsidy) return *g.programme->subsidy;
  return programme->subsidy;
}

const std::optional<SupervisionSupport>& Scenario::supervision_for(const Group& g) const {
  if (g.programme && g.programme->supervision_support) return g.programme->supervision_support;
  return programme->supervision_support;
}

SourceLocation Scenario::origin_of(const std::string& path) const {
  // A flag names the culprit better than the file: `--set transitions.fs.job=0.9` makes the row
  // `transitions.fs` sum above 1.
  for (auto it = origins.lower_bound(path); it != origins.end() && it->first.starts_with(path); ++it) {
    const bool below = it->first.size() == path.size() || it->first[path.size()] == '.';
    if (below && it->second.file.starts_with("--")) return it->second;
  }
  for (std::string p = path;;) {
    if (const auto it = origins.find(p); it != origins.end()) return it->second;
    const std::size_t dot = p.rfind('.');
    if (dot == std::string::npos) break;
    p.resize(dot);
  }
  return {source_file, 0, 0};
}

}  // namespace extrasim
