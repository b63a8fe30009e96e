// The --format flag shared by the commands.
#pragma once

#include <string>

#include "extrasim/error.hpp"
#include "extrasim/write/output.hpp"

namespace extrasim::cli {

inline OutputFormat parse_format(const std::string& f) {
  if (f == "table") return OutputFormat::kTable;
  if (f == "json") return OutputFormat::kJson;
  if (f == "csv") return OutputFormat::kCsv;
  throw InputError({"--format"}, "", "'" + f + "'", "table, json or csv");
}

}  // namespace extrasim::cli
