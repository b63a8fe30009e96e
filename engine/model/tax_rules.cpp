// Swedish income tax by income year: the rule table's parser and the monthly computation.
#include "extrasim/model/tax_rules.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "embedded_tax_table.hpp"

namespace extrasim {

namespace {

constexpr const char* kEmbeddedName = "data/tax/sweden.csv (built in)";

// ---------------------------------------------------------------- the table's columns

enum class Cell { kRequired, kOptional };

struct Column {
  const char* name;
  Cell cell;
  void (*set)(TaxYear&, double);
};

// Every column of data/tax/sweden.csv and where its value goes. Optional cells come in pairs
// (a threshold and its rate) that are both given or both empty; see kPairs.
constexpr std::array kColumns = {
    Column{"year", Cell::kRequired, [](TaxYear& t, double v) { t.year = static_cast<int>(v); }},
    Column{"prisbasbelopp_kr", Cell::kRequired, [](TaxYear& t, double v) { t.prisbasbelopp = v; }},
    Column{"ga_limit_1_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.grundavdrag.limit_1 = v; }},
    Column{"ga_limit_2_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.grundavdrag.limit_2 = v; }},
    Column{"ga_limit_3_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.grundavdrag.limit_3 = v; }},
    Column{"ga_limit_4_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.grundavdrag.limit_4 = v; }},
    Column{"ga_low_pbb", Cell::kRequired, [](TaxYear& t, double v) { t.grundavdrag.low = v; }},
    Column{"ga_rise_rate", Cell::kRequired,
           [](TaxYear& t, double v) { t.grundavdrag.rise_rate = v; }},
    Column{"ga_high_pbb", Cell::kRequired, [](TaxYear& t, double v) { t.grundavdrag.high = v; }},
    Column{"ga_fall_rate", Cell::kRequired,
           [](TaxYear& t, double v) { t.grundavdrag.fall_rate = v; }},
    Column{"ga_floor_pbb", Cell::kRequired, [](TaxYear& t, double v) { t.grundavdrag.floor = v; }},
    Column{"jsa_limit_1_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.limit_1 = v; }},
    Column{"jsa_limit_2_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.limit_2 = v; }},
    Column{"jsa_limit_3_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.limit_3 = v; }},
    Column{"jsa_base_2_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.base_2 = v; }},
    Column{"jsa_rate_2", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.rate_2 = v; }},
    Column{"jsa_base_3_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.base_3 = v; }},
    Column{"jsa_rate_3", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.rate_3 = v; }},
    Column{"jsa_max_base_pbb", Cell::kRequired,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.max_base = v; }},
    Column{"jsa_phaseout_start_pbb", Cell::kOptional,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.phaseout_start = v; }},
    Column{"jsa_phaseout_rate", Cell::kOptional,
           [](TaxYear& t, double v) { t.jobbskatteavdrag.phaseout_rate = v; }},
    Column{"skiktgrans_kr", Cell::kRequired, [](TaxYear& t, double v) { t.state.skiktgrans = v; }},
    Column{"state_rate", Cell::kRequired, [](TaxYear& t, double v) { t.state.rate = v; }},
    Column{"skiktgrans_upper_kr", Cell::kOptional,
           [](TaxYear& t, double v) { t.state.upper_skiktgrans = v; }},
    Column{"state_rate_upper", Cell::kOptional,
           [](TaxYear& t, double v) { t.state.upper_rate = v; }},
    Column{"average_municipal_rate", Cell::kRequired,
           [](TaxYear& t, double v) { t.average_municipal_rate = v; }},
    Column{"average_regional_rate", Cell::kRequired,
           [](TaxYear& t, double v) { t.average_regional_rate = v; }},
};

constexpr std::size_t kYearColumn = 0;

constexpr std::array<std::array<const char*, 2>, 2> kPairs = {{
    {"jsa_phaseout_start_pbb", "jsa_phaseout_rate"},
    {"skiktgrans_upper_kr", "state_rate_upper"},
}};

// ---------------------------------------------------------------- parsing

struct Field {
  std::string_view text;
  int column = 1;  // 1-based character column, for errors
};

std::vector<Field> split_line(std::string_view line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    fields.push_back({line.substr(start, end - start), static_cast<int>(start) + 1});
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

std::optional<double> parse_number(std::string_view s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Which table column each field of the header is; every column exactly once.
std::vector<std::size_t> read_header(std::string_view line, const std::string& file) {
  std::vector<std::size_t> order;
  std::vector<bool> seen(kColumns.size(), false);
  for (const Field& f : split_line(line)) {
    const auto it = std::find_if(kColumns.begin(), kColumns.end(),
                                 [&](const Column& c) { return f.text == c.name; });
    const SourceLocation at{file, 1, f.column};
    if (it == kColumns.end())
      throw InputError(at, "header", quoted(f.text), "a column of data/tax/sweden.csv");
    const auto index = static_cast<std::size_t>(it - kColumns.begin());
    if (seen[index]) throw InputError(at, "header", quoted(f.text) + " twice", "each column once");
    seen[index] = true;
    order.push_back(index);
  }
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (!seen[i])
      throw InputError({file, 1, 0}, "header", "no column " + quoted(kColumns[i].name),
                       "every column of data/tax/sweden.csv");
  }
  return order;
}

void check_pairs(const std::vector<Field>& fields, const std::vector<std::size_t>& order,
                 const SourceLocation& row) {
  auto is_empty = [&](const char* name) {
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (std::string_view(kColumns[order[i]].name) == name) return fields[i].text.empty();
    }
    return true;
  };
  for (const auto& [first, second] : kPairs) {
    if (is_empty(first) != is_empty(second)) {
      throw InputError(row, std::string(first) + ", " + second, "one of the two empty",
                       "both given or both empty");
    }
  }
}

// The rules must have the shape the computation assumes: rising limits, rates as fractions.
void check_year(const TaxYear& t, const SourceLocation& row) {
  using Named = std::pair<const char*, double>;
  auto require = [&](bool ok, const char* column, double found, const std::string& expected) {
    if (!ok) throw InputError(row, column, std::to_string(found), expected);
  };
  const GrundavdragRule& g = t.grundavdrag;
  const JobbskatteavdragRule& j = t.jobbskatteavdrag;
  require(t.prisbasbelopp > 0, "prisbasbelopp_kr", t.prisbasbelopp, "an amount > 0");
  require(g.limit_1 > 0, "ga_limit_1_pbb", g.limit_1, "a limit > 0");
  require(g.limit_2 > g.limit_1, "ga_limit_2_pbb", g.limit_2, "a limit above ga_limit_1_pbb");
  require(g.limit_3 > g.limit_2, "ga_limit_3_pbb", g.limit_3, "a limit above ga_limit_2_pbb");
  require(g.limit_4 > g.limit_3, "ga_limit_4_pbb", g.limit_4, "a limit above ga_limit_3_pbb");
  require(j.limit_1 > 0, "jsa_limit_1_pbb", j.limit_1, "a limit > 0");
  require(j.limit_2 > j.limit_1, "jsa_limit_2_pbb", j.limit_2, "a limit above jsa_limit_1_pbb");
  require(j.limit_3 > j.limit_2, "jsa_limit_3_pbb", j.limit_3, "a limit above jsa_limit_2_pbb");
  for (const auto& [column, rate] :
       {Named{"ga_rise_rate", g.rise_rate}, Named{"ga_fall_rate", g.fall_rate},
        Named{"jsa_rate_2", j.rate_2}, Named{"jsa_rate_3", j.rate_3},
        Named{"jsa_phaseout_rate", j.phaseout_rate}, Named{"state_rate", t.state.rate},
        Named{"state_rate_upper", t.state.upper_rate},
        Named{"average_municipal_rate", t.average_municipal_rate},
        Named{"average_regional_rate", t.average_regional_rate}}) {
    require(rate >= 0 && rate < 1, column, rate, "a fraction in [0, 1)");
  }
  for (const auto& [column, amount] :
       {Named{"ga_low_pbb", g.low}, Named{"ga_high_pbb", g.high}, Named{"ga_floor_pbb", g.floor},
        Named{"jsa_base_2_pbb", j.base_2}, Named{"jsa_base_3_pbb", j.base_3},
        Named{"jsa_max_base_pbb", j.max_base},
        Named{"jsa_phaseout_start_pbb", j.phaseout_start.value_or(0)},
        Named{"skiktgrans_kr", t.state.skiktgrans}}) {
    require(amount >= 0, column, amount, "an amount >= 0");
  }
  if (t.state.upper_skiktgrans) {
    require(*t.state.upper_skiktgrans > t.state.skiktgrans, "skiktgrans_upper_kr",
            *t.state.upper_skiktgrans, "an amount above skiktgrans_kr");
  }
}

TaxYear read_row(std::string_view line, const std::vector<std::size_t>& order,
                 const SourceLocation& row) {
  const std::vector<Field> fields = split_line(line);
  if (fields.size() != order.size()) {
    throw InputError(row, "row", std::to_string(fields.size()) + " fields",
                     std::to_string(order.size()) + " (as the header)");
  }
  check_pairs(fields, order, row);
  TaxYear t;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Column& c = kColumns[order[i]];
    if (fields[i].text.empty() && c.cell == Cell::kOptional) continue;
    const std::optional<double> v = parse_number(fields[i].text);
    const SourceLocation at{row.file, row.line, fields[i].column};
    if (!v) throw InputError(at, c.name, quoted(fields[i].text), "a number");
    // The year becomes an int: check it is one before the conversion.
    if (order[i] == kYearColumn && !(*v == std::floor(*v) && *v >= 1900 && *v <= 2199)) {
      throw InputError(at, c.name, quoted(fields[i].text), "a year 1900-2199");
    }
    c.set(t, *v);
  }
  check_year(t, row);
  return t;
}

// ---------------------------------------------------------------- the computation

// A limit or base of the law, factor x prisbasbelopp: a decimal amount in kronor and öre, taken
// to the öre so that an income exactly on a limit is on it, not one ulp beside it.
double kronor(double pbb_factor, double prisbasbelopp) {
  return std::round(pbb_factor * prisbasbelopp * 100.0) / 100.0;
}

double grundavdrag_unrounded(const GrundavdragRule& g, double pbb, double ffi) {
  if (ffi < kronor(g.limit_1, pbb)) return kronor(g.low, pbb);
  if (ffi < kronor(g.limit_2, pbb))
    return kronor(g.low, pbb) + g.rise_rate * (ffi - kronor(g.limit_1, pbb));
  if (ffi < kronor(g.limit_3, pbb)) return kronor(g.high, pbb);
  if (ffi < kronor(g.limit_4, pbb))
    return kronor(g.high, pbb) - g.fall_rate * (ffi - kronor(g.limit_3, pbb));
  return kronor(g.floor, pbb);
}

// The amount of arbetsinkomst the credit is computed on, before the grundavdrag is taken off.
double jobbskatteavdrag_base(const JobbskatteavdragRule& j, double pbb, double ai) {
  if (ai < kronor(j.limit_1, pbb)) return ai;
  if (ai < kronor(j.limit_2, pbb))
    return kronor(j.base_2, pbb) + j.rate_2 * (ai - kronor(j.limit_1, pbb));
  if (ai < kronor(j.limit_3, pbb))
    return kronor(j.base_3, pbb) + j.rate_3 * (ai - kronor(j.limit_2, pbb));
  return kronor(j.max_base, pbb);
}

// Annual JSA: the phase-out comes off before the cap at municipal + regional tax (MODEL.md v2.1).
double jobbskatteavdrag(const TaxYear& t, double ai, double ga, double local_rate,
                        double local_tax) {
  const JobbskatteavdragRule& j = t.jobbskatteavdrag;
  double jsa = std::max(0.0, (jobbskatteavdrag_base(j, t.prisbasbelopp, ai) - ga) * local_rate);
  if (j.phaseout_start) {
    const double start = kronor(*j.phaseout_start, t.prisbasbelopp);
    if (ai > start) jsa = std::max(0.0, jsa - j.phaseout_rate * (ai - start));
  }
  return std::min(jsa, local_tax);
}

double state_tax(const StateTaxRule& s, double taxable) {
  double tax = s.rate * std::max(0.0, taxable - s.skiktgrans);
  if (s.upper_skiktgrans) tax += s.upper_rate * std::max(0.0, taxable - *s.upper_skiktgrans);
  return tax;
}

}  // namespace

std::vector<TaxYear> parse_tax_table(std::string_view csv, const std::string& file) {
  std::vector<TaxYear> table;
  std::vector<std::size_t> order;
  int number = 0;
  for (std::size_t start = 0; start < csv.size();) {
    const std::size_t newline = std::min(csv.find('\n', start), csv.size());
    std::string_view line = csv.substr(start, newline - start);
    start = newline + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (number == 1) {
      order = read_header(line, file);
      continue;
    }
    const SourceLocation row{file, number, 0};
    table.push_back(read_row(line, order, row));
    if (table.size() > 1 && table.back().year != table[table.size() - 2].year + 1) {
      throw InputError(
          row, "year", std::to_string(table.back().year),
          std::to_string(table[table.size() - 2].year + 1) + " (one row per year, in order)");
    }
  }
  if (table.empty())
    throw InputError({file, number, 0}, "", "no rows", "a header and one row per income year");
  return table;
}

const std::vector<TaxYear>& swedish_tax_table() {
  static const std::vector<TaxYear> table =
      parse_tax_table(detail::embedded_sweden_tax_csv(), kEmbeddedName);
  return table;
}

const TaxYear& swedish_tax_year(int year, const SourceLocation& where, const std::string& path) {
  const std::vector<TaxYear>& table = swedish_tax_table();
  const int first = table.front().year, last = table.back().year;
  if (year < first || year > last) {
    throw InputError(where, path, "income year " + std::to_string(year),
                     "an income year " + std::to_string(first) + "-" + std::to_string(last) +
                         " (the Swedish tax rules built in from data/tax/sweden.csv)");
  }
  return table[static_cast<std::size_t>(year - first)];
}

double grundavdrag(const TaxYear& rules, double annual_ffi) {
  const double ga = grundavdrag_unrounded(rules.grundavdrag, rules.prisbasbelopp, annual_ffi);
  // A plain ceiling: the limits and bases are taken to the öre, and a GA that is a whole hundred
  // in decimals comes out exactly so in binary (checked for every year's two sloped bands and
  // every FFI in whole öre that lands on a hundred), so no tolerance is needed.
  return std::ceil(ga / 100.0) * 100.0;
}

TaxLines monthly_tax(const TaxYear& rules, double monthly_earned, double monthly_taxable_benefit,
                     double municipal_rate, double regional_rate) {
  const double ai = 12.0 * monthly_earned;
  const double ffi = ai + 12.0 * monthly_taxable_benefit;
  TaxLines lines;
  lines.grundavdrag_annual = grundavdrag(rules, ffi);
  lines.taxable_annual = std::max(0.0, ffi - lines.grundavdrag_annual);
  const double municipal = municipal_rate * lines.taxable_annual;
  const double regional = regional_rate * lines.taxable_annual;
  const double jsa = jobbskatteavdrag(rules, ai, lines.grundavdrag_annual,
                                      municipal_rate + regional_rate, municipal + regional);
  lines.municipal = municipal / 12.0;
  lines.regional = regional / 12.0;
  lines.state = state_tax(rules.state, lines.taxable_annual) / 12.0;
  lines.jobbskatteavdrag = jsa / 12.0;
  // The total from the monthly lines, so that the ledger's lines add up to it exactly.
  lines.total = lines.municipal + lines.regional + lines.state - lines.jobbskatteavdrag;
  lines.net_of_tax = monthly_earned + monthly_taxable_benefit - lines.total;
  return lines;
}

}  // namespace extrasim
