#include "extrasim/model/states.hpp"

namespace extrasim {

namespace {
constexpr std::array<std::string_view, kStateCount> kNames = {"fs", "xj", "job", "other", "exit"};
}

std::string_view state_name(State s) { return kNames[index_of(s)]; }

std::optional<State> parse_state(std::string_view name) {
  for (State s : kAllStates) {
    if (kNames[index_of(s)] == name) return s;
  }
  return std::nullopt;
}

}  // namespace extrasim
