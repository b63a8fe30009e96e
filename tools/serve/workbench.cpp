#include "workbench.hpp"

#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

#include "extrasim/io/csv.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/model/tax_rules.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/studies/workflows.hpp"
#include "extrasim/write/labels.hpp"
#include "extrasim/write/output.hpp"
#include "extrasim/write/tax_output.hpp"
#include "extrasim/write/xlsx.hpp"

namespace extrasim::serve {

namespace {

// A municipality's pool and places follow its population (data/municipality-template.yaml
// says why): households on försörjningsstöd in 2017, 213 550 (Socialstyrelsen), of which 36 %
// long-term (FACTS §4); 11 168 in extratjänst in December 2017 (Arbetsförmedlingen, FACTS §5);
// both over Sweden's population, the sum of data/kommuner_population.csv.
constexpr double kHouseholdsOnFs2017 = 213'550;
constexpr double kLongTermShare2017 = 0.36;
constexpr double kPlacesDec2017 = 11'168;

constexpr std::size_t kMaxVariants = 8;
constexpr std::size_t kMaxOverrides = 200;

Answer json_answer(const Json& j, int status = 200) { return {status, j.dump(), "application/json", ""}; }

Answer message(int status, const std::string& text) { return json_answer(Json{{"error", {{"message", text}}}}, status); }

// A request's value as text: strings as they are, numbers as JSON writes them.
std::string text_of(const Json& v, const std::string& what) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  throw InputError({what}, "", v.is_null() ? "nothing" : std::string(v.type_name()), "a text or a number");
}

std::string optional_text(const Json& request, const char* key, const std::string& fallback) {
  return request.contains(key) && !request[key].is_null() ? text_of(request[key], key) : fallback;
}

Override override_of(const std::string& path, const std::string& value) { return {path, value, "--set " + path + "=" + value}; }

// A text as a YAML scalar that stays a text (overrides are read as YAML).
std::string quoted(const std::string& text) {
  std::string s = "\"";
  for (const char c : text) s += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return s + "\"";
}

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// A timeline of each calendar year's national average rate, as a scenario file writes it.
std::string average_rates(const Scenario& sc, bool regional) {
  std::string s = "[";
  const int first = sc.calendar.start.year;
  const int last = sc.calendar.start.plus(sc.calendar.months - 1).year;
  for (int y = first; y <= last; ++y) {
    const TaxYear& t = swedish_tax_year(y);
    char entry[64];
    std::snprintf(entry, sizeof entry, "%s{from: %d-01, value: %.4f}", y == first ? "" : ", ", y, regional ? t.average_regional_rate : t.average_municipal_rate);
    s += entry;
  }
  return s + "]";
}

Json people_json(const RunResult& r) {
  Json months = Json::array();
  for (std::size_t m = 0; m < r.monthly_people.size(); ++m) {
    Json month = {{"month", r.calendar.start.plus(static_cast<int>(m)).to_string()}};
    const char* names[] = {"fs", "xj", "job"};
    for (int k = 0; k < 3; ++k) {
      const Summary& s = r.monthly_people[m][static_cast<std::size_t>(k)];
      month[names[k]] = {{"mean", s.mean}, {"p025", s.p025}, {"p975", s.p975}};
    }
    months.push_back(month);
  }
  return months;
}

// A name for a downloaded file: letters, digits, - and _ only.
std::string file_stem(const std::string& name) {
  std::string s;
  for (const char c : name) s += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return s.empty() ? "extrasim" : s;
}

}  // namespace

Answer input_error(const InputError& e, const ReadRoots& roots, int status) {
  Json err = {{"message", roots.scrub(e.what())},
              {"path", e.path()},
              {"found", roots.scrub(e.found())},
              {"expected", roots.scrub(e.expected())},
              {"file", roots.scrub(e.where().file)},
              {"line", e.where().line},
              {"column", e.where().column}};
  return json_answer(Json{{"error", err}}, status);
}

Workbench::Workbench(ReadRoots roots, std::size_t max_jobs, int threads_per_job, double max_run_seconds)
    : roots_(std::move(roots)), jobs_(max_jobs, 64, threads_per_job), threads_per_job_(threads_per_job), max_run_seconds_(max_run_seconds) {
  std::istringstream in(roots_.read(kMunicipalities));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto cells = io::split_csv_row(line);
    if (cells && cells->size() >= 4) national_population_ += io::parse_double((*cells)[3], 0, 1e8, {kMunicipalities}, "population");
  }
}

// code,name,county_code,population,year
std::vector<std::string> Workbench::municipality_row(const std::string& code) const {
  std::istringstream in(roots_.read(kMunicipalities));
  std::string line;
  while (std::getline(in, line)) {
    const auto cells = io::split_csv_row(line);
    if (cells && cells->size() >= 4 && (*cells)[0] == code) return *cells;
  }
  throw InputError({"municipality"}, "municipality", "'" + printable(code) + "'", "a municipality code of " + std::string(kMunicipalities));
}

Variant Workbench::load_variant(const Json& spec) const {
  if (!spec.is_object()) throw InputError({"variant"}, "", std::string(spec.type_name()), "an object with scenario, municipality or yaml");
  Variant v;
  std::vector<Override> base;  // what a municipality sets on the template
  if (spec.contains("yaml")) {
    v.base_name = "posted/scenario.yaml";
    v.base_text = text_of(spec["yaml"], "yaml");
  } else if (spec.contains("municipality")) {
    const std::vector<std::string> row = municipality_row(text_of(spec["municipality"], "municipality"));
    const double population = io::parse_double(row[3], 0, 1e8, {kMunicipalities}, "population");
    v.base_name = kMunicipalityTemplate;
    v.base_text = roots_.read(v.base_name);
    const Scenario tmpl = load_scenario_text(v.base_text, v.base_name, {}, roots_.resolver());
    const auto per_person = [&](double national) { return std::to_string(std::max<long long>(1, std::llround(population * national / national_population_))); };
    base = {override_of("name", quoted(row[1])),
            override_of("description", quoted(row[1] + ", " + row[3] + " inhabitants on 31 Dec 2017 (SCB); the national template scaled by population")),
            override_of("groups.long_term_fs.size", per_person(kHouseholdsOnFs2017 * kLongTermShare2017)),
            override_of("programme.intake.places", per_person(kPlacesDec2017)),
            override_of("tax.municipal_rate", average_rates(tmpl, false)),
            override_of("tax.regional_rate", average_rates(tmpl, true))};
  } else if (spec.contains("scenario")) {
    v.base_name = text_of(spec["scenario"], "scenario");
    v.base_text = roots_.read(v.base_name);
  } else {
    throw InputError({"variant"}, "", "no scenario, municipality or yaml", "one of them");
  }
  v.overrides = base;
  if (spec.contains("set")) {
    const Json& set = spec["set"];
    if (!set.is_array() || set.size() > kMaxOverrides) throw InputError({"set"}, "", "not a list of at most 200", "[{\"path\": ..., \"value\": ...}]");
    for (const Json& s : set) {
      if (!s.is_object() || !s.contains("path") || !s.contains("value")) throw InputError({"set"}, "", s.dump(), "{\"path\": ..., \"value\": ...}");
      v.overrides.push_back(override_of(text_of(s["path"], "set"), text_of(s["value"], "set")));
    }
  }
  v.scenario = load_scenario_text(v.base_text, v.base_name, v.overrides, roots_.resolver());
  return v;
}

Answer Workbench::scenarios() const {
  Json list = Json::array();
  for (const char* label : {"scenarios", "user"}) {
    for (const std::string& name : roots_.list(label, ".yaml")) {
      try {
        const Scenario sc = load_scenario_text(roots_.read(name), name, {}, roots_.resolver());
        list.push_back({{"id", name}, {"name", sc.name}, {"description", sc.description}, {"persons", sc.person_count()},
                        {"months", sc.calendar.months}, {"replications", sc.replications}});
      } catch (const InputError&) {
        // a sweep file or a broken file: not a scenario to offer
      }
    }
  }
  return json_answer(list);
}

Answer Workbench::municipalities() const {
  std::istringstream in(roots_.read(kMunicipalities));
  std::string line;
  std::getline(in, line);
  Json list = Json::array();
  while (std::getline(in, line)) {
    const auto cells = io::split_csv_row(line);
    if (!cells || cells->size() < 5) continue;
    list.push_back({{"code", (*cells)[0]}, {"name", (*cells)[1]}, {"county_code", (*cells)[2]},
                    {"population", std::stoll((*cells)[3])}, {"year", std::stoi((*cells)[4])}});
  }
  return json_answer(Json{{"source", "SCB, population 31 December 2017 (data/SOURCES.md)"}, {"municipalities", list}});
}

Answer Workbench::labels() const {
  Json metrics = Json::object();
  for (int i = 0; i < kMetricCount; ++i) {
    const Metric m = metric_at(i);
    metrics[std::string(metric_name(m))] = {{"en", std::string(metric_label(m, Language::kEnglish))}, {"sv", std::string(metric_label(m, Language::kSwedish))}};
  }
  return json_answer(Json{{"metrics", metrics}});
}

Answer Workbench::validate(const Json& spec) const {
  const Variant v = load_variant(spec);
  const Scenario& sc = v.scenario;
  const std::string text = printable(v.base_name) + ": valid (" + plural(sc.groups.size(), "group") + ", " +
                           plural(static_cast<std::size_t>(sc.person_count()), "person") + ", " + plural(static_cast<std::size_t>(sc.calendar.months), "month") + ")";
  return json_answer(Json{{"valid", true}, {"message", text}, {"name", sc.name}, {"persons", sc.person_count()}, {"months", sc.calendar.months},
                          {"run_size", describe_run_size(sc, sc.replications, threads_per_job_)}});
}

Answer Workbench::parameters(const Json& spec) const {
  const Variant v = load_variant(spec);
  Json params = Json::array();
  for (const Assumption& a : assumptions_of(v.scenario)) {
    params.push_back({{"path", a.path}, {"value", a.value}, {"origin", roots_.scrub(a.origin)}, {"comment", a.comment}});
  }
  Json groups = Json::array();
  for (const Group& g : v.scenario.groups) groups.push_back(g.name);
  return json_answer(Json{{"name", v.scenario.name},
                          {"description", v.scenario.description},
                          {"calendar", {{"start", v.scenario.calendar.start.to_string()}, {"months", v.scenario.calendar.months}}},
                          {"groups", groups},
                          {"parameters", params}});
}

Answer Workbench::expected(const Json& spec) const {
  const Variant v = load_variant(spec);
  std::ostringstream out;
  write_json(expected_values(v.scenario), out);
  return {200, roots_.scrub(out.str()), "application/json", ""};
}

Answer Workbench::bonus(const Json& request) const {
  BonusRequest r;
  const std::string units = optional_text(request, "units", "data/units-2017.csv");
  r.units_file = roots_.resolve(units).string();
  const auto money = [&](const char* key, const std::string& flag, double lo) -> std::optional<double> {
    if (!request.contains(key)) return std::nullopt;
    const std::string t = text_of(request[key], key);
    return io::parse_double(t, lo, 1e12, {flag + " " + t}, flag);
  };
  if (auto pot = money("pot", "--pot", 0)) r.rule.pot = *pot;
  if (auto t = money("target_municipalities", "--target-municipalities", 1)) r.rule.target_municipalities = *t;
  if (auto t = money("target_regions", "--target-regions", 1)) r.rule.target_regions = *t;
  if (request.contains("spread_total")) {
    const std::string t = text_of(request["spread_total"], "spread_total");
    r.spread_total = io::parse_double(t, 0, 1e7, {"--spread-total " + t}, "--spread-total");
  }
  const auto texts = [&](const char* key) {
    std::vector<std::string> out;
    if (request.contains(key) && request[key].is_array()) {
      for (const Json& c : request[key]) out.push_back(text_of(c, key));
    }
    return out;
  };
  r.counts = texts("counts");
  r.only = texts("only");
  r.marginal = optional_text(request, "marginal", "");
  const BonusAnalysis a = analyse_bonus(r);
  std::ostringstream out;
  write_bonus(r.rule, a.units, a.payouts, BonusSort::kPayout, r.only, OutputFormat::kJson, out);
  Json answer = {{"units_file", units}, {"allocation", Json::parse(out.str())}};
  if (!r.marginal.empty()) {
    std::ostringstream m;
    write_marginal(r.marginal, a.marginal, OutputFormat::kJson, m);
    answer["marginal"] = Json::parse(m.str());
  }
  return {200, roots_.scrub(answer.dump()), "application/json", ""};
}

Answer Workbench::tax(const Json& request) const {
  const std::string year_text = optional_text(request, "year", "");
  const int year = static_cast<int>(io::parse_int(year_text, 1900, 2100, {"YEAR " + year_text}, "YEAR"));
  const TaxYear& rules = swedish_tax_year(year, {"YEAR " + year_text}, "YEAR");
  const std::string income = optional_text(request, "income", "");
  const std::string benefit = optional_text(request, "benefit", "0");
  const double m_income = io::parse_double(income, 0, 1e8, {"MONTHLY_INCOME " + income}, "MONTHLY_INCOME");
  const double b = io::parse_double(benefit, 0, 1e8, {"--benefit " + benefit}, "--benefit");
  const std::string mr = optional_text(request, "municipal_rate", ""), rr = optional_text(request, "regional_rate", "");
  const double m = mr.empty() ? rules.average_municipal_rate : io::parse_double(mr, 0, 1, {"--municipal-rate " + mr}, "--municipal-rate");
  const double r = rr.empty() ? rules.average_regional_rate : io::parse_double(rr, 0, 1, {"--regional-rate " + rr}, "--regional-rate");
  std::ostringstream out;
  write_tax_lines(out, year, m_income, b, m, r, OutputFormat::kJson);
  return {200, out.str(), "application/json", ""};
}

Answer Workbench::start_job(const Json& request) {
  if (!request.is_object() || !request.contains("variants") || !request["variants"].is_array() || request["variants"].empty() ||
      request["variants"].size() > kMaxVariants) {
    throw InputError({"variants"}, "", "no list of 1 to 8 variants", "{\"variants\": [{\"scenario\": ...}, ...]}");
  }
  std::vector<Variant> variants;
  for (const Json& spec : request["variants"]) variants.push_back(load_variant(spec));
  std::vector<Scenario> scenarios;
  for (const Variant& v : variants) scenarios.push_back(v.scenario);
  for (std::size_t k = 1; k < scenarios.size(); ++k) {
    for (std::size_t j = 0; j < k; ++j) {
      if (scenarios[k].name == scenarios[j].name) {
        throw InputError({"variants"}, "name", "two variants named '" + printable(scenarios[k].name) + "'", "a name of its own for each variant");
      }
    }
  }
  align_with_first(scenarios);  // the same people and random numbers, as `extrasim compare`
  for (std::size_t k = 0; k < variants.size(); ++k) {
    variants[k].scenario = scenarios[k];
    const Scenario& sc = variants[k].scenario;
    check_run_size(sc, sc.replications, threads_per_job_);
    const RunEstimate e = estimate_run(sc, sc.replications, threads_per_job_);
    if (e.seconds > max_run_seconds_) {
      throw InputError({"replications"}, "replications", describe_run_size(sc, sc.replications, threads_per_job_),
                       "a run this server finishes within " + std::to_string(static_cast<int>(max_run_seconds_)) + " s (fewer replications or persons)");
    }
  }
  const std::optional<std::string> id = jobs_.start(std::move(variants));
  if (!id) return message(429, "the server is running as many jobs as it may; try again when one has finished");
  return json_answer(Json{{"id", *id}}, 202);
}

Answer Workbench::job_status(const std::string& id) const {
  const std::shared_ptr<Job> job = jobs_.find(id);
  if (!job) return message(404, "no such job");
  const Job::Status s = job->status();
  Json j = {{"id", id}, {"state", state_name(s.state)}, {"done", s.done}, {"total", s.total}};
  if (!s.error.empty()) j["error"] = roots_.scrub(s.error);
  return json_answer(j);
}

Answer Workbench::cancel_job(const std::string& id) {
  const std::shared_ptr<Job> job = jobs_.find(id);
  if (!job) return message(404, "no such job");
  job->cancel();
  Answer a = job_status(id);
  a.status = 202;
  return a;
}

Answer Workbench::job_result(const std::string& id) const {
  const std::shared_ptr<Job> job = jobs_.find(id);
  if (!job) return message(404, "no such job");
  if (job->status().state != JobState::kDone) return message(409, std::string("the job is ") + state_name(job->status().state));
  Json runs = Json::array();
  for (const ReportScenario& r : job->reports()) {
    std::ostringstream out;
    write_json(r.result, out);
    Json run = Json::parse(roots_.scrub(out.str()));
    run["people"] = people_json(r.result);
    runs.push_back(std::move(run));
  }
  Json answer = {{"id", id}, {"runs", runs}};
  if (job->comparison()) {
    std::ostringstream out;
    write_comparison(*job->comparison(), OutputFormat::kJson, out);
    answer["comparison"] = Json::parse(roots_.scrub(out.str()));
  }
  return json_answer(answer);
}

Answer Workbench::download(const std::string& id, const std::string& kind, int variant, Language lang) const {
  const std::shared_ptr<Job> job = jobs_.find(id);
  if (!job) return message(404, "no such job");
  if (job->status().state != JobState::kDone) return message(409, std::string("the job is ") + state_name(job->status().state));
  const std::vector<ReportScenario>& reports = job->reports();
  if (variant < 0 || static_cast<std::size_t>(variant) >= reports.size()) return message(404, "no such variant");
  const ScenarioComparison* comparison = job->comparison() ? &*job->comparison() : nullptr;
  const std::string stem = reports.size() > 1 ? "comparison" : file_stem(reports[0].result.scenario);
  std::ostringstream out;
  if (kind == "xlsx") {
    return {200, xlsx_workbook(reports, comparison, lang), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stem + ".xlsx"};
  }
  if (kind == "report.html") {
    write_report_html(reports, comparison, out, lang);
    return {200, roots_.scrub(out.str()), "text/html; charset=utf-8", stem + ".html"};
  }
  if (kind == "csv") {
    if (comparison && variant == 0) {
      write_comparison(*comparison, OutputFormat::kCsv, out, csv_style_for_locale(lang == Language::kSwedish ? "sv" : "en"), lang);
      return {200, out.str(), "text/csv; charset=utf-8", stem + ".csv"};
    }
    write_result(reports[static_cast<std::size_t>(variant)].result, OutputFormat::kCsv, out,
                 csv_style_for_locale(lang == Language::kSwedish ? "sv" : "en"), lang);
    return {200, out.str(), "text/csv; charset=utf-8", file_stem(reports[static_cast<std::size_t>(variant)].result.scenario) + ".csv"};
  }
  if (kind == "json") {
    write_json(reports[static_cast<std::size_t>(variant)].result, out);
    return {200, roots_.scrub(out.str()), "application/json", file_stem(reports[static_cast<std::size_t>(variant)].result.scenario) + ".json"};
  }
  if (kind == "yaml") {
    const Variant& v = job->variants()[static_cast<std::size_t>(variant)];
    const std::string text = scenario_text_with_overrides(v.base_text, v.base_name, v.overrides);
    return {200, text, "application/yaml; charset=utf-8", file_stem(v.scenario.name) + ".yaml"};
  }
  return message(404, "no such download (xlsx, report.html, csv, json or yaml)");
}

}  // namespace extrasim::serve
