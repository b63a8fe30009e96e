// Regression: every shipped scenario against its stored output, and the figures each seed
// article reports. Stored outputs are refreshed with
//   EXTRASIM_UPDATE_REGRESSION=1 ctest -L regression_tests
// (or tools/update-regression.sh); review the diff before committing it.
#include <gtest/gtest.h>

#include <set>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "extrasim/write/output.hpp"
#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

using Json = nlohmann::ordered_json;

// Few replications keep the suite fast; the stored values are exact for these settings.
constexpr std::int64_t kRegressionReplications = 40;

RunResult run_shipped(const std::string& name, std::int64_t replications) {
  Scenario sc = load_scenario_file(test::source_path("scenarios/" + name + ".yaml"));
  sc.replications = replications;
  return run_monte_carlo(sc);
}

// Keys added since the files were stored, allowed in the output (they carry no v1 number).
const std::set<std::string> kNewKeys = {"provenance", "effect", "messages", "twin.xj_baseline_job", "twin.xj_baseline_fs",
                                        "deadweight_share"};

// Numbers equal to 1e-9 relative; everything else exactly.
void expect_same(const Json& got, const Json& want, const std::string& where) {
  if (want.is_number() && got.is_number()) {
    const double g = got.get<double>(), w = want.get<double>();
    EXPECT_LE(std::abs(g - w), 1e-9 * std::max(1.0, std::abs(w))) << where << ": " << g << " vs " << w;
  } else if (want.is_object() && got.is_object()) {
    for (const auto& [key, value] : got.items()) {
      EXPECT_TRUE(want.contains(key) || kNewKeys.count(key)) << where << "." << key << " is new";
    }
    for (const auto& [key, value] : want.items()) {
      if (!got.contains(key)) {
        ADD_FAILURE() << where << "." << key << " missing";
        continue;
      }
      expect_same(got[key], value, where + "." += key);
    }
  } else if (want.is_array() && got.is_array()) {
    ASSERT_EQ(got.size(), want.size()) << where;
    for (std::size_t i = 0; i < want.size(); ++i) expect_same(got[i], want[i], where + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(got, want) << where;
  }
}

class ShippedScenario : public ::testing::TestWithParam<std::string> {};

double mean(const RunResult& r, ResultSide side, Metric m) { return r.total[static_cast<int>(side)][index_of(m)].mean; }
double year_mean(const RunResult& r, int year, ResultSide side, Metric m) {
  for (const YearResult& y : r.yearly) {
    if (y.year == year) return y.summaries[static_cast<int>(side)][index_of(m)].mean;
  }
  ADD_FAILURE() << "no year " << year;
  return 0.0;
}

}  // namespace

// The numbers, not where they were made: provenance names the checkout's paths and the
// machine's threads, so it is neither stored nor compared.
TEST_P(ShippedScenario, MatchesStoredOutput) {
  std::ostringstream text;
  write_json(run_shipped(GetParam(), kRegressionReplications), text);
  Json got = Json::parse(text.str());
  got.erase("provenance");
  const std::string stored = test::source_path("tests/regression/expected/" + GetParam() + ".json");
  if (const char* update = std::getenv("EXTRASIM_UPDATE_REGRESSION"); update && std::string(update) == "1") {
    std::ofstream(stored) << got.dump(1) << "\n";
    std::cout << "updated " << stored << "\n";
    return;
  }
  const std::string text_want = test::read_file(stored);
  ASSERT_FALSE(text_want.empty()) << "no stored output " << stored << " (run with EXTRASIM_UPDATE_REGRESSION=1)";
  Json want = Json::parse(text_want);
  want.erase("provenance");
  expect_same(got, want, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ShippedScenario,
                         ::testing::Values("motala", "norrkoping-2017", "uppsala-700", "timra",
                                           "national-2017", "lund", "national-2018"));

TEST(SeedFigures, LundReceivesAbout4point6MillionFromTheGrant) {
  const RunResult r = run_shipped("lund", 2000);
  const Summary& bonus = r.total[0][index_of(Metric::kMunicipalityBonus)];
  EXPECT_NEAR(bonus.mean, 4.6e6, 0.1e6);  // the article: 4.6 MSEK
  EXPECT_LT(bonus.p025, 4.6e6);
  EXPECT_GT(bonus.p975, 4.6e6);
  EXPECT_NEAR(r.monthly[11].mean[0][index_of(Metric::kMonthsXj)], 60.0, 2.0);  // 31 Dec 2017
  EXPECT_NEAR(r.monthly[13].mean[0][index_of(Metric::kMonthsXj)], 80.0, 3.0);  // 28 Feb 2018
  EXPECT_EQ(year_mean(r, 2017, ResultSide::kScenario, Metric::kMunicipalityBonus), 0.0);  // paid in 2018
}

// The article: about 400 000 kr of social assistance saved, 14 persons. The file's intake
// timing was fitted to that figure when fs paid a person's whole 7 700 kr. Since v2 the state
// pays aktivitetsstöd in the job guarantee and fs only tops it up (3 840 kr), so the same
// timing avoids about half as much fs, and the state saves the aktivitetsstöd. The timing is
// not refitted (scenarios/motala.yaml says what earlier starts would give); this test pins
// what the model gives and that the article's figure now lies above its interval.
TEST(SeedFigures, MotalaAvoidsTheFsTopUpOf14Persons) {
  const RunResult r = run_shipped("motala", 2000);
  const Summary& fs = r.total[2][index_of(Metric::kMunicipalityFsBenefit)];
  EXPECT_NEAR(fs.mean, 201000.0, 15000.0);  // the model, v2 economics (was 403 000 in v1)
  EXPECT_LT(fs.p975, 400000.0);             // the article's 400 000 kr: not reached with this timing
  const Summary& aktivitetsstod = r.total[2][index_of(Metric::kStateBenefits)];
  EXPECT_GT(aktivitetsstod.mean, fs.mean);  // the state saves more aktivitetsstöd than the municipality saves fs
  EXPECT_EQ(mean(r, ResultSide::kScenario, Metric::kStartsXj), 14.0);  // 14 persons
}

// The article: "200 persons in extratjänst in 2017, 40 % of the county's 530". Both hold: about
// 200 persons had one during the year (nobody at the start, so persons = starts) and 200 were
// in one in December, 38 % of 530.
TEST(SeedFigures, NorrkopingHasAbout200PersonsInExtratjanstDuring2017And40PercentOfTheCounty) {
  const RunResult r = run_shipped("norrkoping-2017", 200);
  const double persons = mean(r, ResultSide::kScenario, Metric::kStartsXj);
  EXPECT_NEAR(persons, 200.0, 15.0);
  const double december = mean(r, ResultSide::kScenario, Metric::kEndXj);
  EXPECT_EQ(december, 200.0);
  EXPECT_NEAR(december / 530.0, 0.40, 0.03);
  EXPECT_EQ(mean(r, ResultSide::kScenario, Metric::kIntakeUnfilled), 0.0);
}

TEST(SeedFigures, Uppsala700StartsHalfOfThemHalfTime) {
  const RunResult r = run_shipped("uppsala-700", 50);
  EXPECT_EQ(mean(r, ResultSide::kScenario, Metric::kStartsXj), 700.0);
  EXPECT_EQ(mean(r, ResultSide::kScenario, Metric::kIntakeUnfilled), 0.0);
  // Wage cost per xj month lies halfway between full time and half time when half work half time.
  const double per_month = -mean(r, ResultSide::kScenario, Metric::kMunicipalityXjWageCost) /
                           mean(r, ResultSide::kScenario, Metric::kMonthsXj);
  const double full = 18700 * (1 + 0.3846);
  EXPECT_NEAR(per_month / full, 0.75, 0.03);
}

TEST(SeedFigures, Timra37PlacesFromAutumn2016) {
  const RunResult r = run_shipped("timra", 50);
  EXPECT_EQ(year_mean(r, 2016, ResultSide::kScenario, Metric::kEndXj), 37.0);
  EXPECT_EQ(mean(r, ResultSide::kScenario, Metric::kEndXj), 37.0);
}

TEST(SeedFigures, NationalCohortFollowsThePublishedCounts) {
  const RunResult r = run_shipped("national-2017", 4);
  EXPECT_EQ(r.monthly[0].mean[0][index_of(Metric::kMonthsXj)], 1882.0);
  EXPECT_EQ(year_mean(r, 2017, ResultSide::kScenario, Metric::kEndXj), 11168.0);
  EXPECT_EQ(year_mean(r, 2018, ResultSide::kScenario, Metric::kEndXj), 19000.0);
}

// The independent check (FACTS §7.10): Arbetsförmedlingen's cost for extratjänster in 2018 was
// 4.2 bn kr for 24 853 participants. national-2018.yaml follows the observed stock and was not
// tuned to either figure. This test pins what the model gives and records the comparison;
// docs/model.md ("The national cross-check") explains the difference.
TEST(NationalCrossCheck, StateSubsidyPaidIn2018AgainstArbetsformedlingens4point2Billion) {
  const RunResult r = run_shipped("national-2018", 4);
  const double paid = -year_mean(r, 2018, ResultSide::kScenario, Metric::kStateSubsidyPaid);
  EXPECT_NEAR(paid, 4.813e9, 0.01e9);  // the model (pinned), kr
  // Participants in 2018: the stock in the last month of 2017 (it continues into 2018) plus the starts of 2018.
  const double participants = year_mean(r, 2017, ResultSide::kScenario, Metric::kEndXj) +
                              year_mean(r, 2018, ResultSide::kScenario, Metric::kStartsXj);
  EXPECT_NEAR(participants, 24364.0, 100.0);  // the model (pinned); AF: 24 853
  constexpr double kAf = 4.2e9;
  std::cout << "national-2018: state.subsidy_paid 2018 = " << paid / 1e9 << " bn kr; Arbetsförmedlingen 4.2 bn kr; ratio "
            << paid / kAf << "; participants " << participants << " (AF: 24 853)\n";
  RecordProperty("state_subsidy_paid_2018", std::to_string(paid));
  RecordProperty("ratio_to_af_4_2_bn", std::to_string(paid / kAf));
}

}  // namespace extrasim
