// Parameters: the one way to name a value inside a Scenario (MODEL.md §3, "Paths").
//
// `for_each_parameter` is the schema: it lists every value a user can set, with its canonical
// path, its kind (which decides its range check and its words in messages) and a typed
// reference into the Scenario. Everything that names a parameter goes through it: `--set`,
// `--discount-rate`, `--seed`, sweeps, `uncertainty`, calibration and the report's assumptions.
// After any assignment, `validate(Scenario)` (validate.hpp) re-checks every invariant.
//
// Paths follow the YAML structure: map keys, list indices, a group by its name (or index):
// "groups.long_term.fs_benefit", "transitions.other.0.to.fs", "transitions.fs.job" (a row of
// one open band may also be named "transitions.fs.0.to.job"), and
// "programme.subsidy.cap_per_day.1.value" for one entry of a timeline.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "extrasim/model/scenario.hpp"

namespace extrasim {

// What a value stands for. Real-valued kinds may be uncertain; the others may only be set.
enum class ParameterKind {
  kProbability,  // [0, 1]
  kShare,        // [0, 1]
  kRate,         // [0, 1]
  kMoney,        // kronor >= 0
  kPositive,     // > 0
  kInteger,      // whole number in [lo, hi]
  kBool,
  kText,
  kMonth,        // YYYY-MM
};

// A typed reference to one value inside a Scenario. Exactly one pointer is set.
struct ParameterRef {
  std::string path;  // canonical
  ParameterKind kind = ParameterKind::kMoney;
  double* number = nullptr;            // a plain real number
  Timeline* timeline = nullptr;        // a whole timeline (of integers when kind is kInteger)
  int* small_integer = nullptr;
  std::int64_t* integer = nullptr;
  std::uint64_t* unsigned_integer = nullptr;
  bool* flag = nullptr;
  std::string* text = nullptr;
  YearMonth* month = nullptr;
  std::int64_t lo = 0, hi = 0;         // kInteger bounds
  bool may_be_uncertain = true;        // false for fixed splits (initial shares)
};

bool is_real(ParameterKind kind);
// "a probability in [0, 1]", "an integer in [1, 1200]", ...: the words of messages.
std::string expected_words(const ParameterRef& ref);
std::string expected_words(ParameterKind kind);
// Whether a real value is in its kind's range (finite, and money below 1e12 kr).
bool in_range(ParameterKind kind, double v);

// The schema: calls `visit` for every parameter of `scenario`, in file order.
void for_each_parameter(Scenario& scenario, const std::function<void(const ParameterRef&)>& visit);

// Resolves `path`. A path to one entry of a timeline ("...cap_per_day.1.value") gives a
// reference to that entry's value. On failure returns the reason ("names nothing in the
// scenario").
std::variant<ParameterRef, std::string> resolve_parameter(Scenario& scenario, std::string_view path);

// As resolve_parameter, for `uncertainty` and calibration: only real-valued parameters ("is an
// integer and cannot be uncertain").
std::variant<ParameterRef, std::string> resolve_uncertain(Scenario& scenario, std::string_view path);

// Sets a real or integer parameter to `v` exactly (a timeline becomes the constant `v`); the
// caller validates afterwards. Throws std::invalid_argument for text, flag and month kinds.
void set_number(const ParameterRef& ref, double v);

// Sets the real or integer parameter at `path` to `v` (sweeps, calibration) and records `origin`
// as where it came from. Throws InputError (at `origin`) when the path names nothing or no
// number, or when an integer parameter gets a fractional or out-of-range value; other range
// checks are validate()'s.
void set_parameter(Scenario& scenario, std::string_view path, double v, const std::string& origin);

// A drawn value: clamped to its kind's range (probabilities, shares and rates to [0, 1], money
// to >= 0), as MODEL.md §3 says for uncertainty. Returns whether it had to be clamped.
bool assign(const ParameterRef& ref, double v);

// The value as a scenario file would write it ("0.015", "[{from: 2017-11, value: 1213}]").
std::string value_text(const ParameterRef& ref);

// The current value of a real or integer parameter (a timeline: its first entry's value).
double number_of(const ParameterRef& ref);

// One line of a report's assumptions: a parameter as it ran, where its value came from
// ("motala.yaml:12", "--set transitions.fs.job=0.02", or "default") and the file's comment on
// it or on the nearest line above it in the file's structure (its source).
struct Assumption {
  std::string path;
  std::string value;
  std::string origin;
  std::string comment;
};

// Every parameter of the scenario as it ran, defaults included; row destinations and shares
// that are 0 and were never written are left out.
std::vector<Assumption> assumptions_of(const Scenario& scenario);

// What the repairs after a replication's draws did (MODEL.md §3, "Distributions").
struct DrawRepairs {
  bool row_scaled = false;         // some row's drawn sum exceeded 1 and was scaled to 1
  bool expiry_normalised = false;  // drawn on_expiry shares were divided by their sum
  // Per entry of `uncertainty`: the draw fell outside its kind's range (a probability below 0
  // or above 1, money below 0) and was held at the bound, so that the parameter's mean is no
  // longer the distribution's.
  std::vector<bool> clamped;
};

// Draws every uncertain parameter of `base` for one replication and returns the scenario with
// the drawn values (shared by scenario and baseline). Throws InputError when the drawn
// on_expiry shares are all zero.
Scenario draw_parameters(const Scenario& base, std::uint64_t replication, DrawRepairs* repairs);

// One draw from `d` using the uniform stream for (seed, replication, parameter index).
double sample(const Distribution& d, std::uint64_t seed, std::uint64_t replication,
              std::uint32_t parameter);

}  // namespace extrasim
