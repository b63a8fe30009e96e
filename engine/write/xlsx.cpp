#include "extrasim/write/xlsx.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <stdexcept>

#include <xlsxwriter.h>

#include "extrasim/io/input_file.hpp"
#include "extrasim/io/output_file.hpp"
#include "extrasim/results/effect.hpp"
#include "extrasim/version.hpp"

namespace extrasim {

namespace {

// Row and column positions in a sheet, moving down as rows are written.
class Sheet {
 public:
  Sheet(lxw_workbook* book, const std::string& name, lxw_format* bold)
      : book_(book), sheet_(workbook_add_worksheet(book, name.c_str())), bold_(bold) {
    if (!sheet_) throw std::runtime_error("xlsx: cannot add sheet " + name);
  }
  void heading(const std::vector<std::string_view>& keys, Language lang) {
    std::vector<std::string> cells;
    for (std::string_view k : keys) cells.emplace_back(word(k, lang));
    heading(cells);
  }
  void heading(const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), cells[c].c_str(), bold_);
    ++row_;
  }
  void text(lxw_col_t col, const std::string& s) { worksheet_write_string(sheet_, row_, col, s.c_str(), nullptr); }
  void number(lxw_col_t col, double v, lxw_format* f = nullptr) { worksheet_write_number(sheet_, row_, col, v, f); }
  void name_cell(const std::string& name, lxw_col_t col) {
    char ref[64];
    lxw_rowcol_to_cell_abs(ref, row_, col, 1, 1);
    const std::string formula = "='" + std::string(sheet_->name) + "'!" + ref;
    workbook_define_name(book_, name.c_str(), formula.c_str());
  }
  void next() { ++row_; }
  void skip() { row_ += 1; }
  void widths(lxw_col_t first, lxw_col_t last, double width) { worksheet_set_column(sheet_, first, last, width, nullptr); }

 private:
  lxw_workbook* book_;
  lxw_worksheet* sheet_;
  lxw_format* bold_;
  lxw_row_t row_ = 0;
};

std::string identifier(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "s_" + out;
  return out;
}

// The metric in the workbook's language: its label, and in Swedish its code name in the
// last column (what programs and the JSON call it).
void metric_cells(Sheet& s, lxw_col_t col, lxw_col_t code_col, Metric m, Language lang) {
  s.text(col, std::string(metric_label(m, lang)));
  if (lang == Language::kSwedish) s.text(code_col, std::string(metric_name(m)));
}

// The People sheet's columns in Swedish: persons in each state that month.
std::string people_label(Metric m) {
  switch (m) {
    case Metric::kMonthsFs: return "personer med försörjningsstöd";
    case Metric::kMonthsXj: return "personer i extratjänst";
    case Metric::kMonthsJob: return "personer i arbete";
    case Metric::kMonthsOther: return "personer i annat";
    default: return "personer utflyttade";
  }
}

std::vector<std::string_view> with_code(std::vector<std::string_view> keys, Language lang) {
  if (lang == Language::kSwedish) keys.push_back("code");
  return keys;
}

void summary_sheet(Sheet& s, const std::vector<ReportScenario>& scenarios, const ScenarioComparison* c, lxw_format* kr, Language lang) {
  s.heading({"xlsx effect title"}, lang);
  s.skip();
  s.heading(with_code({"scenario", "budget year", "months", "payer", "mean", "95 % low", "95 % high"}, lang), lang);
  for (const ReportScenario& sc : scenarios) {
    for (const EffectPeriod& p : effect_of(sc.result).periods) {
      for (std::size_t k = 0; k < kEffectLines.size(); ++k) {
        s.text(0, sc.result.scenario);
        s.text(1, period_text(p, lang));
        s.number(2, p.months);
        metric_cells(s, 3, 7, kEffectLines[k], lang);
        s.number(4, p.lines[k].mean, kr);
        s.name_cell(effect_cell_name(sc.result.scenario, kEffectLines[k], p.year), 4);
        if (!sc.result.exact) {
          s.number(5, p.lines[k].p025, kr);
          s.number(6, p.lines[k].p975, kr);
        }
        s.next();
      }
    }
  }
  if (!c) return;
  s.skip();
  s.heading({"xlsx paired title"}, lang);
  s.heading(with_code({"scenario", "period", "metric", "difference", "95 % low", "95 % high", "P(higher)"}, lang), lang);
  for (std::size_t k = 1; k < c->names.size(); ++k) {
    for (std::size_t p = 0; p < c->periods.size(); ++p) {
      for (Metric m : kEffectLines) {
        const Summary& d = c->versus_first[k - 1][p][index_of(m)];
        s.text(0, c->names[k] + " - " + c->names[0]);
        s.text(1, p == 0 ? std::string(word("total", lang)) : c->periods[p]);
        metric_cells(s, 2, 7, m, lang);
        s.number(3, d.mean, kr);
        s.number(4, d.p025, kr);
        s.number(5, d.p975, kr);
        s.number(6, d.p_positive);
        s.next();
      }
    }
  }
}

void ledger_sheet(Sheet& s, const std::vector<ReportScenario>& scenarios, lxw_format* kr, Language lang) {
  s.heading(with_code({"scenario", "side", "line", "period", "mean", "95 % low", "95 % high"}, lang), lang);
  for (const ReportScenario& sc : scenarios) {
    const RunResult& r = sc.result;
    for (int side = 0; side < kResultSideCount; ++side) {
      for (int i = 0; i < kMetricCount; ++i) {
        if (!metric_shown(r, metric_at(i)) || !metric_on_side(metric_at(i), static_cast<ResultSide>(side))) continue;
        const auto row = [&](const std::string& period, const Summary& v) {
          s.text(0, r.scenario);
          s.text(1, std::string(word(side_name(static_cast<ResultSide>(side)), lang)));
          metric_cells(s, 2, 7, metric_at(i), lang);
          s.text(3, period);
          s.number(4, v.mean, is_money(metric_at(i)) ? kr : nullptr);
          if (!r.exact) {
            s.number(5, v.p025, is_money(metric_at(i)) ? kr : nullptr);
            s.number(6, v.p975, is_money(metric_at(i)) ? kr : nullptr);
          }
          s.next();
        };
        for (const YearResult& y : r.yearly) row(std::to_string(y.year), y.summaries[side][i]);
        row(std::string(word("total", lang)), r.total[side][i]);
      }
    }
  }
}

void people_sheet(Sheet& s, const std::vector<ReportScenario>& scenarios, Language lang) {
  constexpr Metric kStates[] = {Metric::kMonthsFs, Metric::kMonthsXj, Metric::kMonthsJob, Metric::kMonthsOther, Metric::kMonthsExit};
  std::vector<std::string> head = {std::string(word("scenario", lang)), std::string(word("month", lang)), std::string(word("side", lang))};
  for (Metric m : kStates) head.emplace_back(lang == Language::kSwedish ? people_label(m) : std::string(metric_name(m)));
  s.heading(head);
  for (const ReportScenario& sc : scenarios) {
    for (const MonthResult& m : sc.result.monthly) {
      for (int side = 0; side < 2; ++side) {
        s.text(0, sc.result.scenario);
        s.text(1, m.month.to_string());
        s.text(2, std::string(word(side_name(static_cast<ResultSide>(side)), lang)));
        for (std::size_t k = 0; k < std::size(kStates); ++k) s.number(static_cast<lxw_col_t>(3 + k), m.mean[side][index_of(kStates[k])]);
        s.next();
      }
    }
  }
}

void assumptions_sheet(Sheet& s, const std::vector<ReportScenario>& scenarios, Language lang) {
  s.heading({"scenario", "parameter", "value", "from", "source or note"}, lang);
  for (const ReportScenario& sc : scenarios) {
    for (const Assumption& a : sc.assumptions) {
      s.text(0, sc.result.scenario);
      s.text(1, a.path);
      s.text(2, a.value);
      s.text(3, a.origin == "default" ? std::string(word("default", lang)) : a.origin);
      s.text(4, a.comment);
      s.next();
    }
  }
}

void provenance_sheet(Sheet& s, const std::vector<ReportScenario>& scenarios, Language lang) {
  s.heading({"scenario", "what", "value"}, lang);
  for (const ReportScenario& sc : scenarios) {
    const Provenance& p = sc.result.provenance;
    const auto line = [&](std::string_view what, const std::string& value) {
      s.text(0, sc.result.scenario);
      s.text(1, std::string(word(what, lang)));
      s.text(2, value);
      s.next();
    };
    line("extrasim", p.version);
    line("random-number contract", p.rng_contract);
    for (const SourceFile& f : p.inputs) line("input", f.path + "  sha256 " + f.sha256);
    for (const std::string& flag : p.set) line("set", flag);
    line("seed", std::to_string(p.seed));
    line("replications", std::to_string(p.replications));
    line("threads", std::to_string(p.threads));
    line("discount rate", std::to_string(p.discount_rate));
    for (const Warning& w : sc.result.warnings) line("warning", warning_text(w, lang));
  }
}

// A private folder for the workbook, removed with what is in it.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "extrasim-xlsx-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw io::OutputError("xlsx: cannot create a temporary folder");
    path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  std::string file(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }

 private:
  std::string path_;
};

}  // namespace

std::string effect_cell_name(const std::string& scenario, Metric line, int year) {
  return "effect_" + identifier(scenario) + "_" + identifier(std::string(metric_name(line))) + "_" + (year == 0 ? std::string("total") : std::to_string(year));
}

std::string xlsx_workbook(const std::vector<ReportScenario>& scenarios, const ScenarioComparison* comparison, Language lang) {
  const TemporaryFolder folder;
  const std::string path = folder.file("workbook.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  if (!book) throw io::OutputError("xlsx: cannot create the workbook");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* kr = workbook_add_format(book);
  format_set_num_format(kr, "#,##0");
  const auto sheet_name = [&](std::string_view key) { return std::string(word(key, lang)); };
  Sheet summary(book, sheet_name("Summary"), bold);
  summary_sheet(summary, scenarios, comparison, kr, lang);
  summary.widths(0, 0, 24);
  summary.widths(1, 6, 16);
  Sheet ledger(book, sheet_name("Ledger"), bold);
  ledger_sheet(ledger, scenarios, kr, lang);
  ledger.widths(0, 2, 30);
  Sheet people(book, sheet_name("People"), bold);
  people_sheet(people, scenarios, lang);
  Sheet assumptions(book, sheet_name("Assumptions"), bold);
  assumptions_sheet(assumptions, scenarios, lang);
  assumptions.widths(1, 2, 36);
  assumptions.widths(4, 4, 60);
  Sheet provenance(book, sheet_name("Provenance"), bold);
  provenance_sheet(provenance, scenarios, lang);
  if (workbook_close(book) != LXW_NO_ERROR) throw io::OutputError("xlsx: writing the workbook failed");
  return io::read_bounded(path, std::size_t{1} << 30, "the workbook");
}

}  // namespace extrasim
