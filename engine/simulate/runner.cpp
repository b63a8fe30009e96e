#include "extrasim/simulate/runner.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iomanip>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "extrasim/results/warnings.hpp"
#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/ledger.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/simulate/simulation.hpp"
#include "bonus_model.hpp"

namespace extrasim {

namespace {

// Monthly moments per side (scenario, baseline) and metric: per block in replication order,
// then merged in block order.
struct MonthlyMoments {
  std::vector<Moments> cells;  // [month][side][metric]
  std::int64_t rows_scaled = 0;
  std::int64_t expiry_normalised = 0;
  std::vector<std::int64_t> clamped;  // per uncertainty entry: replications whose draw was clamped

  explicit MonthlyMoments(int months = 0) : cells(static_cast<std::size_t>(months) * 2 * kMetricCount) {}
  Moments& at(int month, int side, int metric) {
    return cells[(static_cast<std::size_t>(month) * 2 + side) * kMetricCount + metric];
  }
  const Moments& at(int month, int side, int metric) const {
    return cells[(static_cast<std::size_t>(month) * 2 + side) * kMetricCount + metric];
  }
  // Empty again, keeping the room for `months`.
  void reset(int months) {
    cells.assign(static_cast<std::size_t>(months) * 2 * kMetricCount, Moments());
    rows_scaled = 0;
    expiry_normalised = 0;
    clamped.clear();
  }
  void count_clamped(const std::vector<bool>& drawn) {
    clamped.resize(std::max(clamped.size(), drawn.size()), 0);
    for (std::size_t k = 0; k < drawn.size(); ++k) clamped[k] += drawn[k] ? 1 : 0;
  }
  void merge(const MonthlyMoments& other) {
    if (cells.empty()) cells.resize(other.cells.size());
    for (std::size_t i = 0; i < other.cells.size(); ++i) cells[i].merge(other.cells[i]);
    rows_scaled += other.rows_scaled;
    expiry_normalised += other.expiry_normalised;
    clamped.resize(std::max(clamped.size(), other.clamped.size()), 0);
    for (std::size_t k = 0; k < other.clamped.size(); ++k) clamped[k] += other.clamped[k];
  }
};

// Prices first: groups with equal rules and prices are counted as one unit (Dynamics).
struct Compiled {
  PriceTable prices;
  Dynamics dynamics;
  explicit Compiled(const Scenario& sc)
      : prices(PriceTable::compile(sc)), dynamics(Dynamics::compile(sc, prices.price_classes())) {}
};

struct Workspace {
  Population population;
  Counts scenario_counts;
  Counts baseline_counts;
};

class ReplicationRunner {
 public:
  // Keeps references to all four: they must outlive it (and may be resized between runs).
  ReplicationRunner(const Scenario& sc, const PeriodLayout& layout, Samples& samples,
                    std::vector<double>* people)
      : scenario_(sc), layout_(layout), samples_(samples), people_(people) {
    if (!sc.has_uncertainty()) fixed_ = std::make_unique<Compiled>(sc);
    if (sc.bonus) bonus_ = std::make_unique<BonusModel>(*sc.bonus, sc.calendar);
  }

  void run(std::int64_t rep, Workspace& ws, MonthlyMoments& moments) const {
    std::unique_ptr<Compiled> drawn;
    if (!fixed_) {
      DrawRepairs repairs;
      drawn = std::make_unique<Compiled>(draw_parameters(scenario_, rep, &repairs));
      moments.rows_scaled += repairs.row_scaled;
      moments.expiry_normalised += repairs.expiry_normalised;
      moments.count_clamped(repairs.clamped);
    }
    const Compiled& c = fixed_ ? *fixed_ : *drawn;
    const ReplicationStreams streams(scenario_.seed, static_cast<std::uint64_t>(rep));
    // The other units' counts are drawn once: scenario and baseline see the same country.
    std::vector<BonusUnit> units;
    if (bonus_) units = bonus_->others(scenario_.seed, static_cast<std::uint64_t>(rep));
    // Scenario and baseline in one pass, side by side (the twins need both).
    for (Counts* counts : {&ws.scenario_counts, &ws.baseline_counts}) {
      if (counts->months() != c.dynamics.months() || counts->spell_slots() != c.dynamics.spell_slots() ||
          counts->unit_groups() != c.dynamics.unit_groups()) {
        *counts = Counts(c.dynamics.months(), c.dynamics.unit_groups(), c.dynamics.spell_slots());
      }
      counts->clear();
    }
    simulate_pair(c.dynamics, streams, ws.population, ws.scenario_counts, ws.baseline_counts);
    record(c, Side::kScenario, ws.scenario_counts, rep, moments, units);
    record(c, Side::kBaseline, ws.baseline_counts, rep, moments, units);
  }

 private:
  void record(const Compiled& c, Side side, const Counts& counts, std::int64_t rep, MonthlyMoments& moments,
              std::vector<BonusUnit>& units) const {
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
      double* row = people_->data() + static_cast<std::size_t>(rep) * monthly.size() * 3;
      for (std::size_t m = 0; m < monthly.size(); ++m) {
        for (int k = 0; k < 3; ++k) row[m * 3 + k] = monthly[m][index_of(kPeople[k])];
      }
    }
    for (std::size_t m = 0; m < monthly.size(); ++m) {
      for (int i = 0; i < kMetricCount; ++i) moments.at(static_cast<int>(m), s, i).add(monthly[m][i]);
    }
  }

  const Scenario& scenario_;
  const PeriodLayout& layout_;
  Samples& samples_;
  std::vector<double>* people_;  // [replication][month][fs, xj, job], or null
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

std::vector<MonthResult> monthly_means(const MonthlyMoments& moments, const Calendar& calendar) {
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

// Replications [begin, end) of block `first / kBlock`, run by one task of an append.
struct Block {
  std::int64_t first = 0;  // the block's first replication
  std::int64_t begin = 0;  // the first to run now (> first when it continues the open block)
  std::int64_t end = 0;
  std::int64_t ran = 0;    // of [begin, end), in order
  MonthlyMoments moments;  // replications [first, begin + ran)
};

}  // namespace

struct RunSession::State {
  Scenario scenario;
  SessionOptions options;
  int threads;
  PeriodLayout layout;
  Samples samples;
  std::vector<double> people;  // [replication][month][fs, xj, job], with keep_monthly_people
  ReplicationRunner runner;    // refers to scenario, layout, samples and people
  tbb::task_arena arena;
  tbb::enumerable_thread_specific<Workspace> workspaces;
  MonthlyMoments merged;  // blocks 0 .. done / kBlock - 1, merged in order
  MonthlyMoments open;    // replications [done - done % kBlock, done) of the open block
  std::int64_t done = 0;
  std::atomic<std::int64_t> simulated{0};
  std::atomic<bool> cancel{false};

  State(const Scenario& sc, SessionOptions opts)
      : scenario(sc),
        options(std::move(opts)),
        threads(options.threads > 0 ? options.threads : tbb::info::default_concurrency()),
        layout(PeriodLayout::of(scenario.calendar)),
        samples(0, layout.count(), options.sample_memory_bytes),
        runner(scenario, layout, samples, options.keep_monthly_people ? &people : nullptr),
        arena(threads),
        merged(scenario.calendar.months),
        open(scenario.calendar.months) {}
};

RunSession::RunSession(const Scenario& scenario, SessionOptions options)
    : state_(std::make_unique<State>(scenario, std::move(options))) {}

RunSession::~RunSession() = default;

std::int64_t RunSession::replications() const { return state_->done; }
std::int64_t RunSession::replications_simulated() const { return state_->simulated.load(); }
void RunSession::cancel() { state_->cancel.store(true); }
bool RunSession::cancelled() const { return state_->cancel.load(); }
const Scenario& RunSession::scenario() const { return state_->scenario; }

std::int64_t RunSession::append(std::int64_t n) {
  if (n < 0) throw std::invalid_argument("RunSession::append: a negative number of replications");
  State& st = *state_;
  if (n == 0 || st.cancel.load()) return 0;
  const std::int64_t start = st.done;
  const std::int64_t target = start + n;
  const int months = st.scenario.calendar.months;
  st.samples.resize(target);
  if (st.options.keep_monthly_people) st.people.resize(static_cast<std::size_t>(target) * static_cast<std::size_t>(months) * 3);

  // Blocks in flight at most: enough to keep every thread busy while the oldest one finishes,
  // and the memory of their moments bounded whatever n is. The last filter takes blocks in the
  // order they entered and at most `tokens` are in the pipeline, so when block k enters, block
  // k - tokens has left and its slot k % tokens is free.
  const std::size_t tokens = 4 * static_cast<std::size_t>(st.threads);
  std::vector<Block> slots(tokens);
  std::size_t issued = 0;
  std::int64_t next = start;
  bool cut = false;  // a block was cut short: the ones after it are dropped
  st.arena.execute([&] {
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Block*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Block* {
                                         if (next >= target || st.cancel.load(std::memory_order_relaxed)) {
                                           fc.stop();
                                           return nullptr;
                                         }
                                         Block& b = slots[issued++ % tokens];
                                         b.first = next - next % kBlock;
                                         b.begin = next;
                                         b.end = std::min(b.first + kBlock, target);
                                         b.ran = 0;
                                         if (b.begin == b.first) {
                                           b.moments.reset(months);
                                         } else {
                                           b.moments = st.open;  // only the append's first block
                                         }
                                         next = b.end;
                                         return &b;
                                       }) &
            tbb::make_filter<Block*, Block*>(tbb::filter_mode::parallel,
                                             [&](Block* b) {
                                               Workspace& ws = st.workspaces.local();
                                               for (std::int64_t rep = b->begin; rep < b->end; ++rep) {
                                                 if (st.cancel.load(std::memory_order_relaxed)) break;
                                                 st.runner.run(rep, ws, b->moments);
                                                 ++b->ran;
                                                 st.simulated.fetch_add(1, std::memory_order_relaxed);
                                               }
                                               return b;
                                             }) &
            tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order, [&](Block* b) {
              if (cut) return;
              const std::int64_t reached = b->begin + b->ran;
              if (reached == b->first + kBlock) {
                st.merged.merge(b->moments);
              } else {
                std::swap(st.open, b->moments);  // the open block: the next append continues it
                cut = reached < b->end;
              }
              st.done = reached;
              if (st.options.progress) st.options.progress(reached, target);
            }));
  });
  return st.done - start;
}

RunResult RunSession::result() const {
  const State& st = *state_;
  if (st.done == 0) throw std::logic_error("RunSession::result: no replications completed yet");
  const Calendar& calendar = st.scenario.calendar;
  RunResult result = RunResult::about(st.scenario, st.threads);
  result.replications = st.done;
  result.provenance.replications = st.done;
  result.samples = st.samples.prefix(st.done);
  MonthlyMoments moments = st.merged;
  if (st.done % kBlock != 0) moments.merge(st.open);

  const std::vector<SideSummaries> periods = summarise_periods(result.samples);
  result.total = periods[0];
  for (std::size_t y = 0; y < st.layout.years.size(); ++y) result.yearly.push_back({st.layout.years[y], periods[1 + y]});
  result.monthly = monthly_means(moments, calendar);
  if (st.options.keep_monthly_people) {
    const std::size_t stride = static_cast<std::size_t>(calendar.months) * 3;
    std::vector<double> values(static_cast<std::size_t>(st.done));
    for (int m = 0; m < calendar.months; ++m) {
      std::array<Summary, 3> bands;
      for (int k = 0; k < 3; ++k) {
        for (std::size_t r = 0; r < values.size(); ++r) values[r] = st.people[r * stride + static_cast<std::size_t>(m) * 3 + static_cast<std::size_t>(k)];
        bands[k] = summarize(values);
      }
      result.monthly_people.push_back(bands);
    }
  }
  result.replications_rows_scaled = moments.rows_scaled;
  result.replications_expiry_normalised = moments.expiry_normalised;
  for (std::size_t k = 0; k < moments.clamped.size(); ++k) {
    if (moments.clamped[k] > 0) result.replications_clamped.emplace_back(st.scenario.uncertainty[k].path, moments.clamped[k]);
  }
  if (st.cancel.load()) {
    result.notes.push_back("run cancelled: the results are those of the " + std::to_string(st.done) +
                           " replications completed");
  }
  result.warnings = result_warnings(st.scenario, result);
  return result;
}

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

RunResult run_to_precision(const Scenario& scenario, const SessionOptions& options, const PrecisionTarget& target) {
  RunSession session(scenario, options);
  return run_to_precision(session, target);
}

RunResult run_to_precision(RunSession& session, const PrecisionTarget& target) {
  std::int64_t n = std::max(target.batch, session.replications());
  while (true) {
    session.append(n - session.replications());
    RunResult r = session.result();
    if (session.cancelled()) return r;
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

namespace {

// A cost model measured on this project's machine (CPU seconds of one thread, random-number
// contract 2, shipped scenarios and bench/national.yaml; bench/estimate_check.py compares it
// with real runs). Per replication: the month step and draws per person-month (both sides);
// with capacity intake every person's intake word and eligibility scan each month; the
// counts, pricing and moments per group-month; the bonus block's other units. Per run: parsing,
// compiling and summarising (also each point of a sweep). Fitted under a load average of about
// 9 on this 2-core machine; its CPU times move by up to 20 % with the load.
constexpr double kSecondsPerPersonMonth = 2.2e-9;
constexpr double kSecondsPerIntakePersonMonth = 3.55e-9;
constexpr double kSecondsPerGroupMonth = 3.1e-6;
constexpr double kSecondsPerBonusReplication = 1.5e-4;
constexpr double kSecondsPerRun = 5e-3;

double estimated_seconds(const Scenario& sc, double reps, double workers) {
  const double months = sc.calendar.months;
  const double person_months = 2.0 * static_cast<double>(sc.person_count()) * months;
  const bool capacity_intake = sc.programme && sc.programme->intake;
  double per_replication = person_months * (kSecondsPerPersonMonth + (capacity_intake ? kSecondsPerIntakePersonMonth : 0.0)) +
                           months * static_cast<double>(sc.groups.size()) * kSecondsPerGroupMonth;
  if (sc.bonus) per_replication += kSecondsPerBonusReplication;
  return kSecondsPerRun + reps * per_replication / workers;
}

}  // namespace

RunEstimate estimate_run(const Scenario& sc, std::int64_t replications, int threads) {
  const double persons = static_cast<double>(sc.person_count());
  const double reps = static_cast<double>(replications);
  const double months = sc.calendar.months;
  const double periods = PeriodLayout::of(sc.calendar).count();
  // Only threads that get a block of replications make a workspace.
  const double workers = std::max(1.0, std::min<double>(threads, std::ceil(reps / static_cast<double>(RunSession::kBlock))));
  // Per person and working thread: state, d, x and ever_xj on each side (12 bytes); with
  // capacity intake also the month's transition and intake words of everyone (8 bytes), else
  // one tile of words at a time (random-number contract 2). Checked against peak RSS by
  // tests/memory/check_estimate.sh.
  const bool capacity_intake = sc.programme && sc.programme->intake;
  const double bytes_per_person = capacity_intake ? 20.0 : 12.0;
  constexpr double kProcessBytes = 11e6;
  const double per_thread = persons * bytes_per_person + 2.0 * months * 64 * 8;
  // Beyond their budget the replications' values go to a temporary file (results.hpp).
  const double samples = std::min(reps * 2.0 * kMetricCount * periods * sizeof(double),
                                  static_cast<double>(Samples::kDefaultMemoryBudget));
  // Moments of the blocks in flight (4 per thread) and the session's two.
  const double moments = (4 * workers + 2) * months * 2.0 * kMetricCount * sizeof(Moments);
  RunEstimate e;
  e.person_months = 2.0 * persons * months * reps;
  // The samples twice: the session's, and the result's copy of the replications done
  // (RunSession::result() leaves the session able to go on).
  e.bytes = workers * per_thread + 2 * samples + moments + kProcessBytes;
  e.seconds = estimated_seconds(sc, reps, workers);
  return e;
}

RunResult run_monte_carlo(const Scenario& scenario, const SessionOptions& options) {
  RunSession session(scenario, options);
  session.append(scenario.replications);
  return session.result();
}

}  // namespace extrasim
