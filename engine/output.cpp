#include "extrasim/output.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <string>

#include <nlohmann/json.hpp>

#include "extrasim/version.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;

// "-1,234,567" with `decimals` digits after the point.
std::string grouped(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(v));
  std::string digits(buf);
  const std::size_t point = digits.find('.');
  std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(i, ",");
  const bool negative = v < 0 && std::stod(buf) != 0.0;
  return (negative ? "-" : "") + whole + fraction;
}

std::string value_text(Metric m, double v) { return grouped(v, is_money(m) ? 0 : 1); }

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

constexpr Metric kYearlyKeyMetrics[] = {
    Metric::kMunicipalityNet,   Metric::kMunicipalityFsBenefit, Metric::kStateNet,
    Metric::kPublicNet,         Metric::kPvMunicipalityNet,     Metric::kMonthsXj,
    Metric::kStartsXj,          Metric::kEndXj,
};

void write_header(const RunResult& r, std::ostream& out) {
  out << "extrasim " << kVersion << "  scenario: " << r.scenario << "\n";
  const YearMonth last = r.calendar.month(r.calendar.months - 1);
  out << r.calendar.start.to_string() << " to " << last.to_string() << " (" << r.calendar.months
      << " months); ";
  if (r.exact) {
    out << "exact expected values (no sampling)\n";
  } else {
    out << grouped(static_cast<double>(r.replications), 0) << " replications, seed " << r.seed
        << "\n";
  }
  out << "Money in kronor, nominal, sign = money in for that payer; difference = scenario - "
         "baseline (no programme).\n";
  if (!r.exact) {
    out << "95 % interval: 2.5th to 97.5th percentile of the replications' differences.\n";
  }
}

void write_totals(const RunResult& r, std::ostream& out) {
  const std::size_t w0 = 34, w = 15, wi = 29;
  out << "\n" << pad_right("Whole period", w0) << pad_left("scenario", w) << pad_left("baseline", w)
      << pad_left("difference", w);
  if (!r.exact) out << pad_left("95 % interval of difference", wi) << pad_left("P(diff > 0)", 13);
  out << "\n" << std::string(w0 + 3 * w + (r.exact ? 0 : wi + 13), '-') << "\n";
  for (int i = 0; i < kMetricCount; ++i) {
    const Metric m = metric_at(i);
    if (!metric_shown(r, m)) continue;
    if (m == Metric::kMonthsFs) out << "\n";
    const auto& s = r.total;
    out << pad_right(std::string(metric_name(m)), w0) << pad_left(value_text(m, s[0][i].mean), w)
        << pad_left(value_text(m, s[1][i].mean), w) << pad_left(value_text(m, s[2][i].mean), w);
    if (!r.exact) {
      const Summary& d = s[2][i];
      out << pad_left("[" + value_text(m, d.p025) + ", " + value_text(m, d.p975) + "]", wi)
          << pad_left(grouped(100.0 * d.p_positive, 0) + " %", 13);
    }
    out << "\n";
  }
}

void write_yearly(const RunResult& r, std::ostream& out) {
  const std::size_t w0 = 34, w = r.exact ? 16 : 34;
  out << "\nDifference by calendar year (mean" << (r.exact ? ")" : " [95 % interval])") << "\n"
      << pad_right("metric", w0);
  for (const YearResult& y : r.yearly) out << pad_left(std::to_string(y.year), w);
  out << "\n" << std::string(w0 + w * r.yearly.size(), '-') << "\n";
  for (Metric m : kYearlyKeyMetrics) {
    if (!metric_shown(r, m)) continue;
    out << pad_right(std::string(metric_name(m)), w0);
    for (const YearResult& y : r.yearly) {
      const Summary& d = y.summaries[2][index_of(m)];
      std::string cell = value_text(m, d.mean);
      if (!r.exact) cell += " [" + value_text(m, d.p025) + ", " + value_text(m, d.p975) + "]";
      out << pad_left(cell, w);
    }
    out << "\n";
  }
}

void write_warnings(const RunResult& r, std::ostream& out) {
  if (r.replications_rows_scaled > 0) {
    out << "\nwarning: in " << r.replications_rows_scaled
        << " replications a drawn transition row summed above 1 and was scaled to 1\n";
  }
  if (r.replications_expiry_normalised > 0) {
    out << "\nwarning: in " << r.replications_expiry_normalised
        << " replications the drawn on_expiry shares were divided by their sum\n";
  }
  for (const std::string& note : r.notes) out << "\nnote: " << note << "\n";
}

Json summary_json(const Summary& s, bool exact) {
  Json j;
  j["mean"] = s.mean;
  if (exact) return j;
  j["sd"] = s.sd;
  j["se"] = s.se;
  j["p05"] = s.p05;
  j["p50"] = s.p50;
  j["p95"] = s.p95;
  j["p025"] = s.p025;
  j["p975"] = s.p975;
  j["p_positive"] = s.p_positive;
  return j;
}

Json sides_json(const RunResult& r, const SideSummaries& sides, bool means_only) {
  Json j;
  for (int side = 0; side < kResultSideCount; ++side) {
    Json metrics = Json::object();
    for (int i = 0; i < kMetricCount; ++i) {
      if (!metric_shown(r, metric_at(i))) continue;
      const std::string name(metric_name(metric_at(i)));
      metrics[name] = means_only ? Json(sides[side][i].mean) : summary_json(sides[side][i], r.exact);
    }
    j[std::string(side_name(static_cast<ResultSide>(side)))] = metrics;
  }
  return j;
}

Json monthly_json(const RunResult& r) {
  Json months = Json::array();
  for (const MonthResult& mr : r.monthly) {
    Json month;
    month["month"] = mr.month.to_string();
    for (int side = 0; side < kResultSideCount; ++side) {
      Json metrics = Json::object();
      for (int i = 0; i < kMetricCount; ++i) {
        const Metric m = metric_at(i);
        if (metric_shown(r, m) && !is_stock(m)) metrics[std::string(metric_name(m))] = mr.mean[side][i];
      }
      month[std::string(side_name(static_cast<ResultSide>(side)))] = metrics;
    }
    months.push_back(month);
  }
  return months;
}

}  // namespace

void write_table(const RunResult& r, std::ostream& out) {
  write_header(r, out);
  write_totals(r, out);
  write_yearly(r, out);
  write_warnings(r, out);
}

void write_json(const RunResult& r, std::ostream& out) {
  Json j;
  j["extrasim"] = kVersion;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  if (r.exact) {
    j["exact"] = true;
  } else {
    j["replications"] = r.replications;
  }
  j["calendar"] = {{"start", r.calendar.start.to_string()}, {"months", r.calendar.months}};
  j["metrics"] = sides_json(r, r.total, false);
  Json yearly = Json::object(), yearly_summary = Json::object();
  for (const YearResult& y : r.yearly) {
    yearly[std::to_string(y.year)] = sides_json(r, y.summaries, true);
    if (!r.exact) yearly_summary[std::to_string(y.year)] = sides_json(r, y.summaries, false);
  }
  j["yearly"] = yearly;
  if (!r.exact) j["yearly_summary"] = yearly_summary;
  j["monthly"] = monthly_json(r);
  j["warnings"] = {{"rows_scaled", r.replications_rows_scaled},
                   {"on_expiry_normalised", r.replications_expiry_normalised}};
  j["notes"] = r.notes;
  out << j.dump(1) << "\n";
}

void write_csv(const RunResult& r, std::ostream& out) {
  out << "side,metric,mean,sd,se,p05,p50,p95\n";
  out << std::setprecision(17);
  for (int side = 0; side < kResultSideCount; ++side) {
    for (int i = 0; i < kMetricCount; ++i) {
      if (!metric_shown(r, metric_at(i))) continue;
      const Summary& s = r.total[side][i];
      out << side_name(static_cast<ResultSide>(side)) << "," << metric_name(metric_at(i)) << ","
          << s.mean;
      if (r.exact) {
        out << ",,,,,\n";
      } else {
        out << "," << s.sd << "," << s.se << "," << s.p05 << "," << s.p50 << "," << s.p95 << "\n";
      }
    }
  }
}

void write_result(const RunResult& r, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable: return write_table(r, out);
    case OutputFormat::kJson: return write_json(r, out);
    case OutputFormat::kCsv: return write_csv(r, out);
  }
}

}  // namespace extrasim
