// The bonus block of a scenario: the payout from the simulated count, in the payment month.
#include <gtest/gtest.h>

#include <cmath>

#include "extrasim/model/bonus.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

// 12 persons start in xj and nobody moves: Alfa's count on the reference date is 12 exactly.
std::string scenario(const std::string& bonus) {
  return R"(
name: bonus
calendar: {start: 2017-10, months: 6}
replications: 3
groups: [{name: g, size: 12, initial: {xj: 1}}]
programme: {extension_probability: 1, on_expiry: {fs: 1}}
accounting: {discount_rate: 0.05}
bonus:
  unit: Alfa
  units: units-small.csv
  reference_month: 2017-12
  payment_month: 2018-02
  pot: 1000
  targets: {municipality: 60, region: 10}
)" + bonus;
}

Scenario load(const std::string& text) {
  return load_scenario_text(text, test::source_path("tests/data/bonus.yaml"));
}

}  // namespace

TEST(BonusScenario, PaysTheRuleOnTheSimulatedCountInThePaymentMonth) {
  const RunResult r = run_monte_carlo(load(scenario("  others: {from_file: true}\n")));
  std::vector<BonusUnit> units = {{"Alfa", UnitType::kMunicipality, 300, 12, {}},
                                  {"Beta", UnitType::kMunicipality, 100, 20, {}},
                                  {"Region", UnitType::kRegion, 400, 5, {}}};
  const double payout = allocate_bonus({1000, 60, 10}, units)[0].payout;
  EXPECT_GT(payout, 0.0);
  const int bonus = index_of(Metric::kMunicipalityBonus);
  for (int m = 0; m < 6; ++m) {
    EXPECT_EQ(r.monthly[m].mean[0][bonus], m == 4 ? payout : 0.0) << "month " << m;
    EXPECT_EQ(r.monthly[m].mean[0][index_of(Metric::kStateBonus)], m == 4 ? -payout : 0.0);
  }
  EXPECT_EQ(r.total[0][bonus].mean, payout);
  EXPECT_EQ(r.total[1][bonus].mean, allocate_bonus({1000, 60, 10}, [&] { auto u = units; u[0].count = 0; return u; }())[0].payout);
  // Nets include it; the present value discounts it to month 0.
  const double net_without = r.monthly[4].mean[0][index_of(Metric::kMunicipalityNet)] - payout;
  EXPECT_NEAR(r.monthly[4].mean[0][index_of(Metric::kPvMunicipalityNet)],
              (net_without + payout) * std::pow(1.05, -4.0 / 12.0), 1e-6);
}

TEST(BonusScenario, ModelledOthersVaryByReplicationButNotByThread) {
  // scale 5: Alfa (60 of a beting of 45) is above its beting, so its extra depends on the others.
  Scenario sc = load(scenario("  others: {national_total: 50, dispersion: 0.8}\n  scale: 5\n"));
  sc.replications = 50;
  SessionOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const RunResult a = run_monte_carlo(sc, one), b = run_monte_carlo(sc, two);
  const auto pa = a.samples.column(ResultSide::kScenario, 0, Metric::kMunicipalityBonus);
  EXPECT_EQ(pa, b.samples.column(ResultSide::kScenario, 0, Metric::kMunicipalityBonus));
  EXPECT_GT(a.total[0][index_of(Metric::kMunicipalityBonus)].sd, 0.0);  // others differ per replication
}

TEST(BonusScenario, ExpectedRefusesIt) {
  EXPECT_THROW(expected_values(load(scenario("  others: {from_file: true}\n"))), InputError);
}

TEST(BonusScenario, BadBlocksNameThePath) {
  auto message = [](const std::string& bonus_tail, const std::string& replace_from = "", const std::string& replace_to = "") {
    std::string text = scenario(bonus_tail);
    if (!replace_from.empty()) text.replace(text.find(replace_from), replace_from.size(), replace_to);
    try {
      load(text);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("  others: {from_file: true}\n", "unit: Alfa", "unit: Gamma").find("bonus.unit: found 'Gamma'"), std::string::npos);
  EXPECT_NE(message("  others: {from_file: true}\n", "payment_month: 2018-02", "payment_month: 2018-06").find("a month within the calendar"), std::string::npos);
  EXPECT_NE(message("  others: {from_file: true}\n", "units: units-small.csv", "units: nowhere.csv").find("bonus.units"), std::string::npos);
  EXPECT_NE(message("  others: {}\n").find("neither from_file nor national_total"), std::string::npos);
}

}  // namespace extrasim
