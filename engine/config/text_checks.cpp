#include "text_checks.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "extrasim/error.hpp"

namespace extrasim::config {

namespace {


}  // namespace


void check_scenario_size(std::uintmax_t bytes, const std::string& file_name) {
  if (bytes > kMaxScenarioBytes) {
    throw InputError({file_name}, "", "a file of " + std::to_string(bytes) + " bytes",
                     "a scenario file of at most " + std::to_string(kMaxScenarioBytes >> 20) + " MiB");
  }
}

void check_scenario_text(const std::string& text, const std::string& file_name) {
  check_scenario_size(text.size(), file_name);
  int line = 1, column = 1, depth = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const SourceLocation here{file_name, line, column};
    if (c == '\0') throw InputError(here, "", "binary data (a NUL byte)", "a YAML text file");
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) throw InputError(here, "", "a byte that is not UTF-8", "a UTF-8 text file");
    if (c == '\n') {
      ++line;
      column = 1;
      comment = false;
      if (quote == '\'') quote = 0;  // a plain scalar's apostrophe must not hide brackets
    } else {
      ++column;
    }
    if (!comment) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' ) {
        quote = c;
      } else if (c == '#') {
        comment = true;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxFlowNesting) {
          throw InputError(here, "", "lists or maps nested " + std::to_string(depth) + " deep",
                           "at most " + std::to_string(kMaxFlowNesting) + " levels");
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    i += n;
  }
}

std::string read_text_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError({path}, "", "a directory", what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot open the file (missing or unreadable)");
  // Read in chunks and stop past the limit: a device or a pipe has no size to check first.
  std::string text;
  std::array<char, 1 << 16> chunk{};
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes) check_scenario_size(text.size(), path);
  }
  if (in.bad()) throw InputError({path}, "cannot read the file");
  return text;
}

}  // namespace extrasim::config
