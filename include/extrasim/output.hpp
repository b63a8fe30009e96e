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

#include <string>
#include <vector>

#include "extrasim/bonus.hpp"

namespace extrasim {

enum class BonusSort { kPayout, kName, kCount, kShareOfBeting };

// The allocation for a table of units; `only` (if not empty) limits the rows to those names,
// the totals still covering every unit.
void write_bonus(const BonusRule& rule, const std::vector<BonusUnit>& units,
                 const std::vector<BonusPayout>& payouts, BonusSort sort,
                 const std::vector<std::string>& only, OutputFormat format, std::ostream& out);

void write_marginal(const std::string& unit, const std::vector<MarginalRow>& rows,
                    OutputFormat format, std::ostream& out);

}  // namespace extrasim
