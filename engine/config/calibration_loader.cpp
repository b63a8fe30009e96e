// Calibration files: YAML -> checked CalibrationSpec; and the fitted scenario's text (the
// scenario file with values replaced in place). Both need yaml-cpp's marks, so they live here.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/config/config.hpp"
#include "extrasim/io/csv.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/results/provenance.hpp"
#include "text_checks.hpp"
#include "yaml_reader.hpp"

namespace extrasim {

namespace {

using config::YamlReader;

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  config::check_scenario_text(text, file);
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "", "malformed YAML (" + config::printable(e.msg) + ")", "a YAML document");
  } catch (const YAML::Exception& e) {
    throw InputError({file}, "", "unreadable YAML (" + config::printable(e.msg) + ")", "a YAML document");
  }
}

std::vector<std::string> split_dots(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}

bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// The node a canonical parameter path names in the scenario's YAML (map keys, list indices, a
// group by its name), or an undefined node when the file does not write it.
YAML::Node node_at(const YAML::Node& root, const std::string& path) {
  // Node::operator= assigns content in yaml-cpp: walk with reset(), which rebinds.
  YAML::Node node;
  node.reset(root);
  for (const std::string& part : split_dots(path)) {
    YAML::Node next(YAML::NodeType::Undefined);
    if (node.IsMap()) {
      for (const auto& kv : node) {
        if (kv.first.IsScalar() && kv.first.Scalar() == part) next.reset(kv.second);
      }
    } else if (node.IsSequence()) {
      for (std::size_t k = 0; k < node.size(); ++k) {
        const YAML::Node item = node[k];
        const bool by_index = all_digits(part) && std::stoul(part) == k;
        const bool by_name = item.IsMap() && item["name"] && item["name"].IsScalar() && item["name"].Scalar() == part;
        if (by_index || by_name) next.reset(item);
      }
    }
    if (!next.IsDefined()) return next;
    node.reset(next);
  }
  return node;
}

Distribution parse_prior(const YamlReader& r, const YAML::Node& n, const std::string& path) {
  r.expect_map(n, path, {"beta", "uniform", "normal", "lognormal"});
  if (n.size() != 1) r.fail(n, path, YamlReader::describe(n), "one of beta: [a, b], uniform: [lo, hi], normal: [mean, sd], lognormal: [mu, sigma]");
  const auto kv = *n.begin();
  const std::string kind = kv.first.Scalar();
  const std::string p = path + "." + kind;
  if (!kv.second.IsSequence() || kv.second.size() != 2) r.fail(kv.second, p, YamlReader::describe(kv.second), "[a, b]");
  Distribution d;
  d.a = r.number(kv.second[0], p + ".0");
  d.b = r.number(kv.second[1], p + ".1");
  if (kind == "beta") {
    d.kind = Distribution::Kind::kBeta;
    if (d.a <= 0 || d.b <= 0) r.fail(kv.second, p, YamlReader::describe(kv.second), "two shapes > 0");
  } else if (kind == "uniform") {
    d.kind = Distribution::Kind::kUniform;
    if (d.b <= d.a) r.fail(kv.second, p, YamlReader::describe(kv.second), "[lo, hi] with lo < hi");
  } else {
    d.kind = kind == "normal" ? Distribution::Kind::kNormal : Distribution::Kind::kLognormal;
    if (d.b <= 0) r.fail(kv.second[1], p + ".1", YamlReader::describe(kv.second[1]), "a spread > 0");
  }
  return d;
}

class CalibrationParser {
 public:
  CalibrationParser(const YamlReader& r, CalibrationSpec& s) : r_(r), s_(s) {}

  void parse(const YAML::Node& root) {
    r_.expect_map(root, "", {"name", "description", "scenario", "targets", "parameters", "method", "replications", "seed", "draws"},
                  {"name", "scenario", "targets", "parameters"});
    s_.name = r_.text(root["name"], "name");
    scenario(root["scenario"]);
    if (root["replications"]) s_.replications = r_.integer(root["replications"], "replications", 1, 1'000'000);
    if (root["seed"]) s_.seed = static_cast<std::uint64_t>(r_.integer(root["seed"], "seed", 0, std::int64_t{1} << 53));
    if (root["draws"]) s_.draws = r_.integer(root["draws"], "draws", 1, 1'000'000);
    if (root["method"]) method(root["method"]);
    targets(root["targets"]);
    parameters(root["parameters"]);
  }

 private:
  void scenario(const YAML::Node& n) {
    const std::filesystem::path p = r_.text(n, "scenario");
    s_.scenario_file = p.is_absolute() ? p.string() : (std::filesystem::path(s_.source_file).parent_path() / p).string();
    try {
      s_.scenario_text = config::read_text_file(s_.scenario_file, "a scenario file (.yaml)");
    } catch (const InputError& e) {
      r_.fail(n, "scenario", "'" + p.string() + "': " + e.what(), "a readable scenario file");
    }
    // The scenario's own errors keep their own location (its file, line and column).
    s_.scenario = load_scenario_text(s_.scenario_text, s_.scenario_file);
    scenario_root_ = YAML::Load(s_.scenario_text);
  }

  void method(const YAML::Node& n) {
    r_.expect_map(n, "method", {"type", "algorithm", "starts", "max_evaluations", "particles", "max_stages"}, {"type"});
    const std::string type = r_.text(n["type"], "method.type");
    if (type == "optimise" || type == "optimize") {
      s_.method.kind = CalibrationMethod::Kind::kOptimise;
      for (const char* k : {"particles", "max_stages"}) {
        if (n[k]) r_.fail(n[k], std::string("method.") + k, std::string(k) + " for optimise", "algorithm, starts or max_evaluations");
      }
      if (n["algorithm"]) {
        s_.method.algorithm = r_.text(n["algorithm"], "method.algorithm");
        if (s_.method.algorithm != "bobyqa" && s_.method.algorithm != "sbplx") {
          r_.fail(n["algorithm"], "method.algorithm", "'" + s_.method.algorithm + "'", "bobyqa or sbplx");
        }
      }
      if (n["starts"]) s_.method.starts = static_cast<int>(r_.integer(n["starts"], "method.starts", 1, 1000));
      if (n["max_evaluations"]) s_.method.max_evaluations = static_cast<int>(r_.integer(n["max_evaluations"], "method.max_evaluations", 10, 10'000'000));
    } else if (type == "abc-smc") {
      s_.method.kind = CalibrationMethod::Kind::kAbcSmc;
      for (const char* k : {"algorithm", "starts", "max_evaluations"}) {
        if (n[k]) r_.fail(n[k], std::string("method.") + k, std::string(k) + " for abc-smc", "particles or max_stages");
      }
      if (n["particles"]) s_.method.particles = static_cast<int>(r_.integer(n["particles"], "method.particles", 20, 1'000'000));
      if (n["max_stages"]) s_.method.max_stages = static_cast<int>(r_.integer(n["max_stages"], "method.max_stages", 1, 1000));
    } else {
      r_.fail(n["type"], "method.type", "'" + type + "'", "optimise or abc-smc");
    }
  }

  void targets(const YAML::Node& list) {
    r_.expect_sequence(list, "targets", true);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node n = list[i];
      const std::string path = "targets." + std::to_string(i);
      r_.expect_map(n, path, {"metric", "month", "year", "observed", "se", "source"}, {"metric", "observed", "se"});
      CalibrationTarget t;
      t.where = r_.where(n);
      t.metric = r_.text(n["metric"], path + ".metric");
      SampleColumn c;
      try {
        c = parse_sample_column(t.metric, s_.scenario.calendar, r_.where(n["metric"]));
      } catch (const InputError& e) {
        r_.fail(n["metric"], path + ".metric", e.found(), e.expected());
      }
      t.side = c.side;
      t.id = c.metric;
      t.period = c.period;
      const PeriodLayout layout = PeriodLayout::of(s_.scenario.calendar);
      if (n["month"] && n["year"]) r_.fail(n, path, "both month and year", "at most one of them");
      if ((n["month"] || n["year"]) && t.period != 0) {
        r_.fail(n["metric"], path + ".metric", "'" + t.metric + "' with a year, and a month or year key", "the period given once");
      }
      if (n["year"]) {
        const int year = static_cast<int>(r_.integer(n["year"], path + ".year", 1900, 2199));
        const auto it = std::find(layout.years.begin(), layout.years.end(), year);
        if (it == layout.years.end()) r_.fail(n["year"], path + ".year", std::to_string(year), "a calendar year of the scenario");
        t.period = 1 + static_cast<int>(it - layout.years.begin());
      }
      if (n["month"]) {
        const YearMonth m = r_.year_month(n["month"], path + ".month");
        const Calendar& cal = s_.scenario.calendar;
        if (m < cal.start || m > cal.month(cal.months - 1)) {
          r_.fail(n["month"], path + ".month", m.to_string(), "a month of the scenario (" + cal.start.to_string() + " to " + cal.month(cal.months - 1).to_string() + ")");
        }
        t.month = m;
      }
      if (t.month && t.side == ResultSide::kDifference && is_twin(t.id)) {
        r_.fail(n["metric"], path + ".metric", "'" + t.metric + "' at a month", "a twin metric over a year or the whole period");
      }
      t.observed = r_.number(n["observed"], path + ".observed");
      t.se = r_.number(n["se"], path + ".se");
      if (!(t.se > 0)) r_.fail(n["se"], path + ".se", YamlReader::describe(n["se"]), "a standard error > 0");
      if (n["source"]) t.source = r_.text(n["source"], path + ".source");
      s_.targets.push_back(std::move(t));
    }
  }

  void parameters(const YAML::Node& map) {
    if (!map.IsMap() || map.size() == 0) r_.fail(map, "parameters", YamlReader::describe(map), "a map of PATH: {range: [lo, hi]}");
    std::set<std::string> seen;
    for (const auto& kv : map) {
      CalibrationParameter p;
      p.path = r_.text(kv.first, "parameters");
      p.where = r_.where(kv.first);
      const std::string path = "parameters." + p.path;
      Scenario probe = s_.scenario;
      const auto resolved = resolve_uncertain(probe, p.path);
      if (const auto* why = std::get_if<std::string>(&resolved)) {
        r_.fail(kv.first, path, "'" + p.path + "', which " + *why, "a path to a probability, share, rate or amount in " + s_.scenario_file);
      }
      const ParameterRef& ref = std::get<ParameterRef>(resolved);
      p.path = ref.path;
      if (!seen.insert(p.path).second) r_.fail(kv.first, path, "a duplicate path", "each parameter once");
      written_as_number(kv.first, path, p.path);
      p.start = number_of(ref);
      r_.expect_map(kv.second, path, {"range", "transform", "prior"}, {"range"});
      const YAML::Node range = kv.second["range"];
      if (!range.IsSequence() || range.size() != 2) r_.fail(range, path + ".range", YamlReader::describe(range), "[lo, hi]");
      p.lo = r_.number(range[0], path + ".range.0");
      p.hi = r_.number(range[1], path + ".range.1");
      if (!(p.lo < p.hi)) r_.fail(range, path + ".range", YamlReader::describe(range[0]) + " to " + YamlReader::describe(range[1]), "[lo, hi] with lo < hi");
      if (!in_range(ref.kind, p.lo) || !in_range(ref.kind, p.hi)) r_.fail(range, path + ".range", "[" + range[0].Scalar() + ", " + range[1].Scalar() + "]", "a range within " + expected_words(ref.kind));
      if (kv.second["transform"]) {
        const std::string t = r_.text(kv.second["transform"], path + ".transform");
        if (t == "identity") p.transform = Transform::kIdentity;
        else if (t == "log") p.transform = Transform::kLog;
        else if (t == "logit") p.transform = Transform::kLogit;
        else r_.fail(kv.second["transform"], path + ".transform", "'" + t + "'", "identity, log or logit");
        if (p.transform == Transform::kLog && p.lo <= 0) r_.fail(range, path + ".range", "a range from " + range[0].Scalar() + " with transform log", "lo > 0");
        if (p.transform == Transform::kLogit && (p.lo <= 0 || p.hi >= 1)) {
          r_.fail(range, path + ".range", "[" + range[0].Scalar() + ", " + range[1].Scalar() + "] with transform logit", "0 < lo < hi < 1");
        }
      }
      if (kv.second["prior"]) {
        p.prior = parse_prior(r_, kv.second["prior"], path + ".prior");
        if (p.prior->kind == Distribution::Kind::kBeta && (p.lo < 0 || p.hi > 1)) {
          r_.fail(kv.second["prior"], path + ".prior", "a beta prior on a range outside [0, 1]", "a range within [0, 1] for a beta prior");
        }
        if (p.prior->kind == Distribution::Kind::kLognormal && p.lo <= 0) {
          r_.fail(kv.second["prior"], path + ".prior", "a lognormal prior on a range from " + range[0].Scalar(), "a range with lo > 0");
        }
      }
      s_.parameters.push_back(std::move(p));
    }
  }

  // fitted.yaml replaces the value in the scenario's text, so the file must write it as one
  // number (not a default, not a whole timeline).
  void written_as_number(const YAML::Node& key, const std::string& path, const std::string& canonical) const {
    const YAML::Node n = node_at(scenario_root_, canonical);
    if (!n.IsDefined()) {
      r_.fail(key, path, "'" + canonical + "', which the scenario file does not write",
              "a value written in " + s_.scenario_file + " (write its current value there, so the fitted value can replace it)");
    }
    if (!n.IsScalar()) {
      r_.fail(key, path, "'" + canonical + "', a timeline in " + s_.scenario_file,
              "one number: name one entry (" + canonical + ".K.value) or write a constant");
    }
  }

  const YamlReader& r_;
  CalibrationSpec& s_;
  YAML::Node scenario_root_;
};

// The extent [begin, end) of the scalar that starts at `column` of `line`, as written.
std::size_t scalar_end(const std::string& line, std::size_t column) {
  if (column >= line.size()) return column;
  if (line[column] == '"') {
    for (std::size_t i = column + 1; i < line.size(); ++i) {
      if (line[i] == '\\') ++i;
      else if (line[i] == '"') return i + 1;
    }
    return line.size();
  }
  if (line[column] == '\'') {
    for (std::size_t i = column + 1; i < line.size(); ++i) {
      if (line[i] != '\'') continue;
      if (i + 1 < line.size() && line[i + 1] == '\'') ++i;
      else return i + 1;
    }
    return line.size();
  }
  std::size_t end = column;
  while (end < line.size() && line[end] != ',' && line[end] != ']' && line[end] != '}' &&
         !(line[end] == '#' && end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))) {
    ++end;
  }
  while (end > column && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) --end;
  return end;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

struct Replacement {
  int line = 0, column = 0;  // 0-based
  std::string text;
};

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string CalibrationTarget::label(const Calendar& calendar) const {
  const PeriodLayout layout = PeriodLayout::of(calendar);
  std::string name = std::string(side_name(side)) + "." + std::string(metric_name(id));
  if (month) return name + " " + month->to_string();
  if (period > 0) return name + " " + std::to_string(layout.years[static_cast<std::size_t>(period - 1)]);
  return name + " (whole period)";
}

CalibrationSpec load_calibration_file(const std::string& path) {
  return load_calibration_text(config::read_text_file(path, "a calibration file (.yaml)"), path);
}

CalibrationSpec load_calibration_text(const std::string& text, const std::string& file) {
  const YAML::Node root = parse_yaml(text, file);
  const YamlReader r(file);
  if (!root.IsMap()) r.fail(root, "", YamlReader::describe(root), "a calibration: a map with name, scenario, targets and parameters");
  CalibrationSpec s;
  s.source_file = file;
  s.source_sha256 = sha256_hex(text);
  CalibrationParser(r, s).parse(root);
  return s;
}

std::vector<ObservedPeople> observed_people_from_fit(const std::string& fit_csv, const Calendar& calendar) {
  const std::string text = config::read_text_file(fit_csv, "a calibration's fit.csv");
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  std::vector<ObservedPeople> points;
  const YearMonth last = calendar.month(calendar.months - 1);
  for (int number = 1; std::getline(in, line); ++number) {
    const auto cells = io::split_csv_row(line);
    if (!cells) continue;
    if (header.empty()) {
      header = *cells;
      continue;
    }
    const auto cell = [&](const char* name) -> std::string {
      const auto it = std::find(header.begin(), header.end(), name);
      const auto i = static_cast<std::size_t>(it - header.begin());
      return it == header.end() || i >= cells->size() ? std::string() : (*cells)[i];
    };
    static const std::pair<const char*, int> kSeries[] = {{"scenario.months.fs", 0}, {"scenario.end.fs", 0}, {"scenario.months.xj", 1},
                                                          {"scenario.end.xj", 1},    {"scenario.months.job", 2}, {"scenario.end.job", 2}};
    const auto series = std::find_if(std::begin(kSeries), std::end(kSeries), [&](const auto& s) { return cell("metric") == s.first; });
    const auto month = parse_year_month(cell("period"));
    if (series == std::end(kSeries) || !month || *month < calendar.start || *month > last) continue;
    const SourceLocation where{fit_csv, number, 0};
    points.push_back({*month, series->second, io::parse_double(cell("observed"), -1e300, 1e300, where, "observed"),
                      io::parse_double(cell("se"), 0, 1e300, where, "se")});
  }
  return points;
}

std::string fitted_scenario_text(const CalibrationSpec& spec, const std::vector<std::string>& value_texts,
                                 const std::string& draws_file, const std::string& out_dir) {
  const YAML::Node root = YAML::Load(spec.scenario_text);
  std::vector<std::string> lines = split_lines(spec.scenario_text);
  std::vector<Replacement> edits;
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const YAML::Mark m = node_at(root, spec.parameters[j].path).Mark();
    edits.push_back({m.line, m.column, value_texts[j]});
  }
  // A units table named relative to the scenario is named relative to the fitted scenario.
  if (const YAML::Node units = node_at(root, "bonus.units"); units.IsDefined() && units.IsScalar() && spec.scenario.bonus) {
    const std::filesystem::path from = std::filesystem::absolute(spec.scenario.bonus->units_file).lexically_normal();
    const std::filesystem::path dir = std::filesystem::absolute(out_dir).lexically_normal();
    edits.push_back({units.Mark().line, units.Mark().column, quoted(from.lexically_relative(dir).string())});
  }
  std::set<int> fitted_lines;
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) fitted_lines.insert(edits[j].line);
  std::sort(edits.begin(), edits.end(), [](const Replacement& a, const Replacement& b) {
    return a.line != b.line ? a.line > b.line : a.column > b.column;
  });
  for (const Replacement& e : edits) {
    std::string& line = lines[static_cast<std::size_t>(e.line)];
    const std::size_t begin = static_cast<std::size_t>(e.column);
    line.replace(begin, scalar_end(line, begin) - begin, e.text);
  }
  // The line's comment (the value's source, which reports show) says the value is now fitted.
  const std::string mark = "fitted by extrasim calibrate " + std::filesystem::path(spec.source_file).filename().string();
  for (const int i : fitted_lines) {
    std::string& line = lines[static_cast<std::size_t>(i)];
    const bool crlf = !line.empty() && line.back() == '\r';  // a file with CRLF line ends keeps them
    if (crlf) line.pop_back();
    const std::size_t hash = line.find(" #");
    if (hash == std::string::npos) line += "   # " + mark;
    else line.insert(hash + 2, " " + mark + "; was:");
    if (crlf) line += '\r';
  }
  // The uncertainty block: the draws, and the distributions of paths that were not fitted.
  std::set<std::string> fitted;
  for (const CalibrationParameter& p : spec.parameters) fitted.insert(p.path);
  std::string block = "uncertainty:  # the calibration's posterior (extrasim calibrate " +
                      std::filesystem::path(spec.source_file).filename().string() + ")\n  draws: " + draws_file + "\n";
  for (const UncertainParameter& u : spec.scenario.uncertainty) {
    if (fitted.count(u.path)) continue;
    // The entry written at u.where (its key may be spelt otherwise than the canonical path).
    YAML::Node value(YAML::NodeType::Undefined);
    for (const auto& kv : root["uncertainty"]) {
      if (kv.first.Mark().line + 1 == u.where.line && kv.first.Mark().column + 1 == u.where.column) value.reset(kv.second);
    }
    if (!value.IsDefined()) continue;
    YAML::Emitter e;
    e << YAML::Flow << value;
    block += "  " + u.path + ": " + e.c_str() + "\n";
  }
  std::size_t first = lines.size(), last = lines.size();  // [first, last): the old block
  for (const auto& kv : root) {
    const int line = kv.first.Mark().line;
    if (kv.first.Scalar() == "uncertainty") first = static_cast<std::size_t>(line);
  }
  if (first < lines.size()) {
    for (const auto& kv : root) {
      const auto line = static_cast<std::size_t>(kv.first.Mark().line);
      if (line > first && line < last) last = line;
    }
    // Comments and blank lines just above the next key belong to it.
    while (last > first + 1 && (lines[last - 1].empty() || lines[last - 1].starts_with("#"))) --last;
  }
  std::string out = "# Fitted by extrasim calibrate " + std::filesystem::path(spec.source_file).filename().string() +
                    " from " + std::filesystem::path(spec.scenario_file).filename().string() + " (see manifest.json).\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == first) out += block;
    if (i >= first && i < last) continue;
    out += lines[i] + "\n";
  }
  if (first >= lines.size()) out += block;
  return out;
}

}  // namespace extrasim
