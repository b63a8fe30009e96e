#include "extrasim/results/results.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace extrasim {

std::string_view side_name(ResultSide s) {
  switch (s) {
    case ResultSide::kScenario: return "scenario";
    case ResultSide::kBaseline: return "baseline";
    case ResultSide::kDifference: return "difference";
  }
  return "?";
}

// An unlinked temporary file: rows of (replication, side) at fixed offsets.
struct Samples::SpillFile {
  std::FILE* file = nullptr;
  int fd = -1;
  SpillFile() : file(std::tmpfile()) {
    if (!file) throw std::runtime_error(std::string("cannot create a temporary file for the replications' values: ") + std::strerror(errno));
    fd = ::fileno(file);
  }
  ~SpillFile() { std::fclose(file); }
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  void write(const double* values, std::size_t count, std::size_t offset) const {
    const auto bytes = static_cast<ssize_t>(count * sizeof(double));
    if (::pwrite(fd, values, static_cast<std::size_t>(bytes), static_cast<off_t>(offset)) != bytes) {
      throw std::runtime_error(std::string("writing the replications' values to a temporary file failed: ") + std::strerror(errno));
    }
  }
  void read(double* values, std::size_t count, std::size_t offset) const {
    const auto bytes = static_cast<ssize_t>(count * sizeof(double));
    if (::pread(fd, values, static_cast<std::size_t>(bytes), static_cast<off_t>(offset)) != bytes) {
      throw std::runtime_error("reading the replications' values back from a temporary file failed");
    }
  }
};

Samples::Samples(std::int64_t replications, int periods, std::size_t memory_budget)
    : periods_(periods), memory_budget_(memory_budget) {
  resize(replications);
}

void Samples::resize(std::int64_t replications) {
  if (replications < 0) throw std::invalid_argument("Samples::resize: a negative number of replications");
  const std::size_t columns = 2 * row_values();
  if (!file_ && replications > capacity_) {
    const std::size_t row_bytes = columns * sizeof(double);
    const std::int64_t fits = row_bytes == 0 ? std::numeric_limits<std::int64_t>::max()
                                             : static_cast<std::int64_t>(memory_budget_ / row_bytes);
    if (replications > fits) {
      spill();
    } else {
      // Room doubles (within the budget), so a run grown in many small steps copies little.
      const std::int64_t capacity = std::max(replications, std::min(2 * capacity_, fits));
      std::vector<double> data(columns * static_cast<std::size_t>(capacity), 0.0);
      for (std::size_t c = 0; c < columns; ++c) {
        const auto from = data_.begin() + static_cast<std::ptrdiff_t>(c * static_cast<std::size_t>(capacity_));
        std::copy(from, from + replications_, data.begin() + static_cast<std::ptrdiff_t>(c * static_cast<std::size_t>(capacity)));
      }
      data_.swap(data);
      capacity_ = capacity;
    }
  } else if (!file_ && replications > replications_) {
    // Within the room: values left from before a shrink are not this count's.
    for (std::size_t c = 0; c < columns; ++c) {
      const auto column = data_.begin() + static_cast<std::ptrdiff_t>(c * static_cast<std::size_t>(capacity_));
      std::fill(column + replications_, column + replications, 0.0);
    }
  }
  replications_ = replications;
}

void Samples::spill() {
  auto file = std::make_shared<SpillFile>();
  const std::size_t row = row_values();
  constexpr std::int64_t kRowsPerWrite = 256;
  std::vector<double> rows(static_cast<std::size_t>(kRowsPerWrite) * 2 * row);
  for (std::int64_t start = 0; start < replications_; start += kRowsPerWrite) {
    const std::int64_t n = std::min(kRowsPerWrite, replications_ - start);
    for (std::int64_t r = 0; r < n; ++r) {
      for (std::size_t side = 0; side < 2; ++side) {
        for (std::size_t v = 0; v < row; ++v) {
          rows[(static_cast<std::size_t>(r) * 2 + side) * row + v] =
              data_[(side * row + v) * static_cast<std::size_t>(capacity_) + static_cast<std::size_t>(start + r)];
        }
      }
    }
    file->write(rows.data(), static_cast<std::size_t>(n) * 2 * row, static_cast<std::size_t>(start) * 2 * row * sizeof(double));
  }
  file_ = std::move(file);
  std::vector<double>().swap(data_);
  capacity_ = 0;
}

Samples Samples::prefix(std::int64_t replications) const {
  if (replications < 0 || replications > replications_) throw std::out_of_range("Samples::prefix: more replications than stored");
  Samples out;
  out.periods_ = periods_;
  out.memory_budget_ = memory_budget_;
  out.replications_ = replications;
  if (file_) {
    out.file_ = file_;
    return out;
  }
  const std::size_t columns = 2 * row_values();
  out.capacity_ = replications;
  out.data_.resize(columns * static_cast<std::size_t>(replications));
  for (std::size_t c = 0; c < columns; ++c) {
    const auto from = data_.begin() + static_cast<std::ptrdiff_t>(c * static_cast<std::size_t>(capacity_));
    std::copy(from, from + replications, out.data_.begin() + static_cast<std::ptrdiff_t>(c * static_cast<std::size_t>(replications)));
  }
  return out;
}

void Samples::store(int side, std::int64_t rep, const std::vector<MetricValues>& by_period) {
  if (!file_) {
    for (int p = 0; p < periods_; ++p) {
      for (int i = 0; i < kMetricCount; ++i) data_[index(side, p, i) + rep] = by_period[p][i];
    }
    return;
  }
  std::vector<double> row(row_values());
  for (int p = 0; p < periods_; ++p) {
    std::copy(by_period[p].begin(), by_period[p].end(), row.begin() + static_cast<std::ptrdiff_t>(p) * kMetricCount);
  }
  file_->write(row.data(), row.size(), ((static_cast<std::size_t>(rep) * 2 + side) * row_values()) * sizeof(double));
}

void Samples::read_pairs(int first, int count, std::vector<std::vector<double>>& columns) const {
  constexpr std::int64_t kRowsPerRead = 256;
  columns.assign(2 * static_cast<std::size_t>(count), std::vector<double>(static_cast<std::size_t>(replications_)));
  std::vector<double> rows(static_cast<std::size_t>(kRowsPerRead) * 2 * row_values());
  for (std::int64_t start = 0; start < replications_; start += kRowsPerRead) {
    const std::int64_t n = std::min(kRowsPerRead, replications_ - start);
    file_->read(rows.data(), static_cast<std::size_t>(n) * 2 * row_values(), static_cast<std::size_t>(start) * 2 * row_values() * sizeof(double));
    for (std::int64_t r = 0; r < n; ++r) {
      for (int side = 0; side < 2; ++side) {
        const double* row = &rows[(static_cast<std::size_t>(r) * 2 + side) * row_values()];
        for (int k = 0; k < count; ++k) {
          columns[2 * static_cast<std::size_t>(k) + static_cast<std::size_t>(side)][static_cast<std::size_t>(start + r)] = row[first + k];
        }
      }
    }
  }
}

std::vector<double> Samples::column(ResultSide side, int period, Metric metric) const {
  const int m = index_of(metric);
  std::vector<double> values(static_cast<std::size_t>(replications_));
  std::vector<std::vector<double>> spilled;
  if (file_) read_pairs(period * kMetricCount + m, 1, spilled);
  const double* scenario = file_ ? spilled[0].data() : &data_[index(0, period, m)];
  const double* baseline = file_ ? spilled[1].data() : &data_[index(1, period, m)];
  for (std::int64_t r = 0; r < replications_; ++r) {
    switch (side) {
      case ResultSide::kScenario: values[r] = scenario[r]; break;
      case ResultSide::kBaseline: values[r] = baseline[r]; break;
      case ResultSide::kDifference: values[r] = scenario[r] - baseline[r]; break;
    }
  }
  return values;
}

void Samples::for_each_pair(const std::function<void(int, int, std::span<const double>, std::span<const double>)>& f) const {
  const auto n = static_cast<std::size_t>(replications_);
  const int pairs = periods_ * kMetricCount;
  if (!file_) {
    for (int c = 0; c < pairs; ++c) {
      const int p = c / kMetricCount, m = c % kMetricCount;
      f(p, m, std::span<const double>(&data_[index(0, p, m)], n), std::span<const double>(&data_[index(1, p, m)], n));
    }
    return;
  }
  // Column groups of about 1 MB: memory stays flat however many replications there are.
  const int group = static_cast<int>(std::max<std::size_t>(1, (1u << 20) / (2 * n * sizeof(double))));
  std::vector<std::vector<double>> columns;
  for (int first = 0; first < pairs; first += group) {
    const int count = std::min(group, pairs - first);
    read_pairs(first, count, columns);
    for (int k = 0; k < count; ++k) {
      const int c = first + k;
      const std::size_t column = 2 * static_cast<std::size_t>(k);
      f(c / kMetricCount, c % kMetricCount, columns[column], columns[column + 1]);
    }
  }
}

RunResult RunResult::about(const Scenario& sc, int threads) {
  RunResult r;
  r.provenance = provenance_of(sc, threads);
  r.scenario = sc.name;
  r.seed = sc.seed;
  r.replications = sc.replications;
  r.discounted = sc.accounting.discount_rate > 0.0;
  r.calendar = sc.calendar;
  return r;
}

bool metric_shown(const RunResult& r, Metric m) {
  if (is_twin(m)) return !r.exact;
  return r.discounted || !is_present_value(m);
}

double deadweight_share(const SideSummaries& sides) {
  const double xj = sides[0][index_of(Metric::kMonthsXj)].mean;
  const double twin_job = sides[static_cast<int>(ResultSide::kDifference)][index_of(Metric::kTwinXjBaselineJob)].mean;
  return xj > 0.0 ? twin_job / xj : 0.0;
}

PeriodLayout PeriodLayout::of(const Calendar& calendar) {
  PeriodLayout layout;
  for (int m = 0; m < calendar.months; ++m) {
    const int year = calendar.month(m).year;
    if (layout.years.empty() || layout.years.back() != year) layout.years.push_back(year);
    layout.year_index.push_back(static_cast<int>(layout.years.size()) - 1);
  }
  return layout;
}

std::vector<MetricValues> aggregate_periods(const std::vector<MetricValues>& monthly,
                                            const PeriodLayout& layout) {
  std::vector<MetricValues> periods(static_cast<std::size_t>(layout.count()));
  for (auto& p : periods) p.fill(0.0);
  for (std::size_t m = 0; m < monthly.size(); ++m) {
    MetricValues& total = periods[0];
    MetricValues& year = periods[1 + layout.year_index[m]];
    for (int i = 0; i < kMetricCount; ++i) {
      if (is_stock(metric_at(i))) {
        total[i] = monthly[m][i];  // months run in order: the last one stays
        year[i] = monthly[m][i];
      } else {
        total[i] += monthly[m][i];
        year[i] += monthly[m][i];
      }
    }
  }
  return periods;
}

}  // namespace extrasim

namespace extrasim {

SampleColumn parse_sample_column(const std::string& text, const Calendar& calendar, const SourceLocation& where) {
  const PeriodLayout layout = PeriodLayout::of(calendar);
  std::string years;
  for (int y : layout.years) years += (years.empty() ? "" : ", ") + std::to_string(y);
  const auto refuse = [&](const std::string& found) -> SampleColumn {
    throw InputError(where, "", found, "SIDE.METRIC or SIDE.METRIC.YEAR: a side (scenario, baseline, difference), a metric (docs/outputs.md) and "
                     "optionally a calendar year of the run (" + years + "), e.g. difference.municipality.net.2018");
  };
  SampleColumn c;
  c.name = text;
  const std::size_t dot = text.find('.');
  if (dot == std::string::npos) return refuse("'" + printable(text) + "'");
  const std::string side = text.substr(0, dot);
  std::string rest = text.substr(dot + 1);
  bool side_known = false;
  for (int s = 0; s < kResultSideCount; ++s) {
    if (side_name(static_cast<ResultSide>(s)) == side) {
      c.side = static_cast<ResultSide>(s);
      side_known = true;
    }
  }
  if (!side_known) return refuse("the side '" + printable(side) + "'");
  const std::size_t last = rest.rfind('.');
  if (last != std::string::npos && last + 1 < rest.size() &&
      rest.find_first_not_of("0123456789", last + 1) == std::string::npos && rest.size() - last - 1 <= 4) {
    const int year = std::stoi(rest.substr(last + 1));
    const auto it = std::find(layout.years.begin(), layout.years.end(), year);
    if (it == layout.years.end()) return refuse("the year " + std::to_string(year) + ", not in the run");
    c.period = 1 + static_cast<int>(it - layout.years.begin());
    rest = rest.substr(0, last);
  }
  const std::optional<Metric> m = parse_metric(rest);
  if (!m) return refuse("the metric '" + printable(rest) + "'");
  c.metric = *m;
  return c;
}

}  // namespace extrasim
