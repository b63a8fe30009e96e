#include "extrasim/simulate/runner.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <atomic>
#include <memory>
#include <mutex>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_reduce.h>

#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/ledger.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/simulate/simulation.hpp"
#include "bonus_model.hpp"

namespace extrasim {

namespace {

// Replications per leaf of the reduction tree. Fixed, so the tree (and hence every floating-
// point sum) is the same for any number of threads.
constexpr std::int64_t kGrain = 4;

// Monthly moments per side (scenario, baseline) and metric, merged in tree order.
struct MonthlyMoments {
  std::vector<Moments> cells;  // [month][side][metric]
  std::int64_t rows_scaled = 0;
  std::int64_t expiry_normalised = 0;

  Moments& at(int month, int side, int metric) {
    return cells[(static_cast<std::size_t>(month) * 2 + side) * kMetricCount + metric];
  }
  void merge(const MonthlyMoments& other) {
    if (cells.empty()) cells.resize(other.cells.size());
    for (std::size_t i = 0; i < other.cells.size(); ++i) cells[i].merge(other.cells[i]);
    rows_scaled += other.rows_scaled;
    expiry_normalised += other.expiry_normalised;
  }
};

struct Compiled {
  Dynamics dynamics;
  PriceTable prices;
  explicit Compiled(const Scenario& sc)
      : dynamics(Dynamics::compile(sc)), prices(PriceTable::compile(sc)) {}
};

struct Workspace {
  Population population;
  Counts scenario_counts;
  Counts baseline_counts;
};

class ReplicationRunner {
 public:
  ReplicationRunner(const Scenario& sc, const PeriodLayout& layout, Samples& samples,
                    std::vector<double>* people)
      : scenario_(sc), layout_(layout), samples_(samples), people_(people) {
    if (sc.uncertainty.empty()) fixed_ = std::make_unique<Compiled>(sc);
    if (sc.bonus) bonus_ = std::make_unique<BonusModel>(*sc.bonus, sc.calendar);
  }

  void run(std::int64_t rep, Workspace& ws, MonthlyMoments& moments) const {
    std::unique_ptr<Compiled> drawn;
    if (!fixed_) {
      DrawRepairs repairs;
      drawn = std::make_unique<Compiled>(draw_parameters(scenario_, rep, &repairs));
      moments.rows_scaled += repairs.row_scaled;
      moments.expiry_normalised += repairs.expiry_normalised;
    }
    const Compiled& c = fixed_ ? *fixed_ : *drawn;
    const ReplicationStreams streams(scenario_.seed, static_cast<std::uint64_t>(rep));
    // The other units' counts are drawn once: scenario and baseline see the same country.
    std::vector<BonusUnit> units;
    if (bonus_) units = bonus_->others(scenario_.seed, static_cast<std::uint64_t>(rep));
    record(c, Side::kScenario, streams, ws.population, ws.scenario_counts, rep, moments, units);
    record(c, Side::kBaseline, streams, ws.population, ws.baseline_counts, rep, moments, units);
  }

 private:
  void record(const Compiled& c, Side side, const ReplicationStreams& streams, Population& pop,
              Counts& counts, std::int64_t rep, MonthlyMoments& moments,
              std::vector<BonusUnit>& units) const {
    if (counts.months() == 0) {
      counts = Counts(c.dynamics.months(), c.dynamics.group_count(), c.dynamics.duration_cap() + 1);
    }
    counts.clear();
    simulate(c.dynamics, side, streams, pop, counts);
    std::vector<MetricValues> monthly = tally(c.prices, counts);
    if (bonus_) {
      const double in_xj = monthly[bonus_->reference_month()][index_of(Metric::kMonthsXj)];
      const int pay = bonus_->payment_month();
      add_bonus(monthly[pay], bonus_->payout(units, in_xj), c.prices.month(pay).discount_factor);
    }
    const int s = side == Side::kScenario ? 0 : 1;
    const std::vector<MetricValues> periods = aggregate_periods(monthly, layout_);
    samples_.store(s, rep, periods);
    if (people_ && side == Side::kScenario) {
      constexpr Metric kPeople[3] = {Metric::kMonthsFs, Metric::kMonthsXj, Metric::kMonthsJob};
      const std::size_t months = monthly.size();
      for (std::size_t m = 0; m < months; ++m) {
        for (int k = 0; k < 3; ++k) (*people_)[(m * 3 + k) * samples_.replications() + rep] = monthly[m][index_of(kPeople[k])];
      }
    }
    for (std::size_t m = 0; m < monthly.size(); ++m) {
      for (int i = 0; i < kMetricCount; ++i) moments.at(static_cast<int>(m), s, i).add(monthly[m][i]);
    }
  }

  const Scenario& scenario_;
  const PeriodLayout& layout_;
  Samples& samples_;
  std::vector<double>* people_;  // [month][fs, xj, job][replication], or null
  std::unique_ptr<Compiled> fixed_;
  std::unique_ptr<BonusModel> bonus_;
};

// Summaries of every period: [period] -> sides x metrics, in one sweep over the samples.
std::vector<SideSummaries> summarise_periods(const Samples& samples) {
  std::vector<SideSummaries> out(static_cast<std::size_t>(samples.periods()));
  std::vector<double> difference;
  samples.for_each_pair([&](int p, int i, std::span<const double> scenario, std::span<const double> baseline) {
    difference.resize(scenario.size());
    for (std::size_t r = 0; r < scenario.size(); ++r) difference[r] = scenario[r] - baseline[r];
    out[p][0][i] = summarize(scenario);
    out[p][1][i] = summarize(baseline);
    out[p][2][i] = summarize(difference);
  });
  return out;
}

std::vector<MonthResult> monthly_means(MonthlyMoments& moments, const Calendar& calendar) {
  std::vector<MonthResult> months;
  for (int m = 0; m < calendar.months; ++m) {
    MonthResult r;
    r.month = calendar.month(m);
    for (int i = 0; i < kMetricCount; ++i) {
      const double s = moments.at(m, 0, i).mean();
      const double b = moments.at(m, 1, i).mean();
      r.mean[0][i] = s;
      r.mean[1][i] = b;
      r.mean[2][i] = s - b;
    }
    months.push_back(r);
  }
  return months;
}

}  // namespace

PrecisionTarget parse_precision_target(const std::string& text) {
  const std::size_t eq = text.find('=');
  const std::size_t dot = text.find('.');
  PrecisionTarget t;
  bool ok = eq != std::string::npos && dot != std::string::npos && dot < eq;
  if (ok) {
    const std::string side = text.substr(0, dot);
    const auto metric = parse_metric(text.substr(dot + 1, eq - dot - 1));
    ok = metric.has_value() && (side == "scenario" || side == "baseline" || side == "difference");
    if (ok) {
      t.side = side == "scenario" ? ResultSide::kScenario : side == "baseline" ? ResultSide::kBaseline : ResultSide::kDifference;
      t.metric = *metric;
      try {
        t.target_se = std::stod(text.substr(eq + 1));
      } catch (const std::exception&) {
        ok = false;
      }
      ok = ok && t.target_se > 0;
    }
  }
  if (!ok) throw InputError({"--target-se " + text}, "", "'" + text + "'", "SIDE.METRIC=SE, e.g. difference.municipality.net=50000 (SE > 0)");
  return t;
}

RunResult run_to_precision(const Scenario& sc, RunOptions options, const PrecisionTarget& target) {
  std::int64_t n = target.batch;
  while (true) {
    options.replications = n;
    RunResult r = run_monte_carlo(sc, options);
    const double se = r.total[static_cast<int>(target.side)][index_of(target.metric)].se;
    const std::string what = std::string(side_name(target.side)) + "." + std::string(metric_name(target.metric));
    auto number = [](double v) {
      std::ostringstream s;
      s << std::setprecision(6) << v;
      return s.str();
    };
    if (se <= target.target_se) {
      r.notes.push_back("target se of " + what + " (" + number(target.target_se) + ") reached with " +
                        std::to_string(n) + " replications: se " + number(se));
      return r;
    }
    if (n >= target.max_replications) {
      r.notes.push_back("target se of " + what + " (" + number(target.target_se) + ") NOT reached: se " +
                        number(se) + " at the maximum of " + std::to_string(n) + " replications");
      return r;
    }
    // se falls as 1 / sqrt(n): ask for what the target needs, in whole batches, at least one more.
    const double needed = static_cast<double>(n) * (se / target.target_se) * (se / target.target_se);
    const std::int64_t batches = static_cast<std::int64_t>(std::ceil(needed / static_cast<double>(target.batch)));
    n = std::min(target.max_replications, std::max(n + target.batch, batches * target.batch));
  }
}

RunEstimate estimate_run(const Scenario& sc, std::int64_t replications, int threads) {
  const double persons = static_cast<double>(sc.person_count());
  const double reps = static_cast<double>(replications);
  const double months = sc.calendar.months;
  const double periods = PeriodLayout::of(sc.calendar).count();
  const double workers = std::max(1, threads);
  const bool intake = sc.programme && sc.programme->intake;
  // Per thread: state, d, x, ever (6 bytes a person), the month's draws (16 bytes a person
  // with capacity intake, else one block), intake candidates, two sides' counts.
  const double per_person = 6.0 + (intake ? 16.0 + 8.0 : 0.0);
  const double per_thread = persons * per_person + 16.0 * 1024 + 2.0 * months * 64 * 8;
  // Beyond their budget the replications' values go to a temporary file (results.hpp).
  const double samples = std::min(reps * 2.0 * kMetricCount * periods * sizeof(double),
                                  static_cast<double>(Samples::kDefaultMemoryBudget) + (1 << 20));
  const double moments = (workers + 16) * months * 2.0 * kMetricCount * sizeof(Moments);
  RunEstimate e;
  e.person_months = 2.0 * persons * months * reps;
  e.bytes = workers * per_thread + samples + moments + 8e6;
  e.seconds = e.person_months * 7e-9 / workers;
  return e;
}

RunResult run_monte_carlo(const Scenario& input, const RunOptions& options) {
  Scenario sc = input;
  if (options.replications) sc.replications = *options.replications;
  if (options.seed) sc.seed = *options.seed;
  const std::int64_t reps = sc.replications;
  const PeriodLayout layout = PeriodLayout::of(sc.calendar);

  std::unique_ptr<tbb::global_control> limit;
  if (options.threads > 0) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(options.threads));
  }

  RunResult result = RunResult::about(sc, options.threads > 0 ? options.threads : tbb::info::default_concurrency());
  result.samples = Samples(reps, layout.count(), options.sample_memory_bytes);
  std::vector<double> people;
  if (options.keep_monthly_people) people.resize(static_cast<std::size_t>(sc.calendar.months) * 3 * reps);
  const ReplicationRunner runner(sc, layout, result.samples, options.keep_monthly_people ? &people : nullptr);
  tbb::enumerable_thread_specific<Workspace> workspaces;
  std::atomic<std::int64_t> done{0};
  std::mutex progress_mutex;

  MonthlyMoments empty;
  empty.cells.resize(static_cast<std::size_t>(sc.calendar.months) * 2 * kMetricCount);
  MonthlyMoments moments = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::int64_t>(0, reps, kGrain), empty,
      [&](const tbb::blocked_range<std::int64_t>& range, MonthlyMoments acc) {
        Workspace& ws = workspaces.local();
        for (std::int64_t rep = range.begin(); rep != range.end(); ++rep) runner.run(rep, ws, acc);
        const std::int64_t now = done += static_cast<std::int64_t>(range.size());
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(now, reps);
        }
        return acc;
      },
      [](MonthlyMoments a, const MonthlyMoments& b) {
        a.merge(b);
        return a;
      });

  const std::vector<SideSummaries> periods = summarise_periods(result.samples);
  result.total = periods[0];
  for (std::size_t y = 0; y < layout.years.size(); ++y) result.yearly.push_back({layout.years[y], periods[1 + y]});
  result.monthly = monthly_means(moments, sc.calendar);
  for (int m = 0; m < sc.calendar.months && options.keep_monthly_people; ++m) {
    std::array<Summary, 3> bands;
    for (int k = 0; k < 3; ++k) {
      const auto first = people.begin() + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(m) * 3 + k) * reps);
      bands[k] = summarize(std::span<const double>(&*first, static_cast<std::size_t>(reps)));
    }
    result.monthly_people.push_back(bands);
  }
  result.replications_rows_scaled = moments.rows_scaled;
  result.replications_expiry_normalised = moments.expiry_normalised;
  return result;
}

}  // namespace extrasim
