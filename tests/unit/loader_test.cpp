// Scenario loading: every class of bad input names file, line, column, path, found, expected.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace extrasim {

namespace {

const std::string kHead = R"(name: t
calendar: {start: 2016-01, months: 12}
)";
const std::string kGroups = "groups: [{name: g, size: 10}]\n";
const std::string kProgramme = "programme: {extension_probability: 0.5, on_expiry: {fs: 1}}\n";

struct BadCase {
  std::string label;
  std::string yaml;
  std::string path;      // must appear in the message
  std::string expected;  // must appear in the message
  int line;              // 0: do not check
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.label; }

class BadScenario : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, IsReportedWithItsLocation) {
  const BadCase& c = GetParam();
  try {
    test::scenario_from(c.yaml);
    FAIL() << "accepted: " << c.yaml;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("test.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find(c.path), std::string::npos) << message;
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
    if (c.line > 0) {
      EXPECT_EQ(e.where().line, c.line) << message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Loader, BadScenario,
    ::testing::Values(
        BadCase{"malformed", "name: [unclosed\n", "", "malformed YAML", 0},
        BadCase{"not a map", "- 1\n- 2\n", "", "a scenario", 1},
        BadCase{"missing name", "calendar: {start: 2016-01, months: 1}\n" + kGroups, "", "'name'", 1},
        BadCase{"unknown key with suggestion", kHead + kGroups + "trasitions: {}\n", "trasitions",
                "'transitions'", 4},
        BadCase{"unknown group key", kHead + "groups: [{name: g, size: 1, wages: 1}]\n",
                "groups.0.wages", "'wage'", 3},
        BadCase{"duplicate key", kHead + kGroups + "seed: 1\nseed: 2\n", "seed", "each key once", 5},
        BadCase{"wrong type", kHead + "groups: [{name: g, size: many}]\n", "groups.g.size",
                "an integer", 3},
        BadCase{"negative size", kHead + "groups: [{name: g, size: -1}]\n", "groups.g.size",
                "an integer in [0", 3},
        BadCase{"fractional size", kHead + "groups: [{name: g, size: 2.5}]\n", "groups.g.size",
                "an integer", 3},
        BadCase{"negative money", kHead + "groups: [{name: g, size: 1, wage: -5}]\n",
                "groups.g.wage", "in [0, 1e12]", 3},
        BadCase{"nan", kHead + "groups: [{name: g, size: 1, wage: .nan}]\n", "groups.g.wage",
                "number", 3},
        BadCase{"probability above 1", kHead + kGroups + "transitions: {fs: {job: 1.5}}\n",
                "transitions.fs.job", "a probability in [0, 1]", 4},
        BadCase{"row above 1", kHead + kGroups + "transitions:\n  fs: {job: 0.6, other: 0.5}\n",
                "transitions.fs", "at most 1", 5},
        BadCase{"destination equals origin", kHead + kGroups + "transitions: {fs: {fs: 0.1}}\n",
                "transitions.fs.fs", "other than the origin", 4},
        BadCase{"row for exit", kHead + kGroups + "transitions: {exit: {fs: 0.1}}\n",
                "transitions.exit", "known keys", 4},
        BadCase{"xj in xj row", kHead + kGroups + kProgramme + "transitions: {xj: {xj: 0.1}}\n",
                "transitions.xj.xj", "other than the origin", 5},
        BadCase{"bands not increasing",
                kHead + kGroups + "transitions:\n  fs:\n    - {until: 6, to: {job: 0.1}}\n"
                                  "    - {until: 3, to: {job: 0.1}}\n    - {to: {job: 0.1}}\n",
                "transitions.fs.1.until", "an integer in [7", 7},
        BadCase{"open band not last",
                kHead + kGroups + "transitions:\n  fs:\n    - {to: {job: 0.1}}\n"
                                  "    - {to: {job: 0.1}}\n",
                "transitions.fs.0", "until on every band", 6},
        BadCase{"last band closed",
                kHead + kGroups + "transitions:\n  fs:\n    - {until: 3, to: {job: 0.1}}\n",
                "transitions.fs.0.until", "open-ended", 6},
        BadCase{"shares not summing to 1",
                kHead + "groups: [{name: g, size: 1, initial: {fs: 0.5, job: 0.4}}]\n",
                "groups.g.initial", "summing to 1", 3},
        BadCase{"on_expiry with xj",
                kHead + kGroups + "programme: {extension_probability: 0.5, on_expiry: {xj: 1}}\n",
                "programme.on_expiry.xj", "other than xj", 4},
        BadCase{"decision after max",
                kHead + kGroups +
                    "programme: {decision_months: 30, extension_probability: 0.5, on_expiry: {fs: 1}}\n",
                "programme.decision_months", "[1, 24]", 4},
        BadCase{"dates out of order",
                kHead + "groups: [{name: g, size: 1, wage: [{from: 2015-01, value: 1}, {from: "
                        "2014-01, value: 2}]}]\n",
                "groups.g.wage.1.from", "dates in order", 3},
        BadCase{"timeline starts after calendar",
                kHead + "groups: [{name: g, size: 1, wage: [{from: 2016-02, value: 1}]}]\n",
                "groups.g.wage.0.from", "not after calendar.start", 3},
        BadCase{"bad date", "name: t\ncalendar: {start: 2016-13, months: 3}\n" + kGroups,
                "calendar.start", "YYYY-MM", 2},
        BadCase{"xj without programme", kHead + kGroups + "transitions: {fs: {xj: 0.1}}\n",
                "transitions.fs", "a programme block", 0},
        BadCase{"missing extension probability", kHead + kGroups + "programme: {on_expiry: {fs: 1}}\n",
                "programme", "'extension_probability'", 4},
        BadCase{"supervision incomplete",
                kHead + kGroups +
                    "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, "
                    "supervision_support: {first_months: 3}}\n",
                "programme.supervision_support", "'first_per_day'", 4},
        BadCase{"places and starts",
                kHead + kGroups +
                    "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, intake: {places: 1, "
                    "starts: [1]}}\n",
                "programme.intake.starts", "one of places or starts", 4},
        BadCase{"intake from xj",
                kHead + kGroups +
                    "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, intake: {places: 1, "
                    "from: [xj]}}\n",
                "programme.intake.from.0", "one of fs, job, other", 4},
        BadCase{"uncertain path names nothing",
                kHead + kGroups + "uncertainty:\n  transitions.fs.job: {beta: [2, 98]}\n",
                "uncertainty.transitions.fs.job", "names nothing", 5},
        BadCase{"uncertain integer", kHead + kGroups + "uncertainty:\n  groups.g.size: {fixed: 3}\n",
                "uncertainty.groups.g.size", "integer", 5},
        BadCase{"bad distribution", kHead + kGroups + "transitions: {fs: {job: 0.1}}\n"
                                    "uncertainty:\n  transitions.fs.job: {gamma: [1, 2]}\n",
                "uncertainty.transitions.fs.job.gamma", "one of beta, uniform", 6},
        BadCase{"beta shape", kHead + kGroups + "transitions: {fs: {job: 0.1}}\n"
                              "uncertainty:\n  transitions.fs.job: {beta: [0, 2]}\n",
                "uncertainty.transitions.fs.job.beta.0", "shape > 0", 6},
        BadCase{"duplicate group", kHead + "groups: [{name: g, size: 1}, {name: g, size: 2}]\n",
                "groups.g.name", "unique group names", 3},
        BadCase{"discount rate", kHead + kGroups + "accounting: {discount_rate: 1.5}\n",
                "accounting.discount_rate", "a rate in [0, 1]", 4},
        BadCase{"activity support and state_benefit.other",
                kHead + "groups: [{name: g, size: 1, activity_support: 1, state_benefit: {other: 2}}]\n",
                "groups.g.activity_support", "one of them", 3},
        BadCase{"state benefit for exit",
                kHead + "groups: [{name: g, size: 1, state_benefit: {exit: 2}}]\n",
                "groups.g.state_benefit.exit", "known keys", 3},
        BadCase{"negative state benefit",
                kHead + "groups: [{name: g, size: 1, state_benefit: {fs: -2}}]\n",
                "groups.g.state_benefit.fs", "in [0, 1e12]", 3},
        BadCase{"taxable not a flag",
                kHead + "groups: [{name: g, size: 1, state_benefit_taxable: maybe}]\n",
                "groups.g.state_benefit_taxable", "true or false", 3},
        BadCase{"admin cost unknown key",
                kHead + kGroups + "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, "
                                  "admin_cost: {per_starts: 1}}\n",
                "programme.admin_cost.per_starts", "'per_start'", 4},
        BadCase{"admin cost negative",
                kHead + kGroups + "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, "
                                  "admin_cost: {per_month: -1}}\n",
                "programme.admin_cost.per_month", "in [0, 1e12]", 4},
        BadCase{"work value share above 1",
                kHead + kGroups + "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, "
                                  "work_value_share: 2}\n",
                "programme.work_value_share", "a share in [0, 1]", 4},
        BadCase{"cap rule unknown",
                kHead + kGroups + "programme: {extension_probability: 0.5, on_expiry: {fs: 1}, "
                                  "subsidy: {cap_rule: monthly}}\n",
                "programme.subsidy.cap_rule", "calendar or decision", 4},
        BadCase{"group programme key",
                kHead + "groups: [{name: g, size: 1, programme: {max_months: 3}}]\n" + kProgramme,
                "groups.g.programme.max_months", "one of subsidy, supervision_support", 3},
        BadCase{"group programme without the scenario's",
                kHead + "groups: [{name: g, size: 1, programme: {subsidy: {share: 0.5}}}]\n",
                "groups.g.programme", "a programme block", 0},
        BadCase{"group supervision incomplete",
                kHead + "groups: [{name: g, size: 1, programme: {supervision_support: {first_months: 3}}}]\n" +
                    kProgramme,
                "groups.g.programme.supervision_support", "'first_per_day'", 3}));

}  // namespace

TEST(Loader, ReadsEveryKeyWithDefaults) {
  const Scenario sc = test::scenario_from(kHead + kGroups);
  EXPECT_EQ(sc.seed, 1u);
  EXPECT_EQ(sc.replications, 1000);
  EXPECT_EQ(sc.groups[0].initial[0], 1.0);
  EXPECT_DOUBLE_EQ(sc.accounting.statutory_fee.at({2016, 1}), 0.3142);
  EXPECT_DOUBLE_EQ(sc.accounting.payroll_oncost.at({2016, 1}), 0.3915);
  EXPECT_FALSE(sc.programme);
}

TEST(Loader, ReadsTheMotalaExampleOfTheSpecification) {
  const Scenario sc = test::scenario_from(R"(
name: motala-2016
description: free text
calendar: {start: 2015-12, months: 19}
seed: 20151201
replications: 2000
groups:
  - name: long_term_unemployed
    size: 40
    initial: {fs: 1.0}
    initial_duration: 6
    fs_benefit: 7700
    wage: 18700
    working_time: 1.0
    job_wage: 22000
    activity_support: 0
    fs_topup_in_xj: 0
transitions:
  fs: {job: 0.02, other: 0.01, exit: 0.002}
  xj: {job: 0.005, fs: 0.01}
  job: {fs: 0.01}
  other:
    - {until: 6, to: {fs: 0.10}}
    - {to: {fs: 0.03}}
programme:
  decision_months: 12
  max_months: 24
  extension_probability: 0.7
  on_expiry: {job: 0.06, other: 0.50, fs: 0.44}
  reentry: false
  intake: {places: 14.0, from: [fs]}
  subsidy:
    share: 1.0
    cap_per_day: [{from: 2015-11, value: 1140}, {from: 2017-11, value: 1213}]
    days_per_month: 21.67
  supervision_support: {first_months: 3, first_per_day: 150, then_per_day: 100}
  supervision_cost: 0
accounting:
  statutory_fee: 0.3142
  payroll_oncost: 0.3915
  municipal_tax_rate: 0.0
  discount_rate: 0.0
uncertainty:
  transitions.fs.job: {beta: [2, 98]}
  programme.extension_probability: {uniform: [0.5, 0.9]}
  groups.long_term_unemployed.fs_benefit: {normal: [7700, 500]}
)");
  EXPECT_EQ(sc.seed, 20151201u);
  EXPECT_EQ(sc.groups[0].initial_duration, 6);
  ASSERT_TRUE(sc.programme && sc.programme->intake);
  EXPECT_EQ(sc.programme->intake->places.at({2016, 1}), 14.0);
  EXPECT_EQ(sc.programme->subsidy.cap_per_day->at({2017, 11}), 1213.0);
  EXPECT_EQ(sc.transitions[index_of(State::kOther)]->bands.size(), 2u);
  EXPECT_EQ(sc.origin_of("transitions.fs.job").line, 19);  // where the value was read
  EXPECT_EQ(sc.uncertainty.size(), 3u);
  EXPECT_EQ(sc.uncertainty[2].where.line, 46);
}

TEST(Loader, OverridesChangeValuesAndAreNamedInErrors) {
  const std::string yaml = kHead + "groups: [{name: g, size: 10}]\ntransitions: {fs: {job: 0.1}}\n";
  const Scenario sc = load_scenario_text(
      yaml, "t.yaml", {parse_override("transitions.fs.job=0.3"), parse_override("groups.g.size=20"),
                       parse_override("seed=77"), parse_override("groups.g.wage=[{from: 2016-01, value: 5}]")});
  EXPECT_EQ(sc.transitions[0]->bands[0].to[index_of(State::kJob)].at(sc.calendar.start), 0.3);
  EXPECT_EQ(sc.groups[0].size, 20);
  EXPECT_EQ(sc.seed, 77u);
  EXPECT_EQ(sc.groups[0].wage.at({2016, 5}), 5.0);
  try {
    load_scenario_text(yaml, "t.yaml", {parse_override("transitions.fs.job=2")});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--set transitions.fs.job=2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_scenario_text(yaml, "t.yaml", {parse_override("nothing.here=1")}), InputError);
  EXPECT_THROW(parse_override("no-equals-sign"), InputError);
}

TEST(Loader, MissingFileAndDirectoryAreInputErrors) {
  EXPECT_THROW(load_scenario_file("/nonexistent/scenario.yaml"), InputError);
  EXPECT_THROW(load_scenario_file("/tmp"), InputError);
}

}  // namespace extrasim
