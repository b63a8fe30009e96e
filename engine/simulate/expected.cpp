#include "extrasim/simulate/expected.hpp"

#include <Eigen/SparseCore>

#include "extrasim/results/warnings.hpp"
#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/ledger.hpp"

namespace extrasim {

namespace {

// The duration-expanded chain of one group: states (state, d, x, ever_xj) with d saturated at
// the duration cap and x at the largest max_months, exactly as the simulation stores them. The
// step from month m to m + 1 uses the rules in force in month m.
class GroupChain {
 public:
  GroupChain(const Dynamics& dyn, int g, bool programme_on)
      : dyn_(dyn), g_(g), on_(programme_on), slots_(dyn.duration_cap() + 1),
        x_slots_(dyn.has_programme() ? dyn.max_months_cap() + 1 : 1) {}

  int size() const { return kStateCount * slots_ * x_slots_ * 2; }
  int index(State s, int d, int x, int e) const {
    return ((index_of(s) * slots_ + d) * x_slots_ + x) * 2 + e;
  }

  Eigen::VectorXd initial() const {
    Eigen::VectorXd v = Eigen::VectorXd::Zero(size());
    const GroupLayout& layout = dyn_.group(g_);
    for (State s : kAllStates) {
      const bool in_xj = s == State::kXj && on_;
      const State start = s == State::kXj && !on_ ? State::kFs : s;
      const int x = in_xj ? std::min(layout.initial_duration, dyn_.max_months_cap()) : 0;
      v[index(start, layout.initial_duration, x, in_xj)] += layout.initial_count[index_of(s)];
    }
    return v;
  }

  // The step at the end of month m.
  Eigen::SparseMatrix<double> matrix(int m) const {
    std::vector<Eigen::Triplet<double>> t;
    for (State s : kAllStates) {
      for (int d = 0; d < slots_; ++d) {
        for (int x = 0; x < x_slots_; ++x) {
          for (int e = 0; e < 2; ++e) add_moves(m, s, d, x, e, t);
        }
      }
    }
    Eigen::SparseMatrix<double> step(size(), size());
    step.setFromTriplets(t.begin(), t.end());
    return step;
  }

  // Adds this month's counts of distribution v to `counts` (starts: xj with d = 0, m >= 1).
  // Into the group's counting unit (a unit of its own unless Dynamics had price classes).
  void observe(const Eigen::VectorXd& v, int m, Counts& counts) const {
    const int u = dyn_.unit_of(g_);
    for (State s : kAllStates) {
      for (int d = 0; d < slots_; ++d) {
        double mass = 0.0;
        for (int x = 0; x < x_slots_; ++x) mass += v[index(s, d, x, 0)] + v[index(s, d, x, 1)];
        counts.state(m, u, s) += mass;
        if (s != State::kXj) continue;
        if (d < dyn_.first_months(g_)) counts.xj_first(m, u) += mass;
        if (d < counts.spell_slots()) counts.xj_spell(m, u, d) += mass;
        if (d == 0 && m > 0) counts.starts(m, u) += mass;
      }
    }
  }

 private:
  using Triplets = std::vector<Eigen::Triplet<double>>;

  void add_moves(int m, State s, int d, int x, int e, Triplets& t) const {
    const int from = index(s, d, x, e);
    const int longer = std::min(d + 1, slots_ - 1);
    auto to = [&](State s2, int d2, int x2, int e2, double p) {
      if (p > 0.0) t.emplace_back(index(s2, d2, x2, e2), from, p);
    };
    if (s == State::kExit) return to(s, longer, x, e, 1.0);
    const double* cum = dyn_.thresholds(m, g_, s, d, e == 1);
    const double stay = 1.0 - cum[kStateCount - 1];
    if (s == State::kXj) {
      const int x1 = std::min(x + 1, dyn_.max_months_cap());
      for (State j : kAllStates) to(j, 0, x1, e, probability(cum, j));
      if (x1 >= dyn_.max_months(m)) return expire(stay, x1, e, to);
      if ((d + 1) % dyn_.decision_months() == 0) {
        const double extend = dyn_.extension_probability(m);
        to(State::kXj, longer, x1, e, stay * extend);
        return expire(stay * (1.0 - extend), x1, e, to);
      }
      return to(State::kXj, longer, x1, e, stay);
    }
    double stays = stay;
    for (State j : kAllStates) {
      const double p = probability(cum, j);
      if (j != State::kXj) {
        to(j, 0, x, e, p);
      } else if (on_ && eligible(x, e, m + 1)) {
        to(State::kXj, 0, x, 1, p);
      } else {
        stays += p;
      }
    }
    to(s, longer, x, e, stays);
  }

  template <class To>
  void expire(double mass, int x1, int e, To& to) const {
    const auto& cum = dyn_.expiry_cumulative();
    for (State j : kAllStates) to(j, 0, x1, e, mass * probability(cum.data(), j));
  }

  static double probability(const double* cum, State j) {
    const int i = index_of(j);
    return cum[i] - (i == 0 ? 0.0 : cum[i - 1]);
  }
  // Eligible for a start in month m (`reentry` reads max_months of the start month).
  bool eligible(int x, int e, int m) const { return dyn_.reentry() ? x < dyn_.max_months(m) : e == 0; }

  const Dynamics& dyn_;
  int g_;
  bool on_;
  int slots_;
  int x_slots_;
};

// Whether the step at the end of month m is the one of month m - 1 (then its matrix is reused).
bool same_rules(const Dynamics& dyn, int m) {
  const bool eligibility_same = !dyn.reentry() || m + 1 >= dyn.months() || dyn.max_months(m + 1) == dyn.max_months(m);
  return dyn.same_rows_as_before(m) && dyn.max_months(m) == dyn.max_months(m - 1) &&
         dyn.extension_probability(m) == dyn.extension_probability(m - 1) && eligibility_same;
}

Counts expected_counts(const Dynamics& dyn, bool programme_on) {
  Counts counts(dyn.months(), dyn.unit_groups(), dyn.spell_slots());
  for (int g = 0; g < dyn.group_count(); ++g) {
    const GroupChain chain(dyn, g, programme_on);
    Eigen::SparseMatrix<double> step;
    Eigen::VectorXd v = chain.initial();
    for (int m = 0; m < dyn.months(); ++m) {
      chain.observe(v, m, counts);
      if (m + 1 == dyn.months()) break;
      if (m == 0 || !same_rules(dyn, m)) step = chain.matrix(m);
      v = step * v;
    }
  }
  return counts;
}

SideSummaries means_only(const MetricValues& scenario, const MetricValues& baseline) {
  SideSummaries out{};
  for (int i = 0; i < kMetricCount; ++i) {
    out[0][i].mean = scenario[i];
    out[1][i].mean = baseline[i];
    out[2][i].mean = scenario[i] - baseline[i];
  }
  return out;
}

}  // namespace

RunResult expected_values(const Scenario& sc) {
  if (sc.programme && sc.programme->intake) {
    throw InputError({sc.source_file}, "programme.intake",
                     "capacity intake, which makes people depend on each other",
                     "a scenario without programme.intake (use `extrasim run` for this one)");
  }
  if (sc.bonus) {
    throw InputError({sc.source_file}, "bonus",
                     "a performance grant, whose payout is not linear in the count",
                     "a scenario without bonus (use `extrasim run`, which reports its distribution)");
  }
  const Dynamics dyn = Dynamics::compile(sc);
  const PriceTable prices = PriceTable::compile(sc);
  const PeriodLayout layout = PeriodLayout::of(sc.calendar);
  const std::vector<MetricValues> scenario = tally(prices, expected_counts(dyn, dyn.has_programme()));
  const std::vector<MetricValues> baseline = tally(prices, expected_counts(dyn, false));
  const auto scenario_periods = aggregate_periods(scenario, layout);
  const auto baseline_periods = aggregate_periods(baseline, layout);

  RunResult r = RunResult::about(sc);
  r.exact = true;
  r.total = means_only(scenario_periods[0], baseline_periods[0]);
  for (std::size_t y = 0; y < layout.years.size(); ++y) {
    r.yearly.push_back({layout.years[y], means_only(scenario_periods[1 + y], baseline_periods[1 + y])});
  }
  for (int m = 0; m < sc.calendar.months; ++m) {
    const SideSummaries s = means_only(scenario[m], baseline[m]);
    MonthResult month{sc.calendar.month(m), {}};
    for (int side = 0; side < kResultSideCount; ++side) {
      for (int i = 0; i < kMetricCount; ++i) month.mean[side][i] = s[side][i].mean;
    }
    r.monthly.push_back(month);
  }
  if (sc.has_uncertainty()) {
    r.notes.emplace_back("uncertainty ignored: expected values use the point values in the file");
  }
  r.warnings = result_warnings(sc, r);
  return r;
}

}  // namespace extrasim
