#include "extrasim/model/scenario.hpp"

namespace extrasim {

std::int64_t Scenario::person_count() const {
  std::int64_t n = 0;
  for (const Group& g : groups) n += g.size;
  return n;
}

const std::optional<Row>& Scenario::row_for(const Group& g, State origin) const {
  const std::optional<Row>& own = g.transitions[index_of(origin)];
  return own ? own : transitions[index_of(origin)];
}

}  // namespace extrasim
