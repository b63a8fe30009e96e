// Swedish income tax on one month's income (MODEL.md §8.2), from the rules of its income year.
//
// Contract:
// - The rules are data/tax/sweden.csv, one row per income year (2015-2022), built into the
//   library at compile time and parsed once, on first use (thread-safe). A year outside the
//   table is an InputError naming the year and the years covered.
// - monthly_tax() is a pure function: no allocation, no state, the same result for the same
//   arguments. It follows MODEL.md §8.2 and its settled readings (v2.1):
//     annual amounts are 12 x the month's; FFI (fastställd förvärvsinkomst) = earned income +
//     taxable benefits; GA = grundavdrag (IL 63 kap 3 §) of FFI, rounded up to 100 kr, the only
//     rounding; taxable = max(0, FFI - GA); municipal and regional tax = rate x taxable; state
//     tax = 20 % of taxable over the skiktgräns, plus 5 % over the upper skiktgräns in the years
//     it existed (2015-2019); JSA = jobbskatteavdrag (IL 67 kap 7 §) of AI (arbetsinkomst =
//     earned income only) with the GA of FFI, reduced by the phase-out (from 2016) and only then
//     capped at municipal + regional tax; monthly amounts are the annual ones / 12.
// - Income bands are half-open [lower, upper): an income exactly on a limit is in the band
//   above it (this matters only where the law's formulas do not join: the GA at 2.72 PBB, the
//   JSA base at 8.08 PBB). A band limit or base in kronor is factor x prisbasbelopp, taken to
//   the öre, so that an income on a limit is on it and not one binary ulp beside it.
// - Arbetsinkomst is NOT rounded down to 100 kr (FACTS.md §7.3 says the law does): MODEL.md
//   v2.1 rounds only the GA. The reference vectors cannot tell the two apart (all their annual
//   incomes are whole hundreds), so MODEL.md decides.
// - With the real tables the cap at municipal + regional tax never binds (the JSA base is at
//   most AI <= FFI); it is applied as MODEL.md says, and tested with a made-up rule.
// - Persons under 65 only; the temporary credits of 2021-22 are not modelled (MODEL.md v2.1).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extrasim/error.hpp"

namespace extrasim {

// Grundavdrag (IL 63 kap 3 §) in prisbasbelopp, as a function of FFI in prisbasbelopp.
struct GrundavdragRule {
  double limit_1 = 0;  // below: `low`
  double limit_2 = 0;  // limit_1..limit_2: `low` + rise_rate x (FFI - limit_1)
  double limit_3 = 0;  // limit_2..limit_3: `high`
  double limit_4 = 0;  // limit_3..limit_4: `high` - fall_rate x (FFI - limit_3); above: `floor`
  double low = 0;
  double rise_rate = 0;
  double high = 0;
  double fall_rate = 0;
  double floor = 0;
  friend bool operator==(const GrundavdragRule&, const GrundavdragRule&) = default;
};

// Jobbskatteavdrag (IL 67 kap 7 §): JSA = (base(AI) - GA) x (municipal + regional rate), the
// base in prisbasbelopp as a function of AI in prisbasbelopp.
struct JobbskatteavdragRule {
  double limit_1 = 0;  // below: base = AI
  double limit_2 = 0;  // limit_1..limit_2: base_2 + rate_2 x (AI - limit_1)
  double limit_3 = 0;  // limit_2..limit_3: base_3 + rate_3 x (AI - limit_2); above: max_base
  double base_2 = 0;
  double rate_2 = 0;
  double base_3 = 0;
  double rate_3 = 0;
  double max_base = 0;
  std::optional<double> phaseout_start;  // the JSA falls by phaseout_rate x (AI - start)
  double phaseout_rate = 0;              // 0 when there is no phase-out (2015)
  friend bool operator==(const JobbskatteavdragRule&, const JobbskatteavdragRule&) = default;
};

// Statlig inkomstskatt (IL 65 kap 5 §) on taxable income, thresholds in kronor.
struct StateTaxRule {
  double skiktgrans = 0;
  double rate = 0;
  std::optional<double> upper_skiktgrans;  // värnskatt; none from 2020
  double upper_rate = 0;                   // 0 when there is no upper threshold
  friend bool operator==(const StateTaxRule&, const StateTaxRule&) = default;
};

struct TaxYear {
  int year = 0;
  double prisbasbelopp = 0;  // kr
  GrundavdragRule grundavdrag;
  JobbskatteavdragRule jobbskatteavdrag;
  StateTaxRule state;
  // The year's average rates (FACTS.md §7.4): defaults for `extrasim tax`. Scenarios state
  // their own rates, so the model never reads these.
  double average_municipal_rate = 0;
  double average_regional_rate = 0;
  friend bool operator==(const TaxYear&, const TaxYear&) = default;
};

// One month's tax. Amounts are kr per month, except grundavdrag_annual and taxable_annual.
struct TaxLines {
  double grundavdrag_annual = 0;  // GA of the annualised FFI, rounded up to 100 kr
  double taxable_annual = 0;      // beskattningsbar förvärvsinkomst: max(0, FFI - GA)
  double municipal = 0;
  double regional = 0;
  double state = 0;
  double jobbskatteavdrag = 0;
  double total = 0;       // municipal + regional + state - jobbskatteavdrag
  double net_of_tax = 0;  // earned + taxable benefit - total
};

// Parses a rule table in the format of data/tax/sweden.csv (header row, then one row per
// year, consecutive years). `file` names the text in errors. Throws InputError.
std::vector<TaxYear> parse_tax_table(std::string_view csv, const std::string& file);

// The built-in Swedish table (data/tax/sweden.csv as of the build), parsed on first use.
const std::vector<TaxYear>& swedish_tax_table();

// The rules of one income year. Throws InputError at `where` and `path` naming the year and
// the years covered when the table has no such year.
const TaxYear& swedish_tax_year(int year, const SourceLocation& where = {},
                                const std::string& path = "tax.rules");

// Grundavdrag for an annual FFI, in kr, rounded up to 100 kr.
double grundavdrag(const TaxYear& rules, double annual_ffi);

// The month's tax on earned income (AI) and taxable benefits (kr/month, >= 0), at the given
// municipal and regional rates (fractions, e.g. 0.2075).
TaxLines monthly_tax(const TaxYear& rules, double monthly_earned, double monthly_taxable_benefit,
                     double municipal_rate, double regional_rate);

}  // namespace extrasim
