// The units table of the performance-based grant, from CSV.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "extrasim/config/config.hpp"
#include "text_checks.hpp"

namespace extrasim {

namespace {

// Splits one CSV line; a field may be "quoted" (with "" for a quote inside).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::optional<double> parse_number(const std::string& s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

// Excel's "CSV UTF-8" starts with a byte order mark; old Mac files end lines with CR alone.
std::string normalised(const std::string& text) {
  std::string out = text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
  std::string lf;
  lf.reserve(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] != '\r') lf += out[i];
    else if (i + 1 >= out.size() || out[i + 1] != '\n') lf += '\n';
  }
  return lf;
}

constexpr double kMaxPopulation = 1e10;
constexpr double kMaxCount = 1e7;
constexpr double kMaxAmount = 1e12;

UnitsTable load_units_csv_text(const std::string& raw, const std::string& file) {
  config::check_scenario_text(raw, file);
  const std::string text = normalised(raw);
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) throw InputError({file, 1, 1}, "", "an empty file", "a header: name,type,population[,count][,table_amount]");
  const std::vector<std::string> header = split_csv(line);
  auto column = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  const int c_name = column("name"), c_type = column("type"), c_pop = column("population");
  const int c_count = column("count"), c_amount = column("table_amount");
  if (c_name < 0 || c_type < 0 || c_pop < 0) {
    throw InputError({file, 1, 1}, "", "header '" + config::printable(line) + "'",
                     "a header with name, type and population (and optionally count, table_amount)");
  }
  UnitsTable table;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> f = split_csv(line);
    if (f.size() != header.size()) {
      throw InputError({file, number, 0}, "", std::to_string(f.size()) + " cells ('" + config::printable(line.substr(0, 60)) + "')",
                       std::to_string(header.size()) + " cells as in the header (a decimal comma? write 1000.5, or quote the cell)");
    }
    auto cell = [&](int c) { return c >= 0 && c < static_cast<int>(f.size()) ? f[c] : std::string(); };
    auto fail = [&](int c, const std::string& what, const std::string& expected) {
      throw InputError({file, number, 0}, header[c], "'" + config::printable(cell(c)) + "'" + what, expected);
    };
    BonusUnit u;
    u.name = cell(c_name);
    if (u.name.empty()) fail(c_name, "", "a unit name");
    const std::string type = cell(c_type);
    if (type == "municipality" || type == "kommun") {
      u.type = UnitType::kMunicipality;
    } else if (type == "region" || type == "landsting") {
      u.type = UnitType::kRegion;
    } else {
      fail(c_type, "", "municipality or region");
    }
    const auto pop = parse_number(cell(c_pop));
    if (!pop || *pop <= 0 || *pop > kMaxPopulation) fail(c_pop, "", "a population in (0, 1e10]");
    u.population = *pop;
    bool given = false;
    if (!cell(c_count).empty()) {
      const auto count = parse_number(cell(c_count));
      if (!count || *count < 0 || *count > kMaxCount) fail(c_count, "", "a count in [0, 1e7] (or an empty cell: unknown)");
      u.count = *count;
      given = true;
    }
    if (!cell(c_amount).empty()) {
      const auto amount = parse_number(cell(c_amount));
      if (!amount || *amount < 0 || *amount > kMaxAmount) fail(c_amount, "", "an amount in kronor in [0, 1e12] (or an empty cell)");
      u.table_amount = *amount;
    }
    table.units.push_back(std::move(u));
    table.count_given.push_back(given);
  }
  return table;
}

UnitsTable load_units_csv(const std::string& path) {
  return load_units_csv_text(config::read_text_file(path), path);
}

void spread_total(UnitsTable& table, const BonusRule& rule, double total) {
  std::vector<BonusUnit> probe = table.units;
  const auto payouts = allocate_bonus(rule, probe);
  double given = 0, beting_open = 0;
  for (std::size_t i = 0; i < probe.size(); ++i) {
    if (table.count_given[i]) {
      given += probe[i].count;
    } else {
      beting_open += payouts[i].beting;
    }
  }
  // Whole extratjänster by largest remainder, so that the counts add up to the total exactly
  // (rounding each unit's share lost 5 of 1 000); ties to the earlier unit.
  const double open = std::max(0.0, std::round(total - given));
  const double share = beting_open > 0 ? open / beting_open : 0.0;
  std::vector<std::pair<double, std::size_t>> remainders;
  double assigned = 0;
  for (std::size_t i = 0; i < probe.size(); ++i) {
    if (table.count_given[i]) continue;
    const double exact = payouts[i].beting * share;
    table.units[i].count = std::floor(exact);
    assigned += table.units[i].count;
    remainders.emplace_back(exact - table.units[i].count, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; k < remainders.size() && assigned < open; ++k, ++assigned) table.units[remainders[k].second].count += 1;
}

}  // namespace extrasim
