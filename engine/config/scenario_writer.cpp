// A scenario's text with overrides written into it: what a front end offers as "the scenario
// that ran" (the planner's workbench downloads it), loadable by every command.
#include <charconv>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "extrasim/config/config.hpp"
#include "text_checks.hpp"

namespace extrasim {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> keys;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    keys.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return keys;
    start = dot + 1;
  }
}

// The element of a list named by `key`: an index, or (groups) the element whose name is `key`.
std::optional<std::size_t> list_index(const YAML::Node& list, const std::string& key) {
  std::size_t i = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), i);
  if (ec == std::errc() && end == key.data() + key.size()) return i < list.size() ? std::optional(i) : std::nullopt;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const YAML::Node element = list[k];
    if (element.IsMap() && element["name"] && element["name"].IsScalar() && element["name"].Scalar() == key) return k;
  }
  return std::nullopt;
}

// Sets `value` at keys[at..] below `node`, making maps where the text has none.
// (yaml-cpp nodes are handles: recursion, not reassignment, walks the tree.)
void set_at(YAML::Node node, const std::vector<std::string>& keys, std::size_t at, const YAML::Node& value, const Override& o) {
  const std::string& key = keys[at];
  const bool last = at + 1 == keys.size();
  if (node.IsSequence()) {
    const std::optional<std::size_t> i = list_index(node, key);
    if (!i) throw InputError({o.origin}, o.path, "'" + printable(key) + "'", "an index or a name in the list");
    if (last) node[*i] = value;
    else set_at(node[*i], keys, at + 1, value, o);
    return;
  }
  if (!node.IsMap() && !node.IsNull()) throw InputError({o.origin}, o.path, "a value where the path goes on", "a map in the scenario text");
  if (last) {
    node[key] = value;
    return;
  }
  if (!node[key] || node[key].IsNull()) node[key] = YAML::Node(YAML::NodeType::Map);
  set_at(node[key], keys, at + 1, value, o);
}

}  // namespace

std::string scenario_text_with_overrides(const std::string& text, const std::string& file_name,
                                         const std::vector<Override>& overrides) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError({file_name}, "", "unreadable YAML (" + printable(e.msg) + ")", "a YAML document");
  }
  std::string header = "# " + printable(file_name) + (overrides.empty() ? "" : ", with:") + "\n";
  for (const Override& o : overrides) {
    YAML::Node value;
    try {
      value = YAML::Load(o.value);
    } catch (const YAML::Exception& e) {
      throw InputError({o.origin}, o.path, "'" + printable(o.value) + "'", "a YAML value");
    }
    set_at(root, split_path(o.path), 0, value, o);
    header += "#   " + printable(o.origin) + "\n";
  }
  YAML::Emitter out;
  out << root;
  return header + out.c_str() + "\n";
}

}  // namespace extrasim
