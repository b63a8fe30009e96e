// Writers for Sobol indices (extrasim sensitivity).
#include <cmath>
#include <cstdio>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "extrasim/write/output.hpp"
#include "extrasim/version.hpp"
#include "text_format.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;

std::string fixed3(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::abs(v) < 0.0005) v = 0;  // no "-0.000"
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string with_interval(const SobolIndex& x) {
  if (std::isnan(x.estimate)) return "n/a";
  return fixed3(x.estimate) + " [" + fixed3(x.lo) + ", " + fixed3(x.hi) + "]";
}

void sensitivity_table(const SweepSensitivity& s, std::ostream& out) {
  const std::size_t d = s.parameters.size();
  out << "Sobol indices: " << s.base_samples << " base samples x (" << d << " parameters + 2) = "
      << s.base_samples * (d + 2) << " points; " << std::lround(s.bootstrap.level * 100) << " % bootstrap intervals from "
      << text::grouped(s.bootstrap.resamples, 0) << " resamples\n"
      << "first order: the share of the metric's variance over the points due to the parameter alone;\n"
      << "total: with its interactions. Monte Carlo noise in each point's mean can make small indices\n"
      << "slightly negative.\n";
  std::size_t width = 9;
  for (const std::string& p : s.parameters) width = std::max(width, text::display_width(p));
  std::size_t cell = 11;  // "first order"
  for (const SobolIndices& x : s.indices) {
    for (const SobolIndex& i : x.first) cell = std::max(cell, with_interval(i).size());
  }
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    const SobolIndices& x = s.indices[m];
    out << "\n" << s.metrics[m] << " (sd over the points: " << text::grouped(std::sqrt(x.variance), 0) << ")\n"
        << std::left << std::setw(static_cast<int>(width)) << "parameter" << "  " << std::setw(static_cast<int>(cell + 2)) << "first order" << "total\n";
    for (std::size_t j = 0; j < d; ++j) {
      out << std::setw(static_cast<int>(width)) << s.parameters[j] << "  " << std::setw(static_cast<int>(cell + 2)) << with_interval(x.first[j])
          << with_interval(x.total[j]) << "\n";
    }
  }
}

Json index_json(const SobolIndex& x) {
  if (std::isnan(x.estimate)) return Json{{"estimate", nullptr}, {"lo", nullptr}, {"hi", nullptr}};
  return Json{{"estimate", x.estimate}, {"lo", x.lo}, {"hi", x.hi}};
}

void sensitivity_json(const SweepSensitivity& s, std::ostream& out) {
  Json j;
  j["extrasim"] = kVersion;
  j["base_samples"] = s.base_samples;
  j["points"] = s.base_samples * (s.parameters.size() + 2);
  j["bootstrap"] = {{"resamples", s.bootstrap.resamples}, {"level", s.bootstrap.level}, {"seed", s.bootstrap.seed}};
  j["metrics"] = Json::array();
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    Json metric{{"metric", s.metrics[m]}, {"variance", s.indices[m].variance}, {"parameters", Json::array()}};
    for (std::size_t p = 0; p < s.parameters.size(); ++p) {
      metric["parameters"].push_back({{"parameter", s.parameters[p]}, {"first", index_json(s.indices[m].first[p])},
                                      {"total", index_json(s.indices[m].total[p])}});
    }
    j["metrics"].push_back(std::move(metric));
  }
  out << j.dump(2) << "\n";
}

void sensitivity_csv(const SweepSensitivity& s, std::ostream& out) {
  io::CsvWriter csv(out, io::CsvDialect::english());  // nan (no variance): an empty cell
  for (const char* h : {"metric", "parameter", "index", "estimate", "lo", "hi"}) csv.cell(h);
  csv.end_row();
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    for (std::size_t p = 0; p < s.parameters.size(); ++p) {
      for (const auto& [name, x] : {std::pair{"first", s.indices[m].first[p]}, std::pair{"total", s.indices[m].total[p]}}) {
        csv.cell(s.metrics[m]).cell(s.parameters[p]).cell(name).cell(x.estimate).cell(x.lo).cell(x.hi).end_row();
      }
    }
  }
}

}  // namespace

void write_sensitivity(const SweepSensitivity& s, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable: return sensitivity_table(s, out);
    case OutputFormat::kJson: return sensitivity_json(s, out);
    case OutputFormat::kCsv: return sensitivity_csv(s, out);
  }
}

}  // namespace extrasim
