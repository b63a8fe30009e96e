// Loading scenarios: YAML text -> validated Scenario. The only part of the library that knows
// YAML. Every problem is an InputError naming the file, line, column, path, the value found
// and what was expected.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "extrasim/model/scenario.hpp"

namespace extrasim {

// A --set PATH=VALUE override; VALUE is read as YAML (a number, a string, or a flow list) and
// must suit the parameter's kind (parameters.hpp). `origin` names it in messages and
// provenance (default "--set PATH=VALUE"; e.g. "--discount-rate 0.03").
struct Override {
  std::string path;
  std::string value;
  std::string origin;
};

// Parses "PATH=VALUE"; throws InputError (file "--set") when there is no '=' or no path.
Override parse_override(const std::string& text);

// Sets each override through the parameter resolver, records it in Scenario::origins, then
// validates the scenario (validate.hpp). Throws InputError located at the flag.
void apply_overrides(Scenario& scenario, const std::vector<Override>& overrides);

// Loads and validates a scenario file, then applies the overrides.
Scenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides = {});

// Where a file that a scenario names (bonus.units) is read from: given the name as written and
// the scenario's file name, the path to open, or an InputError saying why not. The default
// reads it beside the scenario file; a server confines it to the folders it may read.
using FileReferenceResolver = std::function<std::string(const std::string& named, const std::string& scenario_file)>;

// The same from text; `file_name` is used in messages (and, without a resolver, to find the
// files the scenario names).
Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const std::vector<Override>& overrides = {},
                            const FileReferenceResolver& resolve = {});

// The scenario text with the overrides written into it (yaml-cpp: comments are lost; keys the
// text lacks are added), so that loading the result gives the scenario that ran with them.
// Paths as for --set; a group by its name. Throws InputError (at the override) for a path the
// text's structure cannot take.
std::string scenario_text_with_overrides(const std::string& text, const std::string& file_name,
                                         const std::vector<Override>& overrides);

}  // namespace extrasim

#include "extrasim/model/bonus.hpp"

namespace extrasim {

// A table of units for the performance-based grant: CSV with a header naming at least
// `name`, `type` (municipality or region) and `population`, optionally `count` and
// `table_amount` (empty cells: unknown). Errors name file, line and column.
struct UnitsTable {
  std::vector<BonusUnit> units;
  std::vector<bool> count_given;  // per unit: the `count` cell was filled in
};
UnitsTable load_units_csv(const std::string& path);
UnitsTable load_units_csv_text(const std::string& text, const std::string& file_name);

// Spreads `total` extratjänster over the units whose count is not given, in proportion to
// their beting (so each has the same share of its target), rounded to whole numbers.
void spread_total(UnitsTable& table, const BonusRule& rule, double total);

}  // namespace extrasim

namespace extrasim {

// A scenario file's parameters as written, for reports: each line that sets a value, with
// its path (from the indentation), the value text and the line's comment (the source).
// Full-line comments at the top are the file's description.
struct AnnotatedParameter {
  std::string path;
  std::string value;
  std::string comment;
};
struct AnnotatedScenario {
  std::vector<std::string> header;  // the leading comment lines, without '#'
  std::vector<AnnotatedParameter> parameters;
};
AnnotatedScenario annotate_scenario_text(const std::string& yaml_text);

}  // namespace extrasim
