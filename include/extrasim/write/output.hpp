// Writers: a RunResult as a table for people, JSON for programs, CSV for spreadsheets.
#pragma once

#include <ostream>

#include "extrasim/io/csv.hpp"
#include "extrasim/write/labels.hpp"
#include <string>
#include <vector>

#include "extrasim/results/results.hpp"

namespace extrasim {

enum class OutputFormat { kTable, kJson, kCsv };

// CSV conventions (RFC 4180, io/csv.hpp): "en" (default) writes `,` and a decimal point;
// "sv" writes `;`, a decimal comma and a UTF-8 byte order mark, which Swedish Excel opens as
// numbers and as UTF-8.
using CsvStyle = io::CsvDialect;
CsvStyle csv_style_for_locale(const std::string& locale);  // throws InputError if unknown

void write_table(const RunResult& result, std::ostream& out, Language language = Language::kEnglish);
void write_json(const RunResult& result, std::ostream& out);
void write_csv(const RunResult& result, std::ostream& out, const CsvStyle& style = {});
void write_result(const RunResult& result, OutputFormat format, std::ostream& out,
                  const CsvStyle& style = {}, Language language = Language::kEnglish);
// The month-level detail as CSV, one row per (month, side, metric): month,side,metric,mean.
// The provenance alone, as JSON: a CSV's sidecar FILE.manifest.json (MODEL.md §11).
void write_provenance_json(const Provenance& provenance, std::ostream& out);

// One row per (side, metric), the calendar years as columns, then the total (means).
void write_wide_csv(const RunResult& result, std::ostream& out, const CsvStyle& style = {});

void write_monthly_csv(const RunResult& result, std::ostream& out, const CsvStyle& style = {});

// Per-replication values (run --samples FILE.csv): a header `replication,COLUMN,...`, then one
// row per replication in order, at round-trip precision. Throws InputError for an exact result.
void write_samples_csv(const RunResult& result, const std::vector<SampleColumn>& columns, std::ostream& out,
                       const CsvStyle& style = {});

}  // namespace extrasim

#include <string>
#include <vector>

#include "extrasim/model/bonus.hpp"

namespace extrasim {

enum class BonusSort { kPayout, kName, kCount, kShareOfBeting };

// The allocation for a table of units; `only` (if not empty) limits the rows to those names,
// the totals still covering every unit.
void write_bonus(const BonusRule& rule, const std::vector<BonusUnit>& units,
                 const std::vector<BonusPayout>& payouts, BonusSort sort,
                 const std::vector<std::string>& only, OutputFormat format, std::ostream& out,
                 const CsvStyle& style = {});

void write_marginal(const std::string& unit, const std::vector<MarginalRow>& rows,
                    OutputFormat format, std::ostream& out, const CsvStyle& style = {});

}  // namespace extrasim

#include "extrasim/results/compare.hpp"
#include "extrasim/studies/sensitivity.hpp"

namespace extrasim {

// Scenarios side by side, per budget year and in total, with each one's paired difference to
// the first (95 % interval of the replications, and the share where it is higher).
void write_comparison(const ScenarioComparison& c, OutputFormat format, std::ostream& out,
                      const CsvStyle& style = {}, Language language = Language::kEnglish);

// Sobol indices per metric and parameter with their bootstrap intervals. CSV is tidy:
// metric,parameter,index,estimate,lo,hi (index: first or total); undefined indices are empty
// cells in CSV, null in JSON, n/a in the table.
void write_sensitivity(const SweepSensitivity& s, OutputFormat format, std::ostream& out);

}  // namespace extrasim
