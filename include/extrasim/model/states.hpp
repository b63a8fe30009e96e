// The five person states, in the fixed order that every table, walk and split uses.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace extrasim {

enum class State : std::uint8_t { kFs = 0, kXj = 1, kJob = 2, kOther = 3, kExit = 4 };

inline constexpr int kStateCount = 5;
inline constexpr std::array<State, kStateCount> kAllStates = {State::kFs, State::kXj, State::kJob,
                                                             State::kOther, State::kExit};

constexpr int index_of(State s) { return static_cast<int>(s); }
std::string_view state_name(State s);                     // "fs", "xj", ...
std::optional<State> parse_state(std::string_view name);  // nullopt if unknown

// One value per state (probabilities of a row, initial shares, counts...).
using PerState = std::array<double, kStateCount>;

}  // namespace extrasim
