#include "extrasim/simulate/ledger.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "extrasim/model/tax_rules.hpp"

namespace extrasim {

namespace {

// min(share * W * (1 + fee), cap * days * working_time), the cap read in month `cap_month`.
double subsidy_amount(const Subsidy& sub, const Group& g, double wage, double fee, YearMonth when,
                      YearMonth cap_month) {
  const double full = sub.share.at(when) * wage * (1.0 + fee);
  if (!sub.cap_per_day) return full;
  return std::min(full, sub.cap_per_day->at(cap_month) * sub.days_per_month * g.working_time);
}

// Income and income tax per state. Without a tax block, v1: the municipality's simple rate on
// earnings, booked in the same month.
void price_income(const Scenario& sc, const Group& g, YearMonth when, GroupPrices& p) {
  for (State s : kAllStates) {
    if (s != State::kExit) p.state_benefit[index_of(s)] = g.state_benefit[index_of(s)].at(when);
  }
  p.income[index_of(State::kFs)] = p.fs_benefit + p.state_benefit[index_of(State::kFs)];
  p.income[index_of(State::kXj)] = p.wage + p.fs_topup_in_xj + p.state_benefit[index_of(State::kXj)];
  p.income[index_of(State::kJob)] = p.job_wage + p.state_benefit[index_of(State::kJob)];
  p.income[index_of(State::kOther)] = p.state_benefit[index_of(State::kOther)];
  if (!sc.tax) {
    const double rate = sc.accounting.municipal_tax_rate.at(when);
    p.income_tax[index_of(State::kXj)] = rate * p.wage;
    p.income_tax[index_of(State::kJob)] = rate * p.job_wage;
    return;
  }
  // The tax block: each state's tax from that month's annualised income (MODEL.md §8.2). Earned
  // income is the wage in xj and job; fs (and the top-up in xj) is tax-free.
  const Tax& tax = *sc.tax;
  const TaxYear& rules = swedish_tax_year(when.year, sc.origin_of("tax.rules"));
  const double municipal_rate = tax.municipal_rate.at(when);
  const double regional_rate = tax.regional_rate.at(when);
  for (State s : {State::kFs, State::kXj, State::kJob, State::kOther}) {
    const double earned = s == State::kXj ? p.wage : s == State::kJob ? p.job_wage : 0.0;
    const double benefit = g.state_benefit_taxable ? p.state_benefit[index_of(s)] : 0.0;
    const TaxLines lines = monthly_tax(rules, earned, benefit, municipal_rate, regional_rate);
    p.income_tax[index_of(s)] = lines.total;
    p.municipal_tax[index_of(s)] = lines.municipal;
    p.regional_tax[index_of(s)] = lines.regional;
  }
}

GroupPrices group_prices(const Scenario& sc, const Group& g, YearMonth when) {
  GroupPrices p;
  const Accounting& acc = sc.accounting;
  const double fee = acc.statutory_fee.at(when);
  p.fs_benefit = g.fs_benefit.at(when);
  p.fs_topup_in_xj = g.fs_topup_in_xj.at(when);
  p.wage = g.wage.at(when) * g.working_time;
  p.xj_wage_cost = p.wage * (1.0 + acc.payroll_oncost.at(when));
  if (sc.programme) {
    const Subsidy& sub = sc.subsidy_for(g);
    p.xj_subsidy = subsidy_amount(sub, g, p.wage, fee, when, when);
    if (const auto& support = sc.supervision_for(g)) {
      p.supervision_first = support->first_per_day * sub.days_per_month;
      p.supervision_then = support->then_per_day * sub.days_per_month;
    }
    p.work_value = sc.programme->work_value_share.at(when) * p.xj_wage_cost;
  }
  p.xj_employer_fee = fee * p.wage;
  p.job_wage = g.job_wage.at(when);
  p.job_employer_fee = fee * p.job_wage;
  price_income(sc, g, when, p);
  return p;
}

MonthPrices month_prices(const Scenario& sc, int m) {
  MonthPrices p;
  const YearMonth when = sc.calendar.month(m);
  if (sc.programme) {
    const Programme& prog = *sc.programme;
    p.supervision_cost = prog.supervision_cost.at(when);
    p.admin_per_start = prog.admin_cost.per_start.at(when);
    p.admin_per_month = prog.admin_cost.per_month.at(when);
  }
  if (sc.tax) {
    p.municipality_keeps = sc.tax->municipality_keeps.at(when);
    p.region_keeps = sc.tax->region_keeps.at(when);
  }
  p.discount_factor = std::pow(1.0 + sc.accounting.discount_rate, -m / 12.0);
  return p;
}

// Persons of unit u in month m times a per-state amount.
double priced(const Counts& counts, int m, int u, const PerState& amount) {
  double sum = 0.0;
  for (State s : kAllStates) sum += counts.state(m, u, s) * amount[index_of(s)];
  return sum;
}

// xj persons of unit u in month m times the subsidy of their decision period.
double period_subsidies(const PriceTable& prices, const Counts& counts, int m, int u) {
  const int g = counts.unit_group(u);
  double sum = 0.0;
  for (int d = 0; d < counts.spell_slots(); ++d) {
    const double n = counts.xj_spell(m, u, d);
    if (n != 0.0) sum += n * prices.period_subsidy(m, g, d);
  }
  return sum;
}

// The municipality's and region's revenue in month m: their kept shares of the tax base of
// month m - lag (none before the horizon); without a tax block, v1's same-month rate.
void tax_revenue(const PriceTable& prices, const Counts& counts, int m, MetricValues& out) {
  auto add = [&](Metric metric, double v) { out[index_of(metric)] += v; };
  if (!prices.has_tax()) {
    for (int u = 0; u < counts.groups(); ++u) {
      add(Metric::kMunicipalityTaxRevenue, priced(counts, m, u, prices.group(m, counts.unit_group(u)).income_tax));
    }
    return;
  }
  const int earned = m - prices.tax_lag();
  if (earned < 0) return;
  const MonthPrices& mp = prices.month(m);
  for (int u = 0; u < counts.groups(); ++u) {
    const GroupPrices& then = prices.group(earned, counts.unit_group(u));
    add(Metric::kMunicipalityTaxRevenue, mp.municipality_keeps * priced(counts, earned, u, then.municipal_tax));
    add(Metric::kRegionTaxRevenue, mp.region_keeps * priced(counts, earned, u, then.regional_tax));
  }
  add(Metric::kStateTaxTransfer, -(out[index_of(Metric::kMunicipalityTaxRevenue)] + out[index_of(Metric::kRegionTaxRevenue)]));
}

void payer_totals(const MonthPrices& mp, MetricValues& out) {
  auto v = [&](Metric metric) { return out[index_of(metric)]; };
  out[index_of(Metric::kMunicipalityNet)] =
      v(Metric::kMunicipalityFsBenefit) + v(Metric::kMunicipalityXjWageCost) +
      v(Metric::kMunicipalityXjSubsidy) + v(Metric::kMunicipalitySupervisionSupport) +
      v(Metric::kMunicipalitySupervisionCost) + v(Metric::kMunicipalityAdminCost) +
      v(Metric::kMunicipalityTaxRevenue) + v(Metric::kMunicipalityBonus);
  out[index_of(Metric::kRegionNet)] = v(Metric::kRegionTaxRevenue);
  out[index_of(Metric::kStateNet)] = v(Metric::kStateSubsidyPaid) + v(Metric::kStateEmployerFees) +
                                     v(Metric::kStateBenefits) + v(Metric::kStateTaxRevenue) +
                                     v(Metric::kStateTaxTransfer) + v(Metric::kStateBonus);
  out[index_of(Metric::kPublicNet)] = v(Metric::kMunicipalityNet) + v(Metric::kRegionNet) + v(Metric::kStateNet);
  out[index_of(Metric::kIndividualDisposableIncome)] = v(Metric::kIndividualIncome) + v(Metric::kIndividualTax);
  out[index_of(Metric::kPvMunicipalityNet)] = v(Metric::kMunicipalityNet) * mp.discount_factor;
  out[index_of(Metric::kPvRegionNet)] = v(Metric::kRegionNet) * mp.discount_factor;
  out[index_of(Metric::kPvStateNet)] = v(Metric::kStateNet) * mp.discount_factor;
  out[index_of(Metric::kPvPublicNet)] = v(Metric::kPublicNet) * mp.discount_factor;
}

}  // namespace

PriceTable PriceTable::compile(const Scenario& sc) {
  PriceTable t;
  t.groups_ = static_cast<int>(sc.groups.size());
  for (const Group& g : sc.groups) {
    const auto& support = sc.programme ? sc.supervision_for(g) : std::nullopt;
    t.first_months_.push_back(support ? support->first_months : 0);
    t.by_period_.push_back(sc.programme && sc.subsidy_for(g).cap_by_decision());
  }
  if (sc.programme) t.decision_months_ = sc.programme->decision_months;
  t.has_tax_ = sc.tax.has_value();
  t.tax_lag_ = sc.tax ? sc.tax->lag_months : 0;
  for (int m = 0; m < sc.calendar.months; ++m) {
    const YearMonth when = sc.calendar.month(m);
    t.month_.push_back(month_prices(sc, m));
    for (std::size_t g = 0; g < sc.groups.size(); ++g) {
      t.group_.push_back(group_prices(sc, sc.groups[g], when));
      for (int r = 0; r < t.decision_months_; ++r) {
        // The period of an xj person with d = r (mod decision_months) began r months ago; only
        // the cap follows the period start, not the share or the days (settled readings).
        const double fee = sc.accounting.statutory_fee.at(when);
        t.period_subsidy_.push_back(!t.by_period_[g] ? 0.0
            : subsidy_amount(sc.subsidy_for(sc.groups[g]), sc.groups[g], t.group_.back().wage, fee, when, when.plus(-r)));
      }
    }
  }
  return t;
}

std::vector<int> PriceTable::price_classes() const {
  const int months = this->months();
  const auto period_row = [&](int m, int g) {
    return period_subsidy_.begin() + (static_cast<std::ptrdiff_t>(m) * groups_ + g) * decision_months_;
  };
  const auto same = [&](int g, int h) {
    if (first_months_[g] != first_months_[h] || by_period_[g] != by_period_[h]) return false;
    for (int m = 0; m < months; ++m) {
      if (!(group(m, g) == group(m, h))) return false;
      if (!std::equal(period_row(m, g), period_row(m, g) + decision_months_, period_row(m, h))) return false;
    }
    return true;
  };
  // Groups are compared only with the classes whose month-0 prices hash alike.
  const auto hash = [&](int g) {
    const GroupPrices& p = group(0, g);
    return std::hash<double>()(p.fs_benefit) ^ (std::hash<double>()(p.wage) << 1) ^ (std::hash<double>()(p.job_wage) << 2) ^
           (std::hash<double>()(p.income_tax[index_of(State::kJob)]) << 3);
  };
  std::vector<int> classes(static_cast<std::size_t>(groups_), -1);
  std::unordered_map<std::size_t, std::vector<int>> firsts;
  for (int g = 0; g < groups_; ++g) {
    std::vector<int>& candidates = firsts[months > 0 ? hash(g) : 0];
    for (int h : candidates) {
      if (same(g, h)) {
        classes[g] = h;
        break;
      }
    }
    if (classes[g] < 0) {
      classes[g] = g;
      candidates.push_back(g);
    }
  }
  return classes;
}

void tally_month(const PriceTable& prices, const Counts& counts, int m, MetricValues& out) {
  out.fill(0.0);
  auto add = [&](Metric metric, double v) { out[index_of(metric)] += v; };
  const MonthPrices& mp = prices.month(m);
  for (int u = 0; u < counts.groups(); ++u) {
    const int g = counts.unit_group(u);
    const GroupPrices& gp = prices.group(m, g);
    const double fs = counts.state(m, u, State::kFs);
    const double xj = counts.state(m, u, State::kXj);
    const double job = counts.state(m, u, State::kJob);
    const double xj_first = counts.xj_first(m, u);  // in spell months k = d + 1 <= first_months
    const double support = xj_first * gp.supervision_first + (xj - xj_first) * gp.supervision_then;
    const double subsidy = prices.subsidy_by_period(g) ? period_subsidies(prices, counts, m, u) : xj * gp.xj_subsidy;

    add(Metric::kMunicipalityFsBenefit, -(fs * gp.fs_benefit + xj * gp.fs_topup_in_xj));
    add(Metric::kMunicipalityXjWageCost, -xj * gp.xj_wage_cost);
    add(Metric::kMunicipalityXjSubsidy, subsidy);
    add(Metric::kMunicipalitySupervisionSupport, support);
    add(Metric::kMunicipalitySupervisionCost, -xj * mp.supervision_cost);
    add(Metric::kMunicipalityAdminCost, -(counts.starts(m, u) * mp.admin_per_start + xj * mp.admin_per_month));
    add(Metric::kMunicipalityWorkValue, xj * gp.work_value);
    add(Metric::kStateSubsidyPaid, -(subsidy + support));
    add(Metric::kStateEmployerFees, xj * gp.xj_employer_fee + job * gp.job_employer_fee);
    add(Metric::kStateBenefits, -priced(counts, m, u, gp.state_benefit));
    add(Metric::kIndividualIncome, priced(counts, m, u, gp.income));
    const double income_tax = priced(counts, m, u, gp.income_tax);
    add(Metric::kIndividualTax, -income_tax);
    if (prices.has_tax()) add(Metric::kStateTaxRevenue, income_tax);
    for (State s : kAllStates) {
      add(metric_at(index_of(Metric::kMonthsFs) + index_of(s)), counts.state(m, u, s));
      add(metric_at(index_of(Metric::kEndFs) + index_of(s)), counts.state(m, u, s));
    }
    add(Metric::kStartsXj, counts.starts(m, u));
  }
  out[index_of(Metric::kIntakeUnfilled)] = counts.unfilled(m);
  out[index_of(Metric::kTwinXjBaselineJob)] = counts.twin_job(m);
  out[index_of(Metric::kTwinXjBaselineFs)] = counts.twin_fs(m);
  tax_revenue(prices, counts, m, out);
  payer_totals(mp, out);
}

std::vector<MetricValues> tally(const PriceTable& prices, const Counts& counts) {
  std::vector<MetricValues> months(static_cast<std::size_t>(counts.months()));
  for (int m = 0; m < counts.months(); ++m) tally_month(prices, counts, m, months[m]);
  return months;
}

}  // namespace extrasim
