// What a calibration writes: fit.csv, posterior.csv, the manifest and the table for people.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/io/csv.hpp"
#include "extrasim/write/output.hpp"

namespace extrasim {

namespace {

double z_of(const CalibrationTarget& t, double simulated, double simulated_se) {
  return (simulated - t.observed) / std::sqrt(t.se * t.se + simulated_se * simulated_se);
}

std::string fixed(double v, int width, int precision = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%*.*g", width, precision, v);
  return buf;
}

}  // namespace

void write_fit_csv(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out) {
  io::CsvWriter csv(out, io::CsvDialect::english());
  for (const char* h : {"target", "metric", "period", "observed", "se", "simulated", "simulated_se", "z", "source"}) csv.cell(h);
  csv.end_row();
  const PeriodLayout layout = PeriodLayout::of(spec.scenario.calendar);
  for (std::size_t i = 0; i < spec.targets.size(); ++i) {
    const CalibrationTarget& t = spec.targets[i];
    const std::string period = t.month ? t.month->to_string()
                               : t.period > 0 ? std::to_string(layout.years[static_cast<std::size_t>(t.period - 1)])
                                              : std::string("total");
    csv.cell(t.label(spec.scenario.calendar)).cell(std::string(side_name(t.side)) + "." + std::string(metric_name(t.id))).cell(period);
    csv.cell(t.observed).cell(t.se).cell(r.simulated[i]).cell(r.simulated_se[i]).cell(z_of(t, r.simulated[i], r.simulated_se[i]));
    csv.cell(t.source).end_row();
  }
}

void write_posterior_csv(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out) {
  io::CsvWriter csv(out, io::CsvDialect::english());
  for (const CalibrationParameter& p : spec.parameters) csv.cell(p.path);
  csv.end_row();
  for (const std::vector<double>& draw : r.posterior) {
    for (double v : draw) csv.cell(v);
    csv.end_row();
  }
}

void write_calibration_manifest(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out) {
  std::ostringstream provenance;
  write_provenance_json(r.provenance, provenance);
  nlohmann::json j;
  j["calibration"] = spec.name;
  j["scenario"] = spec.scenario.name;
  j["provenance"] = nlohmann::json::parse(provenance.str());
  if (spec.method.kind == CalibrationMethod::Kind::kAbcSmc) {
    j["method"] = {{"type", "abc-smc"}, {"particles", spec.method.particles}, {"max_stages", spec.method.max_stages}, {"draws", spec.draws}};
  } else {
    j["method"] = {{"type", "optimise"},
                   {"algorithm", spec.method.algorithm},
                   {"starts", spec.method.starts},
                   {"max_evaluations", spec.method.max_evaluations},
                   {"draws", spec.draws}};
  }
  j["objective"] = {{"mode", r.mode}, {"value", r.objective}, {"targets", spec.targets.size()}, {"evaluations", r.evaluations}};
  j["seconds"] = std::round(r.seconds * 10) / 10;
  nlohmann::json params = nlohmann::json::array();
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const CalibrationParameter& p = spec.parameters[k];
    params.push_back({{"path", p.path}, {"start", p.start}, {"range", {p.lo, p.hi}}, {"transform", transform_name(p.transform)},
                      {"fitted", r.point[k]}, {"posterior_sd", r.posterior_sd[k]}});
  }
  j["parameters"] = params;
  j["notes"] = r.notes;
  j["outputs"] = {"fitted.yaml", "posterior.csv", "fit.csv"};
  out << j.dump(1) << "\n";
}

void write_calibration_table(const CalibrationSpec& spec, const CalibrationResult& r, std::ostream& out) {
  out << "calibration " << spec.name << " of " << spec.scenario.name << ": objective " << fixed(r.objective, 0) << " over "
      << spec.targets.size() << " targets (" << r.evaluations << " evaluations, " << fixed(r.seconds, 0, 3) << " s)\n";
  out << "objective from " << r.mode << "\n\n";
  std::size_t width = 9;
  for (const CalibrationParameter& p : spec.parameters) width = std::max(width, p.path.size());
  out << std::left << std::setw(static_cast<int>(width)) << "parameter" << std::right << std::setw(12) << "start" << std::setw(12)
      << "fitted" << std::setw(12) << "sd" << std::setw(26) << "range\n";
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const CalibrationParameter& p = spec.parameters[k];
    out << std::left << std::setw(static_cast<int>(width)) << p.path << std::right << fixed(p.start, 12) << fixed(r.point[k], 12)
        << fixed(r.posterior_sd[k], 12) << "   [" << p.lo << ", " << p.hi << "] " << transform_name(p.transform) << "\n";
  }
  std::size_t label = 6;
  for (const CalibrationTarget& t : spec.targets) label = std::max(label, t.label(spec.scenario.calendar).size());
  out << "\n" << std::left << std::setw(static_cast<int>(label)) << "target" << std::right << std::setw(14) << "observed" << std::setw(10)
      << "se" << std::setw(14) << "simulated" << std::setw(8) << "z\n";
  for (std::size_t i = 0; i < spec.targets.size(); ++i) {
    const CalibrationTarget& t = spec.targets[i];
    char z[32];
    std::snprintf(z, sizeof z, "%8.2f", z_of(t, r.simulated[i], r.simulated_se[i]));
    out << std::left << std::setw(static_cast<int>(label)) << t.label(spec.scenario.calendar) << std::right << fixed(t.observed, 14, 6)
        << fixed(t.se, 10) << fixed(r.simulated[i], 14, 6) << z << "\n";
  }
  for (const std::string& note : r.notes) out << "note: " << note << "\n";
}

}  // namespace extrasim
