// Writers for the performance-based grant (extrasim bonus).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <numeric>

#include <nlohmann/json.hpp>

#include "extrasim/write/output.hpp"
#include "extrasim/version.hpp"
#include "text_format.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;
using text::display_width;

std::string kr(double v, int decimals = 0) { return text::grouped(v, decimals); }

std::string type_name(UnitType t) { return t == UnitType::kRegion ? "region" : "municipality"; }

const char* const kAssumption =
    "Table amounts marked * are assumed: pot x beting / total beting (the government's table was "
    "not published).";

std::vector<std::size_t> row_order(const std::vector<BonusUnit>& units,
                                   const std::vector<BonusPayout>& payouts, BonusSort sort,
                                   const std::vector<std::string>& only) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (only.empty() || std::find(only.begin(), only.end(), units[i].name) != only.end()) order.push_back(i);
  }
  auto key = [&](std::size_t i) -> double {
    switch (sort) {
      case BonusSort::kPayout: return -payouts[i].payout;
      case BonusSort::kCount: return -units[i].count;
      case BonusSort::kShareOfBeting: return -units[i].count / payouts[i].beting;
      case BonusSort::kName: return 0;
    }
    return 0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (sort == BonusSort::kName) return units[a].name < units[b].name;
    return key(a) < key(b);
  });
  return order;
}

void bonus_table(const BonusRule& rule, const std::vector<BonusUnit>& units,
                 const std::vector<BonusPayout>& p, const std::vector<std::size_t>& order,
                 std::ostream& out) {
  out << "Performance-based grant: pot " << kr(rule.pot) << " kr; beting " << kr(rule.target_municipalities)
      << " in municipalities, " << kr(rule.target_regions) << " in regions, by population\n\n";
  const char* head[] = {"unit", "type", "population", "count", "beting", "table amount", "base",
                        "extra", "to regions", "payout", "per extratjänst"};
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back(std::begin(head), std::end(head));
  bool assumed = false;
  for (std::size_t i : order) {
    assumed = assumed || p[i].table_amount_assumed;
    rows.push_back({units[i].name, type_name(units[i].type), kr(units[i].population), kr(units[i].count, 0),
                    kr(p[i].beting, 1), kr(p[i].table_amount) + (p[i].table_amount_assumed ? "*" : ""),
                    kr(p[i].base), kr(p[i].extra), kr(p[i].region_share), kr(p[i].payout),
                    units[i].count > 0 ? kr(p[i].payout / units[i].count) : "-"});
  }
  double count = 0, paid = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    count += units[i].count;
    paid += p[i].payout;
  }
  rows.push_back({"all " + std::to_string(units.size()) + " units", "", "", kr(count), "", "", "", "", "", kr(paid, 2),
                  count > 0 ? kr(paid / count) : "-"});
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k == 1 || k + 1 == rows.size()) out << std::string(std::accumulate(width.begin(), width.end(), std::size_t{0}) + 2 * (width.size() - 1), '-') << "\n";
    for (std::size_t c = 0; c < rows[k].size(); ++c) {
      const std::string pad(width[c] - display_width(rows[k][c]), ' ');
      out << (c == 0 ? rows[k][c] + pad : c == 1 ? "  " + rows[k][c] + pad : "  " + pad + rows[k][c]);
    }
    out << "\n";
  }
  if (assumed) out << "\n" << kAssumption << "\n";
}

}  // namespace

void write_bonus(const BonusRule& rule, const std::vector<BonusUnit>& units,
                 const std::vector<BonusPayout>& p, BonusSort sort,
                 const std::vector<std::string>& only, OutputFormat format, std::ostream& out, const CsvStyle& style) {
  const std::vector<std::size_t> order = row_order(units, p, sort, only);
  if (format == OutputFormat::kTable) return bonus_table(rule, units, p, order, out);
  if (format == OutputFormat::kCsv) {
    io::CsvWriter csv(out, style);
    for (const char* h : {"name", "type", "population", "count", "beting", "table_amount", "table_amount_assumed", "base", "extra",
                          "region_share", "payout"}) {
      csv.cell(h);
    }
    csv.end_row();
    for (std::size_t i : order) {
      csv.cell(units[i].name).cell(type_name(units[i].type)).cell(units[i].population).cell(units[i].count).cell(p[i].beting);
      csv.cell(p[i].table_amount).cell(p[i].table_amount_assumed ? "true" : "false").cell(p[i].base).cell(p[i].extra);
      csv.cell(p[i].region_share).cell(p[i].payout).end_row();
    }
    return;
  }
  Json j;
  j["extrasim"] = kVersion;
  j["rule"] = {{"pot", rule.pot}, {"target_municipalities", rule.target_municipalities},
               {"target_regions", rule.target_regions}};
  j["note"] = kAssumption;
  j["units"] = Json::array();
  for (std::size_t i : order) {
    j["units"].push_back({{"name", units[i].name}, {"type", type_name(units[i].type)},
                          {"population", units[i].population}, {"count", units[i].count},
                          {"beting", p[i].beting}, {"table_amount", p[i].table_amount},
                          {"table_amount_assumed", p[i].table_amount_assumed}, {"base", p[i].base},
                          {"extra", p[i].extra}, {"region_share", p[i].region_share}, {"payout", p[i].payout}});
  }
  out << j.dump(1) << "\n";
}

void write_marginal(const std::string& unit, const std::vector<MarginalRow>& rows,
                    OutputFormat format, std::ostream& out, const CsvStyle& style) {
  if (format == OutputFormat::kCsv) {
    io::CsvWriter csv(out, style);
    csv.cell("count").cell("payout").cell("marginal").end_row();
    for (const MarginalRow& r : rows) csv.cell(r.count).cell(r.payout).cell(r.marginal).end_row();
    return;
  }
  if (format == OutputFormat::kJson) {
    Json j = {{"unit", unit}, {"rows", Json::array()}};
    for (const MarginalRow& r : rows) j["rows"].push_back({{"count", r.count}, {"payout", r.payout}, {"marginal", r.marginal}});
    out << j.dump(1) << "\n";
    return;
  }
  out << "\nWhat more extratjänster on the reference date would pay " << unit << " (others unchanged):\n";
  const bool all_zero = rows.size() > 1 && std::all_of(rows.begin() + 1, rows.end(), [](const MarginalRow& r) { return r.marginal == 0.0; });
  out << "  count         payout    +1 extratjänst\n";
  for (const MarginalRow& r : rows) {
    char line[128];
    std::snprintf(line, sizeof line, "%7s  %13s  %16s\n", kr(r.count).c_str(), kr(r.payout).c_str(),
                  &r == &rows.front() ? "" : kr(r.marginal).c_str());
    out << line;
  }
  if (all_zero) {
    out << "Each extra extratjänst pays 0 kr here: when every unit has reached its beting, the table amounts take the whole pot\n"
           "and no remainder is left to share per extratjänst (docs/model.md, the grant's rule, step 4). --spread-total N above\n"
           "the national beting (the targets' sum) puts every unit above its own, since it spreads N in proportion to beting.\n";
  }
}

}  // namespace extrasim
