#include "text_checks.hpp"

#include <cstdio>

#include "extrasim/error.hpp"

namespace extrasim::config {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned int code = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    code = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (b(i + k) & 0x3F);
  }
  const unsigned int smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < smallest[n] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string printable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F))) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
  return out;
}

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
    const std::size_t n = utf8_length(text, i);
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

}  // namespace extrasim::config
