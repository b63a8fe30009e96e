// Parameters with their source comments, read from a scenario's text line by line (yaml-cpp
// keeps no comments). Block keys set the path by indentation; a flow value stays as written.
#include <sstream>

#include "extrasim/config/config.hpp"

namespace extrasim {

namespace {

std::string trim(const std::string& s) {
  const std::size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// Splits "text # comment" at the first '#' outside quotes that follows a space.
std::pair<std::string, std::string> split_comment(const std::string& line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return {line.substr(0, i), trim(line.substr(i + 1))};
    }
  }
  return {line, ""};
}

}  // namespace

AnnotatedScenario annotate_scenario_text(const std::string& text) {
  AnnotatedScenario out;
  std::istringstream in(text);
  std::vector<std::pair<std::size_t, std::string>> stack;  // (indent, key)
  bool in_header = true;
  for (std::string line; std::getline(in, line);) {
    const auto [code, comment] = split_comment(line);
    const std::string body = trim(code);
    if (body.empty()) {
      if (in_header && !comment.empty()) out.header.push_back(comment);
      else if (!comment.empty() && !out.parameters.empty() && trim(line).rfind('#', 0) == 0) {
        out.parameters.back().comment += (out.parameters.back().comment.empty() ? "" : " ") + comment;
      }
      continue;
    }
    in_header = false;
    const std::size_t indent = code.find_first_not_of(' ');
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    std::string path;
    for (const auto& [i, key] : stack) {
      if (!path.empty()) path += '.';
      path += key;
    }
    const std::size_t colon = body.find(": ");
    const bool list_item = body.rfind("- ", 0) == 0;
    if (!list_item && (colon != std::string::npos || body.back() == ':')) {
      const std::string key = body.substr(0, colon == std::string::npos ? body.size() - 1 : colon);
      const std::string value = colon == std::string::npos ? "" : trim(body.substr(colon + 2));
      std::string full = path;
      if (!full.empty()) full += '.';
      full += key;
      if (value.empty()) {
        stack.emplace_back(indent, key);
        if (!comment.empty()) out.parameters.push_back({full, "", comment});
      } else {
        out.parameters.push_back({full, value, comment});
      }
    } else {
      out.parameters.push_back({path, body, comment});
      if (list_item && colon != std::string::npos && body.find('{') == std::string::npos) {
        stack.emplace_back(indent, body.substr(2, colon - 2) == "name" ? trim(body.substr(colon + 2)) : "-");
        out.parameters.back().path = path;
      }
    }
  }
  return out;
}

}  // namespace extrasim
