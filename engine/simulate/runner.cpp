#include "extrasim/simulate/runner.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <iomanip>
#include <memory>
#include <span>
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
#include "extrasim/simulate/shared_baseline.hpp"
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
  std::vector<Counts> scenario_counts;  // per scenario of the session
  std::vector<Counts> baseline_counts;  // per scenario that runs a baseline (its leader's)
};

// Counts shaped for the dynamics, cleared.
void prepare(Counts& counts, const Dynamics& dynamics) {
  if (counts.months() != dynamics.months() || counts.spell_slots() != dynamics.spell_slots() ||
      counts.unit_groups() != dynamics.unit_groups()) {
    counts = Counts(dynamics.months(), dynamics.unit_groups(), dynamics.spell_slots());
  }
  counts.clear();
}

// Simulates and records one replication of every scenario of a session: the scenarios that
// have the same baseline (the same seed and same_baseline dynamics) run with one baseline
// in one lockstep pass; each scenario's values are those of a session of its own, bit for bit.
class ReplicationRunner {
 public:
  // What a scenario's replications go to. All must outlive the runner (and may be resized
  // between runs).
  struct Target {
    const Scenario& scenario;
    const PeriodLayout& layout;
    Samples& samples;
    std::vector<double>* people;  // [replication][month][fs, xj, job], or null
  };

  ReplicationRunner(const std::vector<Target>& targets, bool monthly_means) : monthly_means_(monthly_means) {
    bool fixed = true;
    for (const Target& t : targets) {
      Member& m = members_.emplace_back(Member{t, nullptr, nullptr});
      if (!t.scenario.has_uncertainty()) m.fixed = std::make_unique<Compiled>(t.scenario);
      if (t.scenario.bonus) m.bonus = std::make_unique<BonusModel>(*t.scenario.bonus, t.scenario.calendar);
      fixed = fixed && m.fixed;
    }
    if (fixed) {
      std::vector<const Compiled*> compiled;
      for (const Member& m : members_) compiled.push_back(m.fixed.get());
      fixed_leaders_ = leaders(compiled);
    }
  }

  // Each scenario's leader: the first scenario with the same baseline, whose pass simulates
  // it; empty when that is decided per replication (uncertainty draws the rows).
  const std::vector<std::size_t>& fixed_leaders() const { return fixed_leaders_; }

  void run(std::int64_t rep, Workspace& ws, std::span<MonthlyMoments> moments) const {
    const std::size_t n = members_.size();
    std::vector<std::unique_ptr<Compiled>> drawn(n);
    std::vector<const Compiled*> compiled(n);
    for (std::size_t k = 0; k < n; ++k) compiled[k] = compiled_for(k, rep, moments[k], drawn[k]);
    const std::vector<std::size_t> leader = fixed_leaders_.empty() ? leaders(compiled) : fixed_leaders_;
    ws.scenario_counts.resize(n);
    ws.baseline_counts.resize(n);
    std::vector<const Dynamics*> dynamics;
    std::vector<Counts*> counts;
    for (std::size_t j = 0; j < n; ++j) {
      if (leader[j] != j) continue;
      dynamics.clear();
      counts.clear();
      for (std::size_t k = j; k < n; ++k) {
        if (leader[k] != j) continue;
        prepare(ws.scenario_counts[k], compiled[k]->dynamics);
        dynamics.push_back(&compiled[k]->dynamics);
        counts.push_back(&ws.scenario_counts[k]);
      }
      prepare(ws.baseline_counts[j], compiled[j]->dynamics);
      const ReplicationStreams streams(members_[j].target.scenario.seed, static_cast<std::uint64_t>(rep));
      simulate_lockstep(dynamics, streams, ws.population, counts, ws.baseline_counts[j]);
    }
    for (std::size_t k = 0; k < n; ++k) {
      const Member& m = members_[k];
      // The other units' counts are drawn once: scenario and baseline see the same country.
      std::vector<BonusUnit> units;
      if (m.bonus) units = m.bonus->others(m.target.scenario.seed, static_cast<std::uint64_t>(rep));
      record(m, *compiled[k], Side::kScenario, ws.scenario_counts[k], rep, moments[k], units);
      record(m, *compiled[k], Side::kBaseline, ws.baseline_counts[leader[k]], rep, moments[k], units);
    }
  }

 private:
  struct Member {
    Target target;
    std::unique_ptr<Compiled> fixed;
    std::unique_ptr<BonusModel> bonus;
  };

  // Scenario k's rules in replication `rep`: fixed, or drawn (into `drawn`) under uncertainty.
  const Compiled* compiled_for(std::size_t k, std::int64_t rep, MonthlyMoments& moments, std::unique_ptr<Compiled>& drawn) const {
    const Member& m = members_[k];
    if (m.fixed) return m.fixed.get();
    DrawRepairs repairs;
    drawn = std::make_unique<Compiled>(draw_parameters(m.target.scenario, rep, &repairs));
    moments.rows_scaled += repairs.row_scaled;
    moments.expiry_normalised += repairs.expiry_normalised;
    moments.count_clamped(repairs.clamped);
    return drawn.get();
  }

  std::vector<std::size_t> leaders(const std::vector<const Compiled*>& compiled) const {
    std::vector<std::size_t> leader(compiled.size());
    for (std::size_t k = 0; k < compiled.size(); ++k) {
      leader[k] = k;
      for (std::size_t j = 0; j < k; ++j) {
        if (leader[j] == j && members_[j].target.scenario.seed == members_[k].target.scenario.seed &&
            same_baseline(compiled[j]->dynamics, compiled[k]->dynamics)) {
          leader[k] = j;
          break;
        }
      }
    }
    return leader;
  }

  void record(const Member& member, const Compiled& c, Side side, const Counts& counts, std::int64_t rep,
              MonthlyMoments& moments, std::vector<BonusUnit>& units) const {
    const BonusModel* bonus = member.bonus.get();
    std::vector<MetricValues> monthly = tally(c.prices, counts);
    if (bonus) {
      const double in_xj = monthly[bonus->reference_month()][index_of(Metric::kMonthsXj)];
      const int pay = bonus->payment_month();
      add_bonus(monthly[pay], bonus->payout(units, in_xj), c.prices.month(pay).discount_factor);
    }
    const int s = side == Side::kScenario ? 0 : 1;
    const std::vector<MetricValues> periods = aggregate_periods(monthly, member.target.layout);
    member.target.samples.store(s, rep, periods);
    std::vector<double>* people = member.target.people;
    if (people && side == Side::kScenario) {
      constexpr Metric kPeople[3] = {Metric::kMonthsFs, Metric::kMonthsXj, Metric::kMonthsJob};
      double* row = people->data() + static_cast<std::size_t>(rep) * monthly.size() * 3;
      for (std::size_t m = 0; m < monthly.size(); ++m) {
        for (int k = 0; k < 3; ++k) row[m * 3 + k] = monthly[m][index_of(kPeople[k])];
      }
    }
    if (!monthly_means_) return;
    for (std::size_t m = 0; m < monthly.size(); ++m) {
      for (int i = 0; i < kMetricCount; ++i) moments.at(static_cast<int>(m), s, i).add(monthly[m][i]);
    }
  }

  bool monthly_means_;
  std::vector<Member> members_;
  std::vector<std::size_t> fixed_leaders_;
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
  std::vector<MonthlyMoments> moments;  // per scenario: replications [first, begin + ran)
};

// One scenario of a session and what its replications gave so far.
struct Member {
  Scenario scenario;
  PeriodLayout layout;
  Samples samples;
  std::vector<double> people;  // [replication][month][fs, xj, job], with keep_monthly_people
  MonthlyMoments merged;       // blocks 0 .. done / kBlock - 1, merged in order
  MonthlyMoments open;         // replications [done - done % kBlock, done) of the open block

  Member(const Scenario& sc, const SessionOptions& options)
      : scenario(sc),
        layout(PeriodLayout::of(scenario.calendar)),
        samples(0, layout.count(), options.sample_memory_bytes),
        merged(moment_months(options)),
        open(moment_months(options)) {}
  // Months of monthly moments kept: none without monthly means.
  int moment_months(const SessionOptions& options) const { return options.monthly_means ? scenario.calendar.months : 0; }
};

std::deque<Member> members_of(const std::vector<Scenario>& scenarios, const SessionOptions& options) {
  if (scenarios.empty()) throw std::invalid_argument("RunSession: no scenarios");
  std::deque<Member> members;
  for (const Scenario& sc : scenarios) members.emplace_back(sc, options);
  return members;
}

std::vector<ReplicationRunner::Target> targets_of(std::deque<Member>& members, bool keep_monthly_people) {
  std::vector<ReplicationRunner::Target> targets;
  for (Member& m : members) targets.push_back({m.scenario, m.layout, m.samples, keep_monthly_people ? &m.people : nullptr});
  return targets;
}

}  // namespace

struct RunSession::State {
  SessionOptions options;
  int threads;
  std::deque<Member> members;  // never resized: the runner refers to them
  ReplicationRunner runner;
  tbb::task_arena arena;
  tbb::enumerable_thread_specific<Workspace> workspaces;
  std::int64_t done = 0;
  std::atomic<std::int64_t> simulated{0};
  std::atomic<bool> cancel{false};

  State(const std::vector<Scenario>& scenarios, SessionOptions opts)
      : options(std::move(opts)),
        threads(options.threads > 0 ? options.threads : tbb::info::default_concurrency()),
        members(members_of(scenarios, options)),
        runner(targets_of(members, options.keep_monthly_people), options.monthly_means),
        arena(threads) {}
};

RunSession::RunSession(const Scenario& scenario, SessionOptions options)
    : RunSession(std::vector<Scenario>{scenario}, std::move(options)) {}

RunSession::RunSession(const std::vector<Scenario>& scenarios, SessionOptions options)
    : state_(std::make_unique<State>(scenarios, std::move(options))) {}

RunSession::~RunSession() = default;

std::int64_t RunSession::replications() const { return state_->done; }
std::int64_t RunSession::replications_simulated() const { return state_->simulated.load(); }
void RunSession::cancel() { state_->cancel.store(true); }
bool RunSession::cancelled() const { return state_->cancel.load(); }
int RunSession::scenario_count() const { return static_cast<int>(state_->members.size()); }
const Scenario& RunSession::scenario(int k) const { return state_->members.at(static_cast<std::size_t>(k)).scenario; }

std::vector<int> RunSession::baseline_leaders() const {
  const std::vector<std::size_t>& leaders = state_->runner.fixed_leaders();
  return std::vector<int>(leaders.begin(), leaders.end());
}

std::int64_t RunSession::append(std::int64_t n) {
  if (n < 0) throw std::invalid_argument("RunSession::append: a negative number of replications");
  State& st = *state_;
  if (n == 0 || st.cancel.load()) return 0;
  const std::int64_t start = st.done;
  const std::int64_t target = start + n;
  for (Member& m : st.members) {
    m.samples.resize(target);
    if (st.options.keep_monthly_people) m.people.resize(static_cast<std::size_t>(target) * static_cast<std::size_t>(m.scenario.calendar.months) * 3);
  }

  // Blocks in flight at most: enough to keep every thread busy while the oldest one finishes,
  // and the memory of their moments bounded whatever n is. The last stage takes blocks in the
  // order they entered and at most `tokens` are in flight, so when block k enters, block
  // k - tokens has left and its slot k % tokens is free.
  const std::size_t tokens = st.threads == 1 ? 1 : 4 * static_cast<std::size_t>(st.threads);
  std::vector<Block> slots(tokens);
  std::size_t issued = 0;
  std::int64_t next = start;
  bool cut = false;  // a block was cut short: the ones after it are dropped
  // The three stages: issue the next block (in order), run it (in parallel), merge it (in order).
  const auto issue = [&]() -> Block* {
    if (next >= target || st.cancel.load(std::memory_order_relaxed)) return nullptr;
    Block& b = slots[issued++ % tokens];
    b.first = next - next % kBlock;
    b.begin = next;
    b.end = std::min(b.first + kBlock, target);
    b.ran = 0;
    b.moments.resize(st.members.size());
    for (std::size_t k = 0; k < st.members.size(); ++k) {
      const Member& m = st.members[k];
      if (b.begin == b.first) {
        b.moments[k].reset(m.moment_months(st.options));
      } else {
        b.moments[k] = m.open;  // only the append's first block
      }
    }
    next = b.end;
    return &b;
  };
  const auto run = [&](Block* b) {
    Workspace& ws = st.workspaces.local();
    for (std::int64_t rep = b->begin; rep < b->end; ++rep) {
      if (st.cancel.load(std::memory_order_relaxed)) break;
      st.runner.run(rep, ws, b->moments);
      ++b->ran;
      st.simulated.fetch_add(1, std::memory_order_relaxed);
    }
    return b;
  };
  const auto merge = [&](Block* b) {
    if (cut) return;
    const std::int64_t reached = b->begin + b->ran;
    for (std::size_t k = 0; k < st.members.size(); ++k) {
      Member& m = st.members[k];
      if (reached == b->first + kBlock) {
        m.merged.merge(b->moments[k]);
      } else {
        std::swap(m.open, b->moments[k]);  // the open block: the next append continues it
      }
    }
    cut = reached < b->first + kBlock && reached < b->end;
    st.done = reached;
    if (st.options.progress) st.options.progress(reached, target);
  };
  if (st.threads == 1) {  // the same stages in the same order, without an arena (sweeps run many small sessions)
    while (Block* b = issue()) merge(run(b));
    return st.done - start;
  }
  st.arena.execute([&] {
    tbb::parallel_pipeline(tokens,
                           tbb::make_filter<void, Block*>(tbb::filter_mode::serial_in_order,
                                                          [&](tbb::flow_control& fc) -> Block* {
                                                            Block* b = issue();
                                                            if (!b) fc.stop();
                                                            return b;
                                                          }) &
                               tbb::make_filter<Block*, Block*>(tbb::filter_mode::parallel, run) &
                               tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order, merge));
  });
  return st.done - start;
}

Summary RunSession::summary(ResultSide side, int period, Metric metric) const {
  const State& st = *state_;
  if (st.done == 0) throw std::logic_error("RunSession::summary: no replications completed yet");
  const Samples& samples = st.members.front().samples;
  // After a cancel the samples may hold more than the replications kept.
  if (samples.replications() == st.done) return summarize(samples.column(side, period, metric));
  return summarize(samples.prefix(st.done).column(side, period, metric));
}

RunResult RunSession::result() const { return result(0); }

RunResult RunSession::result(int k) const {
  const State& st = *state_;
  if (st.done == 0) throw std::logic_error("RunSession::result: no replications completed yet");
  const Member& member = st.members.at(static_cast<std::size_t>(k));
  const Scenario& scenario = member.scenario;
  const Calendar& calendar = scenario.calendar;
  RunResult result = RunResult::about(scenario, st.threads);
  result.replications = st.done;
  result.provenance.replications = st.done;
  result.samples = member.samples.prefix(st.done);
  MonthlyMoments moments = member.merged;
  if (st.done % kBlock != 0) moments.merge(member.open);

  const std::vector<SideSummaries> periods = summarise_periods(result.samples);
  result.total = periods[0];
  for (std::size_t y = 0; y < member.layout.years.size(); ++y) result.yearly.push_back({member.layout.years[y], periods[1 + y]});
  if (st.options.monthly_means) result.monthly = monthly_means(moments, calendar);
  if (st.options.keep_monthly_people) {
    const std::size_t stride = static_cast<std::size_t>(calendar.months) * 3;
    std::vector<double> values(static_cast<std::size_t>(st.done));
    for (int m = 0; m < calendar.months; ++m) {
      std::array<Summary, 3> bands;
      for (int j = 0; j < 3; ++j) {
        for (std::size_t r = 0; r < values.size(); ++r) values[r] = member.people[r * stride + static_cast<std::size_t>(m) * 3 + static_cast<std::size_t>(j)];
        bands[j] = summarize(values);
      }
      result.monthly_people.push_back(bands);
    }
  }
  result.replications_rows_scaled = moments.rows_scaled;
  result.replications_expiry_normalised = moments.expiry_normalised;
  for (std::size_t j = 0; j < moments.clamped.size(); ++j) {
    if (moments.clamped[j] > 0) result.replications_clamped.emplace_back(scenario.uncertainty[j].path, moments.clamped[j]);
  }
  if (st.cancel.load()) {
    result.notes.push_back("run cancelled: the results are those of the " + std::to_string(st.done) +
                           " replications completed");
  }
  result.warnings = result_warnings(scenario, result);
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
// contract 2 with the 32-lane step; the shipped scenarios, bench/national.yaml and it split into
// 1 000 groups of 3 kinds and of 1 000 prices; bench/estimate_check.py compares it with real
// runs). Per run: parsing, compiling and summarising, and per group its rows and prices. Per
// replication: per month its tally, moments and samples; per person-month (both sides) the
// month step and draws, with capacity intake also every person's intake word and eligibility
// scan; per counting-unit-month a call of the step and its pricing; the bonus block's other
// units. Fitted under a load average of about 2; CPU times here move by up to 20 % with load.
constexpr double kSecondsPerRun = 6e-3;
constexpr double kSecondsPerGroup = 1.6e-4;
constexpr double kSecondsPerReplicationMonth = 2.0e-6;
constexpr double kSecondsPerPersonMonth = 0.88e-9;
constexpr double kSecondsPerIntakePersonMonth = 1.15e-9;
constexpr double kSecondsPerUnitMonth = 1.3e-7;
constexpr double kSecondsPerBonusReplication = 1.3e-4;

double estimated_seconds(const Scenario& sc, double reps, double workers, int units) {
  const double months = sc.calendar.months;
  const double person_months = 2.0 * static_cast<double>(sc.person_count()) * months;
  const bool capacity_intake = sc.programme && sc.programme->intake;
  double per_replication = months * kSecondsPerReplicationMonth +
                           person_months * (kSecondsPerPersonMonth + (capacity_intake ? kSecondsPerIntakePersonMonth : 0.0)) +
                           months * units * kSecondsPerUnitMonth;
  if (sc.bonus) per_replication += kSecondsPerBonusReplication;
  return kSecondsPerRun + static_cast<double>(sc.groups.size()) * kSecondsPerGroup + reps * per_replication / workers;
}

}  // namespace

RunEstimate estimate_run(const Scenario& sc, std::int64_t replications, int threads) {
  const double persons = static_cast<double>(sc.person_count());
  const double reps = static_cast<double>(replications);
  const double months = sc.calendar.months;
  const double periods = PeriodLayout::of(sc.calendar).count();
  // Only threads that get a block of replications make a workspace.
  const double workers = std::max(1.0, std::min<double>(threads, std::ceil(reps / static_cast<double>(RunSession::kBlock))));
  // The compiled tables, as a run makes them (their counting units set the counts' size).
  const Compiled compiled(sc);
  const Dynamics& dyn = compiled.dynamics;
  // Per person and working thread: state, d, x and ever_xj on each side (12 bytes); with
  // capacity intake also the month's transition and intake words of everyone (8 bytes), else
  // one tile of words at a time (random-number contract 2); the counts of both sides. Checked
  // against peak RSS by tests/memory/check_estimate.sh.
  const bool capacity_intake = sc.programme && sc.programme->intake;
  const double bytes_per_person = capacity_intake ? 20.0 : 12.0;
  constexpr double kProcessBytes = 11e6;
  // Reading a group (yaml-cpp's node tree, the Scenario's timelines; the allocator keeps the
  // pages): measured on the benchmark cohort split into 1 000 groups.
  constexpr double kBytesPerGroup = 21e3;
  const double counts = 2.0 * months * dyn.unit_count() * (kStateCount + 2 + dyn.spell_slots()) * sizeof(double);
  const double per_thread = persons * bytes_per_person + counts;
  // Under uncertainty every thread compiles its replication's own tables.
  const double tables = static_cast<double>(dyn.bytes() + compiled.prices.bytes()) * (sc.has_uncertainty() ? workers + 1 : 1);
  // Beyond their budget the replications' values go to a temporary file (results.hpp).
  const double samples = std::min(reps * 2.0 * kMetricCount * periods * sizeof(double),
                                  static_cast<double>(Samples::kDefaultMemoryBudget));
  // Moments of the blocks in flight (4 per thread) and the session's two.
  const double moments = (4 * workers + 2) * months * 2.0 * kMetricCount * sizeof(Moments);
  RunEstimate e;
  e.person_months = 2.0 * persons * months * reps;
  // The samples twice: the session's, and the result's copy of the replications done
  // (RunSession::result() leaves the session able to go on).
  e.bytes = workers * per_thread + tables + 2 * samples + moments + kProcessBytes +
            static_cast<double>(sc.groups.size()) * kBytesPerGroup;
  e.seconds = estimated_seconds(sc, reps, workers, dyn.unit_count());
  return e;
}

RunResult run_monte_carlo(const Scenario& scenario, const SessionOptions& options) {
  RunSession session(scenario, options);
  session.append(scenario.replications);
  return session.result();
}

std::string baseline_note(const RunSession& session) {
  const std::vector<int> leaders = session.baseline_leaders();
  if (leaders.empty()) {
    return "baseline: under uncertainty one baseline is simulated for the scenarios whose drawn baseline rules agree, "
           "per replication; the others each with their own";
  }
  std::string own;
  for (std::size_t k = 1; k < leaders.size(); ++k) {
    if (leaders[k] != 0) own += (own.empty() ? "" : ", ") + session.scenario(static_cast<int>(k)).name;
  }
  if (own.empty()) return "";
  return "baseline: simulated separately for " + own + " (persons, seed or transition rates outside the programme differ from " +
         session.scenario(0).name + "'s)";
}

std::vector<RunResult> run_monte_carlo(const std::vector<Scenario>& scenarios, const SessionOptions& options,
                                       std::vector<std::string>* notes) {
  std::vector<RunResult> results;
  const bool same_size = std::all_of(scenarios.begin(), scenarios.end(),
                                     [&](const Scenario& sc) { return sc.replications == scenarios.front().replications; });
  if (!same_size || scenarios.size() < 2) {
    for (const Scenario& sc : scenarios) results.push_back(run_monte_carlo(sc, options));
    if (notes && scenarios.size() > 1) notes->push_back("baseline: the scenarios run different numbers of replications, so each was simulated with its own");
    return results;
  }
  RunSession session(scenarios, options);
  session.append(scenarios.front().replications);
  for (int k = 0; k < session.scenario_count(); ++k) results.push_back(session.result(k));
  if (const std::string note = baseline_note(session); notes && !note.empty()) notes->push_back(note);
  return results;
}

}  // namespace extrasim
