#include "extrasim/write/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "extrasim/results/effect.hpp"
#include "extrasim/version.hpp"
#include "text_format.hpp"

namespace extrasim {

namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Thousands grouped by a narrow no-break space, as in Swedish print.
std::string fmt(double v, int decimals = 0) { return text::grouped(v, decimals, "&#8239;", "&minus;"); }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A "nice" axis top and step for values up to `hi`.
std::pair<double, double> nice_axis(double lo, double hi) {
  const double span = std::max(hi - lo, 1e-9);
  const double raw = span / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
  return {std::floor(lo / step) * step, step};
}

// Plot area of every chart.
struct Frame {
  double w = 760, h = 260, left = 80, right = 20, top = 20, bottom = 40;
  double lo = 0, hi = 1;  // y range
  double x(double f) const { return left + f * (w - left - right); }  // f in [0, 1]
  double y(double v) const { return top + (h - top - bottom) * (1 - (v - lo) / (hi - lo)); }
};

// Sets f's range to nice ticks covering [min(lo, 0), max(hi, 0)] and draws them; labels are
// value / divisor with `decimals` digits.
void y_axis(std::ostream& o, Frame& f, double lo, double hi, int decimals = 0, double divisor = 1) {
  auto [start, step] = nice_axis(std::min(lo, 0.0), std::max(hi, 0.0));
  f.lo = start;
  f.hi = std::max(std::ceil(std::max(hi, 0.0) / step) * step, start + step);
  const int ticks = static_cast<int>(std::lround((f.hi - f.lo) / step));
  for (int t = 0; t <= ticks; ++t) {
    const double v = f.lo + t * step;
    o << "<line x1='" << num(f.left) << "' x2='" << num(f.w - f.right) << "' y1='" << num(f.y(v)) << "' y2='" << num(f.y(v))
      << "' class='grid'/><text x='" << num(f.left - 6) << "' y='" << num(f.y(v) + 4) << "' class='ylab'>" << fmt(v / divisor, decimals) << "</text>";
  }
}

const char* const kColours[3] = {"#c0392b", "#1f5fa8", "#2e8b57"};  // fs, xj, job
const char* const kPeopleNames[3] = {"social assistance (fs)", "extratjänst (xj)", "regular work (job)"};
const char* const kScenarioColours[6] = {"#1f5fa8", "#e67e22", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d"};

// People in fs, xj and job per month: median line and 5-95 % band.
void fan_chart(std::ostream& o, const RunResult& r, const std::vector<ObservedPeople>& observed, const std::string& id) {
  Frame f;
  double hi = 0;
  for (const auto& m : r.monthly_people) {
    for (const Summary& s : m) hi = std::max(hi, s.p95);
  }
  for (const ObservedPeople& p : observed) hi = std::max(hi, p.value + 2 * p.se);
  o << "<svg id='" << id << "' class='chart fan' viewBox='0 0 " << num(f.w) << " " << num(f.h + (observed.empty() ? 42 : 60))
    << "' role='img' aria-label='People per month, median and 5-95 % band'>";
  y_axis(o, f, 0, hi);
  const std::size_t n = r.monthly_people.size();
  auto fx = [&](std::size_t m) { return f.x(n > 1 ? static_cast<double>(m) / static_cast<double>(n - 1) : 0.5); };
  for (int k = 0; k < 3; ++k) {
    std::ostringstream band, line;
    for (std::size_t m = 0; m < n; ++m) band << num(fx(m)) << "," << num(f.y(r.monthly_people[m][k].p95)) << " ";
    for (std::size_t m = n; m-- > 0;) band << num(fx(m)) << "," << num(f.y(r.monthly_people[m][k].p05)) << " ";
    for (std::size_t m = 0; m < n; ++m) line << num(fx(m)) << "," << num(f.y(r.monthly_people[m][k].p50)) << " ";
    o << "<polygon class='band' points='" << band.str() << "' fill='" << kColours[k] << "'/>"
      << "<polyline class='median' points='" << line.str() << "' stroke='" << kColours[k] << "'/>";
  }
  // The same people without the programme (the baseline's means), dashed: what the bands
  // are measured against.
  constexpr Metric kPeopleMetrics[3] = {Metric::kMonthsFs, Metric::kMonthsXj, Metric::kMonthsJob};
  for (int k = 0; k < 3; ++k) {
    if (k == 1) continue;  // nobody is in xj without the programme
    std::ostringstream line;
    for (std::size_t m = 0; m < n && m < r.monthly.size(); ++m) line << num(fx(m)) << "," << num(f.y(r.monthly[m].mean[1][index_of(kPeopleMetrics[k])])) << " ";
    o << "<polyline class='baseline' points='" << line.str() << "' stroke='" << kColours[k] << "'/>";
  }
  for (std::size_t m = 0; m < n; ++m) {
    const YearMonth ym = r.calendar.month(static_cast<int>(m));
    if (ym.month == 1 || m == 0) {
      o << "<text x='" << num(fx(m)) << "' y='" << num(f.h - f.bottom + 16) << "' class='xlab'>" << ym.to_string() << "</text>";
    }
  }
  for (int k = 0; k < 3; ++k) {
    o << "<rect x='" << num(f.left + 10 + 170 * k) << "' y='" << num(f.h + 6) << "' width='12' height='12' fill='" << kColours[k]
      << "'/><text x='" << num(f.left + 26 + 170 * k) << "' y='" << num(f.h + 16) << "' class='legend'>" << kPeopleNames[k] << "</text>";
  }
  o << "<line class='baseline' x1='" << num(f.left + 10) << "' y1='" << num(f.h + 30) << "' x2='" << num(f.left + 34) << "' y2='"
    << num(f.h + 30) << "' stroke='#111'/><text x='" << num(f.left + 40) << "' y='" << num(f.h + 34)
    << "' class='legend'>dashed: the same people without the programme (mean)</text>";
  // A calibration's targets: observed value and +-2 standard errors, in the series' colour.
  for (const ObservedPeople& p : observed) {
    const double x = fx(static_cast<std::size_t>(p.month.serial() - r.calendar.start.serial()));
    o << "<line class='whisker' x1='" << num(x) << "' x2='" << num(x) << "' y1='" << num(f.y(std::max(0.0, p.value - 2 * p.se)))
      << "' y2='" << num(f.y(p.value + 2 * p.se)) << "'/><circle class='observed' cx='" << num(x) << "' cy='" << num(f.y(p.value))
      << "' r='3.5' fill='" << kColours[p.state] << "'/>";
  }
  if (!observed.empty()) {
    o << "<circle class='observed' cx='" << num(f.left + 22) << "' cy='" << num(f.h + 48) << "' r='3.5' fill='#fff'/><text x='"
      << num(f.left + 40) << "' y='" << num(f.h + 52) << "' class='legend'>points: observed, &#177;2 standard errors (the "
      << "calibration's targets, fit.csv)</text>";
  }
  o << "<text x='12' y='" << num(f.top + (f.h - f.top - f.bottom) / 2) << "' class='axis-title' transform='rotate(-90 12 "
    << num(f.top + (f.h - f.top - f.bottom) / 2) << ")'>persons</text>";
  o << "</svg>";
}

// The programme's effect on the municipality net per budget year (scenario minus the same
// people without it), mean with 95 % interval, per scenario.
void budget_bars(std::ostream& o, const std::vector<ReportScenario>& s) {
  Frame f;
  double lo = 0, hi = 0;
  for (const auto& sc : s) {
    for (const YearResult& y : sc.result.yearly) {
      const Summary& v = y.summaries[static_cast<int>(ResultSide::kDifference)][index_of(Metric::kMunicipalityNet)];
      lo = std::min(lo, v.p025);
      hi = std::max(hi, v.p975);
    }
  }
  o << "<svg id='budget-years' class='chart bars' viewBox='0 0 " << num(f.w) << " " << num(f.h + 24)
    << "' role='img' aria-label='The programme\'s effect on the municipality net per budget year'>";
  y_axis(o, f, lo, hi, 1, 1e6);
  o << "<text x='12' y='14' class='legend'>MSEK</text>";
  const std::vector<YearResult>& years = s.front().result.yearly;
  const Effect labels = effect_of(s.front().result);
  const double slot = 1.0 / static_cast<double>(years.size());
  const double bar = slot * 0.8 / static_cast<double>(s.size());
  for (std::size_t yi = 0; yi < years.size(); ++yi) {
    const EffectPeriod& period = labels.periods[yi];  // names a partial year as such
    o << "<text x='" << num(f.x(slot * (static_cast<double>(yi) + 0.5))) << "' y='" << num(f.h - f.bottom + 16) << "' class='xlab'>"
      << esc(period_label(period)) << "</text>";
    for (std::size_t k = 0; k < s.size(); ++k) {
      const Summary& v = s[k].result.yearly[yi].summaries[static_cast<int>(ResultSide::kDifference)][index_of(Metric::kMunicipalityNet)];
      const double x0 = f.x(slot * static_cast<double>(yi) + slot * 0.1 + bar * static_cast<double>(k));
      const double x1 = f.x(slot * static_cast<double>(yi) + slot * 0.1 + bar * static_cast<double>(k + 1));
      const double y0 = f.y(0), y1 = f.y(v.mean);
      o << "<rect class='bar' x='" << num(x0) << "' width='" << num(x1 - x0 - 2) << "' y='" << num(std::min(y0, y1))
        << "' height='" << num(std::abs(y1 - y0)) << "' fill='" << kScenarioColours[k % 6] << "'><title>" << esc(s[k].result.scenario)
        << " " << years[yi].year << ": " << fmt(v.mean) << " kr</title></rect>"
        << "<line class='whisker' x1='" << num((x0 + x1) / 2) << "' x2='" << num((x0 + x1) / 2) << "' y1='" << num(f.y(v.p025))
        << "' y2='" << num(f.y(v.p975)) << "'/>";
    }
  }
  for (std::size_t k = 0; k < s.size(); ++k) {
    o << "<rect x='" << num(f.left + 10 + 240 * static_cast<double>(k)) << "' y='" << num(f.h + 6) << "' width='12' height='12' fill='"
      << kScenarioColours[k % 6] << "'/><text x='" << num(f.left + 26 + 240 * static_cast<double>(k)) << "' y='" << num(f.h + 16)
      << "' class='legend'>" << esc(s[k].result.scenario) << "</text>";
  }
  o << "</svg>";
}

// Histogram of the replications' difference in municipality net (scenario - baseline).
void distribution(std::ostream& o, const RunResult& r, const std::string& id, const char* colour) {
  const std::vector<double> d = r.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
  const auto [mn, mx] = std::minmax_element(d.begin(), d.end());
  const double lo = *mn, hi = *mx > *mn ? *mx : *mn + 1;
  constexpr int kBins = 30;
  std::vector<int> bins(kBins, 0);
  for (double v : d) bins[std::min(kBins - 1, static_cast<int>((v - lo) / (hi - lo) * kBins))]++;
  Frame f;
  o << "<svg id='" << id << "' class='chart histogram' viewBox='0 0 " << num(f.w) << " " << num(f.h)
    << "' role='img' aria-label='Distribution of the municipality net difference'>";
  y_axis(o, f, 0, *std::max_element(bins.begin(), bins.end()));
  for (int b = 0; b < kBins; ++b) {
    const double x0 = f.x(static_cast<double>(b) / kBins), x1 = f.x(static_cast<double>(b + 1) / kBins);
    o << "<rect class='bar' x='" << num(x0) << "' width='" << num(x1 - x0 - 1) << "' y='" << num(f.y(bins[b]))
      << "' height='" << num(f.y(0) - f.y(bins[b])) << "' fill='" << colour << "'/>";
  }
  for (int t = 0; t <= 4; ++t) {
    const double v = lo + (hi - lo) * t / 4;
    o << "<text x='" << num(f.x(t / 4.0)) << "' y='" << num(f.h - f.bottom + 16) << "' class='xlab'>" << fmt(v / 1e6, 2) << " MSEK</text>";
  }
  const Summary s = summarize(d);
  const double xm = f.x((s.mean - lo) / (hi - lo));
  o << "<line class='mean' x1='" << num(xm) << "' x2='" << num(xm) << "' y1='" << num(f.top) << "' y2='" << num(f.y(0)) << "'/>"
    << "<text x='" << num(xm + 4) << "' y='" << num(f.top + 10) << "' class='legend'>mean " << fmt(s.mean) << " kr; P(&gt; 0) "
    << fmt(100 * s.p_positive) << " %</text></svg>";
}

// The effect on people beside the deadweight (MODEL.md §9): each person's baseline twin
// shows what the months in xj displaced.
void effect_and_deadweight(std::ostream& o, const RunResult& r, const std::string& id) {
  const auto mean = [&](ResultSide side, Metric m) { return r.total[static_cast<int>(side)][index_of(m)].mean; };
  const double xj = mean(ResultSide::kScenario, Metric::kMonthsXj);
  if (xj <= 0.0) return;
  o << "<p class='note' id='" << id << "'>Effect over the whole period (difference to the baseline, mean person-months): job "
    << fmt(mean(ResultSide::kDifference, Metric::kMonthsJob), 1) << ", fs " << fmt(mean(ResultSide::kDifference, Metric::kMonthsFs), 1)
    << ". Of " << fmt(xj, 1) << " months in xj, the person's baseline twin was in a job in "
    << fmt(mean(ResultSide::kDifference, Metric::kTwinXjBaselineJob), 1) << " and in fs in "
    << fmt(mean(ResultSide::kDifference, Metric::kTwinXjBaselineFs), 1) << ": a deadweight share of "
    << fmt(100.0 * deadweight_share(r.total), 1) << "&nbsp;%.</p>";
}

void comparison_html(std::ostream& o, const ScenarioComparison& c) {
  constexpr Metric kRows[] = {Metric::kMunicipalityNet, Metric::kMunicipalityFsBenefit, Metric::kMunicipalityXjWageCost,
                              Metric::kMunicipalityXjSubsidy, Metric::kMunicipalitySupervisionSupport, Metric::kStateNet,
                              Metric::kPublicNet, Metric::kMonthsXj, Metric::kMonthsFs, Metric::kMonthsJob};
  o << "<table id='comparison'><thead><tr><th>period</th><th>metric</th>";
  for (const std::string& n : c.names) o << "<th>" << esc(n) << "</th>";
  for (std::size_t k = 1; k < c.names.size(); ++k) o << "<th>" << esc(c.names[k]) << " &minus; " << esc(c.names[0]) << " [95&nbsp;%]</th><th>P(higher)</th>";
  o << "</tr></thead><tbody>";
  for (std::size_t p = 0; p < c.periods.size(); ++p) {
    for (Metric m : kRows) {
      const int i = index_of(m);
      const int decimals = is_money(m) ? 0 : 1;
      o << "<tr><td>" << esc(c.periods[p]) << "</td><td>" << metric_name(m) << "</td>";
      for (const auto& means : c.means) o << "<td class='n'>" << fmt(means[p][i], decimals) << "</td>";
      for (const auto& vs : c.versus_first) {
        const Summary& d = vs[p][i];
        o << "<td class='n'>" << fmt(d.mean, decimals) << " [" << fmt(d.p025, decimals) << ", " << fmt(d.p975, decimals)
          << "]</td><td class='n'>" << fmt(100 * d.p_positive) << "&nbsp;%</td>";
      }
      o << "</tr>";
    }
  }
  o << "</tbody></table>";
}

// The planner's first question, first: each scenario against no programme, per budget year
// and payer; a partial year is named as such.
void effect_html(std::ostream& o, const ReportScenario& s) {
  const Effect e = effect_of(s.result);
  o << "<h3>" << esc(s.result.scenario) << "</h3><table class='effect'><thead><tr><th>budget year</th>";
  for (Metric m : kEffectLines) o << "<th>" << esc(std::string(metric_name(m))) << "</th>";
  o << "</tr></thead><tbody>";
  for (const EffectPeriod& p : e.periods) {
    o << "<tr" << (p.year == 0 ? " class='total'" : "") << "><td>" << esc(period_label(p)) << "</td>";
    for (const Summary& d : p.lines) {
      o << "<td class='n'>" << fmt(d.mean) << "<br><span class='note'>[" << fmt(d.p025) << ", " << fmt(d.p975) << "]</span></td>";
    }
    o << "</tr>";
  }
  o << "</tbody></table>";
}

void warnings_box(std::ostream& o, const std::vector<ReportScenario>& s, const ScenarioComparison* c) {
  std::vector<std::string> all;
  if (c) {
    all = c->warnings;
  } else {
    for (const ReportScenario& r : s) {
      for (const std::string& w : r.result.warnings) all.push_back(r.result.scenario + ": " + w);
    }
  }
  if (all.empty()) return;
  o << "<div class='warnings'><b>Read before quoting</b><ul>";
  for (const std::string& w : all) o << "<li>" << esc(w) << "</li>";
  o << "</ul></div>";
}

void provenance_block(std::ostream& o, const Provenance& p) {
  o << "<p class='note'>extrasim " << esc(p.version) << ", random-number contract " << esc(p.rng_contract) << "; seed "
    << p.seed << ", " << p.replications << " replications, " << p.threads << " threads, discount rate " << p.discount_rate << ".";
  for (const SourceFile& f : p.inputs) o << " Input " << esc(f.path) << " (SHA-256 <code>" << esc(f.sha256) << "</code>).";
  for (const std::string& flag : p.set) o << " Set: <code>" << esc(flag) << "</code>.";
  o << "</p>";
}

void assumptions(std::ostream& o, const ReportScenario& s) {
  o << "<details open><summary>Assumptions of <b>" << esc(s.result.scenario) << "</b> (" << esc(s.file) << ")</summary>";
  if (!s.header_comments.empty()) {
    o << "<p class='header'>";
    for (const std::string& line : s.header_comments) o << esc(line) << " ";
    o << "</p>";
  }
  o << "<p class='note'>The scenario as it ran: every parameter, defaults included; <i>from</i> says where "
       "its value came from (the file's line, a flag such as --set, or the default).</p>";
  o << "<table class='assumptions'><thead><tr><th>parameter</th><th>value</th><th>from</th><th>source or note</th></tr></thead><tbody>";
  for (const Assumption& a : s.assumptions) {
    o << "<tr" << (a.origin.starts_with("--") ? " class='set'" : "") << "><td>" << esc(a.path) << "</td><td><code>"
      << esc(a.value) << "</code></td><td>" << esc(a.origin) << "</td><td>" << esc(a.comment) << "</td></tr>";
  }
  o << "</tbody></table>";
  provenance_block(o, s.result.provenance);
  o << "</details>";
}

const char* const kStyle = R"(
body { font-family: sans-serif; color: #111; background: #fff; max-width: 60em; margin: 1em auto; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
td, th { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
.chart { width: 100%; height: auto; }
.grid { stroke: #ddd; stroke-width: 1; } .ylab { font-size: 11px; text-anchor: end; fill: #333; }
.xlab { font-size: 11px; text-anchor: middle; fill: #333; } .legend { font-size: 12px; fill: #111; }
.band { fill-opacity: 0.18; stroke: none; } .median { fill: none; stroke-width: 2; }
.baseline { fill: none; stroke-width: 1.5; stroke-dasharray: 6 4; } .axis-title { font-size: 11px; text-anchor: middle; fill: #333; }
.whisker { stroke: #111; stroke-width: 1.5; } .observed { stroke: #111; stroke-width: 1; } .mean { stroke: #111; stroke-dasharray: 4 3; }
.note { font-size: 0.85em; color: #444; } tr.total td { font-weight: bold; }
.warnings { border: 2px solid #b45309; background: #fffbeb; padding: 0.5em 1em; margin: 1em 0; } tr.set td { background: #fff3cd; }
@page { size: A4; margin: 15mm 12mm; }
@media print { body { max-width: none; margin: 0; font-size: 10pt; } h2 { page-break-after: avoid; }
  .chart, table, .warnings { page-break-inside: avoid; } details > summary { list-style: none; }
  details:not([open]) > *:not(summary) { display: block; } table.assumptions { font-size: 8pt; } }
)";

}  // namespace

ReportScenario report_scenario(const Scenario& scenario, RunResult result) {
  return {std::move(result), scenario.source_file, scenario.header_comments, assumptions_of(scenario), {}};
}

void write_report_html(const std::vector<ReportScenario>& s, const ScenarioComparison* comparison, std::ostream& o) {
  const RunResult& first = s.front().result;
  o << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>extrasim report: ";
  for (std::size_t k = 0; k < s.size(); ++k) o << (k ? ", " : "") << esc(s[k].result.scenario);
  o << "</title><style>" << kStyle << "</style></head><body>";
  o << "<h1>What the extratjänster cost and save</h1><p class='note'>extrasim " << kVersion << "; "
    << fmt(static_cast<double>(first.replications)) << " replications, seed " << first.seed << "; "
    << first.calendar.start.to_string() << " to " << first.calendar.month(first.calendar.months - 1).to_string()
    << ". Money in kronor, nominal; sign = money in for the payer. The baseline is the same people without the "
       "programme; every scenario meets the same random numbers. Intervals: 2.5th to 97.5th percentile of the replications.</p>";
  warnings_box(o, s, comparison);
  o << "<h2>The programme's effect per budget year</h2><p class='note'>Each scenario minus the same people without the "
       "programme, by payer: mean and, below it, the 95&nbsp;% interval. A year in parentheses is partial.</p>";
  for (const ReportScenario& sc : s) effect_html(o, sc);
  o << "<h2>People per month</h2><p class='note'>Median (line) and 5&ndash;95&nbsp;% of replications (band).</p>";
  for (std::size_t k = 0; k < s.size(); ++k) {
    o << "<h3>" << esc(s[k].result.scenario) << "</h3>";
    fan_chart(o, s[k].result, s[k].observed, "fan-" + std::to_string(k));
  }
  o << "<h2>The municipality's net gain per budget year</h2><p class='note'>Each scenario minus the same people without the "
       "programme, mean and 95&nbsp;% interval; a year in parentheses is partial.</p>";
  budget_bars(o, s);
  o << "<h2>The municipality's net gain from the programme</h2><p class='note'>Difference to the baseline over the "
       "whole period, one value per replication.</p>";
  for (std::size_t k = 0; k < s.size(); ++k) {
    o << "<h3>" << esc(s[k].result.scenario) << "</h3>";
    distribution(o, s[k].result, "distribution-" + std::to_string(k), kScenarioColours[k % 6]);
    effect_and_deadweight(o, s[k].result, "effect-" + std::to_string(k));
  }
  if (comparison) {
    o << "<h2>Comparison</h2><p class='note'>Scenario side; differences to the first scenario are paired per replication.</p>";
    comparison_html(o, *comparison);
  }
  o << "<h2>Assumptions</h2>";
  for (const ReportScenario& sc : s) assumptions(o, sc);
  o << "</body></html>\n";
}

}  // namespace extrasim
