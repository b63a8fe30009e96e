#include "bonus_model.hpp"

#include <cmath>

#include "extrasim/model/parameters.hpp"

namespace extrasim {

BonusModel::BonusModel(const BonusSpec& spec, const Calendar& calendar)
    : spec_(spec),
      reference_(spec.reference_month.serial() - calendar.start.serial()),
      payment_(spec.payment_month.serial() - calendar.start.serial()) {
  if (spec.others_from_file) return;
  const std::vector<BonusPayout> probe = allocate_bonus(spec.rule, spec.units);
  double beting = 0;
  for (const BonusPayout& p : probe) beting += p.beting;
  expected_other_.resize(spec.units.size());
  for (std::size_t i = 0; i < spec.units.size(); ++i) {
    expected_other_[i] = i == spec.unit_index ? 0.0 : spec.national_total * probe[i].beting / beting;
  }
}

std::vector<BonusUnit> BonusModel::others(std::uint64_t seed, std::uint64_t replication) const {
  std::vector<BonusUnit> units = spec_.units;
  if (spec_.others_from_file) return units;
  const double cv = spec_.dispersion;
  const double sigma = std::sqrt(std::log1p(cv * cv));
  const Distribution factor{Distribution::Kind::kLognormal, -0.5 * sigma * sigma, sigma};
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (i == spec_.unit_index) continue;
    const double f = cv > 0 ? sample(factor, seed, replication, kBonusParameterBase + static_cast<std::uint32_t>(i)) : 1.0;
    units[i].count = std::round(expected_other_[i] * f);
  }
  return units;
}

double BonusModel::payout(std::vector<BonusUnit>& units, double simulated) const {
  units[spec_.unit_index].count = simulated * spec_.scale;
  return allocate_bonus(spec_.rule, units)[spec_.unit_index].payout;
}

void add_bonus(MetricValues& month, double payout, double discount_factor) {
  auto at = [&](Metric m) -> double& { return month[index_of(m)]; };
  at(Metric::kMunicipalityBonus) += payout;
  at(Metric::kStateBonus) -= payout;
  at(Metric::kMunicipalityNet) += payout;
  at(Metric::kStateNet) -= payout;
  at(Metric::kPvMunicipalityNet) += payout * discount_factor;
  at(Metric::kPvStateNet) -= payout * discount_factor;
}

}  // namespace extrasim
