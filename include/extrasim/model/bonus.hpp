// The 2018 performance-based grant ("prestationsbaserad ersättning", the bonus), as published
// (regeringen.se 2017-12, "Fördelningsmodellen för statsbidraget till extratjänsterna"):
//
//   1. beting b_i = T_type * pop_i / (sum of pop over units of the same type);
//   2. table amount A_i: not public; by default pot * b_i / (sum of all b) (an assumption,
//      named wherever it is printed), or given per unit (given amounts must not sum above
//      the pot; units without one then share what is left of the pot by beting);
//   3. base B_i = A_i * min(1, c_i / b_i)  (pro rata below the beting);
//   4. remainder R = pot - sum B, paid per extratjänst to the units above their beting:
//      E_i = c_i * R / (sum of c_j over units with c_j > b_j); a region's E_i is cut to A_i;
//   5. what is left goes to the regions in proportion to population.
//
// Payouts are rounded to whole öre so that they sum to the pot exactly (largest remainder).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace extrasim {

enum class UnitType { kMunicipality, kRegion };

struct BonusUnit {
  std::string name;
  UnitType type = UnitType::kMunicipality;
  double population = 0;
  double count = 0;                     // extratjänster on the reference date
  std::optional<double> table_amount;   // A_i when known; else the default rule
};

struct BonusRule {
  double pot = 500e6;                 // kr (the 2018 budget)
  double target_municipalities = 6000;
  double target_regions = 500;
};

struct BonusPayout {
  double beting = 0;
  double table_amount = 0;
  bool table_amount_assumed = true;  // the default rule, not a given amount
  double base = 0;
  double extra = 0;                  // after a region's cut
  double region_share = 0;           // of what is left, regions only
  double payout = 0;                 // kr, rounded to öre; sums to the pot
};

// One payout per unit, in the units' order. Throws InputError (file "bonus") when the table
// cannot be allocated: no region, a population <= 0, a negative count, given table amounts
// above the pot, duplicate names.
std::vector<BonusPayout> allocate_bonus(const BonusRule& rule, const std::vector<BonusUnit>& units);

// Index of the unit named `name`, or nullopt.
std::optional<std::size_t> find_unit(const std::vector<BonusUnit>& units, const std::string& name);

}  // namespace extrasim

namespace extrasim {

// "How much would one more extratjänst by the reference date pay us?": the unit's payout at
// its count + 0, 1, ..., steps, and the change from the step before.
struct MarginalRow {
  double count = 0;
  double payout = 0;
  double marginal = 0;  // payout - previous payout (0 for the first row)
};
std::vector<MarginalRow> marginal_payouts(const BonusRule& rule, std::vector<BonusUnit> units,
                                          std::size_t unit, int steps);

}  // namespace extrasim
