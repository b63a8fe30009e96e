#include "yaml_reader.hpp"

#include "text_checks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace extrasim::config {

namespace {


std::string list_words(std::initializer_list<std::string_view> words) {
  std::string s;
  for (std::string_view w : words) s += (s.empty() ? "" : ", ") + std::string(w);
  return s;
}

void collect(const YAML::Node& node, std::vector<YAML::Node>& out) {
  out.push_back(node);
  if (node.IsMap()) {
    for (const auto& kv : node) {
      out.push_back(kv.first);
      collect(kv.second, out);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) collect(item, out);
  }
}

}  // namespace

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string nearest(std::string_view word, std::initializer_list<std::string_view> candidates) {
  std::string best;
  std::size_t best_distance = word.size() / 2 + 2;  // beyond this a "suggestion" is noise
  for (std::string_view c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

void YamlReader::note(const YAML::Node& node, const std::string& path) const {
  if (origins_ && !path.empty()) (*origins_)[path] = where(node);
}

void YamlReader::mark_override(const YAML::Node& value, const std::string& origin) {
  std::vector<YAML::Node> nodes;
  collect(value, nodes);
  for (const YAML::Node& n : nodes) overrides_.push_back({n, origin});
}

SourceLocation YamlReader::where(const YAML::Node& node) const {
  for (const OverrideNode& o : overrides_) {
    if (o.node.is(node)) return {o.origin, 0, 0};
  }
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file_, 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

std::string YamlReader::describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  std::string s = printable(node.Scalar());
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return "'" + s + "'";
}

void YamlReader::fail(const YAML::Node& node, const std::string& path, const std::string& found,
                      const std::string& expected) const {
  throw InputError(where(node), path, found, expected);
}

void YamlReader::expect_map(const YAML::Node& node, const std::string& path,
                            std::initializer_list<std::string_view> allowed,
                            std::initializer_list<std::string_view> required) const {
  note(node, path);
  if (!node.IsMap()) fail(node, path, describe(node), "a map with keys " + list_words(allowed));
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) fail(kv.first, path, describe(kv.first), "a key");
    const std::string key = kv.first.Scalar();
    const std::string key_path = join_path(path, key);
    if (!seen.insert(key).second) fail(kv.first, key_path, "a duplicate key", "each key once");
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::string hint = nearest(key, allowed);
      fail(kv.first, key_path, "unknown key '" + key + "'",
           hint.empty() ? "one of " + list_words(allowed) : "'" + hint + "' (known keys: " +
                                                                list_words(allowed) + ")");
    }
  }
  for (std::string_view key : required) {
    if (!seen.count(std::string(key))) {
      fail(node, path, "no '" + std::string(key) + "'",
           "the required key '" + std::string(key) + "'");
    }
  }
}

void YamlReader::expect_sequence(const YAML::Node& node, const std::string& path,
                                 bool non_empty) const {
  note(node, path);
  if (!node.IsSequence()) fail(node, path, describe(node), "a list");
  if (non_empty && node.size() == 0) fail(node, path, "an empty list", "at least one entry");
}

std::string YamlReader::text(const YAML::Node& node, const std::string& path) const {
  note(node, path);
  if (!node.IsScalar()) fail(node, path, describe(node), "a text");
  return node.Scalar();
}

double YamlReader::number(const YAML::Node& node, const std::string& path) const {
  note(node, path);
  if (!node.IsScalar()) fail(node, path, describe(node), "a number");
  const std::string& s = node.Scalar();
  double v = 0.0;
  const char* begin = s.data();
  if (!s.empty() && s[0] == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || begin == s.data() + s.size()) {
    const bool special = s.find("inf") != std::string::npos || s.find("nan") != std::string::npos ||
                         s.find("Inf") != std::string::npos || s.find("NaN") != std::string::npos;
    const bool overflow = ec == std::errc::result_out_of_range;
    fail(node, path, describe(node), special || overflow ? "a finite number" : "a number");
  }
  if (!std::isfinite(v)) fail(node, path, describe(node), "a finite number");
  return v;
}

double YamlReader::quantity(const YAML::Node& node, const std::string& path, Quantity q) const {
  const double v = number(node, path);
  if (!in_range(q, v)) fail(node, path, describe(node), expected_words(q));
  return v;
}

std::int64_t YamlReader::integer(const YAML::Node& node, const std::string& path, std::int64_t lo,
                                 std::int64_t hi) const {
  const std::string range = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  double v = 0.0;
  try {
    v = number(node, path);
  } catch (const InputError&) {
    fail(node, path, describe(node), range);
  }
  if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    fail(node, path, describe(node), range);
  }
  return static_cast<std::int64_t>(v);
}

bool YamlReader::boolean(const YAML::Node& node, const std::string& path) const {
  note(node, path);
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "yes") return true;
    if (s == "false" || s == "False" || s == "no") return false;
  }
  fail(node, path, describe(node), "true or false");
}

YearMonth YamlReader::year_month(const YAML::Node& node, const std::string& path) const {
  note(node, path);
  if (node.IsScalar()) {
    if (const auto ym = parse_year_month(node.Scalar())) return *ym;
  }
  fail(node, path, describe(node), "a month written YYYY-MM");
}

Timeline YamlReader::timeline(const YAML::Node& node, const std::string& path, Quantity q,
                              YearMonth start) const {
  note(node, path);
  if (node.IsScalar()) return Timeline(quantity(node, path, q));
  if (!node.IsSequence() || node.size() == 0) {
    fail(node, path, describe(node),
         expected_words(q) + ", or a list of {from: YYYY-MM, value: ...} in date order");
  }
  std::vector<TimelineEntry> entries;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string entry_path = join_path(path, std::to_string(i));
    const YAML::Node entry = node[i];
    expect_map(entry, entry_path, {"from", "value"}, {"from", "value"});
    const YearMonth from = year_month(entry["from"], join_path(entry_path, "from"));
    if (i == 0 && from > start) {
      fail(entry["from"], join_path(entry_path, "from"), from.to_string(),
           "a first date not after calendar.start (" + start.to_string() + ")");
    }
    if (!entries.empty() && from < entries.back().from) {
      fail(entry["from"], join_path(entry_path, "from"), from.to_string(),
           "dates in order (not before " + entries.back().from.to_string() + ")");
    }
    entries.push_back({from, quantity(entry["value"], join_path(entry_path, "value"), q)});
  }
  return Timeline(std::move(entries));
}

Timeline YamlReader::integer_timeline(const YAML::Node& node, const std::string& path,
                                      YearMonth start, std::int64_t lo, std::int64_t hi) const {
  if (node.IsScalar()) return Timeline(static_cast<double>(integer(node, path, lo, hi)));
  Timeline t = timeline(node, path, Quantity::kMoney, start);
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string value_path = join_path(join_path(path, std::to_string(i)), "value");
    integer(node[i]["value"], value_path, lo, hi);
  }
  return t;
}

}  // namespace extrasim::config
