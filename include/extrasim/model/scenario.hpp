// A validated scenario: plain data, produced by the config loader (engine/config), read by
// everything after it. The core never sees YAML. See docs/scenario-format.md for the meaning,
// unit, default and limits of each field.
//
// Invariants, established by the loader and re-checked by validate() after any change: probabilities, shares and rates in [0, 1]; money >= 0;
// every row's band sums <= 1; on_expiry and initial shares sum to 1; bands' `until` strictly
// increasing with an open last band; 1 <= decision_months <= max_months; a programme exists
// whenever anything can move people to xj; no xj row in after_xj; a group's own programme
// block needs the scenario's; accounting.municipal_tax_rate is 0 when a tax block is given.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "extrasim/model/bonus.hpp"
#include "extrasim/model/calendar.hpp"
#include "extrasim/error.hpp"
#include "extrasim/model/states.hpp"
#include "extrasim/model/timeline.hpp"

namespace extrasim {

// One duration band of a transition row: applies while d < until (the last band: always).
struct Band {
  std::optional<int> until;
  std::array<Timeline, kStateCount> to{};  // monthly probability per destination state (T)
  // The probabilities in force in calendar month `when`.
  PerState at(YearMonth when) const;
};

// A transition row: one open band, or duration bands (paths: parameters.hpp).
struct Row {
  std::vector<Band> bands;
};

// Rows by origin state; exit never has one. An empty optional means "no row given".
using Transitions = std::array<std::optional<Row>, kStateCount>;

struct Subsidy {
  Timeline share{1.0};
  std::optional<Timeline> cap_per_day;  // none: no cap
  double days_per_month = 21.67;
  // "calendar": the cap in force in the month paid (v1); "decision": the cap in force when the
  // decision period began (SFS 2017:886). Text, so that --set and sweeps can name it.
  std::string cap_rule = "calendar";
  bool cap_by_decision() const { return cap_rule == "decision"; }
};

struct SupervisionSupport {
  int first_months = 3;
  double first_per_day = 0.0;
  double then_per_day = 0.0;
};

// What a group may override of the programme for its members (MODEL.md §8.4): each given
// block replaces the scenario's whole block.
struct GroupProgramme {
  std::optional<Subsidy> subsidy;
  std::optional<SupervisionSupport> supervision_support;
};

struct Group {
  std::string name;
  std::int64_t size = 0;
  PerState initial{1.0, 0.0, 0.0, 0.0, 0.0};
  int initial_duration = 0;
  Timeline fs_benefit{0.0};
  Timeline wage{0.0};
  double working_time = 1.0;
  Timeline job_wage{0.0};
  Timeline fs_topup_in_xj{0.0};
  // kr/month the state pays while in each state (exit: always 0). v1's `activity_support` is
  // state_benefit[other] written under its old name (`activity_support_key`), so that its
  // path stays groups.NAME.activity_support.
  std::array<Timeline, kStateCount> state_benefit{};
  bool activity_support_key = false;
  bool state_benefit_taxable = false;
  Transitions transitions;  // this group's own rows; others are inherited from the scenario
  Transitions after_xj;     // this group's own after_xj rows (MODEL.md §9)
  std::optional<GroupProgramme> programme;
};

// Selection at capacity intake (MODEL.md §9): a person's weight is the product of the group's
// weight (default 1) and the weight of the band of d (months in the origin state) it is in.
struct SelectionBand {
  std::optional<int> until;  // applies while d < until (the last band: always)
  double weight = 1.0;
};
struct Selection {
  std::vector<std::pair<std::string, double>> groups;  // group name, weight; in file order
  std::vector<SelectionBand> duration;                 // empty: 1 for every d
};

struct Intake {
  enum class Kind { kPlaces, kStarts };
  Kind kind = Kind::kPlaces;
  Timeline places{0.0};              // integer-valued
  std::vector<std::int64_t> starts;  // starts per month from month 0
  std::vector<State> from{State::kFs};
  std::optional<Selection> selection;  // absent: uniform (v1)
};

struct AdminCost {
  Timeline per_start{0.0};  // kr per counted start (not extensions, not the initial stock)
  Timeline per_month{0.0};  // kr per xj month, initial stock included
};

struct Programme {
  int decision_months = 12;
  Timeline max_months{24.0};             // integer-valued; read in the month of the decision
  Timeline extension_probability{0.0};   // read in the month of the decision (its end)
  PerState on_expiry{};
  bool reentry = false;
  std::optional<Intake> intake;
  Subsidy subsidy;
  std::optional<SupervisionSupport> supervision_support;
  Timeline supervision_cost{0.0};
  AdminCost admin_cost;
  Timeline work_value_share{0.0};  // share of the wage cost the work is worth (not cash)
};

struct Accounting {
  Timeline statutory_fee{0.3142};
  Timeline payroll_oncost{0.3915};
  Timeline municipal_tax_rate{0.0};
  double discount_rate = 0.0;
};

// Income tax (MODEL.md §8.2). Absent: no income tax beyond v1's municipal_tax_rate.
struct Tax {
  std::string rules = "sweden";
  Timeline municipal_rate{0.0};
  Timeline regional_rate{0.0};
  Timeline municipality_keeps{1.0};  // equalisation: share of its own-rate tax it keeps
  Timeline region_keeps{1.0};
  int lag_months = 0;  // revenue follows the tax base this many months later
};

struct Distribution {
  enum class Kind { kBeta, kUniform, kNormal, kLognormal, kFixed };
  Kind kind = Kind::kFixed;
  double a = 0.0;  // beta a, uniform lo, normal mean, lognormal mu, fixed value
  double b = 0.0;  // beta b, uniform hi, normal sd, lognormal sigma
};

struct UncertainParameter {
  std::string path;
  Distribution distribution;
  SourceLocation where;
};

// `uncertainty: {draws: FILE}` (MODEL.md §10): joint draws of parameters from a CSV whose
// header names the paths; replication r takes row r mod rows.size() (a calibration's
// posterior.csv, equally weighted).
struct ParameterDraws {
  std::string file;                       // resolved against the scenario's folder
  std::vector<std::string> paths;         // canonical, one per column
  std::vector<std::vector<double>> rows;  // at least one row, one value per path
  SourceLocation where;                   // the `draws` key in the scenario
};

// The performance-based grant for the simulated unit (the `bonus` block; docs/scenario-format.md).
struct BonusSpec {
  std::string unit;                // the simulated unit's name in `units`
  std::string units_file;          // the table's path
  std::vector<BonusUnit> units;    // the table (the unit's count is replaced by the simulation's)
  std::size_t unit_index = 0;
  YearMonth reference_month;       // count = people in xj during this month x scale
  YearMonth payment_month;         // the payout enters the ledger in this month
  double scale = 1.0;
  BonusRule rule;
  bool others_from_file = true;    // else: national_total spread by beting, with dispersion
  double national_total = 0;
  double dispersion = 0;           // coefficient of variation of each other unit's count
};

struct Calendar {
  YearMonth start;
  int months = 1;
  YearMonth month(int m) const { return start.plus(m); }
};

// An input file as it was read: its path and the SHA-256 of its bytes (provenance.hpp).
struct SourceFile {
  std::string path;
  std::string sha256;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source_file;
  Calendar calendar;
  std::uint64_t seed = 1;
  std::int64_t replications = 1000;
  std::vector<Group> groups;
  Transitions transitions;
  Transitions after_xj;  // rows for persons with ever_xj (MODEL.md §9); never the baseline's
  std::optional<Programme> programme;
  Accounting accounting;
  std::optional<Tax> tax;
  std::vector<UncertainParameter> uncertainty;
  std::optional<ParameterDraws> draws;  // uncertainty.draws
  std::optional<BonusSpec> bonus;
  // Where each value came from, by parameter path (parameters.hpp): a file's line and column,
  // or the flag that set it ("--set a.b=1"). Messages of validate() name it.
  std::map<std::string, SourceLocation> origins;
  // The files read (the scenario, a bonus units table) and the file's comments: its leading
  // comment lines, and each commented line's comment by path (the sources of its values).
  std::vector<SourceFile> inputs;
  std::vector<std::string> header_comments;
  std::map<std::string, std::string> comments;

  std::int64_t person_count() const;
  // Whether replications draw parameters (distributions in `uncertainty`, or its `draws`).
  bool has_uncertainty() const { return !uncertainty.empty() || draws.has_value(); }
  // The calendar months in [start, start + months) where some probability of `row` may change
  // value: the start and every later entry date within the horizon, sorted, each once.
  std::vector<YearMonth> change_months(const Row& row) const;
  // The row that applies to group g for `origin`: the group's own, else the scenario's.
  const std::optional<Row>& row_for(const Group& g, State origin) const;
  // The row for a person of group g with ever_xj: the group's after_xj row, the scenario's
  // after_xj row, then row_for (the settled precedence of MODEL.md §8–9).
  const std::optional<Row>& row_after_xj(const Group& g, State origin) const;
  // The programme blocks that apply to group g (its own, else the scenario's). Need a programme.
  const Subsidy& subsidy_for(const Group& g) const;
  const std::optional<SupervisionSupport>& supervision_for(const Group& g) const;
  // Where the value at `path` came from: a flag that set it or anything below it, else the
  // nearest recorded path at or above it, else the file.
  SourceLocation origin_of(const std::string& path) const;
};

}  // namespace extrasim
