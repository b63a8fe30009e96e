#include "extrasim/results/sweep_results.hpp"

#include <cmath>
#include <map>
#include <sstream>

#include "extrasim/error.hpp"
#include "extrasim/io/csv.hpp"

namespace extrasim {

namespace {

std::vector<std::string> split_commas(const std::string& line, const std::string& file, int number) {
  auto cells = io::split_csv_row(line);
  if (!cells) throw InputError({file, number}, "row", "a quote that is not closed", "a CSV row");
  return *cells;
}

double parse_cell(const std::string& text, const std::string& file, int line, const std::string& column) {
  std::size_t used = 0;
  double v = NAN;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) throw InputError({file, line}, column, "'" + text + "'", "a number");
  return v;
}

}  // namespace

std::string sweep_results_header(const SweepSpec& spec) {
  // Paths name groups, and a group's name may hold a comma or a quote: RFC 4180 quoting.
  std::ostringstream out;
  io::CsvWriter csv(out, io::CsvDialect::english());
  csv.cell("point");
  for (const SweepParameter& p : spec.parameters) csv.cell(p.path);
  for (const char* c : {"metric", "mean", "sd", "se", "p05", "p50", "p95"}) csv.cell(c);
  std::string h = out.str();
  return h;  // without the line ending
}

std::string sweep_results_rows(const SweepSpec& spec, std::size_t point, const std::vector<double>& values,
                               const std::vector<Summary>& kept) {
  std::string out;
  for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
    const Summary& s = kept[m];
    out += std::to_string(point);
    for (double v : values) out += "," + sweep_value_text(v);
    out += ",";
    out += spec.metrics[m].name();
    for (double v : {s.mean, s.sd, s.se, s.p05, s.p50, s.p95}) out += "," + sweep_value_text(v);
    out += "\n";
  }
  return out;
}

SweepResultsTable read_sweep_results(std::istream& in, const std::string& file) {
  SweepResultsTable t;
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> head = split_commas(line, file, 1);
  if (head.size() < 9 || head.front() != "point" || head[head.size() - 7] != "metric") {
    throw InputError({file, 1}, "header", "'" + line.substr(0, 80) + "'", "point,<parameters>,metric,mean,sd,se,p05,p50,p95 (a file written by extrasim sweep)");
  }
  t.parameters.assign(head.begin() + 1, head.end() - 7);
  const std::size_t d = t.parameters.size();
  std::map<std::string, std::size_t> metric_index;
  std::map<std::size_t, std::vector<double>> points;
  std::map<std::pair<std::size_t, std::size_t>, double> means;  // (metric, point)
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = split_commas(line, file, number);
    if (cells.size() != head.size()) {
      throw InputError({file, number}, "row", std::to_string(cells.size()) + " cells", std::to_string(head.size()) + " as in the header");
    }
    const double k_value = parse_cell(cells[0], file, number, "point");
    if (k_value < 0 || k_value > 1e9 || k_value != std::floor(k_value)) throw InputError({file, number}, "point", cells[0], "a point number");
    const auto k = static_cast<std::size_t>(k_value);
    std::vector<double> values;
    for (std::size_t j = 0; j < d; ++j) values.push_back(parse_cell(cells[1 + j], file, number, t.parameters[j]));
    const auto [at, inserted] = points.emplace(k, values);
    if (!inserted && at->second != values) {
      throw InputError({file, number}, "point " + cells[0], "other parameter values than its earlier rows", "the same values on every row of a point");
    }
    const auto [m, first_seen] = metric_index.emplace(cells[1 + d], t.metrics.size());
    if (first_seen) t.metrics.push_back(cells[1 + d]);
    if (!means.emplace(std::pair{m->second, k}, parse_cell(cells[2 + d], file, number, "mean")).second) {
      throw InputError({file, number}, "point " + cells[0], "a second row for " + cells[1 + d], "one row per point and metric");
    }
  }
  const std::size_t n = points.empty() ? 0 : points.rbegin()->first + 1;
  if (n == 0) throw InputError({file}, "", "no rows", "the rows of a finished sweep");
  t.means.assign(t.metrics.size(), std::vector<double>(n, NAN));
  for (const auto& [key, mean] : means) t.means[key.first][key.second] = mean;
  for (std::size_t k = 0; k < n; ++k) {
    const bool have_point = points.count(k) != 0;
    for (std::size_t m = 0; m < t.metrics.size() && have_point; ++m) {
      if (!means.count({m, k})) throw InputError({file}, "point " + std::to_string(k), "no row for " + t.metrics[m], "every kept metric at every point");
    }
    if (!have_point) throw InputError({file}, "point " + std::to_string(k), "no rows (an interrupted sweep?)", "every point: finish it with extrasim sweep ... --resume");
    t.points.push_back(points[k]);
  }
  return t;
}

}  // namespace extrasim
