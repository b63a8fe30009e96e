// Errors: one type for bad input, carrying where it was found and what was expected.
//
// Contract: the library never aborts or exits on bad input. Everything a user can get wrong
// (a scenario file, a --set override, a flag value) is reported as an InputError whose
// what() reads "FILE:LINE:COLUMN: PATH: found VALUE, expected EXPECTED". The CLI maps it to
// exit status 2. Any other exception is an internal error (exit status 1).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace extrasim {

struct SourceLocation {
  std::string file;  // a file name, or a description such as "--set a.b=1"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string path, std::string found, std::string expected);
  // A message that does not fit the found/expected pattern (e.g. a missing file).
  InputError(SourceLocation where, const std::string& message);

  const SourceLocation& where() const { return where_; }
  const std::string& path() const { return path_; }
  const std::string& found() const { return found_; }
  const std::string& expected() const { return expected_; }

 private:
  SourceLocation where_;
  std::string path_;
  std::string found_;
  std::string expected_;
};

std::string format_location(const SourceLocation& where);

// Levenshtein distance between two byte strings: how names suggest the nearest known one.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(const std::string& s, std::size_t i);

// `text` with control characters (escape sequences included) and invalid UTF-8 shown as \xNN:
// for messages and terminals, so a name cannot reach a terminal raw.
std::string printable(const std::string& text);

}  // namespace extrasim
