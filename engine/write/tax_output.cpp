// The writer of `extrasim tax`: one month's income tax, line by line.
#include "extrasim/write/tax_output.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "extrasim/model/tax_rules.hpp"
#include "extrasim/version.hpp"
#include "text_format.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kLawGrundavdrag = "IL 63 kap 3 §";
constexpr const char* kLawLocalTax =
    "lag 1965:269 1 §";  // levied on beskattningsbar förvärvsinkomst
constexpr const char* kLawStateTax = "IL 65 kap 5 §";
constexpr const char* kLawJobbskatteavdrag = "IL 67 kap 7 §";

const char* const kNotes[] = {
    "A person under 65; annual amounts are 12 x the month's, as in a monthly tax table (MODEL.md "
    "§8.2).",
    "Only the grundavdrag is rounded (up to 100 kr); the jobbskatteavdrag uses the grundavdrag of "
    "all income and only earned income gives it.",
    "Not modelled: the temporary tax credits of 2021-22, förhöjt grundavdrag (65+), fees.",
};

struct Inputs {
  int year;
  double earned, benefit, municipal_rate, regional_rate;
};

void check_amount(double v, const char* flag) {
  if (!std::isfinite(v) || v < 0)
    throw InputError({flag}, "", std::to_string(v), "an amount in kr/month >= 0");
}

void check_rate(double v, const char* flag) {
  if (!std::isfinite(v) || v < 0 || v >= 1)
    throw InputError({flag}, "", std::to_string(v), "a rate in [0, 1), e.g. 0.2075");
}

struct Row {
  std::string label;
  double annual;
  double monthly;
  const char* law;
  bool rule_above = false;  // a line under the amounts it sums up
};

std::vector<Row> table_rows(const Inputs& in, const TaxLines& t) {
  const double ffi = in.earned + in.benefit;
  return {
      {"earned income (arbetsinkomst)", 12 * in.earned, in.earned, ""},
      {"taxable benefit", 12 * in.benefit, in.benefit, ""},
      {"fastställd förvärvsinkomst", 12 * ffi, ffi, ""},
      {"grundavdrag", t.grundavdrag_annual, t.grundavdrag_annual / 12, kLawGrundavdrag},
      {"taxable income", t.taxable_annual, t.taxable_annual / 12, "", true},
      {"municipal tax", 12 * t.municipal, t.municipal, kLawLocalTax},
      {"regional tax", 12 * t.regional, t.regional, kLawLocalTax},
      {"state income tax", 12 * t.state, t.state, kLawStateTax},
      {"jobbskatteavdrag", -12 * t.jobbskatteavdrag, -t.jobbskatteavdrag, kLawJobbskatteavdrag},
      {"income tax", 12 * t.total, t.total, "", true},
      {"net of tax", 12 * t.net_of_tax, t.net_of_tax, ""},
  };
}

void write_table(std::ostream& out, const Inputs& in, const TaxYear& rules, const TaxLines& t) {
  out << "Swedish income tax " << in.year << ": prisbasbelopp "
      << text::grouped(rules.prisbasbelopp, 0) << " kr, municipal rate "
      << text::grouped(100 * in.municipal_rate, 2) << " %, regional rate "
      << text::grouped(100 * in.regional_rate, 2) << " %\n\n";
  const std::vector<Row> rows = table_rows(in, t);
  std::size_t label_width = 0;
  for (const Row& r : rows) label_width = std::max(label_width, text::display_width(r.label));
  out << std::string(label_width, ' ') << "  " << std::setw(12) << "per year"
      << "  " << std::setw(12) << "per month"
      << "  law\n";
  for (const Row& r : rows) {
    if (r.rule_above) out << std::string(label_width + 28, '-') << "\n";
    out << r.label << std::string(label_width - text::display_width(r.label), ' ') << "  "
        << std::setw(12) << text::grouped(r.annual, 0) << "  " << std::setw(12)
        << text::grouped(r.monthly, 2) << (*r.law ? "  " : "") << r.law << "\n";
  }
  out << "\n";
  for (const char* note : kNotes) out << note << "\n";
}

void write_json(std::ostream& out, const Inputs& in, const TaxYear& rules, const TaxLines& t) {
  Json j;
  j["extrasim"] = kVersion;
  j["rules"] = "sweden";
  j["year"] = in.year;
  j["prisbasbelopp"] = rules.prisbasbelopp;
  j["inputs"] = {{"monthly_earned", in.earned},
                 {"monthly_taxable_benefit", in.benefit},
                 {"municipal_rate", in.municipal_rate},
                 {"regional_rate", in.regional_rate}};
  j["annual"] = {{"ffi", 12 * (in.earned + in.benefit)},
                 {"grundavdrag", t.grundavdrag_annual},
                 {"taxable", t.taxable_annual}};
  j["monthly"] = {{"municipal_tax", t.municipal},
                  {"regional_tax", t.regional},
                  {"state_tax", t.state},
                  {"jobbskatteavdrag", t.jobbskatteavdrag},
                  {"tax", t.total},
                  {"net_of_tax", t.net_of_tax}};
  j["law"] = {{"grundavdrag", kLawGrundavdrag},
              {"municipal_tax", kLawLocalTax},
              {"regional_tax", kLawLocalTax},
              {"state_tax", kLawStateTax},
              {"jobbskatteavdrag", kLawJobbskatteavdrag}};
  j["notes"] = Json::array();
  for (const char* note : kNotes) j["notes"].push_back(note);
  out << j.dump(1) << "\n";
}

// The columns of the reference vectors, so a row can be compared with them directly.
void write_csv(std::ostream& out, const Inputs& in, const TaxLines& t) {
  out << "year,monthly_earned,monthly_taxable_benefit,municipal_rate,regional_rate,grundavdrag_"
         "annual,"
         "municipal_tax,regional_tax,state_tax,jobbskatteavdrag,tax,net_of_tax\n"
      << std::setprecision(15) << in.year << "," << in.earned << "," << in.benefit << ","
      << in.municipal_rate << "," << in.regional_rate << "," << t.grundavdrag_annual << ","
      << t.municipal << "," << t.regional << "," << t.state << "," << t.jobbskatteavdrag << ","
      << t.total << "," << t.net_of_tax << "\n";
}

}  // namespace

void write_tax_lines(std::ostream& out, int year, double monthly_earned, double monthly_benefit,
                     double municipal_rate, double regional_rate, OutputFormat format) {
  const TaxYear& rules = swedish_tax_year(year, {"YEAR"}, "");
  check_amount(monthly_earned, "MONTHLY_INCOME");
  check_amount(monthly_benefit, "--benefit");
  check_rate(municipal_rate, "--municipal-rate");
  check_rate(regional_rate, "--regional-rate");
  const Inputs in{year, monthly_earned, monthly_benefit, municipal_rate, regional_rate};
  const TaxLines t =
      monthly_tax(rules, monthly_earned, monthly_benefit, municipal_rate, regional_rate);
  switch (format) {
    case OutputFormat::kTable:
      return write_table(out, in, rules, t);
    case OutputFormat::kJson:
      return write_json(out, in, rules, t);
    case OutputFormat::kCsv:
      return write_csv(out, in, t);
  }
}

}  // namespace extrasim
