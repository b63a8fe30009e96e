#include "extrasim/model/validate.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>

#include "extrasim/model/parameters.hpp"
#include "extrasim/model/tax_rules.hpp"

namespace extrasim {

namespace {

constexpr double kShareTolerance = 1e-9;
constexpr double kRowTolerance = 1e-12;
constexpr std::int64_t kMaxPersons = 4'000'000'000;

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(12);
  out << v;
  return out.str();
}

class Checker {
 public:
  explicit Checker(const Scenario& sc) : sc_(sc) {}

  [[noreturn]] void fail(const std::string& path, const std::string& found, const std::string& expected) const {
    throw InputError(sc_.origin_of(path), path, found, expected);
  }

  void parameter(const ParameterRef& ref) const {
    if (ref.timeline) return timeline(ref);
    if (ref.unsigned_integer) return;  // the seed: any 64-bit value
    if (ref.kind == ParameterKind::kInteger) {
      const double v = number_of(ref);
      if (v < static_cast<double>(ref.lo) || v > static_cast<double>(ref.hi)) fail(ref.path, "'" + value_text(ref) + "'", expected_words(ref));
      return;
    }
    if (ref.number && !in_range(ref.kind, *ref.number)) fail(ref.path, "'" + value_text(ref) + "'", expected_words(ref));
  }

  void timeline(const ParameterRef& ref) const {
    const auto& entries = ref.timeline->entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string path = ref.timeline->written_as_list() ? ref.path + "." + std::to_string(i) : ref.path;
      const double v = entries[i].value;
      const bool ok = ref.kind == ParameterKind::kInteger
                          ? v == std::floor(v) && v >= static_cast<double>(ref.lo) && v <= static_cast<double>(ref.hi)
                          : in_range(ref.kind, v);
      const std::string value_path = ref.timeline->written_as_list() ? path + ".value" : path;
      if (!ok) fail(value_path, "'" + number_text(v) + "'", ref.kind == ParameterKind::kInteger ? expected_words(ref) : expected_words(ref.kind));
      if (!ref.timeline->written_as_list()) continue;
      if (i == 0 && entries[i].from > sc_.calendar.start) {
        fail(path + ".from", entries[i].from.to_string(), "a first date not after calendar.start (" + sc_.calendar.start.to_string() + ")");
      }
      if (i > 0 && entries[i].from < entries[i - 1].from) {
        fail(path + ".from", entries[i].from.to_string(), "dates in order (not before " + entries[i - 1].from.to_string() + ")");
      }
    }
  }

  void shares(const PerState& s, const std::string& path) const {
    double sum = 0.0;
    for (double v : s) sum += v;
    if (std::abs(sum - 1.0) > kShareTolerance) fail(path, "shares summing to " + number_text(sum), "shares summing to 1");
  }

  void row(const Row& row, State origin, const std::string& path) const {
    if (row.bands.empty()) fail(path, "an empty list", "at least one band");
    const bool flat = row.bands.size() == 1 && !row.bands[0].until;
    int previous = 0;
    for (std::size_t b = 0; b < row.bands.size(); ++b) {
      const Band& band = row.bands[b];
      const std::string band_path = flat ? path : path + "." + std::to_string(b);
      const bool last = b + 1 == row.bands.size();
      if (last && band.until && !flat) fail(band_path + ".until", "an 'until' on the last band", "an open-ended last band (no until)");
      if (!last && !band.until) fail(band_path, "a band without 'until' before the last", "until on every band but the last");
      if (band.until && *band.until <= previous) fail(band_path + ".until", "'" + std::to_string(*band.until) + "'", "an integer in [" + std::to_string(previous + 1) + ", 1200]");
      if (band.until) previous = *band.until;
      const std::string to_path = flat ? path : band_path + ".to";
      if (ever_positive(band.to[index_of(origin)])) fail(to_path + "." + std::string(state_name(origin)), "the origin", "a destination other than the origin");
      if (origin == State::kXj && ever_positive(band.to[index_of(State::kXj)])) fail(to_path + ".xj", "'xj'", "no xj in the xj row");
      for (YearMonth when : sc_.change_months(row)) {
        const PerState p = band.at(when);
        const double sum = std::accumulate(p.begin(), p.end(), 0.0);
        const std::string in = sc_.change_months(row).size() > 1 ? " in " + when.to_string() : "";
        if (sum > 1.0 + kRowTolerance) fail(to_path, "probabilities summing to " + number_text(sum) + in, "a row summing to at most 1 in every month");
      }
    }
  }

  static bool ever_positive(const Timeline& t) {
    return std::any_of(t.entries().begin(), t.entries().end(), [](const TimelineEntry& e) { return e.value != 0.0; });
  }

  void rows(const Transitions& rows, const std::string& path) const {
    for (State s : kAllStates) {
      if (rows[index_of(s)]) {
        if (s == State::kExit) fail(path + ".exit", "a row for exit", "rows for fs, xj, job and other");
        row(*rows[index_of(s)], s, path + "." + std::string(state_name(s)));
      }
    }
  }

  // after_xj rows: as transitions, without an xj row (the xj row applies to everyone in xj).
  void after_xj_rows(const Transitions& rows, const std::string& path) const {
    if (rows[index_of(State::kXj)]) fail(path + ".xj", "a row for xj", "rows for fs, job and other (the xj row applies to everyone in xj)");
    this->rows(rows, path);
  }

  void subsidy(const Subsidy& s, const std::string& path) const {
    if (s.days_per_month > 31.0) fail(path + ".days_per_month", "'" + number_text(s.days_per_month) + "'", "days per month in (0, 31]");
    if (s.cap_rule != "calendar" && s.cap_rule != "decision") fail(path + ".cap_rule", "'" + s.cap_rule + "'", "calendar or decision");
  }

  void groups() const {
    std::set<std::string> names;
    std::int64_t persons = 0;
    for (const Group& g : sc_.groups) {
      const std::string path = "groups." + g.name;
      const bool control = std::any_of(g.name.begin(), g.name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
      if (g.name.empty() || g.name.find('.') != std::string::npos || control) {
        fail(path + ".name", "'" + printable(g.name) + "'", "a non-empty name without dots or control characters");
      }
      if (!names.insert(g.name).second) fail(path + ".name", "'" + g.name + "' again", "unique group names");
      persons += g.size;
      if (persons > kMaxPersons) fail(path + ".size", std::to_string(persons) + " persons in all", "at most " + std::to_string(kMaxPersons));
      if (g.working_time <= 0.0) fail(path + ".working_time", "'" + number_text(g.working_time) + "'", "a share of full time in (0, 1]");
      shares(g.initial, path + ".initial");
      rows(g.transitions, path + ".transitions");
      after_xj_rows(g.after_xj, path + ".after_xj");
      if (!g.programme) continue;
      if (!sc_.programme) fail(path + ".programme", "a group's programme block without the scenario's", "a programme block (extension_probability, on_expiry)");
      if (g.programme->subsidy) subsidy(*g.programme->subsidy, path + ".programme.subsidy");
    }
    if (sc_.groups.empty()) fail("groups", "an empty list", "at least one entry");
  }

  void programme() const {
    if (!sc_.programme) return programme_needed();
    const Programme& p = *sc_.programme;
    double fewest = p.max_months.entries().front().value;
    for (const TimelineEntry& e : p.max_months.entries()) fewest = std::min(fewest, e.value);
    if (p.decision_months > fewest) {
      fail("programme.decision_months", "'" + std::to_string(p.decision_months) + "'",
           "an integer in [1, " + number_text(fewest) + "] (at most max_months)");
    }
    if (p.on_expiry[index_of(State::kXj)] != 0.0) fail("programme.on_expiry.xj", "'xj'", "a destination other than xj");
    shares(p.on_expiry, "programme.on_expiry");
    subsidy(p.subsidy, "programme.subsidy");
    if (p.intake && p.intake->selection) selection(*p.intake->selection);
  }

  // Weights finite and > 0 (for_each_parameter checks them); here: known groups, and duration
  // bands as a row's (until strictly increasing, only the last band open).
  void selection(const Selection& sel) const {
    const std::string path = "programme.intake.selection";
    for (const auto& entry : sel.groups) {
      const std::string& name = entry.first;  // not a structured binding: lambdas capture it
      const bool known = std::any_of(sc_.groups.begin(), sc_.groups.end(), [&](const Group& g) { return g.name == name; });
      if (!known) {
        std::string names;
        for (const Group& g : sc_.groups) names += (names.empty() ? "" : ", ") + g.name;
        fail(path + ".groups." + name, "unknown group '" + printable(name) + "'", "a group of this scenario (" + names + ")");
      }
    }
    int previous = 0;
    for (std::size_t b = 0; b < sel.duration.size(); ++b) {
      const SelectionBand& band = sel.duration[b];
      const std::string band_path = path + ".duration." + std::to_string(b);
      const bool last = b + 1 == sel.duration.size();
      if (last && band.until) fail(band_path + ".until", "an 'until' on the last band", "an open-ended last band (no until)");
      if (!last && !band.until) fail(band_path, "a band without 'until' before the last", "until on every band but the last");
      if (band.until && *band.until <= previous) fail(band_path + ".until", "'" + std::to_string(*band.until) + "'", "an integer in [" + std::to_string(previous + 1) + ", 1200]");
      if (band.until) previous = *band.until;
    }
  }

  // A programme block is needed as soon as anything can put people in xj.
  void programme_needed() const {
    auto moves_to_xj = [](const std::optional<Row>& row) {
      if (!row) return false;
      for (const Band& b : row->bands) {
        if (ever_positive(b.to[index_of(State::kXj)])) return true;
      }
      return false;
    };
    for (const auto* rows : {&sc_.transitions, &sc_.after_xj}) {
      const std::string name = rows == &sc_.transitions ? "transitions." : "after_xj.";
      for (State s : kAllStates) {
        if (moves_to_xj((*rows)[index_of(s)])) {
          fail(name + std::string(state_name(s)), "moves to xj without a programme block", "a programme block (extension_probability, on_expiry)");
        }
      }
    }
    for (const Group& g : sc_.groups) {
      bool moves = g.initial[index_of(State::kXj)] > 0.0;
      for (const auto& row : g.transitions) moves = moves || moves_to_xj(row);
      for (const auto& row : g.after_xj) moves = moves || moves_to_xj(row);
      if (moves) fail("groups." + g.name, "people in or moving to xj without a programme block", "a programme block (extension_probability, on_expiry)");
    }
  }

  // The tax block replaces v1's municipal_tax_rate; its rules must cover every calendar year.
  void tax() const {
    if (!sc_.tax) return;
    const Timeline& v1_rate = sc_.accounting.municipal_tax_rate;
    if (ever_positive(v1_rate)) {
      fail("accounting.municipal_tax_rate", "municipal_tax_rate together with a tax block", "one of them (the tax block's municipal_rate replaces it)");
    }
    if (sc_.tax->rules != "sweden") fail("tax.rules", "'" + sc_.tax->rules + "'", "sweden (the built-in Swedish rules)");
    const int first = sc_.calendar.start.year;
    const int last = sc_.calendar.month(sc_.calendar.months - 1).year;
    for (int year = first; year <= last; ++year) (void)swedish_tax_year(year, sc_.origin_of("tax.rules"), "tax.rules");
  }

  void bonus() const {
    if (!sc_.bonus) return;
    const YearMonth last = sc_.calendar.month(sc_.calendar.months - 1);
    const auto within = [&](YearMonth m, const std::string& path) {
      if (m < sc_.calendar.start || m > last) {
        fail(path, m.to_string(), "a month within the calendar (" + sc_.calendar.start.to_string() + " to " + last.to_string() + ")");
      }
    };
    within(sc_.bonus->reference_month, "bonus.reference_month");
    within(sc_.bonus->payment_month, "bonus.payment_month");
  }

  void uncertainty() const {
    if (sc_.uncertainty.empty() && !sc_.draws) return;  // nothing to resolve (and no copy: sweeps validate every point)
    Scenario copy = sc_;  // resolving hands out mutable references
    for (const UncertainParameter& up : sc_.uncertainty) {
      const auto resolved = resolve_uncertain(copy, up.path);
      if (const auto* why = std::get_if<std::string>(&resolved)) {
        throw InputError(up.where, "uncertainty." + up.path, "'" + up.path + "', which " + *why,
                         "a path to a probability, share, rate or amount in this scenario");
      }
    }
    if (!sc_.draws) return;
    const ParameterDraws& d = *sc_.draws;
    for (const std::string& path : d.paths) {
      const auto resolved = resolve_uncertain(copy, path);
      if (const auto* why = std::get_if<std::string>(&resolved)) {
        throw InputError(d.where, "uncertainty.draws", "the column '" + path + "' of " + d.file + ", which " + *why,
                         "columns that name probabilities, shares, rates or amounts in this scenario");
      }
      for (const UncertainParameter& up : sc_.uncertainty) {
        if (up.path == path) {
          throw InputError(up.where, "uncertainty." + up.path, "a distribution for a column of " + d.file,
                           "each path either drawn from a distribution or from the draws file");
        }
      }
    }
  }

 private:
  const Scenario& sc_;
};

}  // namespace

void validate(const Scenario& scenario) {
  const Checker check(scenario);
  if (scenario.name.empty()) check.fail("name", "an empty name", "a name");
  Scenario& mutable_view = const_cast<Scenario&>(scenario);  // NOLINT: the visit only reads
  for_each_parameter(mutable_view, [&](const ParameterRef& ref) { check.parameter(ref); });
  check.groups();
  check.rows(scenario.transitions, "transitions");
  check.after_xj_rows(scenario.after_xj, "after_xj");
  check.programme();
  check.tax();
  check.bonus();
  check.uncertainty();
}

}  // namespace extrasim
