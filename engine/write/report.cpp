#include "extrasim/write/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "extrasim/results/effect.hpp"
#include "extrasim/results/warnings.hpp"
#include "extrasim/write/labels.hpp"
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

// A number as the report's language writes it: "1,234,567.5" (English) or "1 234 567,5"
// (Swedish, narrow no-break spaces), with a real minus sign in both.
struct Numbers {
  Language lang = Language::kEnglish;
  std::string operator()(double v, int decimals = 0) const {
    if (lang == Language::kEnglish) return text::grouped(v, decimals, ",", "&minus;");
    std::string out = text::grouped(v, decimals, "&#8239;", "&minus;");
    for (char& c : out) {
      if (c == '.') c = ',';
    }
    return out;
  }
};

// The report's words: the label catalogue's, then the report's own sentences.
std::string say(std::string_view key, Language lang) { return std::string(word(key, lang)); }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// How wide a label is drawn, in px, at the 11-12 px of the charts: a generous 7 px a
// character (digits and lower case are narrower), so that a label placed by it stays inside.
double label_width(const std::string& html_text) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < html_text.size(); ++i) {
    if (html_text[i] == '&') i = html_text.find(';', i);  // an entity is one character
    else if ((static_cast<unsigned char>(html_text[i]) & 0xC0) == 0x80) continue;  // UTF-8 continuation
    ++chars;
  }
  return 7.0 * static_cast<double>(chars);
}

// A "nice" axis start and step for values from lo to hi.
std::pair<double, double> nice_axis(double lo, double hi) {
  const double span = std::max(hi - lo, 1e-9);
  const double raw = span / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
  return {std::floor(lo / step) * step, step};
}

// Plot area of every chart.
struct Frame {
  double w = 760, h = 260, left = 80, right = 24, top = 20, bottom = 44;
  double lo = 0, hi = 1;  // y range
  double x(double f) const { return left + f * (w - left - right); }  // f in [0, 1]
  double y(double v) const { return top + (h - top - bottom) * (1 - (v - lo) / (hi - lo)); }
};

// Sets f's range to nice ticks covering [min(lo, 0), max(hi, 0)], makes the left margin wide
// enough for the longest tick label and the axis title beside it, and draws ticks and title.
// Labels are value / divisor with `decimals` digits.
void y_axis(std::ostream& o, Frame& f, double lo, double hi, const Numbers& fmt, const std::string& title, int decimals = 0,
            double divisor = 1) {
  auto [start, step] = nice_axis(std::min(lo, 0.0), std::max(hi, 0.0));
  f.lo = start;
  f.hi = std::max(std::ceil(std::max(hi, 0.0) / step) * step, start + step);
  const int ticks = static_cast<int>(std::lround((f.hi - f.lo) / step));
  std::vector<std::string> labels;
  double widest = 0;
  for (int t = 0; t <= ticks; ++t) {
    labels.push_back(fmt((f.lo + t * step) / divisor, decimals));
    widest = std::max(widest, label_width(labels.back()));
  }
  f.left = std::max(f.left, widest + 30);  // 18 px for the rotated title, 6 px to the axis
  for (int t = 0; t <= ticks; ++t) {
    const double v = f.lo + t * step;
    o << "<line x1='" << num(f.left) << "' x2='" << num(f.w - f.right) << "' y1='" << num(f.y(v)) << "' y2='" << num(f.y(v))
      << "' class='grid'/><text x='" << num(f.left - 6) << "' y='" << num(f.y(v) + 4) << "' class='ylab'>" << labels[t] << "</text>";
  }
  const double middle = f.top + (f.h - f.top - f.bottom) / 2;
  o << "<text x='12' y='" << num(middle) << "' class='axis-title' transform='rotate(-90 12 " << num(middle) << ")'>" << esc(title)
    << "</text>";
}

// A label under the x axis at x, kept inside the chart: centred where it fits, else flush
// with the nearer edge.
void x_label(std::ostream& o, const Frame& f, double x, const std::string& text) {
  const double half = label_width(text) / 2;
  const char* anchor = "middle";
  if (x - half < 2) {
    anchor = "start";
    x = std::max(x - half, 2.0);
  } else if (x + half > f.w - 2) {
    anchor = "end";
    x = std::min(x + half, f.w - 2);
  }
  o << "<text x='" << num(x) << "' y='" << num(f.h - f.bottom + 16) << "' class='xlab' text-anchor='" << anchor << "'>" << text
    << "</text>";
}

void x_title(std::ostream& o, const Frame& f, const std::string& title) {
  o << "<text x='" << num(f.x(0.5)) << "' y='" << num(f.h - 6) << "' class='axis-title'>" << esc(title) << "</text>";
}

// A legend below a chart, flowing into rows: swatches (filled or dashed) and their names.
struct LegendItem {
  std::string name;  // text, escaped by the legend
  std::string colour;
  bool dashed = false;
  bool dot = false;  // an observed point
};

double legend_height(const Frame& f, const std::vector<LegendItem>& items) {
  double x = f.left, rows = 1;
  for (const LegendItem& it : items) {
    const double width = 40 + label_width(esc(it.name));
    if (x + width > f.w && x > f.left) {
      x = f.left;
      ++rows;
    }
    x += width;
  }
  return 20 * rows + 4;
}

void legend(std::ostream& o, const Frame& f, const std::vector<LegendItem>& items) {
  double x = f.left, y = f.h + 6;
  for (const LegendItem& it : items) {
    const double width = 40 + label_width(esc(it.name));
    if (x + width > f.w && x > f.left) {
      x = f.left;
      y += 20;
    }
    if (it.dashed) {
      o << "<line class='baseline' x1='" << num(x) << "' y1='" << num(y + 6) << "' x2='" << num(x + 24) << "' y2='" << num(y + 6)
        << "' stroke='" << it.colour << "'/>";
    } else if (it.dot) {
      o << "<circle class='observed' cx='" << num(x + 12) << "' cy='" << num(y + 6) << "' r='3.5' fill='#fff'/>";
    } else {
      o << "<rect x='" << num(x + 6) << "' y='" << num(y) << "' width='12' height='12' fill='" << it.colour << "'/>";
    }
    o << "<text x='" << num(x + 30) << "' y='" << num(y + 10) << "' class='legend'>" << esc(it.name) << "</text>";
    x += width;
  }
}

// One meaning per colour: the three states have theirs (fs red, xj blue, job green) and the
// scenarios a palette that shares none of them.
const char* const kStateColours[3] = {"#c0392b", "#1f5fa8", "#2e8b57"};  // fs, xj, job
const char* const kScenarioColours[6] = {"#6a3d9a", "#e08a00", "#7f5539", "#d0468a", "#5f6b6d", "#9a8c00"};

// People in fs, xj and job per month: median line and 5-95 % band, the same people without
// the programme (dashed), and a calibration's observed targets (points with +-2 se).
void fan_chart(std::ostream& o, const RunResult& r, const std::vector<ObservedPeople>& observed, const std::string& id, Language lang,
               const Numbers& fmt) {
  Frame f;
  double hi = 0;
  for (const auto& m : r.monthly_people) {
    for (const Summary& s : m) hi = std::max(hi, s.p95);
  }
  for (const ObservedPeople& p : observed) hi = std::max(hi, p.value + 2 * p.se);
  std::vector<LegendItem> items = {{say("social assistance (fs)", lang), kStateColours[0]},
                                   {say("extratjänst (xj)", lang), kStateColours[1]},
                                   {say("regular work (job)", lang), kStateColours[2]},
                                   {say("dashed: without the programme", lang), "#111", true}};
  if (!observed.empty()) items.push_back({say("points: observed, +-2 standard errors (the calibration's targets)", lang), "#111", false, true});
  o << "<svg id='" << id << "' class='chart fan' viewBox='0 0 " << num(f.w) << " " << num(f.h + legend_height(f, items))
    << "' role='img' aria-label='" << esc(say("people chart label", lang)) << "'>";
  y_axis(o, f, 0, hi, fmt, say("persons", lang));
  const std::size_t n = r.monthly_people.size();
  auto fx = [&](std::size_t m) { return f.x(n > 1 ? static_cast<double>(m) / static_cast<double>(n - 1) : 0.5); };
  for (int k = 0; k < 3; ++k) {
    std::ostringstream band, line;
    for (std::size_t m = 0; m < n; ++m) band << num(fx(m)) << "," << num(f.y(r.monthly_people[m][k].p95)) << " ";
    for (std::size_t m = n; m-- > 0;) band << num(fx(m)) << "," << num(f.y(r.monthly_people[m][k].p05)) << " ";
    for (std::size_t m = 0; m < n; ++m) line << num(fx(m)) << "," << num(f.y(r.monthly_people[m][k].p50)) << " ";
    o << "<polygon class='band' points='" << band.str() << "' fill='" << kStateColours[k] << "'/>"
      << "<polyline class='median' points='" << line.str() << "' stroke='" << kStateColours[k] << "'/>";
  }
  // The same people without the programme (the baseline's means), dashed: what the bands
  // are measured against.
  constexpr Metric kPeopleMetrics[3] = {Metric::kMonthsFs, Metric::kMonthsXj, Metric::kMonthsJob};
  for (int k = 0; k < 3; ++k) {
    if (k == 1) continue;  // nobody is in xj without the programme
    std::ostringstream line;
    for (std::size_t m = 0; m < n && m < r.monthly.size(); ++m) line << num(fx(m)) << "," << num(f.y(r.monthly[m].mean[1][index_of(kPeopleMetrics[k])])) << " ";
    o << "<polyline class='baseline' points='" << line.str() << "' stroke='" << kStateColours[k] << "'/>";
  }
  for (std::size_t m = 0; m < n; ++m) {
    const YearMonth ym = r.calendar.month(static_cast<int>(m));
    if (ym.month == 1 || m == 0) x_label(o, f, fx(m), ym.to_string());
  }
  // A calibration's targets: observed value and +-2 standard errors, in the series' colour.
  for (const ObservedPeople& p : observed) {
    const double x = fx(static_cast<std::size_t>(p.month.serial() - r.calendar.start.serial()));
    o << "<line class='whisker' x1='" << num(x) << "' x2='" << num(x) << "' y1='" << num(f.y(std::max(0.0, p.value - 2 * p.se)))
      << "' y2='" << num(f.y(p.value + 2 * p.se)) << "'/><circle class='observed' cx='" << num(x) << "' cy='" << num(f.y(p.value))
      << "' r='3.5' fill='" << kStateColours[p.state] << "'/>";
  }
  x_title(o, f, say("month", lang));
  legend(o, f, items);
  o << "</svg>";
}

// The difference side of a metric in a period of the effect (a calendar year, or the whole
// horizon after the years).
const Summary& difference_in(const RunResult& r, std::size_t period, Metric m) {
  const auto& sides = period < r.yearly.size() ? r.yearly[period].summaries : r.total;
  return sides[static_cast<int>(ResultSide::kDifference)][index_of(m)];
}

// The programme's effect on the municipality net per budget year (scenario minus the same
// people without it), mean with 95 % interval, per scenario.
void budget_bars(std::ostream& o, const std::vector<ReportScenario>& s, Language lang, const Numbers& fmt) {
  Frame f;
  double lo = 0, hi = 0;
  for (const auto& sc : s) {
    for (std::size_t yi = 0; yi < sc.result.yearly.size(); ++yi) {
      const Summary& v = difference_in(sc.result, yi, Metric::kMunicipalityNet);
      lo = std::min({lo, v.p025, v.mean});
      hi = std::max({hi, v.p975, v.mean});
    }
  }
  std::vector<LegendItem> items;
  for (std::size_t k = 0; k < s.size(); ++k) items.push_back({s[k].result.scenario, kScenarioColours[k % 6]});
  o << "<svg id='budget-years' class='chart bars' viewBox='0 0 " << num(f.w) << " " << num(f.h + legend_height(f, items))
    << "' role='img' aria-label='" << esc(say("budget chart label", lang)) << "'>";
  y_axis(o, f, lo, hi, fmt, say("municipality net effect, MSEK", lang), 1, 1e6);
  const std::vector<YearResult>& years = s.front().result.yearly;
  const Effect labels = effect_of(s.front().result);
  const double slot = 1.0 / static_cast<double>(years.size());
  const double bar = slot * 0.8 / static_cast<double>(s.size());
  for (std::size_t yi = 0; yi < years.size(); ++yi) {
    x_label(o, f, f.x(slot * (static_cast<double>(yi) + 0.5)), esc(period_text(labels.periods[yi], lang)));
    for (std::size_t k = 0; k < s.size(); ++k) {
      const Summary& v = difference_in(s[k].result, yi, Metric::kMunicipalityNet);
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
  o << "<line class='zero' x1='" << num(f.left) << "' x2='" << num(f.w - f.right) << "' y1='" << num(f.y(0)) << "' y2='"
    << num(f.y(0)) << "'/>";
  x_title(o, f, say("budget year", lang));
  legend(o, f, items);
  o << "</svg>";
}

// Histogram of the replications' difference in municipality net (scenario - baseline).
void distribution(std::ostream& o, const RunResult& r, const std::string& id, const char* colour, Language lang, const Numbers& fmt) {
  const std::vector<double> d = r.samples.column(ResultSide::kDifference, 0, Metric::kMunicipalityNet);
  const auto [mn, mx] = std::minmax_element(d.begin(), d.end());
  const double lo = *mn, hi = *mx > *mn ? *mx : *mn + 1;
  constexpr int kBins = 30;
  std::vector<int> bins(kBins, 0);
  for (double v : d) bins[std::min(kBins - 1, static_cast<int>((v - lo) / (hi - lo) * kBins))]++;
  Frame f;
  o << "<svg id='" << id << "' class='chart histogram' viewBox='0 0 " << num(f.w) << " " << num(f.h)
    << "' role='img' aria-label='" << esc(say("distribution chart label", lang)) << "'>";
  y_axis(o, f, 0, *std::max_element(bins.begin(), bins.end()), fmt, say("replications", lang));
  for (int b = 0; b < kBins; ++b) {
    const double x0 = f.x(static_cast<double>(b) / kBins), x1 = f.x(static_cast<double>(b + 1) / kBins);
    o << "<rect class='bar' x='" << num(x0) << "' width='" << num(x1 - x0 - 1) << "' y='" << num(f.y(bins[b]))
      << "' height='" << num(f.y(0) - f.y(bins[b])) << "' fill='" << colour << "'/>";
  }
  for (int t = 0; t <= 4; ++t) x_label(o, f, f.x(t / 4.0), fmt((lo + (hi - lo) * t / 4) / 1e6, 2));
  x_title(o, f, say("difference in the municipality net, MSEK", lang));
  const Summary s = summarize(d);
  const double xm = f.x((s.mean - lo) / (hi - lo));
  const std::string note = say("mean", lang) + " " + fmt(s.mean) + " kr; P(&gt; 0) " + fmt(100 * s.p_positive) + " %";
  // The note beside the mean line, on the side with room.
  const bool left_of_line = xm + 4 + label_width(note) > f.w - f.right;
  o << "<line class='mean' x1='" << num(xm) << "' x2='" << num(xm) << "' y1='" << num(f.top) << "' y2='" << num(f.y(0)) << "'/>"
    << "<text x='" << num(left_of_line ? xm - 4 : xm + 4) << "' y='" << num(f.top + 10) << "' class='legend' text-anchor='"
    << (left_of_line ? "end" : "start") << "'>" << note << "</text></svg>";
}

// The effect on people beside the deadweight (MODEL.md §9): each person's baseline twin
// shows what the months in xj displaced.
void effect_and_deadweight(std::ostream& o, const RunResult& r, const std::string& id, Language lang, const Numbers& fmt) {
  const auto mean = [&](ResultSide side, Metric m) { return r.total[static_cast<int>(side)][index_of(m)].mean; };
  const double xj = mean(ResultSide::kScenario, Metric::kMonthsXj);
  if (xj <= 0.0) return;
  const std::string job = fmt(mean(ResultSide::kDifference, Metric::kMonthsJob), 1);
  const std::string fs = fmt(mean(ResultSide::kDifference, Metric::kMonthsFs), 1);
  const std::string twin_job = fmt(mean(ResultSide::kDifference, Metric::kTwinXjBaselineJob), 1);
  const std::string twin_fs = fmt(mean(ResultSide::kDifference, Metric::kTwinXjBaselineFs), 1);
  const std::string share = fmt(100.0 * deadweight_share(r.total), 1);
  o << "<p class='note' id='" << id << "'>";
  if (lang == Language::kSwedish) {
    o << "Effekt över hela perioden (skillnad mot utan programmet, personmånader i medeltal): arbete " << job
      << ", försörjningsstöd " << fs << ". Av " << fmt(xj, 1) << " månader i extratjänst var personens tvilling utan programmet i arbete "
      << twin_job << " och hade försörjningsstöd " << twin_fs << ": en dödviktsandel på " << share << "&nbsp;%.</p>";
    return;
  }
  o << "Effect over the whole period (difference to the baseline, mean person-months): job " << job << ", fs " << fs << ". Of "
    << fmt(xj, 1) << " months in xj, the person's baseline twin was in a job in " << twin_job << " and in fs in " << twin_fs
    << ": a deadweight share of " << share << "&nbsp;%.</p>";
}

void comparison_html(std::ostream& o, const ScenarioComparison& c, Language lang, const Numbers& fmt) {
  constexpr Metric kRows[] = {Metric::kMunicipalityNet, Metric::kMunicipalityFsBenefit, Metric::kMunicipalityXjWageCost,
                              Metric::kMunicipalityXjSubsidy, Metric::kMunicipalitySupervisionSupport, Metric::kMunicipalityBonus,
                              Metric::kStateNet, Metric::kPublicNet, Metric::kMonthsXj, Metric::kMonthsFs, Metric::kMonthsJob};
  o << "<table id='comparison'><thead><tr><th>" << say("period", lang) << "</th><th>" << say("metric", lang) << "</th>";
  for (const std::string& n : c.names) o << "<th>" << esc(n) << "</th>";
  for (std::size_t k = 1; k < c.names.size(); ++k) {
    o << "<th>" << esc(c.names[k]) << " &minus; " << esc(c.names[0]) << " [95&nbsp;%]</th><th>" << say("P(higher)", lang) << "</th>";
  }
  o << "</tr></thead><tbody>";
  for (std::size_t p = 0; p < c.periods.size(); ++p) {
    for (Metric m : kRows) {
      const int i = index_of(m);
      const int decimals = is_money(m) ? 0 : 1;
      o << "<tr><td>" << esc(p == 0 ? say("total", lang) : c.periods[p]) << "</td><td>" << esc(std::string(metric_label(m, lang)))
        << "</td>";
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

// The grant (municipality.bonus) is shown when the scenario models one: a payment that
// arrives in one budget year and is easy to overlook inside the net.
bool models_grant(const RunResult& r) {
  for (std::size_t p = 0; p <= r.yearly.size(); ++p) {
    if (difference_in(r, p, Metric::kMunicipalityBonus).mean != 0.0) return true;
  }
  return false;
}

std::string interval_cell(const Summary& d, const Numbers& fmt) {
  return "<td class='n'>" + fmt(d.mean) + "<br><span class='note'>[" + fmt(d.p025) + ", " + fmt(d.p975) + "]</span></td>";
}

// The planner's first question, first: each scenario against no programme, per budget year
// and payer; a partial year is named as such.
void effect_html(std::ostream& o, const ReportScenario& s, Language lang, const Numbers& fmt) {
  const Effect e = effect_of(s.result);
  const bool grant = models_grant(s.result);
  o << "<h3>" << esc(s.result.scenario) << "</h3><table class='effect'><thead><tr><th>" << say("budget year", lang) << "</th>";
  for (Metric m : kEffectLines) {
    o << "<th>" << esc(std::string(metric_label(m, lang))) << "</th>";
    if (m == Metric::kMunicipalityNet && grant) o << "<th class='grant'>" << say("of which the grant", lang) << "</th>";
  }
  o << "</tr></thead><tbody>";
  for (std::size_t p = 0; p < e.periods.size(); ++p) {
    const EffectPeriod& period = e.periods[p];
    o << "<tr" << (period.year == 0 ? " class='total'" : "") << "><td>" << esc(period_text(period, lang)) << "</td>";
    for (std::size_t k = 0; k < kEffectLines.size(); ++k) {
      o << interval_cell(period.lines[k], fmt);
      if (kEffectLines[k] == Metric::kMunicipalityNet && grant) o << interval_cell(difference_in(s.result, p, Metric::kMunicipalityBonus), fmt);
    }
    o << "</tr>";
  }
  o << "</tbody></table>";
  if (grant) o << "<p class='note'>" << say("grant note", lang) << "</p>";
}

void warnings_box(std::ostream& o, const std::vector<ReportScenario>& s, const ScenarioComparison* c, Language lang) {
  std::vector<Warning> all;
  if (c) {
    all = c->warnings;
  } else {
    for (const ReportScenario& r : s) {
      for (const Warning& w : r.result.warnings) all.push_back(about_scenario(w, r.result.scenario));
    }
  }
  if (all.empty()) return;
  o << "<div class='warnings'><b>" << say("Read before quoting", lang) << "</b><ul>";
  for (const Warning& w : all) o << "<li>" << esc(warning_text(w, lang)) << "</li>";
  o << "</ul></div>";
}

void provenance_block(std::ostream& o, const Provenance& p, Language lang) {
  const bool sv = lang == Language::kSwedish;
  o << "<p class='note'>extrasim " << esc(p.version) << ", " << say("random-number contract", lang) << " " << esc(p.rng_contract)
    << "; " << say("seed", lang) << " " << p.seed << ", " << p.replications << " " << say("replications", lang) << ", " << p.threads
    << " " << say("threads", lang) << ", " << say("discount rate", lang) << " " << p.discount_rate << ".";
  for (const SourceFile& f : p.inputs) {
    o << " " << (sv ? "Indata " : "Input ") << esc(f.path) << " (SHA-256 <code>" << esc(f.sha256) << "</code>).";
  }
  for (const std::string& flag : p.set) o << " " << (sv ? "Ändrat med" : "Set:") << " <code>" << esc(flag) << "</code>.";
  o << "</p>";
}

void assumptions(std::ostream& o, const ReportScenario& s, Language lang) {
  o << "<details open><summary>" << say("Assumptions of", lang) << " <b>" << esc(s.result.scenario) << "</b> (" << esc(s.file)
    << ")</summary>";
  if (!s.header_comments.empty()) {
    o << "<p class='header'>";
    for (const std::string& line : s.header_comments) o << esc(line) << " ";
    o << "</p>";
  }
  o << "<p class='note'>" << say("assumptions note", lang) << "</p>";
  o << "<table class='assumptions'><thead><tr><th>" << say("parameter", lang) << "</th><th>" << say("value", lang) << "</th><th>"
    << say("from", lang) << "</th><th>" << say("source or note", lang) << "</th></tr></thead><tbody>";
  for (const Assumption& a : s.assumptions) {
    o << "<tr" << (a.origin.starts_with("--") ? " class='set'" : "") << "><td>" << esc(a.path) << "</td><td><code>"
      << esc(a.value) << "</code></td><td>" << esc(a.origin == "default" ? say("default", lang) : a.origin) << "</td><td>"
      << esc(a.comment) << "</td></tr>";
  }
  o << "</tbody></table>";
  provenance_block(o, s.result.provenance, lang);
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
.xlab { font-size: 11px; fill: #333; } .zero { stroke: #555; stroke-width: 1; } .legend { font-size: 12px; fill: #111; }
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

void write_report_html(const std::vector<ReportScenario>& s, const ScenarioComparison* comparison, std::ostream& o, Language lang) {
  const Numbers fmt{lang};
  const RunResult& first = s.front().result;
  o << "<!DOCTYPE html>\n<html lang='" << (lang == Language::kSwedish ? "sv" : "en") << "'><head><meta charset='utf-8'><title>"
    << say("report title", lang) << ": ";
  for (std::size_t k = 0; k < s.size(); ++k) o << (k ? ", " : "") << esc(s[k].result.scenario);
  o << "</title><style>" << kStyle << "</style></head><body>";
  o << "<h1>" << say("What the extratjänster cost and save", lang) << "</h1><p class='note'>extrasim " << kVersion << "; "
    << fmt(static_cast<double>(first.replications)) << " " << say("replications", lang) << ", " << say("seed", lang) << " "
    << first.seed << "; " << first.calendar.start.to_string() << " &ndash; "
    << first.calendar.month(first.calendar.months - 1).to_string() << ". " << say("report intro", lang) << "</p>";
  warnings_box(o, s, comparison, lang);
  o << "<h2>" << say("The programme's effect per budget year", lang) << "</h2><p class='note'>" << say("effect note", lang) << "</p>";
  for (const ReportScenario& sc : s) effect_html(o, sc, lang, fmt);
  o << "<h2>" << say("People per month", lang) << "</h2><p class='note'>" << say("people note", lang) << "</p>";
  for (std::size_t k = 0; k < s.size(); ++k) {
    o << "<h3>" << esc(s[k].result.scenario) << "</h3>";
    fan_chart(o, s[k].result, s[k].observed, "fan-" + std::to_string(k), lang, fmt);
  }
  o << "<h2>" << say("The municipality's net gain per budget year", lang) << "</h2><p class='note'>" << say("budget note", lang)
    << "</p>";
  budget_bars(o, s, lang, fmt);
  o << "<h2>" << say("The municipality's net gain from the programme", lang) << "</h2><p class='note'>"
    << say("distribution note", lang) << "</p>";
  for (std::size_t k = 0; k < s.size(); ++k) {
    o << "<h3>" << esc(s[k].result.scenario) << "</h3>";
    distribution(o, s[k].result, "distribution-" + std::to_string(k), kScenarioColours[k % 6], lang, fmt);
    effect_and_deadweight(o, s[k].result, "effect-" + std::to_string(k), lang, fmt);
  }
  if (comparison) {
    o << "<h2>" << say("Comparison", lang) << "</h2><p class='note'>" << say("comparison note", lang) << "</p>";
    comparison_html(o, *comparison, lang, fmt);
  }
  o << "<h2>" << say("Assumptions", lang) << "</h2>";
  for (const ReportScenario& sc : s) assumptions(o, sc, lang);
  o << "</body></html>\n";
}

}  // namespace extrasim
