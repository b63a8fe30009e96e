#include "extrasim/model/bonus.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <numeric>
#include <set>

#include "extrasim/error.hpp"

namespace extrasim {

namespace {

void check_units(const BonusRule& rule, const std::vector<BonusUnit>& units) {
  const SourceLocation where{"bonus"};
  if (!(rule.pot >= 0) || !std::isfinite(rule.pot)) throw InputError(where, "pot", std::to_string(rule.pot), "an amount >= 0");
  bool region = false;
  std::set<std::string> names;
  double given = 0;
  for (const BonusUnit& u : units) {
    if (!names.insert(u.name).second) throw InputError(where, u.name, "the name twice", "unique unit names");
    if (!(u.population > 0) || !std::isfinite(u.population)) {
      throw InputError(where, u.name + ".population", std::to_string(u.population), "a population > 0");
    }
    if (!(u.count >= 0) || !std::isfinite(u.count)) {
      throw InputError(where, u.name + ".count", std::to_string(u.count), "a count >= 0");
    }
    region = region || u.type == UnitType::kRegion;
    if (u.table_amount) given += *u.table_amount;
  }
  if (!region) throw InputError(where, "units", "no region", "at least one region (what is left goes to regions)");
  if (given > rule.pot * (1 + 1e-12)) {
    throw InputError(where, "table_amount", "given amounts summing to " + std::to_string(given),
                     "at most the pot (" + std::to_string(rule.pot) + ")");
  }
}

// Rounds kronor to whole öre so that they sum to `total` öre exactly: floors, then the
// largest remainders get one öre more (ties to the earlier unit).
std::vector<double> round_to_ore(const std::vector<double>& kronor, double total_kronor) {
  // Inputs are bounded where they are read; a non-finite or absurd amount here would loop.
  if (!(std::abs(total_kronor) <= 1e13)) throw std::domain_error("round_to_ore: pot out of range");
  for (double k : kronor) {
    if (!(std::abs(k) <= 1e13)) throw std::domain_error("round_to_ore: amount out of range");
  }
  const auto total = static_cast<long long>(std::llround(total_kronor * 100));
  std::vector<long long> ore(kronor.size());
  std::vector<double> remainder(kronor.size());
  long long assigned = 0;
  for (std::size_t i = 0; i < kronor.size(); ++i) {
    const double exact = kronor[i] * 100;
    ore[i] = static_cast<long long>(std::floor(exact));
    remainder[i] = exact - static_cast<double>(ore[i]);
    assigned += ore[i];
  }
  std::vector<std::size_t> order(kronor.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; assigned < total && !order.empty(); k = (k + 1) % order.size(), ++assigned) ++ore[order[k]];
  for (std::size_t k = 0; assigned > total && !order.empty(); k = (k + 1) % order.size(), --assigned) --ore[order[order.size() - 1 - k]];
  std::vector<double> out(kronor.size());
  for (std::size_t i = 0; i < kronor.size(); ++i) out[i] = static_cast<double>(ore[i]) / 100;
  return out;
}

}  // namespace

std::optional<std::size_t> find_unit(const std::vector<BonusUnit>& units, const std::string& name) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (units[i].name == name) return i;
  }
  return std::nullopt;
}

std::vector<BonusPayout> allocate_bonus(const BonusRule& rule, const std::vector<BonusUnit>& units) {
  check_units(rule, units);
  const std::size_t n = units.size();
  std::vector<BonusPayout> out(n);
  double pop_municipalities = 0, pop_regions = 0;
  for (const BonusUnit& u : units) (u.type == UnitType::kRegion ? pop_regions : pop_municipalities) += u.population;

  // Units without a given table amount share what the given ones leave of the pot, by beting.
  double default_beting = 0, given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const BonusUnit& u = units[i];
    out[i].beting = u.type == UnitType::kRegion ? rule.target_regions * u.population / pop_regions
                                                : rule.target_municipalities * u.population / pop_municipalities;
    if (u.table_amount) {
      given += *u.table_amount;
    } else {
      default_beting += out[i].beting;
    }
  }
  double base_total = 0, above_count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    BonusPayout& p = out[i];
    p.table_amount_assumed = !units[i].table_amount;
    p.table_amount = units[i].table_amount.value_or(std::max(0.0, rule.pot - given) * p.beting / default_beting);
    p.base = p.beting > 0 ? p.table_amount * std::min(1.0, units[i].count / p.beting) : p.table_amount;
    base_total += p.base;
    if (units[i].count > p.beting) above_count += units[i].count;
  }
  const double remainder = std::max(0.0, rule.pot - base_total);
  double paid = base_total;
  for (std::size_t i = 0; i < n; ++i) {
    if (above_count <= 0 || units[i].count <= out[i].beting) continue;
    double extra = units[i].count * remainder / above_count;
    if (units[i].type == UnitType::kRegion) extra = std::min(extra, out[i].table_amount);
    out[i].extra = extra;
    paid += extra;
  }
  const double left = std::max(0.0, rule.pot - paid);
  std::vector<double> exact(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (units[i].type == UnitType::kRegion) out[i].region_share = left * units[i].population / pop_regions;
    exact[i] = out[i].base + out[i].extra + out[i].region_share;
  }
  const std::vector<double> rounded = round_to_ore(exact, rule.pot);
  for (std::size_t i = 0; i < n; ++i) out[i].payout = rounded[i];
  return out;
}

}  // namespace extrasim

namespace extrasim {

std::vector<MarginalRow> marginal_payouts(const BonusRule& rule, std::vector<BonusUnit> units,
                                          std::size_t unit, int steps) {
  std::vector<MarginalRow> rows;
  for (int k = 0; k <= steps; ++k) {
    const double payout = allocate_bonus(rule, units)[unit].payout;
    rows.push_back({units[unit].count, payout, rows.empty() ? 0.0 : payout - rows.back().payout});
    units[unit].count += 1;
  }
  return rows;
}

}  // namespace extrasim
