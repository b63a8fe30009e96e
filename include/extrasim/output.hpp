// Writers: a RunResult as a table for people, JSON for programs, CSV for spreadsheets.
#pragma once

#include <ostream>

#include "extrasim/results.hpp"

namespace extrasim {

enum class OutputFormat { kTable, kJson, kCsv };

void write_table(const RunResult& result, std::ostream& out);
void write_json(const RunResult& result, std::ostream& out);
void write_csv(const RunResult& result, std::ostream& out);
void write_result(const RunResult& result, OutputFormat format, std::ostream& out);

}  // namespace extrasim
