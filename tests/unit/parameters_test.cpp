#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "extrasim/model/parameters.hpp"
#include "extrasim/model/validate.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

const char* const kBase = R"(
name: p
calendar: {start: 2016-01, months: 12}
groups:
  - name: lt
    size: 10
    fs_benefit: [{from: 2016-01, value: 7000}, {from: 2016-06, value: 7500}]
    transitions: {job: {fs: 0.1}}
transitions:
  fs: {xj: 0.1, job: 0.2}
  other:
    - {until: 3, to: {fs: 0.5}}
    - {to: {fs: 0.1}}
programme:
  extension_probability: 0.5
  on_expiry: {fs: 0.5, other: 0.5}
  subsidy: {cap_per_day: [{from: 2015-11, value: 1140}, {from: 2017-11, value: 1213}]}
)";

ParameterRef must_resolve(Scenario& sc, const std::string& path) {
  auto r = resolve_parameter(sc, path);
  EXPECT_TRUE(std::holds_alternative<ParameterRef>(r)) << path << ": " << std::get<std::string>(r);
  return std::get<ParameterRef>(r);
}

std::string must_fail(Scenario& sc, const std::string& path) {
  auto r = resolve_uncertain(sc, path);
  EXPECT_TRUE(std::holds_alternative<std::string>(r)) << path;
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "";
}

}  // namespace

TEST(Parameters, ResolvesPathsThatFollowTheYaml) {
  Scenario sc = test::scenario_from(kBase);
  EXPECT_EQ(number_of(must_resolve(sc, "transitions.fs.job")), 0.2);
  EXPECT_EQ(number_of(must_resolve(sc, "transitions.other.1.to.fs")), 0.1);
  EXPECT_EQ(number_of(must_resolve(sc, "groups.lt.transitions.job.fs")), 0.1);
  EXPECT_EQ(*must_resolve(sc, "programme.subsidy.cap_per_day.1.value").number, 1213.0);
  // A row of one open band may also be named with the band syntax; a group by its index.
  EXPECT_EQ(must_resolve(sc, "transitions.fs.0.to.job").path, "transitions.fs.job");
  EXPECT_EQ(must_resolve(sc, "groups.0.wage").path, "groups.lt.wage");
  // A destination the file did not name is 0, and can be set.
  EXPECT_EQ(number_of(must_resolve(sc, "transitions.fs.exit")), 0.0);
  EXPECT_EQ(must_resolve(sc, "groups.lt.fs_benefit").timeline, &sc.groups[0].fs_benefit);
  EXPECT_EQ(must_resolve(sc, "programme.on_expiry.job").kind, ParameterKind::kShare);
  EXPECT_EQ(must_resolve(sc, "accounting.statutory_fee").kind, ParameterKind::kRate);
}

TEST(Parameters, RefusesPathsThatNameNothingOrIntegers) {
  Scenario sc = test::scenario_from(kBase);
  EXPECT_NE(must_fail(sc, "transitions.fs.fs").find("names nothing"), std::string::npos);
  EXPECT_NE(must_fail(sc, "transitions.xj.xj").find("names nothing"), std::string::npos);
  EXPECT_NE(must_fail(sc, "transitions.other.fs").find("names nothing"), std::string::npos);
  EXPECT_NE(must_fail(sc, "groups.nobody.wage").find("names nothing"), std::string::npos);
  EXPECT_NE(must_fail(sc, "groups.lt.transitions.fs.job").find("names nothing"), std::string::npos);
  EXPECT_NE(must_fail(sc, "groups.lt.size").find("integer"), std::string::npos);
  EXPECT_NE(must_fail(sc, "programme.max_months").find("integer"), std::string::npos);
  EXPECT_NE(must_fail(sc, "transitions.other.0.until").find("integer"), std::string::npos);
  EXPECT_NE(must_fail(sc, "groups.lt.initial.fs").find("fixed split"), std::string::npos);
  EXPECT_NE(must_fail(sc, "name").find("not a number"), std::string::npos);
}

// The schema lists every parameter once, and each resolves back to itself.
TEST(Parameters, EveryListedPathResolvesToItself) {
  Scenario sc = test::scenario_from(kBase);
  std::vector<std::string> paths;
  for_each_parameter(sc, [&](const ParameterRef& ref) { paths.push_back(ref.path); });
  EXPECT_GT(paths.size(), 40u);
  std::set<std::string> unique(paths.begin(), paths.end());
  EXPECT_EQ(unique.size(), paths.size());
  for (const std::string& p : paths) EXPECT_EQ(must_resolve(sc, p).path, p);
}

TEST(Parameters, SetParameterRefusesFractionsForIntegersAndRecordsItsOrigin) {
  Scenario sc = test::scenario_from(kBase);
  set_parameter(sc, "programme.max_months", 18, "sweep.yaml: programme.max_months=18");
  EXPECT_EQ(sc.programme->max_months.at(sc.calendar.start), 18);
  EXPECT_EQ(sc.origin_of("programme.max_months").file, "sweep.yaml: programme.max_months=18");
  EXPECT_THROW(set_parameter(sc, "programme.max_months", 18.5, "x"), InputError);
  EXPECT_THROW(set_parameter(sc, "groups.lt.size", -1, "x"), InputError);
  EXPECT_THROW(set_parameter(sc, "nothing.here", 1, "x"), InputError);
  set_parameter(sc, "groups.lt.fs_benefit.1.value", 8000, "x");
  EXPECT_EQ(sc.groups[0].fs_benefit.at({2016, 7}), 8000.0);
}

TEST(Parameters, ValueTextWritesWhatAFileWould) {
  Scenario sc = test::scenario_from(kBase);
  EXPECT_EQ(value_text(must_resolve(sc, "transitions.fs.job")), "0.2");
  EXPECT_EQ(value_text(must_resolve(sc, "groups.lt.fs_benefit")), "[{from: 2016-01, value: 7000}, {from: 2016-06, value: 7500}]");
  EXPECT_EQ(value_text(must_resolve(sc, "programme.reentry")), "false");
  EXPECT_EQ(value_text(must_resolve(sc, "calendar.start")), "2016-01");
}

TEST(Parameters, DrawsClampAndReplaceWholeTimelines) {
  Scenario sc = test::scenario_from(kBase);
  assign(must_resolve(sc, "transitions.fs.job"), 1.7);
  EXPECT_EQ(sc.transitions[0]->bands[0].to[index_of(State::kJob)].entries().front().value, 1.0);
  assign(must_resolve(sc, "groups.lt.fs_benefit"), -5.0);
  EXPECT_FALSE(sc.groups[0].fs_benefit.written_as_list());
  EXPECT_EQ(sc.groups[0].fs_benefit.at({2016, 7}), 0.0);
}

TEST(Parameters, ScenarioLevelPathDoesNotTouchGroupOverrides) {
  std::string yaml = kBase;
  yaml += "uncertainty:\n  transitions.fs.job: {fixed: 0.3}\n  groups.lt.transitions.job.fs: {fixed: 0.4}\n";
  const Scenario sc = test::scenario_from(yaml);
  const Scenario drawn = draw_parameters(sc, 0, nullptr);
  EXPECT_EQ(drawn.transitions[0]->bands[0].to[index_of(State::kJob)].entries().front().value, 0.3);
  EXPECT_EQ(drawn.groups[0].transitions[index_of(State::kJob)]->bands[0].to[0].entries().front().value, 0.4);
  EXPECT_EQ(sc.transitions[0]->bands[0].to[index_of(State::kJob)].entries().front().value, 0.2);  // base untouched
}

TEST(Parameters, RepairsRowsAboveOneAndExpirySharesAndReportsIt) {
  std::string yaml = kBase;
  yaml += "uncertainty:\n  transitions.fs.job: {fixed: 0.95}\n  programme.on_expiry.fs: {fixed: 1.5}\n";
  DrawRepairs repairs;
  const Scenario drawn = draw_parameters(test::scenario_from(yaml), 3, &repairs);
  EXPECT_TRUE(repairs.row_scaled);
  EXPECT_TRUE(repairs.expiry_normalised);
  const auto& to = drawn.transitions[0]->bands[0].to;
  EXPECT_NEAR(to[index_of(State::kXj)].entries().front().value + to[index_of(State::kJob)].entries().front().value, 1.0, 1e-15);
  EXPECT_NEAR(to[index_of(State::kJob)].entries().front().value, 0.95 / 1.05, 1e-15);
  // 1.5 is clamped to 1 (a share), then {fs: 1, other: 0.5} is divided by 1.5.
  EXPECT_NEAR(drawn.programme->on_expiry[0], 1.0 / 1.5, 1e-15);
}

TEST(Parameters, AllZeroExpirySharesAreAnError) {
  std::string yaml = kBase;
  yaml += "uncertainty:\n  programme.on_expiry.fs: {fixed: 0}\n  programme.on_expiry.other: {fixed: 0}\n";
  EXPECT_THROW(draw_parameters(test::scenario_from(yaml), 0, nullptr), InputError);
}

TEST(Parameters, DistributionsHaveTheirMoments) {
  const int n = 20000;
  auto moments = [&](const Distribution& d) {
    double sum = 0, sq = 0;
    for (int r = 0; r < n; ++r) {
      const double x = sample(d, 99, static_cast<std::uint64_t>(r), 2);
      sum += x;
      sq += x * x;
    }
    const double mean = sum / n;
    return std::pair{mean, sq / n - mean * mean};
  };
  using K = Distribution::Kind;
  // Bounds: 5 standard errors of the mean.
  auto [bm, bv] = moments({K::kBeta, 2.0, 98.0});
  EXPECT_NEAR(bm, 0.02, 5 * std::sqrt(0.02 * 0.98 / 101.0 / n));
  auto [sm, sv] = moments({K::kBeta, 0.5, 0.5});  // shape < 1 path
  EXPECT_NEAR(sm, 0.5, 5 * std::sqrt(0.125 / n));
  EXPECT_NEAR(sv, 0.125, 0.01);
  auto [um, uv] = moments({K::kUniform, 0.5, 0.9});
  EXPECT_NEAR(um, 0.7, 5 * std::sqrt(0.16 / 12 / n));
  auto [nm, nv] = moments({K::kNormal, 7700.0, 500.0});
  EXPECT_NEAR(nm, 7700.0, 5 * 500.0 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(nv), 500.0, 15.0);
  auto [lm, lv] = moments({K::kLognormal, 0.0, 0.25});
  EXPECT_NEAR(lm, std::exp(0.25 * 0.25 / 2), 0.01);
  EXPECT_EQ(sample({K::kFixed, 3.5, 0.0}, 1, 1, 1), 3.5);
}

}  // namespace extrasim

namespace extrasim {

// MODEL.md v2 §8: every new value has a path, so --set, sweeps and uncertainty reach it.
TEST(Parameters, PayersAndCostsHavePaths) {
  Scenario sc = test::scenario_from(std::string(kBase) + R"(  admin_cost: {per_start: 5000}
  work_value_share: 0.2
)");
  sc.groups[0].programme = GroupProgramme{std::nullopt, SupervisionSupport{3, 50, 0}};
  EXPECT_EQ(must_resolve(sc, "groups.lt.state_benefit.other").timeline, &sc.groups[0].state_benefit[3]);
  EXPECT_EQ(must_resolve(sc, "groups.lt.state_benefit_taxable").kind, ParameterKind::kBool);
  EXPECT_EQ(must_resolve(sc, "programme.admin_cost.per_start").timeline, &sc.programme->admin_cost.per_start);
  EXPECT_EQ(must_resolve(sc, "programme.work_value_share").kind, ParameterKind::kShare);
  EXPECT_EQ(must_resolve(sc, "programme.subsidy.cap_rule").kind, ParameterKind::kText);
  EXPECT_EQ(*must_resolve(sc, "groups.lt.programme.supervision_support.first_per_day").number, 50.0);
  // A group without its own subsidy block has no path to one.
  EXPECT_NE(must_fail(sc, "groups.lt.programme.subsidy.share"), "");
}

TEST(Parameters, ActivitySupportKeepsItsOldPath) {
  Scenario sc = test::scenario_from(R"(
name: p
calendar: {start: 2016-01, months: 12}
groups: [{name: lt, size: 1, activity_support: 6500}]
)");
  EXPECT_EQ(must_resolve(sc, "groups.lt.activity_support").timeline, &sc.groups[0].state_benefit[3]);
  set_parameter(sc, "groups.lt.activity_support", 7000, "--set");
  EXPECT_EQ(sc.groups[0].state_benefit[3].at(sc.calendar.start), 7000.0);
  EXPECT_NE(must_fail(sc, "groups.lt.state_benefit.other"), "");
}

}  // namespace extrasim

namespace extrasim {

// A drawn row above 1 in some months only is scaled in those months (MODEL.md §3, v2.1 (T)).
TEST(Parameters, RowWithATimelineIsScaledMonthByMonth) {
  const Scenario sc = test::scenario_from(R"(
name: p
calendar: {start: 2016-01, months: 12}
groups: [{name: g, size: 1}]
transitions:
  fs: {other: [{from: 2016-01, value: 0.1}, {from: 2016-06, value: 0.75}], job: 0.2}
uncertainty:
  transitions.fs.job: {fixed: 0.3}
)");
  DrawRepairs repairs;
  const Scenario drawn = draw_parameters(sc, 0, &repairs);
  EXPECT_TRUE(repairs.row_scaled);
  const Band& band = drawn.transitions[index_of(State::kFs)]->bands[0];
  const YearMonth may{2016, 5}, june{2016, 6};
  EXPECT_DOUBLE_EQ(band.to[index_of(State::kOther)].at(may), 0.1);  // 0.4 in all: untouched
  EXPECT_DOUBLE_EQ(band.to[index_of(State::kJob)].at(may), 0.3);
  EXPECT_DOUBLE_EQ(band.to[index_of(State::kOther)].at(june), 0.75 / 1.05);
  EXPECT_DOUBLE_EQ(band.to[index_of(State::kJob)].at(june), 0.3 / 1.05);
  EXPECT_NO_THROW(validate(drawn));  // every month sums to at most 1 now
}

TEST(Parameters, TaxAndRuleTimelinesHavePaths) {
  Scenario sc = test::scenario_from(test::read_file(test::source_path("tests/data/vectors/v3-payers-tax-behaviour.yaml")));
  EXPECT_EQ(must_resolve(sc, "tax.municipal_rate").kind, ParameterKind::kRate);
  EXPECT_EQ(must_resolve(sc, "tax.equalisation.lag_months").kind, ParameterKind::kInteger);
  EXPECT_EQ(number_of(must_resolve(sc, "programme.extension_probability.1.value")), 0.0);
  EXPECT_EQ(must_resolve(sc, "programme.max_months").kind, ParameterKind::kInteger);
  EXPECT_EQ(number_of(must_resolve(sc, "after_xj.other.1.to.fs")), 0.05);
  EXPECT_NE(must_fail(sc, "tax.equalisation.lag_months").find("integer"), std::string::npos);
  set_parameter(sc, "tax.equalisation.municipality_keeps", 0.5, "--set");
  EXPECT_EQ(sc.tax->municipality_keeps.at(sc.calendar.start), 0.5);
}

}  // namespace extrasim
