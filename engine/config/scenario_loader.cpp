// YAML -> validated Scenario (MODEL.md §3). The schema lives here, in one place; the generic
// typed reads are in yaml_reader.cpp.
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <yaml-cpp/depthguard.h>

#include "extrasim/config/config.hpp"
#include "extrasim/io/csv.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/model/validate.hpp"
#include "extrasim/results/provenance.hpp"
#include "text_checks.hpp"
#include "yaml_reader.hpp"

namespace extrasim {

namespace {

using config::join_path;
using config::Quantity;
using config::YamlReader;

constexpr std::int64_t kMaxMonths = 1200;           // a century of months
constexpr std::int64_t kMaxProgrammeMonths = 600;
constexpr std::int64_t kMaxPersons = 4'000'000'000;  // person indices are 32-bit

class ScenarioParser {
 public:
  ScenarioParser(const YamlReader& reader, std::string file, const FileReferenceResolver& resolve)
      : r_(reader), file_(std::move(file)), resolve_(resolve) {}

  Scenario parse(const YAML::Node& root) {
    r_.expect_map(root, "",
                  {"name", "description", "calendar", "seed", "replications", "groups",
                   "transitions", "after_xj", "programme", "accounting", "tax", "uncertainty", "bonus"},
                  {"name", "calendar", "groups"});
    sc_.name = r_.text(root["name"], "name");
    if (root["description"]) sc_.description = r_.text(root["description"], "description");
    parse_calendar(root["calendar"]);
    if (root["seed"]) sc_.seed = parse_seed(root["seed"]);
    if (root["replications"]) {
      sc_.replications = r_.integer(root["replications"], "replications", 1, 100'000'000);
    }
    if (root["transitions"]) sc_.transitions = parse_transitions(root["transitions"], "transitions");
    if (root["after_xj"]) sc_.after_xj = parse_after_xj(root["after_xj"], "after_xj");
    if (root["programme"]) parse_programme(root["programme"]);
    parse_groups(root["groups"]);
    if (root["accounting"]) parse_accounting(root["accounting"]);
    if (root["tax"]) parse_tax(root["tax"], root["accounting"]);
    if (root["uncertainty"]) parse_uncertainty(root["uncertainty"]);
    if (root["bonus"]) parse_bonus(root["bonus"]);
    return std::move(sc_);
  }

  // Paths in the file are relative to the file's folder (unless the caller resolves them).
  std::string beside_file(const std::string& path) const {
    if (resolve_) return resolve_(path, file_);
    const std::filesystem::path p(path);
    if (p.is_absolute()) return path;
    return (std::filesystem::path(file_).parent_path() / p).string();
  }

  YearMonth month_in_horizon(const YAML::Node& n, const std::string& path) const {
    const YearMonth m = r_.year_month(n, path);
    const YearMonth last = sc_.calendar.month(sc_.calendar.months - 1);
    if (m < sc_.calendar.start || m > last) {
      r_.fail(n, path, m.to_string(), "a month within the calendar (" + sc_.calendar.start.to_string() + " to " + last.to_string() + ")");
    }
    return m;
  }

  void parse_bonus(const YAML::Node& n) {
    r_.expect_map(n, "bonus", {"unit", "units", "reference_month", "payment_month", "scale", "pot", "targets", "table_amount", "others"},
                  {"unit", "units", "reference_month", "payment_month", "others"});
    BonusSpec b;
    b.unit = r_.text(n["unit"], "bonus.unit");
    const std::string file = r_.text(n["units"], "bonus.units");
    UnitsTable table;
    try {
      b.units_file = beside_file(file);
      table = load_units_csv(b.units_file);
    } catch (const InputError& e) {
      r_.fail(n["units"], "bonus.units", "'" + file + "': " + e.what(), "a readable units table (name,type,population[,count])");
    }
    b.units = table.units;
    const auto index = find_unit(b.units, b.unit);
    if (!index) r_.fail(n["unit"], "bonus.unit", "'" + b.unit + "'", "a unit named in " + file);
    b.unit_index = *index;
    b.reference_month = month_in_horizon(n["reference_month"], "bonus.reference_month");
    b.payment_month = month_in_horizon(n["payment_month"], "bonus.payment_month");
    if (n["scale"]) b.scale = r_.quantity(n["scale"], "bonus.scale", Quantity::kPositive);
    if (n["pot"]) b.rule.pot = r_.quantity(n["pot"], "bonus.pot", Quantity::kMoney);
    if (n["targets"]) {
      r_.expect_map(n["targets"], "bonus.targets", {"municipality", "region"});
      if (n["targets"]["municipality"]) b.rule.target_municipalities = r_.quantity(n["targets"]["municipality"], "bonus.targets.municipality", Quantity::kPositive);
      if (n["targets"]["region"]) b.rule.target_regions = r_.quantity(n["targets"]["region"], "bonus.targets.region", Quantity::kPositive);
    }
    if (n["table_amount"]) b.units[b.unit_index].table_amount = r_.quantity(n["table_amount"], "bonus.table_amount", Quantity::kMoney);
    const YAML::Node o = n["others"];
    r_.expect_map(o, "bonus.others", {"from_file", "national_total", "dispersion"});
    if (o["from_file"] && r_.boolean(o["from_file"], "bonus.others.from_file")) {
      if (o["national_total"]) r_.fail(o["national_total"], "bonus.others.national_total", "both from_file and national_total", "one of them");
      for (std::size_t i = 0; i < b.units.size(); ++i) {
        if (i != b.unit_index && !table.count_given[i]) r_.fail(o["from_file"], "bonus.others.from_file", "no count for '" + b.units[i].name + "' in " + file, "a count for every other unit");
      }
    } else {
      if (!o["national_total"]) r_.fail(o, "bonus.others", "neither from_file nor national_total", "from_file: true, or national_total: N (with dispersion)");
      b.others_from_file = false;
      b.national_total = r_.quantity(o["national_total"], "bonus.others.national_total", Quantity::kMoney);
      if (o["dispersion"]) b.dispersion = r_.quantity(o["dispersion"], "bonus.others.dispersion", Quantity::kMoney);
    }
    try {
      (void)allocate_bonus(b.rule, b.units);
    } catch (const InputError& e) {
      r_.fail(n["units"], "bonus.units", e.what(), "a table the rule can allocate");
    }
    sc_.bonus = std::move(b);
  }

 private:
  void parse_calendar(const YAML::Node& n) {
    r_.expect_map(n, "calendar", {"start", "months"}, {"start", "months"});
    sc_.calendar.start = r_.year_month(n["start"], "calendar.start");
    sc_.calendar.months = static_cast<int>(r_.integer(n["months"], "calendar.months", 1, kMaxMonths));
  }

  std::uint64_t parse_seed(const YAML::Node& n) const {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      std::uint64_t v = 0;
      const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && ptr == s.data() + s.size()) return v;
    }
    return static_cast<std::uint64_t>(r_.integer(n, "seed", 0, (std::int64_t{1} << 53)));
  }

  Timeline timeline(const YAML::Node& parent, const char* key, const std::string& path, Quantity q,
                    Timeline fallback) const {
    const YAML::Node n = parent[key];
    return n ? r_.timeline(n, join_path(path, key), q, sc_.calendar.start) : std::move(fallback);
  }

  // Shares per state that must sum to 1 (initial, on_expiry).
  PerState parse_shares(const YAML::Node& n, const std::string& path, bool allow_xj) const {
    r_.expect_map(n, path, {"fs", "xj", "job", "other", "exit"});
    PerState shares{};
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      const State s = *parse_state(key);
      if (s == State::kXj && !allow_xj) r_.fail(kv.first, join_path(path, key), "'xj'", "a destination other than xj");
      shares[index_of(s)] = r_.quantity(kv.second, join_path(path, key), Quantity::kShare);
    }
    return shares;  // their sum: validate()
  }

  static std::string format_number(double v) {
    std::ostringstream out;
    out.precision(12);
    out << v;
    return out.str();
  }

  Band parse_destinations(const YAML::Node& n, const std::string& path, State origin) const {
    r_.expect_map(n, path, {"fs", "xj", "job", "other", "exit"});
    Band band;
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      const State to = *parse_state(key);
      const std::string p = join_path(path, key);
      if (to == origin) r_.fail(kv.first, p, "'" + key + "'", "a destination other than the origin");
      if (origin == State::kXj && to == State::kXj) r_.fail(kv.first, p, "'xj'", "no xj in the xj row");
      band.to[index_of(to)] = r_.timeline(kv.second, p, Quantity::kProbability, sc_.calendar.start);
    }
    return band;  // its sum: validate()
  }

  Row parse_row(const YAML::Node& n, const std::string& path, State origin) const {
    Row row;
    if (n.IsMap()) {
      row.bands.push_back(parse_destinations(n, path, origin));
      return row;
    }
    if (!n.IsSequence() || n.size() == 0) {
      r_.fail(n, path, YamlReader::describe(n),
              "a map of destination probabilities, or a list of duration bands");
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string band_path = join_path(path, std::to_string(i));
      const YAML::Node b = n[i];
      r_.expect_map(b, band_path, {"until", "to"}, {"to"});
      Band band = parse_destinations(b["to"], join_path(band_path, "to"), origin);
      if (b["until"]) band.until = static_cast<int>(r_.integer(b["until"], join_path(band_path, "until"), 1, kMaxMonths));
      row.bands.push_back(band);
    }
    // A single band written as a list must still read as banded when it has an until.
    if (row.bands.size() == 1 && row.bands[0].until) return row;
    return row;  // band order and the open last band: validate()
  }

  Transitions parse_transitions(const YAML::Node& n, const std::string& path) const {
    r_.expect_map(n, path, {"fs", "xj", "job", "other"});
    Transitions rows;
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      const State origin = *parse_state(key);
      rows[index_of(origin)] = parse_row(kv.second, join_path(path, key), origin);
    }
    return rows;
  }

  // after_xj rows replace the ordinary row for persons with ever_xj; the xj row applies to
  // everyone in xj, so there is no after_xj row for it.
  Transitions parse_after_xj(const YAML::Node& n, const std::string& path) const {
    if (n.IsMap() && n["xj"]) {
      r_.fail(n["xj"], join_path(path, "xj"), "a row for xj", "rows for fs, job and other (the xj row applies to everyone in xj)");
    }
    r_.expect_map(n, path, {"fs", "job", "other"});
    return parse_transitions(n, path);
  }

  void parse_groups(const YAML::Node& n) {
    r_.expect_sequence(n, "groups", true);
    for (std::size_t i = 0; i < n.size(); ++i) sc_.groups.push_back(parse_group(n[i], "groups." + std::to_string(i)));
  }

  Group parse_group(const YAML::Node& n, const std::string& index_path) const {
    r_.expect_map(n, index_path,
                  {"name", "size", "initial", "initial_duration", "fs_benefit", "wage",
                   "working_time", "job_wage", "activity_support", "fs_topup_in_xj",
                   "state_benefit", "state_benefit_taxable", "transitions", "after_xj", "programme"},
                  {"name", "size"});
    Group g;
    g.name = r_.text(n["name"], join_path(index_path, "name"));
    if (g.name.empty() || g.name.find('.') != std::string::npos) {
      r_.fail(n["name"], join_path(index_path, "name"), "'" + g.name + "'", "a non-empty name without dots");
    }
    const std::string path = "groups." + g.name;
    g.size = r_.integer(n["size"], path + ".size", 0, kMaxPersons);
    if (n["initial"]) g.initial = parse_shares(n["initial"], path + ".initial", true);
    if (n["initial_duration"]) {
      g.initial_duration = static_cast<int>(r_.integer(n["initial_duration"], path + ".initial_duration", 0, kMaxMonths));
    }
    g.fs_benefit = timeline(n, "fs_benefit", path, Quantity::kMoney, 0.0);
    g.wage = timeline(n, "wage", path, Quantity::kMoney, 0.0);
    g.job_wage = timeline(n, "job_wage", path, Quantity::kMoney, 0.0);
    g.fs_topup_in_xj = timeline(n, "fs_topup_in_xj", path, Quantity::kMoney, 0.0);
    parse_state_benefit(n, path, g);
    if (n["working_time"]) g.working_time = r_.quantity(n["working_time"], path + ".working_time", Quantity::kShare);
    if (n["transitions"]) g.transitions = parse_transitions(n["transitions"], path + ".transitions");
    if (n["after_xj"]) g.after_xj = parse_after_xj(n["after_xj"], path + ".after_xj");
    if (n["programme"]) g.programme = parse_group_programme(n["programme"], path + ".programme");
    return g;
  }

  // state_benefit per state, and v1's activity_support as state_benefit.other (one or the other).
  void parse_state_benefit(const YAML::Node& n, const std::string& path, Group& g) const {
    if (const YAML::Node b = n["state_benefit"]) {
      const std::string p = path + ".state_benefit";
      r_.expect_map(b, p, {"fs", "xj", "job", "other"});
      for (const auto& kv : b) {
        const State s = *parse_state(kv.first.Scalar());
        g.state_benefit[index_of(s)] = r_.timeline(kv.second, join_path(p, kv.first.Scalar()), Quantity::kMoney, sc_.calendar.start);
      }
      if (b["other"] && n["activity_support"]) {
        r_.fail(n["activity_support"], path + ".activity_support", "activity_support together with state_benefit.other",
                "one of them (state_benefit.other replaces activity_support)");
      }
    }
    if (n["activity_support"]) {
      g.state_benefit[index_of(State::kOther)] = timeline(n, "activity_support", path, Quantity::kMoney, 0.0);
      g.activity_support_key = true;
    }
    if (n["state_benefit_taxable"]) g.state_benefit_taxable = r_.boolean(n["state_benefit_taxable"], path + ".state_benefit_taxable");
  }

  GroupProgramme parse_group_programme(const YAML::Node& n, const std::string& path) const {
    r_.expect_map(n, path, {"subsidy", "supervision_support"});
    GroupProgramme gp;
    if (n["subsidy"]) gp.subsidy = parse_subsidy(n["subsidy"], path + ".subsidy");
    if (n["supervision_support"]) gp.supervision_support = parse_supervision(n["supervision_support"], path + ".supervision_support");
    return gp;
  }

  void parse_programme(const YAML::Node& n) {
    r_.expect_map(n, "programme",
                  {"decision_months", "max_months", "extension_probability", "on_expiry", "reentry",
                   "intake", "subsidy", "supervision_support", "supervision_cost", "admin_cost",
                   "work_value_share"},
                  {"extension_probability", "on_expiry"});
    Programme p;
    if (n["max_months"]) p.max_months = r_.integer_timeline(n["max_months"], "programme.max_months", sc_.calendar.start, 1, kMaxProgrammeMonths);
    if (n["decision_months"]) p.decision_months = static_cast<int>(r_.integer(n["decision_months"], "programme.decision_months", 1, kMaxProgrammeMonths));
    p.extension_probability = r_.timeline(n["extension_probability"], "programme.extension_probability", Quantity::kProbability, sc_.calendar.start);
    p.on_expiry = parse_shares(n["on_expiry"], "programme.on_expiry", false);
    if (n["reentry"]) p.reentry = r_.boolean(n["reentry"], "programme.reentry");
    if (n["intake"]) p.intake = parse_intake(n["intake"]);
    if (n["subsidy"]) p.subsidy = parse_subsidy(n["subsidy"], "programme.subsidy");
    if (n["supervision_support"]) p.supervision_support = parse_supervision(n["supervision_support"], "programme.supervision_support");
    p.supervision_cost = timeline(n, "supervision_cost", "programme", Quantity::kMoney, 0.0);
    if (const YAML::Node a = n["admin_cost"]) {
      r_.expect_map(a, "programme.admin_cost", {"per_start", "per_month"});
      p.admin_cost.per_start = timeline(a, "per_start", "programme.admin_cost", Quantity::kMoney, 0.0);
      p.admin_cost.per_month = timeline(a, "per_month", "programme.admin_cost", Quantity::kMoney, 0.0);
    }
    p.work_value_share = timeline(n, "work_value_share", "programme", Quantity::kShare, 0.0);
    sc_.programme = std::move(p);
  }

  Intake parse_intake(const YAML::Node& n) const {
    r_.expect_map(n, "programme.intake", {"places", "starts", "from", "selection"});
    Intake in;
    if (n["places"] && n["starts"]) r_.fail(n["starts"], "programme.intake.starts", "both places and starts", "one of places or starts");
    if (n["places"]) {
      in.kind = Intake::Kind::kPlaces;
      in.places = r_.integer_timeline(n["places"], "programme.intake.places", sc_.calendar.start, 0, kMaxPersons);
    } else if (n["starts"]) {
      in.kind = Intake::Kind::kStarts;
      r_.expect_sequence(n["starts"], "programme.intake.starts", false);
      for (std::size_t i = 0; i < n["starts"].size(); ++i) {
        in.starts.push_back(r_.integer(n["starts"][i], "programme.intake.starts." + std::to_string(i), 0, kMaxPersons));
      }
    } else {
      r_.fail(n, "programme.intake", "neither places nor starts", "places: P or starts: [n0, n1, ...]");
    }
    if (n["from"]) {
      r_.expect_sequence(n["from"], "programme.intake.from", true);
      in.from.clear();
      for (std::size_t i = 0; i < n["from"].size(); ++i) {
        const std::string p = "programme.intake.from." + std::to_string(i);
        const auto s = n["from"][i].IsScalar() ? parse_state(n["from"][i].Scalar()) : std::nullopt;
        if (!s || *s == State::kXj || *s == State::kExit) r_.fail(n["from"][i], p, YamlReader::describe(n["from"][i]), "one of fs, job, other");
        in.from.push_back(*s);
      }
    }
    if (n["selection"]) in.selection = parse_selection(n["selection"]);
    return in;
  }

  // Weights are read here (finite, > 0); that groups exist and bands are in order: validate().
  Selection parse_selection(const YAML::Node& n) const {
    const std::string path = "programme.intake.selection";
    r_.expect_map(n, path, {"groups", "duration"});
    Selection sel;
    if (const YAML::Node g = n["groups"]) {
      if (!g.IsMap()) r_.fail(g, path + ".groups", YamlReader::describe(g), "a map of group names to weights");
      for (const auto& kv : g) {
        if (!kv.first.IsScalar()) r_.fail(kv.first, path + ".groups", YamlReader::describe(kv.first), "a group name");
        const std::string name = kv.first.Scalar();
        for (const auto& [seen, w] : sel.groups) {
          if (seen == name) r_.fail(kv.first, path + ".groups." + name, "a duplicate key", "each group once");
        }
        sel.groups.emplace_back(name, r_.quantity(kv.second, path + ".groups." + name, Quantity::kPositive));
      }
    }
    if (const YAML::Node d = n["duration"]) {
      r_.expect_sequence(d, path + ".duration", true);
      for (std::size_t i = 0; i < d.size(); ++i) {
        const std::string band_path = path + ".duration." + std::to_string(i);
        r_.expect_map(d[i], band_path, {"until", "weight"}, {"weight"});
        SelectionBand band;
        if (d[i]["until"]) band.until = static_cast<int>(r_.integer(d[i]["until"], band_path + ".until", 1, kMaxMonths));
        band.weight = r_.quantity(d[i]["weight"], band_path + ".weight", Quantity::kPositive);
        sel.duration.push_back(band);
      }
    }
    return sel;
  }

  Subsidy parse_subsidy(const YAML::Node& n, const std::string& path) const {
    r_.expect_map(n, path, {"share", "cap_per_day", "days_per_month", "cap_rule"});
    Subsidy s;
    s.share = timeline(n, "share", path, Quantity::kShare, 1.0);
    if (n["cap_per_day"]) s.cap_per_day = timeline(n, "cap_per_day", path, Quantity::kMoney, 0.0);
    if (n["days_per_month"]) s.days_per_month = r_.quantity(n["days_per_month"], path + ".days_per_month", Quantity::kPositive);
    if (n["cap_rule"]) {
      s.cap_rule = r_.text(n["cap_rule"], path + ".cap_rule");
      if (s.cap_rule != "calendar" && s.cap_rule != "decision") r_.fail(n["cap_rule"], path + ".cap_rule", "'" + s.cap_rule + "'", "calendar or decision");
    }
    return s;
  }

  SupervisionSupport parse_supervision(const YAML::Node& n, const std::string& path) const {
    r_.expect_map(n, path, {"first_months", "first_per_day", "then_per_day"},
                  {"first_months", "first_per_day", "then_per_day"});
    SupervisionSupport s;
    s.first_months = static_cast<int>(r_.integer(n["first_months"], path + ".first_months", 0, kMaxProgrammeMonths));
    s.first_per_day = r_.quantity(n["first_per_day"], path + ".first_per_day", Quantity::kMoney);
    s.then_per_day = r_.quantity(n["then_per_day"], path + ".then_per_day", Quantity::kMoney);
    return s;
  }

  void parse_accounting(const YAML::Node& n) {
    r_.expect_map(n, "accounting", {"statutory_fee", "payroll_oncost", "municipal_tax_rate", "discount_rate"});
    Accounting& a = sc_.accounting;
    a.statutory_fee = timeline(n, "statutory_fee", "accounting", Quantity::kRate, a.statutory_fee);
    a.payroll_oncost = timeline(n, "payroll_oncost", "accounting", Quantity::kRate, a.payroll_oncost);
    a.municipal_tax_rate = timeline(n, "municipal_tax_rate", "accounting", Quantity::kRate, 0.0);
    if (n["discount_rate"]) a.discount_rate = r_.quantity(n["discount_rate"], "accounting.discount_rate", Quantity::kRate);
  }

  // The tax block replaces v1's accounting.municipal_tax_rate, so both together are an error.
  void parse_tax(const YAML::Node& n, const YAML::Node& accounting) {
    r_.expect_map(n, "tax", {"rules", "municipal_rate", "regional_rate", "equalisation"},
                  {"rules", "municipal_rate", "regional_rate"});
    if (accounting && accounting["municipal_tax_rate"]) {
      r_.fail(accounting["municipal_tax_rate"], "accounting.municipal_tax_rate", "municipal_tax_rate together with a tax block",
              "one of them (the tax block's municipal_rate replaces it)");
    }
    Tax t;
    t.rules = r_.text(n["rules"], "tax.rules");
    if (t.rules != "sweden") r_.fail(n["rules"], "tax.rules", "'" + t.rules + "'", "sweden (the built-in Swedish rules)");
    t.municipal_rate = timeline(n, "municipal_rate", "tax", Quantity::kRate, 0.0);
    t.regional_rate = timeline(n, "regional_rate", "tax", Quantity::kRate, 0.0);
    if (const YAML::Node e = n["equalisation"]) {
      const std::string path = "tax.equalisation";
      r_.expect_map(e, path, {"municipality_keeps", "region_keeps", "lag_months"}, {"municipality_keeps", "region_keeps", "lag_months"});
      t.municipality_keeps = timeline(e, "municipality_keeps", path, Quantity::kShare, 1.0);
      t.region_keeps = timeline(e, "region_keeps", path, Quantity::kShare, 1.0);
      t.lag_months = static_cast<int>(r_.integer(e["lag_months"], path + ".lag_months", 0, kMaxMonths));
    }
    sc_.tax = std::move(t);
  }

  Distribution parse_distribution(const YAML::Node& n, const std::string& path) const {
    r_.expect_map(n, path, {"beta", "uniform", "normal", "lognormal", "fixed"});
    if (n.size() != 1) r_.fail(n, path, std::to_string(n.size()) + " distributions", "exactly one of beta, uniform, normal, lognormal, fixed");
    const auto kv = *n.begin();
    const std::string kind = kv.first.Scalar();
    const std::string p = join_path(path, kind);
    Distribution d;
    if (kind == "fixed") {
      d.kind = Distribution::Kind::kFixed;
      d.a = r_.number(kv.second, p);
      return d;
    }
    if (!kv.second.IsSequence() || kv.second.size() != 2) r_.fail(kv.second, p, YamlReader::describe(kv.second), "a list of two numbers");
    d.a = r_.number(kv.second[0], p + ".0");
    d.b = r_.number(kv.second[1], p + ".1");
    if (kind == "beta") {
      d.kind = Distribution::Kind::kBeta;
      if (d.a <= 0.0) r_.fail(kv.second[0], p + ".0", YamlReader::describe(kv.second[0]), "a shape > 0");
      if (d.b <= 0.0) r_.fail(kv.second[1], p + ".1", YamlReader::describe(kv.second[1]), "a shape > 0");
    } else if (kind == "uniform") {
      d.kind = Distribution::Kind::kUniform;
      if (d.b < d.a) r_.fail(kv.second, p, "[" + format_number(d.a) + ", " + format_number(d.b) + "]", "[lo, hi] with lo <= hi");
    } else {
      d.kind = kind == "normal" ? Distribution::Kind::kNormal : Distribution::Kind::kLognormal;
      if (d.b < 0.0) r_.fail(kv.second[1], p + ".1", YamlReader::describe(kv.second[1]), "a spread >= 0");
    }
    return d;
  }

  void parse_uncertainty(const YAML::Node& n) {
    if (!n.IsMap()) r_.fail(n, "uncertainty", YamlReader::describe(n), "a map of PATH: {distribution: ...}");
    std::set<std::string> seen;
    for (const auto& kv : n) {
      const std::string path = r_.text(kv.first, "uncertainty");
      if (path == "draws") {
        parse_draws(kv.first, kv.second);
        continue;
      }
      const std::string entry_path = "uncertainty." + path;
      if (!seen.insert(path).second) r_.fail(kv.first, entry_path, "a duplicate path", "each path once");
      UncertainParameter up{path, parse_distribution(kv.second, entry_path), r_.where(kv.first)};
      // Kept in its canonical spelling; a path that names nothing is validate()'s to report.
      const auto resolved = resolve_uncertain(sc_, path);
      if (const auto* ref = std::get_if<ParameterRef>(&resolved)) up.path = ref->path;
      sc_.uncertainty.push_back(std::move(up));
    }
  }

  // uncertainty.draws: FILE, a CSV of joint draws (header: parameter paths; rows: numbers).
  void parse_draws(const YAML::Node& key, const YAML::Node& value) {
    const std::string name = r_.text(value, "uncertainty.draws");
    ParameterDraws d;
    d.file = beside_file(name);
    d.where = r_.where(key);
    std::string text;
    try {
      text = config::read_text_file(d.file, "a CSV file of parameter draws");
      read_draws_csv(text, d);
    } catch (const InputError& e) {
      r_.fail(value, "uncertainty.draws", "'" + name + "': " + e.what(), "a CSV of draws: a header of parameter paths, then rows of numbers");
    }
    for (std::string& path : d.paths) {
      const auto resolved = resolve_uncertain(sc_, path);
      if (const auto* ref = std::get_if<ParameterRef>(&resolved)) path = ref->path;
    }
    sc_.draws = std::move(d);
    draws_sha256_ = sha256_hex(text);
  }

  // The draws file's rows; errors name the file, line and column.
  static void read_draws_csv(const std::string& raw, ParameterDraws& d) {
    config::check_scenario_text(raw, d.file);
    std::istringstream in(raw.starts_with("\xEF\xBB\xBF") ? raw.substr(3) : raw);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      const auto cells = io::split_csv_row(line);
      if (!cells) throw InputError({d.file, number, 1}, "", "an unclosed quote", "RFC 4180 CSV");
      if (d.paths.empty()) {
        d.paths = *cells;
        std::set<std::string> seen;
        for (const std::string& p : d.paths) {
          if (p.empty() || !seen.insert(p).second) throw InputError({d.file, number, 1}, "", "the header '" + printable(line) + "'", "distinct parameter paths");
        }
        continue;
      }
      if (cells->size() != d.paths.size()) {
        throw InputError({d.file, number, 1}, "", std::to_string(cells->size()) + " cells", std::to_string(d.paths.size()) + " cells as in the header");
      }
      std::vector<double> row;
      int column = 1;
      for (std::size_t c = 0; c < cells->size(); ++c) {
        row.push_back(io::parse_double((*cells)[c], std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max(),
                                       {d.file, number, column}, d.paths[c]));
        column += static_cast<int>((*cells)[c].size()) + 1;
      }
      d.rows.push_back(std::move(row));
    }
    if (d.paths.empty() || d.rows.empty()) throw InputError({d.file, std::max(number, 1), 1}, "", "no rows", "a header and at least one row of draws");
  }

 public:
  const std::string& draws_sha256() const { return draws_sha256_; }

 private:
  const YamlReader& r_;
  std::string file_;
  const FileReferenceResolver& resolve_;
  Scenario sc_;
  std::string draws_sha256_;
};

// Reads an override's value as the parameter's kind demands, with the flag as its location.
void read_into(const ParameterRef& ref, const YAML::Node& value, const YamlReader& r, YearMonth start) {
  if (ref.timeline) {
    *ref.timeline = ref.kind == ParameterKind::kInteger ? r.integer_timeline(value, ref.path, start, ref.lo, ref.hi)
                                                        : r.timeline(value, ref.path, ref.kind, start);
  } else if (ref.kind == ParameterKind::kInteger) {
    set_number(ref, static_cast<double>(r.integer(value, ref.path, ref.lo, ref.hi)));
  } else if (ref.number) {
    *ref.number = r.quantity(value, ref.path, ref.kind);
  } else if (ref.flag) {
    *ref.flag = r.boolean(value, ref.path);
  } else if (ref.text) {
    *ref.text = r.text(value, ref.path);
  } else if (ref.month) {
    *ref.month = r.year_month(value, ref.path);
  }
}

}  // namespace

Override parse_override(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw InputError({"--set " + text}, "", "'" + text + "'", "PATH=VALUE, e.g. transitions.fs.job=0.03");
  }
  return {text.substr(0, eq), text.substr(eq + 1), ""};
}

void apply_override(Scenario& sc, const Override& o) {
  const std::string origin = o.origin.empty() ? "--set " + o.path + "=" + o.value : o.origin;
  const auto resolved = resolve_parameter(sc, o.path);
  if (const auto* why = std::get_if<std::string>(&resolved)) {
    throw InputError({origin}, o.path, "'" + o.path + "', which " + *why, "a path into the scenario");
  }
  const ParameterRef& ref = std::get<ParameterRef>(resolved);
  config::check_scenario_text(o.value, origin);  // UTF-8, no NUL, bounded nesting
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw InputError({origin}, o.path, "'" + config::printable(o.value) + "'", "a YAML value (" + config::printable(e.msg) + ")");
  }
  YamlReader reader(origin);
  reader.mark_override(value, origin);
  read_into(ref, value, reader, sc.calendar.start);
  // The value now comes from the flag, and so does everything below its path.
  const std::string below = ref.path + ".";
  for (auto it = sc.origins.lower_bound(below); it != sc.origins.end() && it->first.starts_with(below);) it = sc.origins.erase(it);
  sc.origins[ref.path] = {origin, 0, 0};
}

void apply_overrides(Scenario& sc, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) apply_override(sc, o);
  validate(sc);
}

Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const std::vector<Override>& overrides, const FileReferenceResolver& resolve) {
  config::check_scenario_text(text, file_name);
  YAML::Node root;
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(text);
    if (documents.size() > 1) {
      const YAML::Mark mark = documents[1].Mark();
      throw InputError({file_name, mark.is_null() ? 0 : mark.line + 1, 0}, "", "a second YAML document ('---')",
                       "one scenario per file (later documents would be ignored)");
    }
    if (!documents.empty()) root = documents[0];
  } catch (const YAML::DeepRecursion& e) {
    throw InputError({file_name, e.mark.line + 1, e.mark.column + 1}, "",
                     "lists or maps nested " + std::to_string(e.depth()) + " deep",
                     "at most " + std::to_string(config::kMaxFlowNesting) + " levels");
  } catch (const YAML::ParserException& e) {
    throw InputError({file_name, e.mark.line + 1, e.mark.column + 1}, "", "malformed YAML (" + config::printable(e.msg) + ")", "a YAML document");
  } catch (const YAML::Exception& e) {
    throw InputError({file_name}, "", "unreadable YAML (" + config::printable(e.msg) + ")", "a YAML document");
  }
  YamlReader reader(file_name);
  if (!root.IsMap()) reader.fail(root, "", YamlReader::describe(root), "a scenario: a map with name, calendar and groups");
  std::map<std::string, SourceLocation> origins;
  reader.record_origins(&origins);
  ScenarioParser parser(reader, file_name, resolve);
  Scenario sc = parser.parse(root);
  sc.source_file = file_name;
  sc.origins = std::move(origins);
  sc.inputs.push_back({file_name, sha256_hex(text)});
  if (sc.bonus) sc.inputs.push_back({sc.bonus->units_file, sha256_hex(config::read_text_file(sc.bonus->units_file))});
  if (sc.draws) sc.inputs.push_back({sc.draws->file, parser.draws_sha256()});
  const AnnotatedScenario annotated = annotate_scenario_text(text);
  sc.header_comments = annotated.header;
  for (const AnnotatedParameter& p : annotated.parameters) {
    if (!p.comment.empty()) sc.comments.emplace(p.path, p.comment);
  }
  apply_overrides(sc, overrides);
  return sc;
}

Scenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides) {
  return load_scenario_text(config::read_text_file(path, "a scenario file (.yaml)"), path, overrides);
}

}  // namespace extrasim
