#include "extrasim/simulate/counts.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace extrasim {

namespace {

std::vector<int> identity(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

}  // namespace

Counts::Counts(int months, int groups, int spell_slots) : Counts(months, identity(groups), spell_slots) {}

Counts::Counts(int months, std::vector<int> unit_groups, int spell_slots)
    : months_(months),
      groups_(static_cast<int>(unit_groups.size())),
      spell_slots_(spell_slots),
      stride_(static_cast<std::size_t>(kStateCount + 2 + spell_slots)),
      unit_groups_(std::move(unit_groups)),
      data_(static_cast<std::size_t>(months) * groups_ * stride_, 0.0),
      unfilled_(static_cast<std::size_t>(months), 0.0),
      twins_(2 * static_cast<std::size_t>(months), 0.0) {}

void Counts::clear() {
  std::fill(data_.begin(), data_.end(), 0.0);
  std::fill(unfilled_.begin(), unfilled_.end(), 0.0);
  std::fill(twins_.begin(), twins_.end(), 0.0);
}

}  // namespace extrasim
