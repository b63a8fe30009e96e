#include "extrasim/results/results.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
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
    : replications_(replications), periods_(periods) {
  const std::size_t bytes = 2 * row_values() * static_cast<std::size_t>(replications) * sizeof(double);
  if (bytes <= memory_budget) {
    data_.assign(bytes / sizeof(double), 0.0);
  } else {
    file_ = std::make_shared<SpillFile>();
  }
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

bool metric_shown(const RunResult& r, Metric m) { return r.discounted || !is_present_value(m); }

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
