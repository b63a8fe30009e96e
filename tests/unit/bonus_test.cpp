// The performance-grant rule: worked cases and properties on random tables.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "extrasim/config/config.hpp"
#include "extrasim/model/bonus.hpp"
#include "extrasim/error.hpp"

namespace extrasim {

namespace {

BonusUnit municipality(const std::string& name, double pop, double count) {
  return {name, UnitType::kMunicipality, pop, count, std::nullopt};
}
BonusUnit region(const std::string& name, double pop, double count) {
  return {name, UnitType::kRegion, pop, count, std::nullopt};
}

long long total_ore(const std::vector<BonusPayout>& p) {
  long long ore = 0;
  for (const BonusPayout& x : p) ore += std::llround(x.payout * 100);
  return ore;
}

// A random table: 2-40 municipalities, 1-5 regions, counts around their beting.
std::vector<BonusUnit> random_table(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> nm(2, 40), nr(1, 5);
  std::lognormal_distribution<double> pop(10.0, 1.0);
  std::uniform_real_distribution<double> level(0.0, 2.5);
  std::vector<BonusUnit> units;
  const int m = nm(rng), r = nr(rng);
  units.reserve(static_cast<std::size_t>(m) + static_cast<std::size_t>(r));
  for (int i = 0; i < m; ++i) units.push_back(municipality("m" + std::to_string(i), std::ceil(pop(rng)), 0));
  for (int i = 0; i < r; ++i) units.push_back(region("r" + std::to_string(i), std::ceil(pop(rng)) * 10, 0));
  const BonusRule rule;
  const auto p = allocate_bonus(rule, units);
  for (std::size_t i = 0; i < units.size(); ++i) units[i].count = std::round(p[i].beting * level(rng));
  return units;
}

}  // namespace

TEST(Bonus, WorkedCase) {
  // Two municipalities (pop 300 and 100) and one region; pot 1000 kr, targets 60 and 10.
  const BonusRule rule{1000.0, 60.0, 10.0};
  const std::vector<BonusUnit> units = {municipality("a", 300, 90), municipality("b", 100, 9),
                                        region("r", 400, 5)};
  const auto p = allocate_bonus(rule, units);
  EXPECT_DOUBLE_EQ(p[0].beting, 45.0);
  EXPECT_DOUBLE_EQ(p[1].beting, 15.0);
  EXPECT_DOUBLE_EQ(p[2].beting, 10.0);
  // Table amounts: 1000 * b / 70.
  EXPECT_NEAR(p[0].table_amount, 1000.0 * 45 / 70, 1e-12);
  // b: 9 of 15 -> 60 % of its amount; r: 5 of 10 -> 50 %; a above: its full amount.
  EXPECT_NEAR(p[1].base, 0.6 * 1000.0 * 15 / 70, 1e-12);
  EXPECT_NEAR(p[2].base, 0.5 * 1000.0 * 10 / 70, 1e-12);
  const double remainder = 1000.0 - (p[0].base + p[1].base + p[2].base);
  EXPECT_NEAR(p[0].extra, remainder, 1e-9);  // the only unit above: all of R (90 * R / 90)
  EXPECT_NEAR(p[0].payout, std::round((p[0].base + remainder) * 100) / 100, 0.011);
  EXPECT_EQ(total_ore(p), 100000);
  EXPECT_TRUE(p[0].table_amount_assumed);
}

TEST(Bonus, ProRataExactlyAt90Percent) {
  const BonusRule rule;
  std::vector<BonusUnit> units = {municipality("a", 1000, 0), municipality("b", 3000, 0), region("r", 4000, 0)};
  const auto first = allocate_bonus(rule, units);
  units[0].count = 0.9 * first[0].beting;
  const auto p = allocate_bonus(rule, units);
  EXPECT_NEAR(p[0].base, 0.9 * p[0].table_amount, 1e-6);
  EXPECT_EQ(p[0].extra, 0.0);
}

TEST(Bonus, RegionExtraIsCutAndTheRestGoesToRegionsPerCapita) {
  const BonusRule rule{1000.0, 60.0, 10.0};
  // Only the small region is above its beting, by far: its extra would exceed its amount.
  const std::vector<BonusUnit> units = {municipality("a", 300, 0), municipality("b", 100, 0),
                                        region("r1", 100, 50), region("r2", 300, 0)};
  const auto p = allocate_bonus(rule, units);
  EXPECT_NEAR(p[2].extra, p[2].table_amount, 1e-9);  // cut to its table amount
  const double left = 1000.0 - (p[2].base + p[2].extra);
  EXPECT_NEAR(p[2].region_share, left * 100 / 400, 1e-9);
  EXPECT_NEAR(p[3].region_share, left * 300 / 400, 1e-9);
  EXPECT_EQ(p[0].payout, 0.0);
  EXPECT_EQ(total_ore(p), 100000);
}

TEST(Bonus, NobodyAboveBetingSendsTheRemainderToRegions) {
  const BonusRule rule{1000.0, 60.0, 10.0};
  const std::vector<BonusUnit> units = {municipality("a", 100, 0), region("r", 100, 0)};
  const auto p = allocate_bonus(rule, units);
  EXPECT_EQ(p[0].payout, 0.0);
  EXPECT_EQ(p[1].payout, 1000.0);
}

TEST(Bonus, GivenTableAmountsAndTheirLimit) {
  BonusRule rule{1000.0, 60.0, 10.0};
  std::vector<BonusUnit> units = {municipality("a", 100, 100), municipality("b", 100, 100), region("r", 100, 100)};
  units[0].table_amount = 700.0;
  const auto p = allocate_bonus(rule, units);
  EXPECT_FALSE(p[0].table_amount_assumed);
  EXPECT_EQ(p[0].table_amount, 700.0);
  EXPECT_NEAR(p[1].table_amount + p[2].table_amount, 300.0, 1e-9);  // the rest, by beting
  units[1].table_amount = 400.0;
  EXPECT_THROW(allocate_bonus(rule, units), InputError);
}

TEST(Bonus, BadTablesAreInputErrors) {
  const BonusRule rule;
  EXPECT_THROW(allocate_bonus(rule, {municipality("a", 100, 1)}), InputError);  // no region
  EXPECT_THROW(allocate_bonus(rule, {municipality("a", 0, 1), region("r", 1, 0)}), InputError);
  EXPECT_THROW(allocate_bonus(rule, {municipality("a", 5, -1), region("r", 1, 0)}), InputError);
  EXPECT_THROW(allocate_bonus(rule, {municipality("a", 5, 1), municipality("a", 5, 1), region("r", 1, 0)}), InputError);
}

TEST(BonusProperties, PayoutsSumToThePotToTheOre) {
  std::mt19937_64 rng(2018);
  for (int trial = 0; trial < 500; ++trial) {
    const auto units = random_table(rng);
    BonusRule rule;
    rule.pot = std::uniform_real_distribution<double>(0, 1e9)(rng);
    rule.pot = std::round(rule.pot * 100) / 100;
    EXPECT_EQ(total_ore(allocate_bonus(rule, units)), std::llround(rule.pot * 100)) << "trial " << trial;
  }
}

TEST(BonusProperties, MoreExtratjansterNeverPayLess) {
  std::mt19937_64 rng(7);
  const BonusRule rule;
  for (int trial = 0; trial < 300; ++trial) {
    auto units = random_table(rng);
    const std::size_t i = std::uniform_int_distribution<std::size_t>(0, units.size() - 1)(rng);
    double previous = allocate_bonus(rule, units)[i].payout;
    for (int step = 0; step < 30; ++step) {
      units[i].count += 1;
      const double now = allocate_bonus(rule, units)[i].payout;
      EXPECT_GE(now, previous - 0.01) << "trial " << trial << ", unit " << units[i].name << ", count " << units[i].count;
      previous = now;
    }
  }
}

// Units tables as spreadsheets save them: Excel's "CSV UTF-8" (a byte order mark, CRLF) and
// old Mac files (CR alone) read like the plain file; a decimal comma is refused, not misread.
TEST(UnitsCsv, ReadsBomAndEveryLineEndingAndRefusesExtraCells) {
  const std::string plain = "name,type,population,count\nGävle,municipality,100000,40\nGävleborg,region,280000,\n";
  const UnitsTable want = load_units_csv_text(plain, "plain.csv");
  for (const std::string& text : {"\xEF\xBB\xBF" + plain, std::string("name,type,population,count\r\nGävle,municipality,100000,40\r\nGävleborg,region,280000,\r\n"),
                                  std::string("name,type,population,count\rGävle,municipality,100000,40\rGävleborg,region,280000,\r")}) {
    const UnitsTable got = load_units_csv_text(text, "t.csv");
    ASSERT_EQ(got.units.size(), 2u) << text;
    EXPECT_EQ(got.units[0].name, "Gävle");
    EXPECT_EQ(got.units[0].count, 40.0);
    EXPECT_EQ(got.count_given, want.count_given);
  }
  try {
    (void)load_units_csv_text("name,type,population,count\nGävle,municipality,100,000,40\n", "t.csv");
    ADD_FAILURE() << "extra cells accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:2"), std::string::npos) << e.what();
  }
}

}  // namespace extrasim
