// Sweep files: YAML -> validated SweepSpec.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "extrasim/config/config.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/studies/sweep.hpp"
#include "text_checks.hpp"
#include "yaml_reader.hpp"

namespace extrasim {

namespace {

using config::YamlReader;

// SIDE.METRIC or SIDE.METRIC.YEAR; the year is checked against the scenario in check_points.
SweepMetric parse_kept_metric(const YamlReader& r, const YAML::Node& n, const std::string& path) {
  const std::string text = r.text(n, path);
  const std::size_t dot = text.find('.');
  const std::string side = text.substr(0, dot);
  std::string rest = dot == std::string::npos ? "" : text.substr(dot + 1);
  SweepMetric m;
  const std::size_t last = rest.rfind('.');
  if (last != std::string::npos && last + 1 < rest.size() && rest.size() - last - 1 <= 4 &&
      rest.find_first_not_of("0123456789", last + 1) == std::string::npos) {
    m.year = std::stoi(rest.substr(last + 1));
    rest = rest.substr(0, last);
  }
  const auto metric = rest.empty() ? std::nullopt : parse_metric(rest);
  if (!metric || (side != "scenario" && side != "baseline" && side != "difference")) {
    r.fail(n, path, "'" + text + "'", "SIDE.METRIC or SIDE.METRIC.YEAR with SIDE scenario, baseline or difference, e.g. difference.municipality.net "
           "or difference.municipality.net.2018");
  }
  m.side = side == "scenario" ? ResultSide::kScenario : side == "baseline" ? ResultSide::kBaseline : ResultSide::kDifference;
  m.metric = *metric;
  return m;
}

// The key node of parameter `path` (for messages located at it).
YAML::Node parameter_key(const YAML::Node& params, const std::string& path) {
  for (const auto& kv : params) {
    if (kv.first.IsScalar() && kv.first.Scalar() == path) return kv.first;
  }
  return params;
}

// Each parameter names a number the design may vary, and every point gives a valid scenario,
// checked before any run: a grid's points, or the ranges' corners (all low, all high; each
// parameter's checks are per value).
void check_points(const YamlReader& r, const YAML::Node& root, SweepSpec& s) {
  const Scenario base = load_scenario_file(s.scenario_file);
  const PeriodLayout layout = PeriodLayout::of(base.calendar);
  for (std::size_t i = 0; i < s.metrics.size(); ++i) {
    SweepMetric& m = s.metrics[i];
    if (m.year == 0) continue;
    const auto it = std::find(layout.years.begin(), layout.years.end(), m.year);
    if (it == layout.years.end()) {
      std::string years;
      for (int y : layout.years) years += (years.empty() ? "" : ", ") + std::to_string(y);
      r.fail(root["metrics"][i], "metrics." + std::to_string(i), "the year " + std::to_string(m.year) + ", not in " + s.scenario_file,
             "a calendar year of the scenario (" + years + ")");
    }
    m.period = 1 + static_cast<int>(it - layout.years.begin());
  }
  for (std::size_t j = 0; j < s.parameters.size(); ++j) {
    const std::string& path = s.parameters[j].path;
    const YAML::Node key = parameter_key(root["parameters"], path);
    const std::string where = "parameters." + path;
    if (path == "seed" || path == "replications" || path.starts_with("calendar") || path == "name" || path == "description") {
      r.fail(key, where, "'" + path + "', a run setting", "a model parameter (the sweep's own seed and replications apply to every point)");
    }
    Scenario probe = base;
    const auto resolved = resolve_parameter(probe, path);
    if (const auto* why = std::get_if<std::string>(&resolved)) r.fail(key, where, "'" + path + "', which " + *why, "a path into " + s.scenario_file);
    const ParameterRef& ref = std::get<ParameterRef>(resolved);
    if (!is_real(ref.kind) && ref.kind != ParameterKind::kInteger) r.fail(key, where, "'" + path + "', " + expected_words(ref.kind), "a path to a number");
    if (ref.kind == ParameterKind::kInteger && s.design != SweepDesign::kGrid) {
      r.fail(key, where, "'" + path + "', an integer, in a " + design_name(s.design) + " design", "a real-valued parameter (integers: a grid design with whole values)");
    }
  }
  std::vector<std::vector<double>> checks;
  if (s.design == SweepDesign::kGrid) {
    checks = sweep_points(s);
  } else {
    checks.resize(2);
    for (const SweepParameter& p : s.parameters) {
      checks[0].push_back(p.lo);
      checks[1].push_back(p.hi);
    }
  }
  for (std::size_t k = 0; k < checks.size(); ++k) {
    try {
      (void)scenario_at_point(base, s, checks[k]);
    } catch (const InputError& e) {
      r.fail(root["parameters"], "parameters", std::string("a point the scenario refuses: ") + e.what(), "values the scenario accepts");
    }
  }
}

}  // namespace

SweepSpec load_sweep_file(const std::string& file) {
  return load_sweep_text(config::read_text_file(file, "a sweep file (.yaml)"), file);
}

SweepSpec load_sweep_text(const std::string& text, const std::string& file) {
  config::check_scenario_text(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "", "malformed YAML (" + config::printable(e.msg) + ")", "a YAML document");
  } catch (const YAML::Exception& e) {
    throw InputError({file}, "", "unreadable YAML (" + config::printable(e.msg) + ")", "a YAML document");
  }
  const YamlReader r(file);
  r.expect_map(root, "", {"name", "scenario", "replications", "seed", "design", "parameters", "metrics"},
               {"name", "scenario", "design", "parameters", "metrics"});
  SweepSpec s;
  s.source_file = file;
  s.name = r.text(root["name"], "name");
  const std::filesystem::path scenario = r.text(root["scenario"], "scenario");
  s.scenario_file = scenario.is_absolute() ? scenario.string() : (std::filesystem::path(file).parent_path() / scenario).string();
  if (root["replications"]) s.replications = r.integer(root["replications"], "replications", 1, 100'000'000);
  if (root["seed"]) s.seed = static_cast<std::uint64_t>(r.integer(root["seed"], "seed", 0, std::int64_t{1} << 53));
  const YAML::Node design = root["design"];
  r.expect_map(design, "design", {"type", "samples"}, {"type"});
  const std::string type = r.text(design["type"], "design.type");
  if (type == "grid") {
    s.design = SweepDesign::kGrid;
    if (design["samples"]) r.fail(design["samples"], "design.samples", "samples in a grid", "no samples (a grid's points are its values)");
  } else if (type == "lhs") {
    s.design = SweepDesign::kLhs;
    if (!design["samples"]) r.fail(design, "design", "no samples", "samples: N for a Latin hypercube");
    s.samples = r.integer(design["samples"], "design.samples", 1, 1'000'000);
  } else if (type == "sobol") {
    s.design = SweepDesign::kSobol;
    if (!design["samples"]) r.fail(design, "design", "no samples", "samples: N base samples for a Sobol design (a power of 2 is best)");
    s.samples = r.integer(design["samples"], "design.samples", 2, 1'000'000);
  } else {
    r.fail(design["type"], "design.type", "'" + type + "'", "grid, lhs or sobol");
  }
  const YAML::Node params = root["parameters"];
  if (!params.IsMap() || params.size() == 0) r.fail(params, "parameters", YamlReader::describe(params), "a map of PATH: {values: [...]} or PATH: {range: [lo, hi]}");
  std::set<std::string> seen;
  for (const auto& kv : params) {
    SweepParameter p;
    p.path = r.text(kv.first, "parameters");
    const std::string path = "parameters." + p.path;
    if (!seen.insert(p.path).second) r.fail(kv.first, path, "a duplicate path", "each parameter once");
    if (s.design == SweepDesign::kGrid) {
      r.expect_map(kv.second, path, {"values"}, {"values"});
      r.expect_sequence(kv.second["values"], path + ".values", true);
      for (std::size_t i = 0; i < kv.second["values"].size(); ++i) p.values.push_back(r.number(kv.second["values"][i], path + ".values." + std::to_string(i)));
    } else {
      r.expect_map(kv.second, path, {"range", "triangular", "normal", "beta"}, {"range"});
      const YAML::Node range = kv.second["range"];
      if (!range.IsSequence() || range.size() != 2) r.fail(range, path + ".range", YamlReader::describe(range), "[lo, hi]");
      p.lo = r.number(range[0], path + ".range.0");
      p.hi = r.number(range[1], path + ".range.1");
      if (p.hi < p.lo) r.fail(range, path + ".range", "hi below lo", "[lo, hi] with lo <= hi");
      // A distribution within the range (at most one): triangular: MODE, normal: [MEAN, SD], beta: [A, B].
      int shapes = 0;
      for (const char* k : {"triangular", "normal", "beta"}) shapes += kv.second[k] ? 1 : 0;
      if (shapes > 1) r.fail(kv.second, path, "more than one distribution", "at most one of triangular, normal and beta");
      if (const YAML::Node t = kv.second["triangular"]) {
        p.shape = SweepShape::kTriangular;
        p.a = r.number(t, path + ".triangular");
        if (p.a < p.lo || p.a > p.hi) r.fail(t, path + ".triangular", sweep_value_text(p.a), "a mode within the range");
      }
      for (const char* k : {"normal", "beta"}) {
        const YAML::Node d = kv.second[k];
        if (!d) continue;
        const std::string where = path + "." + k;
        const char* want = std::string(k) == "normal" ? "[MEAN, SD] with SD > 0" : "[A, B], both shapes > 0";
        if (!d.IsSequence() || d.size() != 2) r.fail(d, where, YamlReader::describe(d), want);
        p.shape = std::string(k) == "normal" ? SweepShape::kNormal : SweepShape::kBeta;
        p.a = r.number(d[0], where + ".0");
        p.b = r.number(d[1], where + ".1");
        if (p.b <= 0 || (p.shape == SweepShape::kBeta && p.a <= 0)) r.fail(d, where, YamlReader::describe(d), want);
      }
    }
    s.parameters.push_back(std::move(p));
  }
  if (s.design == SweepDesign::kSobol && s.parameters.size() > max_sobol_parameters()) {
    r.fail(params, "parameters", std::to_string(s.parameters.size()) + " parameters", "at most " + std::to_string(max_sobol_parameters()) + " for a Sobol design");
  }
  // The design's points are held in memory (and each takes a run): refuse what cannot finish.
  double points = 1;
  if (s.design == SweepDesign::kGrid) {
    for (const SweepParameter& p : s.parameters) points *= static_cast<double>(p.values.size());
  } else {
    points = s.design == SweepDesign::kLhs ? static_cast<double>(s.samples) : static_cast<double>(saltelli_points(s.samples, s.parameters.size()));
  }
  if (points > static_cast<double>(kMaxSweepPoints)) {
    r.fail(design, "design", sweep_value_text(points) + " points", "at most " + std::to_string(kMaxSweepPoints) + " points in a sweep");
  }
  const YAML::Node metrics = root["metrics"];
  r.expect_sequence(metrics, "metrics", true);
  for (std::size_t i = 0; i < metrics.size(); ++i) s.metrics.push_back(parse_kept_metric(r, metrics[i], "metrics." + std::to_string(i)));
  check_points(r, root, s);
  return s;
}

}  // namespace extrasim
