#include "extrasim/model/parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "extrasim/simulate/rng.hpp"

namespace extrasim {

namespace {

constexpr double kMoneyLimit = 1e12;  // kr a month: beyond any budget, and far from overflow
constexpr std::int64_t kMaxMonths = 1200;
constexpr std::int64_t kMaxProgrammeMonths = 600;
constexpr std::int64_t kMaxPersons = 4'000'000'000;

using Visit = std::function<void(const ParameterRef&)>;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

ParameterRef real(std::string path, ParameterKind kind, double* v) {
  ParameterRef r;
  r.path = std::move(path);
  r.kind = kind;
  r.number = v;
  return r;
}

ParameterRef line(std::string path, ParameterKind kind, Timeline* t) {
  ParameterRef r;
  r.path = std::move(path);
  r.kind = kind;
  r.timeline = t;
  return r;
}

template <typename Int>
ParameterRef whole(std::string path, Int* v, std::int64_t lo, std::int64_t hi) {
  ParameterRef r;
  r.path = std::move(path);
  r.kind = ParameterKind::kInteger;
  if constexpr (std::is_same_v<Int, int>) r.small_integer = v;
  else if constexpr (std::is_same_v<Int, std::int64_t>) r.integer = v;
  else r.unsigned_integer = v;
  r.lo = lo;
  r.hi = hi;
  return r;
}

// A row: "fs.job" when it is one open band, "other.0.to.fs" / "other.0.until" when banded.
void visit_row(Row& row, State origin, const std::string& path, const Visit& visit) {
  const bool flat = row.bands.size() == 1 && !row.bands[0].until;
  for (std::size_t b = 0; b < row.bands.size(); ++b) {
    Band& band = row.bands[b];
    const std::string band_path = flat ? path : join(path, std::to_string(b));
    if (band.until) visit(whole(join(band_path, "until"), &*band.until, 1, kMaxMonths));
    for (State to : kAllStates) {
      if (to == origin || (origin == State::kXj && to == State::kXj)) continue;
      const std::string p = flat ? join(band_path, state_name(to)) : join(join(band_path, "to"), state_name(to));
      visit(line(p, ParameterKind::kProbability, &band.to[index_of(to)]));
    }
  }
}

void visit_rows(Transitions& rows, const std::string& path, const Visit& visit) {
  for (State origin : kAllStates) {
    auto& row = rows[index_of(origin)];
    if (row) visit_row(*row, origin, join(path, state_name(origin)), visit);
  }
}

void visit_shares(PerState& shares, const std::string& path, bool with_xj, bool uncertain, const Visit& visit) {
  for (State s : kAllStates) {
    if (s == State::kXj && !with_xj) continue;
    ParameterRef r = real(join(path, state_name(s)), ParameterKind::kShare, &shares[index_of(s)]);
    r.may_be_uncertain = uncertain;
    visit(r);
  }
}

ParameterRef flag_ref(std::string path, bool* b) {
  ParameterRef r;
  r.path = std::move(path);
  r.kind = ParameterKind::kBool;
  r.flag = b;
  return r;
}

ParameterRef text_ref(std::string path, std::string* s) {
  ParameterRef r;
  r.path = std::move(path);
  r.kind = ParameterKind::kText;
  r.text = s;
  return r;
}

void visit_subsidy(Subsidy& s, const std::string& path, const Visit& visit) {
  visit(line(path + ".share", ParameterKind::kShare, &s.share));
  if (s.cap_per_day) visit(line(path + ".cap_per_day", ParameterKind::kMoney, &*s.cap_per_day));
  visit(real(path + ".days_per_month", ParameterKind::kPositive, &s.days_per_month));
  visit(text_ref(path + ".cap_rule", &s.cap_rule));
}

void visit_supervision(SupervisionSupport& s, const std::string& path, const Visit& visit) {
  visit(whole(path + ".first_months", &s.first_months, 0, kMaxProgrammeMonths));
  visit(real(path + ".first_per_day", ParameterKind::kMoney, &s.first_per_day));
  visit(real(path + ".then_per_day", ParameterKind::kMoney, &s.then_per_day));
}

// v1's activity_support keeps its own path; otherwise each state's benefit is state_benefit.S.
void visit_state_benefit(Group& g, const std::string& path, const Visit& visit) {
  for (State s : {State::kFs, State::kXj, State::kJob, State::kOther}) {
    const bool old_name = s == State::kOther && g.activity_support_key;
    const std::string p = old_name ? path + ".activity_support" : path + ".state_benefit." + std::string(state_name(s));
    visit(line(p, ParameterKind::kMoney, &g.state_benefit[index_of(s)]));
  }
  visit(flag_ref(path + ".state_benefit_taxable", &g.state_benefit_taxable));
}

void visit_group(Group& g, const Visit& visit) {
  const std::string path = "groups." + g.name;
  visit(whole(path + ".size", &g.size, 0, kMaxPersons));
  visit_shares(g.initial, path + ".initial", true, false, visit);
  visit(whole(path + ".initial_duration", &g.initial_duration, 0, kMaxMonths));
  visit(line(path + ".fs_benefit", ParameterKind::kMoney, &g.fs_benefit));
  visit(line(path + ".wage", ParameterKind::kMoney, &g.wage));
  ParameterRef time = real(path + ".working_time", ParameterKind::kShare, &g.working_time);
  visit(time);
  visit(line(path + ".job_wage", ParameterKind::kMoney, &g.job_wage));
  visit(line(path + ".fs_topup_in_xj", ParameterKind::kMoney, &g.fs_topup_in_xj));
  visit_state_benefit(g, path, visit);
  visit_rows(g.transitions, path + ".transitions", visit);
  visit_rows(g.after_xj, path + ".after_xj", visit);
  if (g.programme && g.programme->subsidy) visit_subsidy(*g.programme->subsidy, path + ".programme.subsidy", visit);
  if (g.programme && g.programme->supervision_support) {
    visit_supervision(*g.programme->supervision_support, path + ".programme.supervision_support", visit);
  }
}

void visit_programme(Programme& p, const Visit& visit) {
  visit(whole("programme.decision_months", &p.decision_months, 1, kMaxProgrammeMonths));
  ParameterRef max_months = line("programme.max_months", ParameterKind::kInteger, &p.max_months);
  max_months.lo = 1;
  max_months.hi = kMaxProgrammeMonths;
  visit(max_months);
  visit(line("programme.extension_probability", ParameterKind::kProbability, &p.extension_probability));
  visit_shares(p.on_expiry, "programme.on_expiry", false, true, visit);
  visit(flag_ref("programme.reentry", &p.reentry));
  if (p.intake && p.intake->kind == Intake::Kind::kPlaces) {
    ParameterRef places = line("programme.intake.places", ParameterKind::kInteger, &p.intake->places);
    places.hi = kMaxPersons;
    visit(places);
  } else if (p.intake) {
    for (std::size_t i = 0; i < p.intake->starts.size(); ++i) {
      visit(whole("programme.intake.starts." + std::to_string(i), &p.intake->starts[i], 0, kMaxPersons));
    }
  }
  if (p.intake && p.intake->selection) {
    Selection& sel = *p.intake->selection;
    const std::string path = "programme.intake.selection";
    for (auto& [name, weight] : sel.groups) visit(real(path + ".groups." + name, ParameterKind::kPositive, &weight));
    for (std::size_t b = 0; b < sel.duration.size(); ++b) {
      const std::string band_path = path + ".duration." + std::to_string(b);
      if (sel.duration[b].until) visit(whole(band_path + ".until", &*sel.duration[b].until, 1, kMaxMonths));
      visit(real(band_path + ".weight", ParameterKind::kPositive, &sel.duration[b].weight));
    }
  }
  visit_subsidy(p.subsidy, "programme.subsidy", visit);
  if (p.supervision_support) visit_supervision(*p.supervision_support, "programme.supervision_support", visit);
  visit(line("programme.supervision_cost", ParameterKind::kMoney, &p.supervision_cost));
  visit(line("programme.admin_cost.per_start", ParameterKind::kMoney, &p.admin_cost.per_start));
  visit(line("programme.admin_cost.per_month", ParameterKind::kMoney, &p.admin_cost.per_month));
  visit(line("programme.work_value_share", ParameterKind::kShare, &p.work_value_share));
}

void visit_tax(Tax& t, const Visit& visit) {
  visit(text_ref("tax.rules", &t.rules));
  visit(line("tax.municipal_rate", ParameterKind::kRate, &t.municipal_rate));
  visit(line("tax.regional_rate", ParameterKind::kRate, &t.regional_rate));
  visit(line("tax.equalisation.municipality_keeps", ParameterKind::kShare, &t.municipality_keeps));
  visit(line("tax.equalisation.region_keeps", ParameterKind::kShare, &t.region_keeps));
  visit(whole("tax.equalisation.lag_months", &t.lag_months, 0, kMaxMonths));
}

void visit_bonus(BonusSpec& b, const Visit& visit) {
  ParameterRef month;
  month.kind = ParameterKind::kMonth;
  month.path = "bonus.reference_month";
  month.month = &b.reference_month;
  visit(month);
  month.path = "bonus.payment_month";
  month.month = &b.payment_month;
  visit(month);
  visit(real("bonus.scale", ParameterKind::kPositive, &b.scale));
  visit(real("bonus.pot", ParameterKind::kMoney, &b.rule.pot));
  visit(real("bonus.targets.municipality", ParameterKind::kPositive, &b.rule.target_municipalities));
  visit(real("bonus.targets.region", ParameterKind::kPositive, &b.rule.target_regions));
  if (!b.others_from_file) {
    visit(real("bonus.others.national_total", ParameterKind::kMoney, &b.national_total));
    visit(real("bonus.others.dispersion", ParameterKind::kMoney, &b.dispersion));
  }
}

std::optional<std::size_t> parse_index(std::string_view s) {
  std::size_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    parts.emplace_back(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// The canonical spelling of `path`: a group by its index becomes the group by its name; a flat
// row written with the band syntax ("fs.0.to.job") becomes "fs.job".
std::string canonical(const Scenario& sc, std::string_view path) {
  std::vector<std::string> parts = split_path(path);
  if (parts.size() > 1 && parts[0] == "groups") {
    const bool named = std::any_of(sc.groups.begin(), sc.groups.end(), [&](const Group& g) { return g.name == parts[1]; });
    if (const auto i = parse_index(parts[1]); !named && i && *i < sc.groups.size()) parts[1] = sc.groups[*i].name;
  }
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const bool band_syntax = k >= 1 && k + 2 < parts.size() && parts[k] == "0" && parts[k + 1] == "to" &&
                             parse_state(parts[k - 1]).has_value();
    if (band_syntax) {
      out = join(out, parts[k + 2]);
      k += 2;
      continue;
    }
    out = join(out, parts[k]);
  }
  return out;
}

// "<timeline path>.<i>.value": one entry of a list timeline.
std::optional<ParameterRef> timeline_entry(const ParameterRef& ref, std::string_view path) {
  if (!ref.timeline || !ref.timeline->written_as_list() || !path.starts_with(ref.path + ".")) return std::nullopt;
  const std::vector<std::string> tail = split_path(path.substr(ref.path.size() + 1));
  const auto i = tail.size() == 2 && tail[1] == "value" ? parse_index(tail[0]) : std::nullopt;
  if (!i || *i >= ref.timeline->entries().size()) return std::nullopt;
  ParameterRef entry = ref;
  entry.path = std::string(path);
  entry.timeline = nullptr;
  entry.number = &ref.timeline->entries()[*i].value;
  return entry;
}

std::optional<ParameterRef> find(Scenario& sc, std::string_view path) {
  std::optional<ParameterRef> found;
  for_each_parameter(sc, [&](const ParameterRef& ref) {
    if (found) return;
    if (ref.path == path) found = ref;
    else if (auto entry = timeline_entry(ref, path)) found = entry;
  });
  return found;
}

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(15);
  out << v;
  return out.str();
}

}  // namespace

bool is_real(ParameterKind kind) {
  return kind == ParameterKind::kProbability || kind == ParameterKind::kShare || kind == ParameterKind::kRate ||
         kind == ParameterKind::kMoney || kind == ParameterKind::kPositive;
}

std::string expected_words(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::kProbability: return "a probability in [0, 1]";
    case ParameterKind::kShare: return "a share in [0, 1]";
    case ParameterKind::kRate: return "a rate in [0, 1]";
    case ParameterKind::kMoney: return "an amount in kronor in [0, 1e12]";
    case ParameterKind::kPositive: return "a number > 0 (at most 1e12)";
    case ParameterKind::kInteger: return "an integer";
    case ParameterKind::kBool: return "true or false";
    case ParameterKind::kText: return "a text";
    case ParameterKind::kMonth: return "a month written YYYY-MM";
  }
  return "a value";
}

std::string expected_words(const ParameterRef& ref) {
  if (ref.kind != ParameterKind::kInteger) return expected_words(ref.kind);
  return "an integer in [" + std::to_string(ref.lo) + ", " + std::to_string(ref.hi) + "]";
}

bool in_range(ParameterKind kind, double v) {
  if (!std::isfinite(v)) return false;
  switch (kind) {
    case ParameterKind::kMoney: return v >= 0.0 && v <= kMoneyLimit;
    case ParameterKind::kPositive: return v > 0.0 && v <= kMoneyLimit;
    case ParameterKind::kProbability:
    case ParameterKind::kShare:
    case ParameterKind::kRate: return v >= 0.0 && v <= 1.0;
    default: return true;
  }
}

void for_each_parameter(Scenario& sc, const Visit& visit) {
  visit(text_ref("name", &sc.name));
  visit(text_ref("description", &sc.description));
  ParameterRef start;
  start.path = "calendar.start";
  start.kind = ParameterKind::kMonth;
  start.month = &sc.calendar.start;
  visit(start);
  visit(whole("calendar.months", &sc.calendar.months, 1, kMaxMonths));
  visit(whole("seed", &sc.seed, 0, std::int64_t{1} << 53));
  visit(whole("replications", &sc.replications, 1, 100'000'000));
  for (Group& g : sc.groups) visit_group(g, visit);
  visit_rows(sc.transitions, "transitions", visit);
  visit_rows(sc.after_xj, "after_xj", visit);
  if (sc.programme) visit_programme(*sc.programme, visit);
  visit(line("accounting.statutory_fee", ParameterKind::kRate, &sc.accounting.statutory_fee));
  visit(line("accounting.payroll_oncost", ParameterKind::kRate, &sc.accounting.payroll_oncost));
  visit(line("accounting.municipal_tax_rate", ParameterKind::kRate, &sc.accounting.municipal_tax_rate));
  visit(real("accounting.discount_rate", ParameterKind::kRate, &sc.accounting.discount_rate));
  if (sc.tax) visit_tax(*sc.tax, visit);
  if (sc.bonus) visit_bonus(*sc.bonus, visit);
}

std::variant<ParameterRef, std::string> resolve_parameter(Scenario& sc, std::string_view path) {
  if (auto ref = find(sc, path)) return *ref;
  const std::string spelled = canonical(sc, path);
  if (auto ref = find(sc, spelled)) return *ref;
  return std::string("names nothing in the scenario");
}

std::variant<ParameterRef, std::string> resolve_uncertain(Scenario& sc, std::string_view path) {
  auto resolved = resolve_parameter(sc, path);
  if (const auto* ref = std::get_if<ParameterRef>(&resolved)) {
    if (ref->kind == ParameterKind::kInteger) return std::string("is an integer and cannot be uncertain");
    if (!is_real(ref->kind)) return std::string("is not a number and cannot be uncertain");
    if (!ref->may_be_uncertain) return std::string("is a fixed split and cannot be uncertain");
  }
  return resolved;
}

void set_number(const ParameterRef& ref, double v) {
  if (ref.timeline) *ref.timeline = Timeline(v);
  else if (ref.number) *ref.number = v;
  else if (ref.small_integer) *ref.small_integer = static_cast<int>(v);
  else if (ref.integer) *ref.integer = static_cast<std::int64_t>(v);
  else if (ref.unsigned_integer) *ref.unsigned_integer = static_cast<std::uint64_t>(v);
  else throw std::invalid_argument(ref.path + " is not a number");
}

std::vector<Assumption> assumptions_of(const Scenario& scenario) {
  Scenario sc = scenario;  // the visit hands out mutable references
  std::vector<Assumption> out;
  for_each_parameter(sc, [&](const ParameterRef& ref) {
    const auto origin = sc.origins.find(ref.path);
    const bool given = origin != sc.origins.end() || std::any_of(sc.origins.lower_bound(ref.path + "."), sc.origins.end(), [&](const auto& kv) {
      return kv.first.starts_with(ref.path + ".");
    });
    const bool zero_share = (ref.kind == ParameterKind::kProbability || ref.kind == ParameterKind::kShare) && ref.number && *ref.number == 0.0;
    if (zero_share && !given) return;
    Assumption a{ref.path, value_text(ref), "default", ""};
    if (given) {
      const SourceLocation where = sc.origin_of(ref.path);
      a.origin = where.line > 0 ? where.file + ":" + std::to_string(where.line) : where.file;
    }
    for (std::string p = ref.path; !p.empty(); p.resize(p.rfind('.') == std::string::npos ? 0 : p.rfind('.'))) {
      if (const auto c = sc.comments.find(p); c != sc.comments.end() && !c->second.empty()) {
        a.comment = c->second;
        break;
      }
    }
    out.push_back(std::move(a));
  });
  return out;
}

void set_parameter(Scenario& sc, std::string_view path, double v, const std::string& origin) {
  const auto resolved = resolve_parameter(sc, path);
  if (const auto* why = std::get_if<std::string>(&resolved)) {
    throw InputError({origin}, std::string(path), "'" + std::string(path) + "', which " + *why, "a path into the scenario");
  }
  const ParameterRef& ref = std::get<ParameterRef>(resolved);
  if (!is_real(ref.kind) && ref.kind != ParameterKind::kInteger) {
    throw InputError({origin}, ref.path, "a number for " + expected_words(ref.kind), "a path to a number");
  }
  const bool whole_ok = v == std::floor(v) && v >= static_cast<double>(ref.lo) && v <= static_cast<double>(ref.hi);
  if (ref.kind == ParameterKind::kInteger && !whole_ok) throw InputError({origin}, ref.path, "'" + number_text(v) + "'", expected_words(ref));
  set_number(ref, v);
  const std::string below = ref.path + ".";
  for (auto it = sc.origins.lower_bound(below); it != sc.origins.end() && it->first.starts_with(below);) it = sc.origins.erase(it);
  sc.origins[ref.path] = {origin, 0, 0};
}

// Drawn values are clamped into their kind's range: probabilities, shares and rates to [0, 1],
// money to >= 0, positive numbers (selection weights, days per month, ...) to > 0 (the smallest
// positive double; a weight that small never wins a place against a real one).
bool assign(const ParameterRef& ref, double v) {
  const double clamped = ref.kind == ParameterKind::kMoney      ? std::max(0.0, v)
                         : ref.kind == ParameterKind::kPositive ? std::max(std::numeric_limits<double>::min(), v)
                                                                : std::clamp(v, 0.0, 1.0);
  set_number(ref, clamped);
  return clamped != v;
}

double number_of(const ParameterRef& ref) {
  if (ref.timeline) return ref.timeline->entries().front().value;
  if (ref.number) return *ref.number;
  if (ref.small_integer) return *ref.small_integer;
  if (ref.integer) return static_cast<double>(*ref.integer);
  if (ref.unsigned_integer) return static_cast<double>(*ref.unsigned_integer);
  throw std::invalid_argument(ref.path + " is not a number");
}

std::string value_text(const ParameterRef& ref) {
  if (ref.text) return *ref.text;
  if (ref.flag) return *ref.flag ? "true" : "false";
  if (ref.month) return ref.month->to_string();
  if (ref.unsigned_integer) return std::to_string(*ref.unsigned_integer);
  if (ref.timeline && ref.timeline->written_as_list()) {
    std::string s = "[";
    for (const TimelineEntry& e : ref.timeline->entries()) {
      s += (s.size() > 1 ? ", " : "") + std::string("{from: ") + e.from.to_string() + ", value: " + number_text(e.value) + "}";
    }
    return s + "]";
  }
  return number_text(number_of(ref));
}

namespace {

// Successive uniforms of one parameter's stream.
class UniformStream {
 public:
  UniformStream(std::uint64_t seed, std::uint64_t replication, std::uint32_t parameter)
      : streams_(seed, replication), parameter_(parameter) {}
  double next() {
    if (used_ == 4) {
      words_ = streams_.parameter_words(parameter_, block_++);
      used_ = 0;
    }
    return to_unit(words_[used_++]);
  }
  double normal() {  // Box-Muller, one of the pair
    const double r = std::sqrt(-2.0 * std::log(next()));
    return r * std::cos(2.0 * std::numbers::pi * next());
  }
  // Marsaglia and Tsang (2000); shape < 1 by the boost Gamma(a + 1) * U^(1/a).
  double gamma(double shape) {
    if (shape < 1.0) return gamma(shape + 1.0) * std::pow(next(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      double z, v;
      do {
        z = normal();
        v = 1.0 + c * z;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = next();
      if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
    }
  }

 private:
  ReplicationStreams streams_;
  std::uint32_t parameter_;
  std::uint32_t block_ = 0;
  std::array<std::uint32_t, 4> words_{};
  int used_ = 4;
};

// A band whose drawn probabilities sum above 1 in some month is scaled to sum 1 in that month
// (MODEL.md §3). A band of constants stays constants; a band with timelines becomes timelines
// over its change months, each month scaled by its own sum.
bool scale_band(Band& band, const std::vector<YearMonth>& months) {
  bool over = false;
  for (YearMonth when : months) {
    const PerState p = band.at(when);
    over = over || std::accumulate(p.begin(), p.end(), 0.0) > 1.0 + 1e-12;
  }
  if (!over) return false;
  std::array<std::vector<TimelineEntry>, kStateCount> scaled;
  for (YearMonth when : months) {
    const PerState p = band.at(when);
    const double sum = std::accumulate(p.begin(), p.end(), 0.0);
    for (int j = 0; j < kStateCount; ++j) scaled[j].push_back({when, sum > 1.0 ? p[j] / sum : p[j]});
  }
  for (int j = 0; j < kStateCount; ++j) {
    band.to[j] = months.size() == 1 ? Timeline(scaled[j].front().value) : Timeline(std::move(scaled[j]));
  }
  return true;
}

bool scale_rows(const Scenario& sc, Transitions& rows) {
  bool scaled = false;
  for (auto& row : rows) {
    if (!row) continue;
    const std::vector<YearMonth> months = sc.change_months(*row);
    for (Band& band : row->bands) scaled = scale_band(band, months) || scaled;
  }
  return scaled;
}

// The references of `wanted` (paths) in one pass over the schema (draws happen once per
// replication). The loader resolved every path already; a failure here is a programming error.
std::vector<ParameterRef> resolve_all(Scenario& sc, const std::vector<std::string>& wanted) {
  std::vector<std::optional<ParameterRef>> found(wanted.size());
  for_each_parameter(sc, [&](const ParameterRef& ref) {
    for (std::size_t k = 0; k < wanted.size(); ++k) {
      if (found[k]) continue;
      if (wanted[k] == ref.path) found[k] = ref;
      else if (auto entry = timeline_entry(ref, wanted[k])) found[k] = entry;
    }
  });
  std::vector<ParameterRef> refs;
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    if (!found[k]) {
      auto slow = resolve_uncertain(sc, wanted[k]);
      if (!std::holds_alternative<ParameterRef>(slow)) throw std::logic_error("unresolved " + wanted[k]);
      found[k] = std::get<ParameterRef>(slow);
    }
    refs.push_back(*found[k]);
  }
  return refs;
}

}  // namespace

double sample(const Distribution& d, std::uint64_t seed, std::uint64_t replication,
              std::uint32_t parameter) {
  UniformStream u(seed, replication, parameter);
  switch (d.kind) {
    case Distribution::Kind::kFixed: return d.a;
    case Distribution::Kind::kUniform: return d.a + (d.b - d.a) * u.next();
    case Distribution::Kind::kNormal: return d.a + d.b * u.normal();
    case Distribution::Kind::kLognormal: return std::exp(d.a + d.b * u.normal());
    case Distribution::Kind::kBeta: {
      const double x = u.gamma(d.a);
      const double y = u.gamma(d.b);
      return x / (x + y);
    }
  }
  return d.a;
}

Scenario draw_parameters(const Scenario& base, std::uint64_t replication, DrawRepairs* repairs) {
  Scenario sc = base;
  std::vector<std::string> paths;
  for (const UncertainParameter& u : sc.uncertainty) paths.push_back(u.path);
  const std::size_t drawn = paths.size();
  if (sc.draws) paths.insert(paths.end(), sc.draws->paths.begin(), sc.draws->paths.end());
  const std::vector<ParameterRef> refs = resolve_all(sc, paths);
  std::vector<bool> clamped(drawn, false);
  for (std::size_t k = 0; k < drawn; ++k) {
    clamped[k] = assign(refs[k], sample(sc.uncertainty[k].distribution, sc.seed, replication, static_cast<std::uint32_t>(k)));
  }
  // Joint draws from a file (a calibration's posterior): replication r takes row r mod n.
  if (sc.draws) {
    const std::vector<double>& row = sc.draws->rows[replication % sc.draws->rows.size()];
    for (std::size_t c = 0; c < row.size(); ++c) assign(refs[drawn + c], row[c]);
  }
  bool scaled = scale_rows(sc, sc.transitions);
  scaled = scale_rows(sc, sc.after_xj) || scaled;
  for (Group& g : sc.groups) {
    scaled = scale_rows(sc, g.transitions) || scaled;
    scaled = scale_rows(sc, g.after_xj) || scaled;
  }
  bool normalised = false;
  if (sc.programme) {
    PerState& shares = sc.programme->on_expiry;
    double sum = 0.0;
    for (double s : shares) sum += s;
    if (sum <= 0.0) {
      const auto it = std::find_if(sc.uncertainty.begin(), sc.uncertainty.end(), [](const auto& u) {
        return u.path.starts_with("programme.on_expiry");
      });
      throw InputError(it == sc.uncertainty.end() ? SourceLocation{sc.source_file} : it->where,
                       "programme.on_expiry", "drawn shares all zero in replication " +
                       std::to_string(replication), "at least one positive share");
    }
    if (std::abs(sum - 1.0) > 1e-12) {
      for (double& s : shares) s /= sum;
      normalised = true;
    }
  }
  if (repairs) *repairs = {scaled, normalised, std::move(clamped)};
  return sc;
}

}  // namespace extrasim
