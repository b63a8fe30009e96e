// Results of a run: summaries per side (scenario, baseline, difference) for the whole horizon,
// per calendar year and per month. Produced by run_monte_carlo (runner.hpp) and
// expected_values (expected.hpp); read by the writers (output.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "extrasim/error.hpp"
#include "extrasim/model/metrics.hpp"
#include "extrasim/results/provenance.hpp"
#include "extrasim/model/scenario.hpp"
#include "extrasim/results/statistics.hpp"

namespace extrasim {

enum class ResultSide : int { kScenario = 0, kBaseline = 1, kDifference = 2 };
inline constexpr int kResultSideCount = 3;
std::string_view side_name(ResultSide s);  // "scenario", "baseline", "difference"

using SideSummaries = std::array<std::array<Summary, kMetricCount>, kResultSideCount>;
using SideMeans = std::array<MetricValues, kResultSideCount>;

struct YearResult {
  int year = 0;
  SideSummaries summaries;
};

struct MonthResult {
  YearMonth month;
  SideMeans mean;
};

// Per-replication values of each metric, for the whole horizon (period 0) and each calendar
// year (period 1 + y), for the scenario and the baseline (the difference is theirs): what
// exact quantiles need, 2 sides x kMetricCount x (1 + years) doubles per replication.
// Up to `memory_budget` bytes they are kept in memory; beyond it in an unlinked temporary
// file (gone when the process ends, however it ends), read back in 1 MB column groups, so
// the process's memory stays flat in the number of replications and quantiles stay exact.
// They can grow (a run session adding replications): in memory with room doubling up to the
// budget; past it the values kept so far move to the file, which grows by rows.
class Samples {
 public:
  static constexpr std::size_t kDefaultMemoryBudget = 8u << 20;

  Samples() = default;
  Samples(std::int64_t replications, int periods, std::size_t memory_budget = kDefaultMemoryBudget);
  std::int64_t replications() const { return replications_; }
  int periods() const { return periods_; }
  bool spilled() const { return file_ != nullptr; }

  // Makes replications() `replications`: the values of replications below both the old and
  // the new count are kept, new ones are 0 until stored (in the file: must be stored before
  // they are read). Not thread-safe: call it between stores, never during them.
  void resize(std::int64_t replications);
  // The first `replications` (at most replications()), as Samples of their own to read:
  // compact in memory, or sharing the temporary file (as copies do), so storing into a
  // spilled prefix would write the original's rows too.
  Samples prefix(std::int64_t replications) const;

  // Stores one replication's values of one side (0 scenario, 1 baseline), per period.
  // Thread-safe for distinct (side, rep).
  void store(int side, std::int64_t rep, const std::vector<MetricValues>& by_period);
  // The values of one (side, period, metric), side 2 being the difference.
  std::vector<double> column(ResultSide side, int period, Metric metric) const;
  // f(period, metric, scenario values, baseline values) for every (period, metric).
  void for_each_pair(const std::function<void(int, int, std::span<const double>,
                                              std::span<const double>)>& f) const;

 private:
  struct SpillFile;
  std::size_t index(int side, int period, int metric) const {
    return ((static_cast<std::size_t>(side) * periods_ + period) * kMetricCount + metric) *
           static_cast<std::size_t>(capacity_);
  }
  std::size_t row_values() const { return static_cast<std::size_t>(periods_) * kMetricCount; }
  // Fills columns[c][rep] for the (period, metric) pairs first .. first + count - 1 of both
  // sides (c = 2 * pair + side) from the spill file.
  void read_pairs(int first, int count, std::vector<std::vector<double>>& columns) const;
  // Moves the in-memory values of replications [0, replications_) to a new temporary file.
  void spill();

  std::int64_t replications_ = 0;
  std::int64_t capacity_ = 0;  // in memory: room per column (replications_ <= capacity_)
  int periods_ = 0;
  std::size_t memory_budget_ = kDefaultMemoryBudget;
  std::vector<double> data_;  // in memory: [side][period][metric][rep < capacity_]
  std::shared_ptr<SpillFile> file_;
};

// A warning's kind and figures; warning_text (write/labels.hpp) words it (warnings.hpp).
enum class WarningKind { kUnfilledPlaces, kSupervisionCostUnset, kAdminCostUnset, kIdenticalScenarios, kDrawsClamped };

struct Warning {
  WarningKind kind = WarningKind::kUnfilledPlaces;
  double share = 0;       // kUnfilledPlaces: the share of place-months left empty
  std::string scenario;   // whose result (in a comparison); empty for a run's own
  std::string other;      // kIdenticalScenarios: the second scenario; kDrawsClamped: the parameter
  static Warning of(WarningKind kind, double share = 0) {
    Warning w;
    w.kind = kind;
    w.share = share;
    return w;
  }
  friend bool operator==(const Warning&, const Warning&) = default;
};

// A stable code per kind for programs ("unfilled_places", ...).
std::string_view warning_code(WarningKind kind);

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 1;
  std::int64_t replications = 0;
  bool exact = false;        // expected values: means only
  bool discounted = false;   // pv.* metrics present
  Calendar calendar;
  SideSummaries total;
  std::vector<YearResult> yearly;
  std::vector<MonthResult> monthly;
  std::int64_t replications_rows_scaled = 0;       // uncertainty repairs (MODEL.md §3)
  std::int64_t replications_expiry_normalised = 0;
  // Uncertain parameters whose draw was held at its bound, with the replications it happened in.
  std::vector<std::pair<std::string, std::int64_t>> replications_clamped;
  std::vector<std::string> notes;
  std::vector<Warning> warnings;  // for every writer to word (warnings.hpp)
  Samples samples;  // empty for exact results
  // With SessionOptions::keep_monthly_people: per month, people in fs, xj, job (scenario side)
  // summarised over the replications (median and percentile bands).
  std::vector<std::array<Summary, 3>> monthly_people;
  Provenance provenance;

  // A result about `scenario`: its name, seed, calendar, whether it discounts, and its
  // provenance (threads: the worker threads used; 0 for exact results).
  static RunResult about(const Scenario& scenario, int threads = 0);
};

// Whether the writers show `m` for this result (pv.* only when discounted; twin.* only in Monte
// Carlo results, which simulate both sides side by side).
bool metric_shown(const RunResult& r, Metric m);
// Whether `m` is shown on `side`: twin.* only on the difference side (MODEL.md §9).
constexpr bool metric_on_side(Metric m, ResultSide side) { return !is_twin(m) || side == ResultSide::kDifference; }
// The deadweight share (MODEL.md §9 settled readings): the ratio of the means, twin in job /
// months in xj, over `sides` (one period's summaries); 0 when nobody is in xj.
double deadweight_share(const SideSummaries& sides);

}  // namespace extrasim

namespace extrasim {

// The periods a result reports: the whole horizon (period 0) and each calendar year (1 + y).
struct PeriodLayout {
  std::vector<int> years;       // calendar years in order
  std::vector<int> year_index;  // per month of the horizon: index into years
  static PeriodLayout of(const Calendar& calendar);
  int count() const { return 1 + static_cast<int>(years.size()); }
};

// Per period: flows summed over its months, stocks (end.*) from its last month.
std::vector<MetricValues> aggregate_periods(const std::vector<MetricValues>& monthly,
                                            const PeriodLayout& layout);

}  // namespace extrasim

namespace extrasim {

// One column of per-replication values: SIDE.METRIC for the whole horizon, or
// SIDE.METRIC.YEAR for a calendar year of the run (difference.municipality.net.2018).
struct SampleColumn {
  std::string name;  // as given
  ResultSide side = ResultSide::kDifference;
  Metric metric = Metric::kMunicipalityNet;
  int period = 0;  // 0: the whole horizon; 1 + y: calendar year y of PeriodLayout::of(calendar)
};
// Parses `text` against a run's calendar; throws InputError at `where` naming what is valid.
SampleColumn parse_sample_column(const std::string& text, const Calendar& calendar, const SourceLocation& where);

}  // namespace extrasim
