#include "extrasim/simulate/counts.hpp"

#include <algorithm>

namespace extrasim {

Counts::Counts(int months, int groups, int spell_slots)
    : months_(months),
      groups_(groups),
      spell_slots_(spell_slots),
      stride_(static_cast<std::size_t>(kStateCount + 2 + spell_slots)),
      data_(static_cast<std::size_t>(months) * groups * stride_, 0.0),
      unfilled_(static_cast<std::size_t>(months), 0.0),
      twins_(2 * static_cast<std::size_t>(months), 0.0) {}

void Counts::clear() {
  std::fill(data_.begin(), data_.end(), 0.0);
  std::fill(unfilled_.begin(), unfilled_.end(), 0.0);
  std::fill(twins_.begin(), twins_.end(), 0.0);
}

}  // namespace extrasim
