// Selection at capacity intake (MODEL.md §9): weights by group and duration band, drawn
// without replacement with probability proportional to weight (Efraimidis–Spirakis clocks).
#include <gtest/gtest.h>

#include <cmath>

#include "extrasim/model/parameters.hpp"
#include "extrasim/model/validate.hpp"
#include "extrasim/simulate/dynamics.hpp"
#include "extrasim/simulate/runner.hpp"
#include "extrasim/simulate/simulation.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

std::string pool(const std::string& selection) {
  return R"(
name: selection
calendar: {start: 2017-01, months: 14}
replications: 40
groups:
  - {name: a, size: 60, initial: {fs: 0.7, job: 0.3}, initial_duration: 2, fs_benefit: 7000, wage: 18000}
  - {name: b, size: 50, initial: {fs: 0.6, other: 0.4}, initial_duration: 9, fs_benefit: 6000, wage: 18000}
transitions:
  fs: {job: 0.03, other: 0.02}
  job: {fs: 0.04}
  other: {fs: 0.05}
  xj: {job: 0.02, fs: 0.01}
programme:
  decision_months: 3
  max_months: 6
  reentry: true
  extension_probability: 0.6
  on_expiry: {fs: 0.6, job: 0.2, other: 0.2}
  intake:
    places: [{from: 2017-01, value: 12}, {from: 2017-07, value: 20}]
    from: [fs, other]
)" + selection;
}

// One place, one candidate in each of two groups: the share of replications in which group 0's
// candidate starts in month 0.
struct FirstShare {
  double p = 0;
  double se = 0;
};
FirstShare share_of_first(const std::string& groups, const std::string& selection, int replications) {
  const Scenario sc = test::scenario_from(R"(
name: two
calendar: {start: 2017-01, months: 1}
groups:
)" + groups + R"(
programme:
  extension_probability: 1
  on_expiry: {fs: 1}
  intake:
    places: 1
    selection: )" + selection + "\n");
  const Dynamics dyn = Dynamics::compile(sc);
  Population pop;
  Counts counts(dyn.months(), dyn.group_count(), dyn.spell_slots());
  double first = 0;
  for (int rep = 0; rep < replications; ++rep) {
    counts.clear();
    simulate(dyn, Side::kScenario, ReplicationStreams(sc.seed, static_cast<std::uint64_t>(rep)), pop, counts);
    EXPECT_EQ(counts.starts(0, 0) + counts.starts(0, 1), 1.0);
    first += counts.starts(0, 0);
  }
  FirstShare s;
  s.p = first / replications;
  s.se = std::sqrt(s.p * (1 - s.p) / replications);
  return s;
}

}  // namespace

TEST(Selection, AllWeightsOneIsBitIdenticalToNoSelection) {
  const RunResult plain = run_monte_carlo(test::scenario_from(pool("")));
  const RunResult ones = run_monte_carlo(test::scenario_from(pool(
      "    selection: {groups: {a: 1, b: 1.0}, duration: [{until: 4, weight: 1}, {until: 30, weight: 1}, {weight: 1}]}\n")));
  EXPECT_GT(plain.total[0][index_of(Metric::kStartsXj)].mean, 10.0);
  for (int i = 0; i < kMetricCount; ++i) {
    for (int p = 0; p < plain.samples.periods(); ++p) {
      for (const ResultSide side : {ResultSide::kScenario, ResultSide::kBaseline}) {
        EXPECT_EQ(plain.samples.column(side, p, metric_at(i)), ones.samples.column(side, p, metric_at(i)))
            << metric_name(metric_at(i)) << " period " << p;
      }
    }
  }
}

TEST(Selection, WeightsChangeWhoStarts) {
  const RunResult plain = run_monte_carlo(test::scenario_from(pool("")));
  const RunResult favour_long = run_monte_carlo(test::scenario_from(pool(
      "    selection: {groups: {b: 20}, duration: [{until: 6, weight: 0.05}, {weight: 1}]}\n")));
  // Group b starts with 9 months in fs; with these weights the places go to it first, so
  // fewer of group a's months are in xj and more of b's.
  EXPECT_NE(plain.total[0][index_of(Metric::kMunicipalityFsBenefit)].mean,
            favour_long.total[0][index_of(Metric::kMunicipalityFsBenefit)].mean);
}

// One place, two candidates weighted 2 and 1: P(the first starts) = 2/3.
TEST(Selection, OnePlaceTwoCandidatesWeightedTwoAndOne) {
  const int n = 20000;
  const FirstShare by_group = share_of_first(
      "  - {name: a, size: 1}\n  - {name: b, size: 1}", "{groups: {a: 2.0}}", n);
  EXPECT_NEAR(by_group.p, 2.0 / 3.0, 4 * std::sqrt(2.0 / 9.0 / n)) << "se " << by_group.se;
  std::cout << "[ selection ] P(first) by group weight: " << by_group.p << " (se " << by_group.se << ")\n";
  // The same by duration band: a has 0 months in fs (band until 3, weight 2), b has 5 (weight 1).
  const FirstShare by_duration = share_of_first(
      "  - {name: a, size: 1}\n  - {name: b, size: 1, initial_duration: 5}",
      "{duration: [{until: 3, weight: 2}, {weight: 1}]}", n);
  EXPECT_NEAR(by_duration.p, 2.0 / 3.0, 4 * std::sqrt(2.0 / 9.0 / n)) << "se " << by_duration.se;
  std::cout << "[ selection ] P(first) by duration weight: " << by_duration.p << " (se " << by_duration.se << ")\n";
  // The product of the two: 2 * 3 against 1 * 1.
  const FirstShare product = share_of_first(
      "  - {name: a, size: 1}\n  - {name: b, size: 1, initial_duration: 5}",
      "{groups: {a: 2}, duration: [{until: 3, weight: 3}, {weight: 1}]}", n);
  EXPECT_NEAR(product.p, 6.0 / 7.0, 4 * std::sqrt(6.0 / 49.0 / n)) << "se " << product.se;
}

TEST(Selection, ThreadInvariant) {
  const Scenario sc = test::scenario_from(pool("    selection: {groups: {b: 3}, duration: [{until: 6, weight: 0.5}, {weight: 2}]}\n"));
  SessionOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const RunResult a = run_monte_carlo(sc, one), b = run_monte_carlo(sc, two);
  for (int i = 0; i < kMetricCount; ++i) {
    EXPECT_EQ(a.samples.column(ResultSide::kScenario, 0, metric_at(i)), b.samples.column(ResultSide::kScenario, 0, metric_at(i)));
  }
}

TEST(Selection, BadWeightsAreLocatedErrors) {
  const auto message = [](const std::string& selection) {
    try {
      (void)test::scenario_from(pool("    selection: " + selection + "\n"));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("{groups: {a: 0}}").find("programme.intake.selection.groups.a"), std::string::npos);
  EXPECT_NE(message("{groups: {a: .nan}}").find("programme.intake.selection.groups.a"), std::string::npos);
  const std::string unknown = message("{groups: {newly_arrived: 2}}");
  EXPECT_NE(unknown.find("programme.intake.selection.groups.newly_arrived"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("test.yaml:"), std::string::npos) << unknown;
  EXPECT_NE(message("{duration: [{until: 3, weight: -1}, {weight: 1}]}").find("programme.intake.selection.duration.0.weight"), std::string::npos);
  EXPECT_NE(message("{duration: [{until: 3, weight: 1}]}").find("programme.intake.selection.duration.0.until"), std::string::npos);
  EXPECT_NE(message("{duration: [{until: 5, weight: 1}, {until: 3, weight: 1}, {weight: 1}]}").find("programme.intake.selection.duration.1.until"), std::string::npos);
}

TEST(Selection, WeightsAreParametersForSweepsAndSet) {
  Scenario sc = test::scenario_from(pool("    selection: {groups: {b: 2}, duration: [{until: 6, weight: 2}, {weight: 1}]}\n"));
  set_parameter(sc, "programme.intake.selection.groups.b", 3.5, "--set");
  set_parameter(sc, "programme.intake.selection.duration.0.weight", 0.25, "--set");
  validate(sc);
  EXPECT_EQ(sc.programme->intake->selection->groups[0].second, 3.5);
  EXPECT_EQ(sc.programme->intake->selection->duration[0].weight, 0.25);
  set_parameter(sc, "programme.intake.selection.groups.b", 0.0, "--set");
  EXPECT_THROW(validate(sc), InputError);
}

}  // namespace extrasim

namespace extrasim {

// An uncertain weight keeps its drawn value (a positive number, not a share clamped to 1).
TEST(Selection, UncertainWeightsAreDrawnAsPositiveNumbers) {
  const Scenario sc = test::scenario_from(pool("    selection: {groups: {b: 2}, duration: [{until: 6, weight: 2}, {weight: 1}]}\n") +
                                          "uncertainty:\n  programme.intake.selection.groups.b: {fixed: 3.5}\n"
                                          "  programme.intake.selection.duration.0.weight: {fixed: -1}\n");
  DrawRepairs repairs;
  const Scenario drawn = draw_parameters(sc, 0, &repairs);
  EXPECT_EQ(drawn.programme->intake->selection->groups[0].second, 3.5);
  EXPECT_GT(drawn.programme->intake->selection->duration[0].weight, 0.0);
  EXPECT_LT(drawn.programme->intake->selection->duration[0].weight, 1e-300);
}

}  // namespace extrasim

namespace extrasim {

// Capacity intake keeps only persons whose clock can be among the smallest (a prefilter on the
// word, as v1's): the starters are still the `asked` smallest clocks of all eligible persons,
// checked against a brute-force choice per group in month 0.
TEST(Selection, PrefilterChoosesTheSmallestClocksOfAll) {
  const Scenario sc = test::scenario_from(R"(
name: prefilter
calendar: {start: 2017-01, months: 1}
groups:
  - {name: a, size: 1500, initial: {fs: 0.9, job: 0.1}}
  - {name: b, size: 700, initial: {fs: 1}, initial_duration: 14}
  - {name: c, size: 300, initial: {fs: 1}, initial_duration: 3}
programme:
  extension_probability: 1
  on_expiry: {fs: 1}
  intake:
    places: 60
    selection: {groups: {b: 2.5, c: 0.5}, duration: [{until: 6, weight: 3}, {until: 12, weight: 1.5}, {weight: 1}]}
)");
  const Dynamics dyn = Dynamics::compile(sc);
  Population pop;
  Counts counts(dyn.months(), dyn.group_count(), dyn.spell_slots());
  const double weight[3] = {3.0, 2.5, 0.5 * 3.0};  // a: d = 0; b: d = 14; c: d = 3
  for (std::uint64_t rep = 0; rep < 20; ++rep) {
    const ReplicationStreams streams(sc.seed, rep);
    counts.clear();
    simulate(dyn, Side::kScenario, streams, pop, counts);
    std::vector<std::pair<double, int>> clocks;  // (clock, group) of every eligible person
    for (int g = 0; g < dyn.group_count(); ++g) {
      const GroupLayout& layout = dyn.group(g);
      const std::uint32_t in_fs = layout.initial_count[index_of(State::kFs)];
      for (std::uint32_t i = layout.first_person; i < layout.first_person + in_fs; ++i) {
        clocks.emplace_back(-std::log(1.0 - streams.uniform(i, 0, Purpose::kIntake)) / weight[g], g);
      }
    }
    std::sort(clocks.begin(), clocks.end());
    double expected[3] = {0, 0, 0};
    for (int k = 0; k < 60; ++k) expected[clocks[static_cast<std::size_t>(k)].second] += 1;
    for (int g = 0; g < 3; ++g) EXPECT_EQ(counts.starts(0, g), expected[g]) << "replication " << rep << " group " << g;
  }
}

}  // namespace extrasim
