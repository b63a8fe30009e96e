#include "extrasim/write/output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extrasim/error.hpp"
#include "extrasim/results/effect.hpp"
#include "extrasim/version.hpp"
#include "extrasim/write/labels.hpp"
#include "text_format.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;
using text::display_width;

std::string grouped(double v, int decimals) { return text::grouped(v, decimals); }

std::string value_text(Metric m, double v, Language lang) { return number_text(v, is_money(m) ? 0 : 1, lang); }

// Rows of cells, the first column left-aligned and the others right-aligned, each column as
// wide as its widest cell.
class TextTable {
 public:
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void rule() { rows_.emplace_back(); }  // an empty row prints as a line
  void blank() { rows_.push_back({""}); }

  void print(std::ostream& out) const {
    std::vector<std::size_t> width;
    for (const auto& r : rows_) {
      for (std::size_t c = 0; c < r.size(); ++c) {
        if (width.size() <= c) width.push_back(0);
        width[c] = std::max(width[c], display_width(r[c]));
      }
    }
    std::size_t total = 0;
    for (std::size_t w : width) total += w + 2;
    for (const auto& r : rows_) {
      if (r.empty()) {
        out << std::string(total > 2 ? total - 2 : 0, '-') << "\n";
        continue;
      }
      if (r.size() == 1 && r[0].empty()) {
        out << "\n";
        continue;
      }
      std::string line;
      for (std::size_t c = 0; c < r.size(); ++c) {
        const std::string pad(width[c] - display_width(r[c]), ' ');
        line += c == 0 ? r[c] + pad : "  " + pad + r[c];
      }
      out << line << "\n";
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

constexpr Metric kYearlyKeyMetrics[] = {
    Metric::kMunicipalityNet,   Metric::kMunicipalityFsBenefit, Metric::kStateNet,
    Metric::kPublicNet,         Metric::kPvMunicipalityNet,     Metric::kMonthsXj,
    Metric::kStartsXj,          Metric::kEndXj,                 Metric::kTwinXjBaselineJob,
};

void write_header(const RunResult& r, std::ostream& out, Language lang) {
  out << "extrasim " << kVersion << "  scenario: " << printable(r.scenario) << "\n";
  const YearMonth last = r.calendar.month(r.calendar.months - 1);
  const bool sv = lang == Language::kSwedish;
  out << r.calendar.start.to_string() << (sv ? " till " : " to ") << last.to_string() << " (" << r.calendar.months
      << (sv ? " månader); " : " months); ");
  if (r.exact) {
    out << (sv ? "exakta väntevärden (ingen slumpning)\n" : "exact expected values (no sampling)\n");
  } else {
    out << number_text(static_cast<double>(r.replications), 0, lang) << (sv ? " replikeringar, frö " : " replications, seed ")
        << r.seed << "\n";
  }
  const Provenance& p = r.provenance;
  for (const SourceFile& f : p.inputs) out << "input " << f.path << "  sha256 " << f.sha256.substr(0, 16) << "\n";
  for (const std::string& flag : p.set) out << "set   " << printable(flag) << "\n";
  if (lang == Language::kSwedish) out << word("money note", lang) << "\n";
  else out << "Money in kronor, nominal, sign = money in for that payer; difference = scenario - baseline (no programme).\n";
  if (!r.exact) {
    out << (lang == Language::kSwedish ? "95 % intervall: 2,5:e till 97,5:e percentilen av replikeringarnas skillnader."
                                       : "95 % interval: 2.5th to 97.5th percentile of the replications' differences.")
        << "\n";
  }
}

// MODEL.md §9: the value of the work is not cash, so it is not in municipality.net; beside the
// net the table shows the net including it, its interval from the replications' sums.
void net_with_work_value(const RunResult& r, TextTable& t, Language lang) {
  const int net = index_of(Metric::kMunicipalityNet), value = index_of(Metric::kMunicipalityWorkValue);
  std::vector<std::string> cells = {lang == Language::kSwedish ? "kommunens netto inkl. arbetets värde" : "municipality.net incl. work_value"};
  for (int side = 0; side < kResultSideCount; ++side) {
    cells.push_back(value_text(Metric::kMunicipalityNet, r.total[side][net].mean + r.total[side][value].mean, lang));
  }
  if (!r.exact && r.samples.replications() > 0) {
    std::vector<double> d = r.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
    const std::vector<double> w = r.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityWorkValue);
    for (std::size_t k = 0; k < d.size(); ++k) d[k] += w[k];
    const Summary sum = summarize(d);
    cells.push_back("[" + value_text(Metric::kMunicipalityNet, sum.p025, lang) + ", " + value_text(Metric::kMunicipalityNet, sum.p975, lang) + "]");
    cells.push_back(number_text(100.0 * sum.p_positive, 0, lang) + " %");
  }
  t.row(cells);
}

// The deadweight share beside the effect (MODEL.md §9): months in xj whose baseline twin was
// in a job anyway, as a share of all months in xj (the ratio of the means).
void deadweight_row(const RunResult& r, TextTable& t) {
  if (r.total[0][index_of(Metric::kMonthsXj)].mean <= 0.0) return;
  t.row({"deadweight share", "", "", grouped(100.0 * deadweight_share(r.total), 1) + " %"});
}

bool has_work_value(const RunResult& r) {
  const int value = index_of(Metric::kMunicipalityWorkValue);
  return r.total[0][value].mean != 0.0 || r.total[1][value].mean != 0.0;
}

void write_totals(const RunResult& r, std::ostream& out, Language lang) {
  TextTable t;
  std::vector<std::string> head;
  for (const char* w : {"Whole period", "scenario", "baseline", "difference"}) head.emplace_back(word(w, lang));
  if (!r.exact) {
    head.emplace_back(word("95 % interval of difference", lang));
    head.emplace_back(word("P(diff > 0)", lang));
  }
  t.row(head);
  t.rule();
  for (int i = 0; i < kMetricCount; ++i) {
    const Metric m = metric_at(i);
    if (!metric_shown(r, m)) continue;
    if (m == Metric::kMonthsFs) t.blank();
    const auto& s = r.total;
    const bool sides = metric_on_side(m, ResultSide::kScenario);  // twins: the difference only
    std::vector<std::string> cells = {std::string(metric_label(m, lang)), sides ? value_text(m, s[0][i].mean, lang) : "",
                                      sides ? value_text(m, s[1][i].mean, lang) : "", value_text(m, s[2][i].mean, lang)};
    if (!r.exact) {
      const Summary& d = s[2][i];
      cells.push_back("[" + value_text(m, d.p025, lang) + ", " + value_text(m, d.p975, lang) + "]");
      cells.push_back(number_text(100.0 * d.p_positive, 0, lang) + " %");
    }
    t.row(cells);
    if (m == Metric::kMunicipalityNet && has_work_value(r)) net_with_work_value(r, t, lang);
    if (m == Metric::kTwinXjBaselineFs) deadweight_row(r, t);
  }
  out << "\n";
  t.print(out);
}

void write_yearly(const RunResult& r, std::ostream& out, Language lang) {
  TextTable t;
  std::vector<std::string> head = {std::string(word("metric", lang))};
  for (const YearResult& y : r.yearly) head.push_back(std::to_string(y.year));
  t.row(head);
  t.rule();
  for (Metric m : kYearlyKeyMetrics) {
    if (!metric_shown(r, m)) continue;
    std::vector<std::string> cells = {std::string(metric_label(m, lang))};
    for (const YearResult& y : r.yearly) {
      const Summary& d = y.summaries[2][index_of(m)];
      std::string cell = value_text(m, d.mean, lang);
      if (!r.exact) cell += " [" + value_text(m, d.p025, lang) + ", " + value_text(m, d.p975, lang) + "]";
      cells.push_back(cell);
    }
    t.row(cells);
  }
  if (lang == Language::kSwedish) out << "\n" << word("yearly title", lang) << (r.exact ? " (medelvärde)" : " (medelvärde [95 % intervall])") << "\n";
  else out << "\nDifference by calendar year (mean" << (r.exact ? ")" : " [95 % interval])") << "\n";
  t.print(out);
}

std::string effect_cell(const Summary& d, bool exact, Language lang) {
  const std::string mean = number_text(d.mean, 0, lang);
  return exact ? mean : mean + " [" + number_text(d.p025, 0, lang) + ", " + number_text(d.p975, 0, lang) + "]";
}

// The planner's first question: the programme's effect per budget year and payer.
void write_effect(const std::string& title, const Effect& e, bool exact, TextTable& t, Language lang) {
  std::vector<std::string> head = {title};
  for (Metric m : kEffectLines) head.emplace_back(metric_label(m, lang));
  t.row(head);
  t.rule();
  for (const EffectPeriod& p : e.periods) {
    std::vector<std::string> cells = {period_text(p, lang)};
    for (const Summary& s : p.lines) cells.push_back(effect_cell(s, exact, lang));
    t.row(cells);
  }
}

void write_effect_block(const RunResult& r, std::ostream& out, Language lang) {
  if (lang == Language::kSwedish) out << "\n" << word("effect title", lang) << (r.exact ? "" : ", medelvärde [95 % intervall]") << "\n";
  else out << "\nEffect of the programme: scenario minus the same people without it, kronor, by budget year" << (r.exact ? " (expected values)" : ", mean [95 % interval]") << "\n";
  const Effect effect = effect_of(r);
  TextTable t;
  write_effect(std::string(word("budget year", lang)), effect, r.exact, t, lang);
  t.print(out);
  for (const EffectPeriod& p : effect.periods) {
    if (p.partial) {
      out << word("partial year note", lang) << "\n";
      break;
    }
  }
}

void write_warnings(const RunResult& r, std::ostream& out, Language lang) {
  const std::string label(word("warning", lang));
  for (const Warning& w : r.warnings) out << "\n" << label << ": " << warning_text(w, lang) << "\n";
  if (r.replications_rows_scaled > 0) out << "\n" << label << ": " << rows_scaled_text(r.replications_rows_scaled, lang) << "\n";
  if (r.replications_expiry_normalised > 0) {
    out << "\nwarning: in " << r.replications_expiry_normalised
        << " replications the drawn on_expiry shares were divided by their sum\n";
  }
  for (const std::string& note : r.notes) out << "\nnote: " << note << "\n";
}

// The warnings for programs: their English words, or their codes with the figures.
Json warnings_json(const std::vector<Warning>& warnings, Json::value_t as) {
  Json j = Json::array();
  for (const Warning& w : warnings) {
    if (as == Json::value_t::string) {
      j.push_back(warning_text(w, Language::kEnglish));
      continue;
    }
    Json code = {{"code", warning_code(w.kind)}};
    if (!w.scenario.empty()) code["scenario"] = w.scenario;
    if (!w.other.empty()) code[w.kind == WarningKind::kDrawsClamped ? "parameter" : "other"] = w.other;
    if (w.kind == WarningKind::kUnfilledPlaces || w.kind == WarningKind::kDrawsClamped) code["share"] = w.share;
    j.push_back(code);
  }
  return j;
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
      if (!metric_shown(r, metric_at(i)) || !metric_on_side(metric_at(i), static_cast<ResultSide>(side))) continue;
      const Json value = means_only ? Json(sides[side][i].mean) : summary_json(sides[side][i], r.exact);
      metrics[std::string(metric_name(metric_at(i)))] = value;
      if (const auto alias = metric_alias(metric_at(i)); !alias.empty()) metrics[std::string(alias)] = value;
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
        if (!metric_shown(r, m) || is_stock(m) || !metric_on_side(m, static_cast<ResultSide>(side))) continue;
        metrics[std::string(metric_name(m))] = mr.mean[side][i];
        if (const auto alias = metric_alias(m); !alias.empty()) metrics[std::string(alias)] = mr.mean[side][i];
      }
      month[std::string(side_name(static_cast<ResultSide>(side)))] = metrics;
    }
    months.push_back(month);
  }
  return months;
}

}  // namespace

void write_table(const RunResult& r, std::ostream& out, Language lang) {
  write_header(r, out, lang);
  write_effect_block(r, out, lang);
  write_totals(r, out, lang);
  write_yearly(r, out, lang);
  write_warnings(r, out, lang);
}

Json effect_json(const Effect& e, bool exact) {
  Json j = Json::array();
  for (const EffectPeriod& p : e.periods) {
    Json period = {{"period", p.year == 0 ? std::string("total") : std::to_string(p.year)}, {"months", p.months}, {"partial", p.partial}};
    if (p.year != 0) period["covered"] = p.covered;
    for (std::size_t k = 0; k < kEffectLines.size(); ++k) {
      Json s = {{"mean", p.lines[k].mean}};
      if (!exact) {
        s["p025"] = p.lines[k].p025;
        s["p975"] = p.lines[k].p975;
      }
      period[std::string(metric_name(kEffectLines[k]))] = s;
    }
    j.push_back(period);
  }
  return j;
}

Json provenance_json(const Provenance& p) {
  Json j;
  j["version"] = p.version;
  j["rng_contract"] = p.rng_contract;
  j["inputs"] = Json::array();
  for (const SourceFile& f : p.inputs) j["inputs"].push_back({{"path", f.path}, {"sha256", f.sha256}});
  j["set"] = p.set;
  j["seed"] = p.seed;
  j["replications"] = p.replications;
  j["threads"] = p.threads;
  j["discount_rate"] = p.discount_rate;
  return j;
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
  // The deadweight share (twin in job / months in xj, the ratio of the means; MODEL.md §9).
  if (!r.exact) j["deadweight_share"] = deadweight_share(r.total);
  Json yearly = Json::object(), yearly_summary = Json::object();
  for (const YearResult& y : r.yearly) {
    yearly[std::to_string(y.year)] = sides_json(r, y.summaries, true);
    if (!r.exact) yearly_summary[std::to_string(y.year)] = sides_json(r, y.summaries, false);
  }
  j["yearly"] = yearly;
  if (!r.exact) j["yearly_summary"] = yearly_summary;
  j["monthly"] = monthly_json(r);
  j["effect"] = effect_json(effect_of(r), r.exact);
  j["warnings"] = {{"rows_scaled", r.replications_rows_scaled},
                   {"on_expiry_normalised", r.replications_expiry_normalised},
                   {"messages", warnings_json(r.warnings, Json::value_t::string)},
                   {"codes", warnings_json(r.warnings, Json::value_t::object)}};
  j["notes"] = r.notes;
  j["provenance"] = provenance_json(r.provenance);
  out << j.dump(1) << "\n";
}

void write_provenance_json(const Provenance& p, std::ostream& out) { out << provenance_json(p).dump(1) << "\n"; }

CsvStyle csv_style_for_locale(const std::string& locale) {
  if (locale == "en" || locale.empty()) return io::CsvDialect::english();
  if (locale == "sv") return io::CsvDialect::swedish();
  throw InputError({"--csv-locale"}, "", "'" + printable(locale) + "'", "en (, and .) or sv (; and decimal comma)");
}

// The Swedish locale is for people in Excel: money to the öre, counts to a tenth. The English
// one is for programs and keeps full precision.
double for_reader(double v, Metric m, const CsvStyle& style) {
  if (style.decimal != ',') return v;
  const double scale = is_money(m) ? 100.0 : 10.0;
  return std::round(v * scale) / scale;
}

void csv_summary_rows(io::CsvWriter& csv, const RunResult& r, const SideSummaries& sides, const std::string& period,
                      const CsvStyle& style) {
  for (int side = 0; side < kResultSideCount; ++side) {
    for (int i = 0; i < kMetricCount; ++i) {
      const Metric m = metric_at(i);
      if (!metric_shown(r, m) || !metric_on_side(m, static_cast<ResultSide>(side))) continue;
      const Summary& s = sides[side][i];
      for (const std::string_view name : {metric_name(m), metric_alias(m)}) {
        if (name.empty()) continue;
        csv.cell(side_name(static_cast<ResultSide>(side))).cell(name).cell(for_reader(s.mean, m, style));
        for (double v : {s.sd, s.se, s.p05, s.p50, s.p95, s.p025, s.p975}) {
          if (r.exact) csv.cell("");
          else csv.cell(for_reader(v, m, style));
        }
        csv.cell(period).end_row();
      }
    }
  }
}

void write_csv(const RunResult& r, std::ostream& out, const CsvStyle& style) {
  io::CsvWriter csv(out, style);
  // Headers in Swedish for the Swedish spreadsheet locale; the rows keep the code names, so
  // files in either locale join on them.
  const Language header = style.decimal == ',' ? Language::kSwedish : Language::kEnglish;
  for (const char* c : {"side", "metric", "mean", "sd", "se", "p05", "p50", "p95", "p025", "p975", "period"}) csv.cell(word(c, header));
  csv.end_row();
  csv_summary_rows(csv, r, r.total, "total", style);
  for (const YearResult& y : r.yearly) csv_summary_rows(csv, r, y.summaries, std::to_string(y.year), style);
}

void write_wide_csv(const RunResult& r, std::ostream& out, const CsvStyle& style) {
  io::CsvWriter csv(out, style);
  csv.cell("side").cell("metric");
  for (const YearResult& y : r.yearly) csv.cell(std::to_string(y.year));
  csv.cell("total").end_row();
  for (int side = 0; side < kResultSideCount; ++side) {
    for (int i = 0; i < kMetricCount; ++i) {
      const Metric m = metric_at(i);
      if (!metric_shown(r, m) || !metric_on_side(m, static_cast<ResultSide>(side))) continue;
      csv.cell(side_name(static_cast<ResultSide>(side))).cell(metric_name(m));
      for (const YearResult& y : r.yearly) csv.cell(for_reader(y.summaries[side][i].mean, m, style));
      csv.cell(for_reader(r.total[side][i].mean, m, style)).end_row();
    }
  }
}

void write_monthly_csv(const RunResult& r, std::ostream& out, const CsvStyle& style) {
  io::CsvWriter csv(out, style);
  for (const char* c : {"month", "side", "metric", "mean"}) csv.cell(c);
  csv.end_row();
  for (const MonthResult& m : r.monthly) {
    for (int side = 0; side < kResultSideCount; ++side) {
      for (int i = 0; i < kMetricCount; ++i) {
        const Metric metric = metric_at(i);
        if (!metric_shown(r, metric) || is_stock(metric) || !metric_on_side(metric, static_cast<ResultSide>(side))) continue;
        for (const std::string_view name : {metric_name(metric), metric_alias(metric)}) {
          if (name.empty()) continue;
          csv.cell(m.month.to_string()).cell(side_name(static_cast<ResultSide>(side))).cell(name).cell(m.mean[side][i]);
          csv.end_row();
        }
      }
    }
  }
}

void write_samples_csv(const RunResult& r, const std::vector<SampleColumn>& columns, std::ostream& out, const CsvStyle& style) {
  if (r.exact || r.samples.replications() == 0) {
    throw InputError({"--samples"}, "", "an exact result (expected values)", "a Monte Carlo run");
  }
  std::vector<std::vector<double>> values;
  for (const SampleColumn& c : columns) values.push_back(r.samples.column(c.side, c.period, c.metric));
  io::CsvWriter csv(out, style);
  csv.cell("replication");
  for (const SampleColumn& c : columns) csv.cell(c.name);
  csv.end_row();
  for (std::int64_t rep = 0; rep < r.samples.replications(); ++rep) {
    csv.cell(rep);
    for (const std::vector<double>& v : values) csv.cell(v[static_cast<std::size_t>(rep)]);
    csv.end_row();
  }
}

void write_result(const RunResult& r, OutputFormat format, std::ostream& out, const CsvStyle& style, Language lang) {
  switch (format) {
    case OutputFormat::kTable: return write_table(r, out, lang);
    case OutputFormat::kJson: return write_json(r, out);
    case OutputFormat::kCsv: return write_csv(r, out, style);
  }
}

namespace {

// The metrics a budget comparison shows: the municipality's net and its lines, the state's
// and the public net, and people in each state.
bool compared(Metric m) {
  return !is_present_value(m) && !is_stock(m) && !is_twin(m) && m != Metric::kIndividualIncome &&
         m != Metric::kIndividualTax && m != Metric::kIndividualDisposableIncome;
}

void comparison_table(const ScenarioComparison& c, std::ostream& out, Language lang) {
  const bool sv = lang == Language::kSwedish;
  const std::string replications = number_text(static_cast<double>(c.replications), 0, lang);
  if (sv) {
    out << "extrasim " << kVersion << "  jämförelse av " << c.names.size() << " scenarier, " << replications
        << " replikeringar vardera, frö " << c.seed << " (samma personer och slumptal i alla scenarier)\n";
  } else {
    out << "extrasim " << kVersion << "  comparison of " << c.names.size() << " scenarios, " << replications
        << " replications each, seed " << c.seed << " (the same people and random numbers in every scenario)\n";
  }
  for (const Warning& w : c.warnings) out << word("warning", lang) << ": " << warning_text(w, lang) << "\n";
  out << "\n" << word("compare effect title", lang) << "\n";
  for (std::size_t k = 0; k < c.names.size(); ++k) {
    TextTable t;
    write_effect(c.names[k], c.effects[k], false, t, lang);
    t.print(out);
    out << "\n";
  }
  out << word("compare side by side title", lang) << "\n";
  for (std::size_t p = 0; p < c.periods.size(); ++p) {
    TextTable t;
    std::vector<std::string> head = {p == 0 ? std::string(word("Whole period", lang))
                                            : std::string(word("Budget year", lang)) + " " + c.periods[p]};
    for (const std::string& n : c.names) head.push_back(n);
    for (std::size_t k = 1; k < c.names.size(); ++k) {
      head.push_back(c.names[k] + " - " + c.names[0] + " [95 %]");
      head.emplace_back(word("P(higher)", lang));
    }
    t.row(head);
    t.rule();
    for (int i = 0; i < kMetricCount; ++i) {
      const Metric m = metric_at(i);
      if (!compared(m)) continue;
      if (m == Metric::kMonthsFs) t.blank();
      std::vector<std::string> cells = {std::string(metric_label(m, lang))};
      for (const auto& means : c.means) cells.push_back(value_text(m, means[p][i], lang));
      for (const auto& vs : c.versus_first) {
        const Summary& d = vs[p][i];
        cells.push_back(value_text(m, d.mean, lang) + " [" + value_text(m, d.p025, lang) + ", " + value_text(m, d.p975, lang) + "]");
        cells.push_back(number_text(100.0 * d.p_positive, 0, lang) + " %");
      }
      t.row(cells);
    }
    out << "\n";
    t.print(out);
  }
  for (const std::string& note : c.notes) out << "\nnote: " << note << "\n";
}

}  // namespace

void write_comparison(const ScenarioComparison& c, OutputFormat format, std::ostream& out, const CsvStyle& style,
                      Language lang) {
  if (format == OutputFormat::kTable) return comparison_table(c, out, lang);
  if (format == OutputFormat::kJson) {
    Json j;
    j["extrasim"] = kVersion;
    j["seed"] = c.seed;
    j["replications"] = c.replications;
    j["scenarios"] = c.names;
    j["warnings"] = warnings_json(c.warnings, Json::value_t::string);
    j["warning_codes"] = warnings_json(c.warnings, Json::value_t::object);
    j["notes"] = c.notes;
    j["effects"] = Json::object();
    for (std::size_t k = 0; k < c.names.size(); ++k) j["effects"][c.names[k]] = effect_json(c.effects[k], false);
    for (std::size_t p = 0; p < c.periods.size(); ++p) {
      Json period;
      for (std::size_t k = 0; k < c.names.size(); ++k) {
        Json means = Json::object();
        for (int i = 0; i < kMetricCount; ++i) {
          means[std::string(metric_name(metric_at(i)))] = c.means[k][p][i];
          if (const auto alias = metric_alias(metric_at(i)); !alias.empty()) means[std::string(alias)] = c.means[k][p][i];
        }
        period["means"][c.names[k]] = means;
      }
      for (std::size_t k = 1; k < c.names.size(); ++k) {
        Json diffs = Json::object();
        for (int i = 0; i < kMetricCount; ++i) {
          const Json d = summary_json(c.versus_first[k - 1][p][i], false);
          diffs[std::string(metric_name(metric_at(i)))] = d;
          if (const auto alias = metric_alias(metric_at(i)); !alias.empty()) diffs[std::string(alias)] = d;
        }
        period["versus_first"][c.names[k]] = diffs;
      }
      j["periods"][c.periods[p]] = period;
    }
    out << j.dump(1) << "\n";
    return;
  }
  io::CsvWriter csv(out, style);
  for (const char* h : {"period", "metric", "scenario", "mean", "difference_to_first", "p025", "p975", "p_higher"}) csv.cell(h);
  csv.end_row();
  for (std::size_t p = 0; p < c.periods.size(); ++p) {
    for (int i = 0; i < kMetricCount; ++i) {
      for (const std::string_view name : {metric_name(metric_at(i)), metric_alias(metric_at(i))}) {
        if (name.empty()) continue;
        for (std::size_t k = 0; k < c.names.size(); ++k) {
          csv.cell(c.periods[p]).cell(name).cell(c.names[k]).cell(c.means[k][p][i]);
          if (k == 0) {
            for (int e = 0; e < 4; ++e) csv.cell("");
          } else {
            const Summary& d = c.versus_first[k - 1][p][i];
            for (double v : {d.mean, d.p025, d.p975, d.p_positive}) csv.cell(v);
          }
          csv.end_row();
        }
      }
    }
  }
}

}  // namespace extrasim
