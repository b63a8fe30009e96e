// The performance-based grant inside a run: the other units' counts for a replication, and
// the simulated unit's payout from its simulated count. Internal to the engine.
#pragma once

#include <cstdint>
#include <vector>

#include "extrasim/simulate/ledger.hpp"
#include "extrasim/simulate/rng.hpp"
#include "extrasim/model/scenario.hpp"

namespace extrasim {

// Parameter indices from 2^30 on are the bonus model's draws (rng.hpp: parameter streams);
// uncertain parameters use 0, 1, ... below it.

class BonusModel {
 public:
  BonusModel(const BonusSpec& spec, const Calendar& calendar);

  int reference_month() const { return reference_; }
  int payment_month() const { return payment_; }

  // The units with the other units' counts for one replication: from the file, or the
  // national total spread by beting times a lognormal factor of mean 1 and coefficient of
  // variation `dispersion`, rounded (one draw per unit, keyed by seed and replication).
  std::vector<BonusUnit> others(std::uint64_t seed, std::uint64_t replication) const;

  // The unit's payout when its simulated people in xj during the reference month number
  // `simulated` (times the scale).
  double payout(std::vector<BonusUnit>& units, double simulated) const;

 private:
  const BonusSpec& spec_;
  int reference_ = 0;
  int payment_ = 0;
  std::vector<double> expected_other_;  // mean count per unit (0 for the simulated unit)
};

// Books a payout in one month's values: municipality.bonus and state.bonus, the nets and
// the present values (discounted by that month's factor).
void add_bonus(MetricValues& month, double payout, double discount_factor);

}  // namespace extrasim
