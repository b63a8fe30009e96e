#include "extrasim/error.hpp"

namespace extrasim {

std::string format_location(const SourceLocation& where) {
  std::string s = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    s.append(":").append(std::to_string(where.line));
    if (where.column > 0) s.append(":").append(std::to_string(where.column));
  }
  return s;
}

namespace {
std::string compose(const SourceLocation& where, const std::string& path, const std::string& found,
                    const std::string& expected) {
  std::string s = format_location(where) + ": ";
  if (!path.empty()) s += path + ": ";
  s += "found " + found + ", expected " + expected;
  return s;
}
}  // namespace

InputError::InputError(SourceLocation where, std::string path, std::string found,
                       std::string expected)
    : std::runtime_error(compose(where, path, found, expected)),
      where_(std::move(where)),
      path_(std::move(path)),
      found_(std::move(found)),
      expected_(std::move(expected)) {}

InputError::InputError(SourceLocation where, const std::string& message)
    : std::runtime_error(format_location(where) + ": " + message), where_(std::move(where)) {}

}  // namespace extrasim
