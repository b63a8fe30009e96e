#include "extrasim/simulate/ledger.hpp"

#include <algorithm>
#include <cmath>

namespace extrasim {

namespace {

GroupPrices group_prices(const Scenario& sc, const Group& g, YearMonth when) {
  GroupPrices p;
  const Accounting& acc = sc.accounting;
  const double fee = acc.statutory_fee.at(when);
  const double tax = acc.municipal_tax_rate.at(when);
  p.fs_benefit = g.fs_benefit.at(when);
  p.fs_topup_in_xj = g.fs_topup_in_xj.at(when);
  p.wage = g.wage.at(when) * g.working_time;
  p.xj_wage_cost = p.wage * (1.0 + acc.payroll_oncost.at(when));
  if (sc.programme) {
    const Subsidy& sub = sc.programme->subsidy;
    p.xj_subsidy = sub.share.at(when) * p.wage * (1.0 + fee);
    if (sub.cap_per_day) {
      const double cap = sub.cap_per_day->at(when) * sub.days_per_month * g.working_time;
      p.xj_subsidy = std::min(p.xj_subsidy, cap);
    }
  }
  p.xj_tax = tax * p.wage;
  p.xj_employer_fee = fee * p.wage;
  p.job_wage = g.job_wage.at(when);
  p.job_tax = tax * p.job_wage;
  p.job_employer_fee = fee * p.job_wage;
  p.activity_support = g.activity_support.at(when);
  return p;
}

MonthPrices month_prices(const Scenario& sc, int m) {
  MonthPrices p;
  const YearMonth when = sc.calendar.month(m);
  if (sc.programme) {
    const Programme& prog = *sc.programme;
    if (prog.supervision_support) {
      const double days = prog.subsidy.days_per_month;
      p.supervision_first = prog.supervision_support->first_per_day * days;
      p.supervision_then = prog.supervision_support->then_per_day * days;
    }
    p.supervision_cost = prog.supervision_cost.at(when);
  }
  p.discount_factor = std::pow(1.0 + sc.accounting.discount_rate, -m / 12.0);
  return p;
}

}  // namespace

PriceTable PriceTable::compile(const Scenario& sc) {
  PriceTable t;
  t.groups_ = static_cast<int>(sc.groups.size());
  if (sc.programme && sc.programme->supervision_support) {
    t.first_months_ = sc.programme->supervision_support->first_months;
  }
  for (int m = 0; m < sc.calendar.months; ++m) {
    t.month_.push_back(month_prices(sc, m));
    for (const Group& g : sc.groups) t.group_.push_back(group_prices(sc, g, sc.calendar.month(m)));
  }
  return t;
}

void tally_month(const PriceTable& prices, const Counts& counts, int m, MetricValues& out) {
  out.fill(0.0);
  auto add = [&](Metric metric, double v) { out[index_of(metric)] += v; };
  const MonthPrices& mp = prices.month(m);
  const int first_slots = std::min(prices.supervision_first_months(), counts.spell_slots());
  for (int g = 0; g < counts.groups(); ++g) {
    const GroupPrices& gp = prices.group(m, g);
    const double fs = counts.state(m, g, State::kFs);
    const double xj = counts.state(m, g, State::kXj);
    const double job = counts.state(m, g, State::kJob);
    const double other = counts.state(m, g, State::kOther);
    double xj_first = 0.0;  // in spell months k = d + 1 <= first_months
    for (int d = 0; d < first_slots; ++d) xj_first += counts.xj_spell(m, g, d);
    const double support = xj_first * mp.supervision_first + (xj - xj_first) * mp.supervision_then;

    add(Metric::kMunicipalityFsBenefit, -(fs * gp.fs_benefit + xj * gp.fs_topup_in_xj));
    add(Metric::kMunicipalityXjWageCost, -xj * gp.xj_wage_cost);
    add(Metric::kMunicipalityXjSubsidy, xj * gp.xj_subsidy);
    add(Metric::kMunicipalitySupervisionSupport, support);
    add(Metric::kMunicipalitySupervisionCost, -xj * mp.supervision_cost);
    add(Metric::kMunicipalityTaxRevenue, xj * gp.xj_tax + job * gp.job_tax);
    add(Metric::kStateSubsidyPaid, -(xj * gp.xj_subsidy + support));
    add(Metric::kStateEmployerFees, xj * gp.xj_employer_fee + job * gp.job_employer_fee);
    add(Metric::kStateActivitySupport, -other * gp.activity_support);
    add(Metric::kIndividualIncome, fs * gp.fs_benefit + xj * (gp.wage + gp.fs_topup_in_xj) +
                                       job * gp.job_wage + other * gp.activity_support);
    for (State s : kAllStates) {
      add(metric_at(index_of(Metric::kMonthsFs) + index_of(s)), counts.state(m, g, s));
      add(metric_at(index_of(Metric::kEndFs) + index_of(s)), counts.state(m, g, s));
    }
    add(Metric::kStartsXj, counts.starts(m, g));
  }
  out[index_of(Metric::kIntakeUnfilled)] = counts.unfilled(m);

  auto v = [&](Metric metric) { return out[index_of(metric)]; };
  out[index_of(Metric::kMunicipalityNet)] =
      v(Metric::kMunicipalityFsBenefit) + v(Metric::kMunicipalityXjWageCost) +
      v(Metric::kMunicipalityXjSubsidy) + v(Metric::kMunicipalitySupervisionSupport) +
      v(Metric::kMunicipalitySupervisionCost) + v(Metric::kMunicipalityTaxRevenue) +
      v(Metric::kMunicipalityBonus);
  out[index_of(Metric::kStateNet)] = v(Metric::kStateSubsidyPaid) + v(Metric::kStateEmployerFees) +
                                     v(Metric::kStateActivitySupport) + v(Metric::kStateBonus);
  out[index_of(Metric::kPublicNet)] = v(Metric::kMunicipalityNet) + v(Metric::kStateNet);
  out[index_of(Metric::kPvMunicipalityNet)] = v(Metric::kMunicipalityNet) * mp.discount_factor;
  out[index_of(Metric::kPvStateNet)] = v(Metric::kStateNet) * mp.discount_factor;
  out[index_of(Metric::kPvPublicNet)] = v(Metric::kPublicNet) * mp.discount_factor;
}

std::vector<MetricValues> tally(const PriceTable& prices, const Counts& counts) {
  std::vector<MetricValues> months(static_cast<std::size_t>(counts.months()));
  for (int m = 0; m < counts.months(); ++m) tally_month(prices, counts, m, months[m]);
  return months;
}

}  // namespace extrasim
