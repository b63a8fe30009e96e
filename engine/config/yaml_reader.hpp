// Typed, located reads from a yaml-cpp tree. Private to engine/config: the only place that
// includes yaml-cpp. Every failure is an InputError with file, line, column, path, the value
// found and what was expected.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "extrasim/model/calendar.hpp"
#include "extrasim/error.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/model/timeline.hpp"

namespace extrasim::config {

// What a real number stands for: decides its range check and the words in messages. One list
// for the loader and validate(): the parameter kinds of parameters.hpp.
using Quantity = ParameterKind;

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // Every typed read records where its path came from into `origins` (Scenario::origins).
  void record_origins(std::map<std::string, SourceLocation>* origins) { origins_ = origins; }

  // Nodes that came from a --set override are reported with that override as their source.
  void mark_override(const YAML::Node& value, const std::string& origin);

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& found,
                         const std::string& expected) const;
  SourceLocation where(const YAML::Node& node) const;
  static std::string describe(const YAML::Node& node);  // the value as the user wrote it

  // A map whose keys are all in `allowed` (unknown keys: the nearest known one is suggested;
  // duplicate keys are errors) and which has every key in `required`.
  void expect_map(const YAML::Node& node, const std::string& path,
                  std::initializer_list<std::string_view> allowed,
                  std::initializer_list<std::string_view> required = {}) const;
  void expect_sequence(const YAML::Node& node, const std::string& path, bool non_empty) const;

  std::string text(const YAML::Node& node, const std::string& path) const;
  double number(const YAML::Node& node, const std::string& path) const;
  double quantity(const YAML::Node& node, const std::string& path, Quantity q) const;
  std::int64_t integer(const YAML::Node& node, const std::string& path, std::int64_t lo,
                       std::int64_t hi) const;
  bool boolean(const YAML::Node& node, const std::string& path) const;
  YearMonth year_month(const YAML::Node& node, const std::string& path) const;
  // A number or a list of {from, value} in date order whose first date is not after `start`.
  Timeline timeline(const YAML::Node& node, const std::string& path, Quantity q,
                    YearMonth start) const;
  // A timeline whose values are integers in [lo, hi].
  Timeline integer_timeline(const YAML::Node& node, const std::string& path, YearMonth start,
                            std::int64_t lo, std::int64_t hi) const;

 private:
  struct OverrideNode {
    YAML::Node node;
    std::string origin;
  };
  void note(const YAML::Node& node, const std::string& path) const;

  std::string file_;
  std::vector<OverrideNode> overrides_;
  std::map<std::string, SourceLocation>* origins_ = nullptr;
};

std::string nearest(std::string_view word, std::initializer_list<std::string_view> candidates);
std::string join_path(const std::string& path, std::string_view key);

}  // namespace extrasim::config
