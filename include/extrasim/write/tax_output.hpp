// The tax lines of one month (`extrasim tax YEAR MONTHLY_INCOME`): what MODEL.md §8.2 charges a
// person with that income, line by line with the law each line comes from.
//
// Contract: validates its arguments like command-line flags (InputError at "YEAR",
// "MONTHLY_INCOME", "--benefit", "--municipal-rate", "--regional-rate"); writes nothing when it
// throws. Formats: a table for people; JSON (annual bases, monthly lines, the law of each line);
// CSV with the columns of the reference vectors (tests/data/vectors/tax-sweden-2015-2022.csv),
// one row.
#pragma once

#include <ostream>

#include "extrasim/write/output.hpp"

namespace extrasim {

// monthly_earned is arbetsinkomst (gives jobbskatteavdrag), monthly_benefit a taxable benefit
// (does not); rates are fractions (0.2075). Callers without a municipality may pass the year's
// averages, swedish_tax_year(year).average_municipal_rate / average_regional_rate.
void write_tax_lines(std::ostream& out, int year, double monthly_earned, double monthly_benefit,
                     double municipal_rate, double regional_rate, OutputFormat format);

}  // namespace extrasim
