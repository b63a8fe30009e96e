// Parameter paths (MODEL.md §3 "Paths") resolved against a Scenario, and the per-replication
// uncertainty draws. Paths follow the YAML structure: map keys, list indices, a group by its
// name ("groups.long_term.fs_benefit", "transitions.other.0.to.fs",
// "programme.subsidy.cap_per_day.1.value").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "extrasim/model/scenario.hpp"

namespace extrasim {

enum class ParameterKind { kProbability, kShare, kRate, kMoney };

// A real-valued, non-integer parameter inside a Scenario that a draw may replace.
struct ParameterRef {
  ParameterKind kind = ParameterKind::kMoney;
  double* value = nullptr;      // a plain number, or one timeline entry's value
  Timeline* timeline = nullptr;  // a whole timeline: replaced by the drawn constant
};

// Resolves `path` inside `scenario`. On failure returns the reason (e.g. "names nothing in the
// scenario", "is an integer and cannot be uncertain").
std::variant<ParameterRef, std::string> resolve_parameter(Scenario& scenario,
                                                          std::string_view path);

// Sets the parameter to `v`, clamped to its kind's range (probabilities, shares and rates to
// [0, 1], money to >= 0).
void assign(const ParameterRef& ref, double v);

// What the repairs after a replication's draws did (MODEL.md §3, "Distributions").
struct DrawRepairs {
  bool row_scaled = false;         // some row's drawn sum exceeded 1 and was scaled to 1
  bool expiry_normalised = false;  // drawn on_expiry shares were divided by their sum
};

// Draws every uncertain parameter of `base` for one replication and returns the scenario with
// the drawn values (shared by scenario and baseline). Throws InputError when the drawn
// on_expiry shares are all zero.
Scenario draw_parameters(const Scenario& base, std::uint64_t replication, DrawRepairs* repairs);

// One draw from `d` using the uniform stream for (seed, replication, parameter index).
double sample(const Distribution& d, std::uint64_t seed, std::uint64_t replication,
              std::uint32_t parameter);

}  // namespace extrasim
