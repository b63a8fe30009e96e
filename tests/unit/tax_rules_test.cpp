// Swedish income tax (MODEL.md §8.2): the independent reference vectors, cases computed by
// hand, the rule table's edges, and the `extrasim tax` writer.
#include "extrasim/model/tax_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "extrasim/error.hpp"
#include "extrasim/write/tax_output.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

// The hand-computed cases are exact decimals: only binary rounding separates them.
constexpr double kExact = 1e-6;

// The reference vectors print every amount to 4 decimals (655.3542 for 655.354166...), so a
// correct computation is within half a unit of the last printed digit, and no closer.
constexpr double kVectorPrinted = 0.5e-4 + 1e-9;

struct VectorRow {
  int year;
  double earned, benefit, municipal_rate, regional_rate;
  double grundavdrag_annual, municipal, regional, state, jobbskatteavdrag, tax, net_of_tax;
};

// The vector file has CRLF line ends (kept byte for byte as handed over).
std::string without_cr(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string first_line(const std::string& text) {
  return without_cr(text.substr(0, text.find('\n')));
}

std::vector<VectorRow> read_vectors() {
  const std::string path = test::source_path("tests/data/vectors/tax-sweden-2015-2022.csv");
  std::istringstream in(test::read_file(path));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(
      without_cr(line),
      "year,monthly_earned,monthly_taxable_benefit,municipal_rate,regional_rate,grundavdrag_annual,"
      "municipal_tax,regional_tax,state_tax,jobbskatteavdrag,tax,net_of_tax");
  std::vector<VectorRow> rows;
  while (std::getline(in, line)) {
    line = without_cr(line);
    if (line.empty()) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream cells(line);
    VectorRow r{};
    cells >> r.year >> r.earned >> r.benefit >> r.municipal_rate >> r.regional_rate >>
        r.grundavdrag_annual >> r.municipal >> r.regional >> r.state >> r.jobbskatteavdrag >>
        r.tax >> r.net_of_tax;
    EXPECT_TRUE(cells && (cells >> std::ws).eof()) << line;
    rows.push_back(r);
  }
  return rows;
}

void expect_lines(const TaxLines& t, double ga, double municipal, double regional, double state,
                  double jsa, double total, double net) {
  EXPECT_EQ(t.grundavdrag_annual, ga);
  EXPECT_NEAR(t.municipal, municipal, kExact);
  EXPECT_NEAR(t.regional, regional, kExact);
  EXPECT_NEAR(t.state, state, kExact);
  EXPECT_NEAR(t.jobbskatteavdrag, jsa, kExact);
  EXPECT_NEAR(t.total, total, kExact);
  EXPECT_NEAR(t.net_of_tax, net, kExact);
}

std::string sweden_csv() { return test::read_file(test::source_path("data/tax/sweden.csv")); }

// Replaces the first `from` in `text` (which must be there) by `to`.
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no InputError";
}

}  // namespace

// ---------------------------------------------------------------- the reference vectors

TEST(TaxVectors, EveryRowOfTheIndependentImplementationIsReproduced) {
  const std::vector<VectorRow> rows = read_vectors();
  ASSERT_EQ(rows.size(), 56u);  // 8 years x (6 wages + 1 taxable benefit)
  double max_diff = 0;
  for (const VectorRow& v : rows) {
    SCOPED_TRACE(std::to_string(v.year) + ": earned " + std::to_string(v.earned) + ", benefit " +
                 std::to_string(v.benefit));
    const TaxLines t = monthly_tax(swedish_tax_year(v.year), v.earned, v.benefit, v.municipal_rate,
                                   v.regional_rate);
    EXPECT_EQ(t.grundavdrag_annual, v.grundavdrag_annual);  // whole hundreds: exact
    const std::pair<double, double> pairs[] = {
        {t.municipal, v.municipal}, {t.regional, v.regional},
        {t.state, v.state},         {t.jobbskatteavdrag, v.jobbskatteavdrag},
        {t.total, v.tax},           {t.net_of_tax, v.net_of_tax}};
    for (const auto& [ours, theirs] : pairs) {
      EXPECT_NEAR(ours, theirs, kVectorPrinted);
      max_diff = std::max(max_diff, std::abs(ours - theirs));
    }
  }
  RecordProperty("max_abs_diff_kr", std::to_string(max_diff));
}

// ---------------------------------------------------------------- cases computed by hand
// Rates as in the vectors unless said: municipal 0.2075, regional 0.1136, KI = 0.3211.

// 2018, wage 45 000 kr/month: above the skiktgräns, below the upper one.
//   FFI = AI = 540 000; PBB 45 500, FFI = 11.87 PBB > 7.88 PBB
//   GA = 0.293 x 45 500 = 13 331.5 -> up to 13 400; taxable = 526 600
//   municipal 0.2075 x 526 600 = 109 269.50   -> 9 105.791667 / month
//   regional  0.1136 x 526 600 =  59 821.76   -> 4 985.146667
//   state 0.20 x (526 600 - 455 300) = 14 260 (upper 662 300 not reached) -> 1 188.333333
//   JSA: AI >= 8.08 PBB = 367 640, so base = 2.155 x 45 500 = 98 052.5;
//        (98 052.5 - 13 400) x 0.3211 = 27 181.91775; phase-out from 13.54 PBB = 616 070: none;
//        cap 169 091.26 not binding                                -> 2 265.159813
//   total 109 269.5 + 59 821.76 + 14 260 - 27 181.91775 = 156 169.34225 -> 13 014.111854
//   net 45 000 - 13 014.111854 = 31 985.888146
TEST(TaxByHand, Wage45000In2018PaysStateTax) {
  const TaxLines t = monthly_tax(swedish_tax_year(2018), 45000, 0, 0.2075, 0.1136);
  EXPECT_EQ(t.taxable_annual, 526600);
  expect_lines(t, 13400, 9105.791666667, 4985.146666667, 1188.333333333, 2265.1598125,
               13014.111854167, 31985.888145833);
}

// 2020, taxable aktivitetsstöd 4 830 kr/month and no wage: no jobbskatteavdrag.
//   FFI = 57 960, AI = 0; PBB 47 300; 0.99 PBB = 46 827 <= FFI < 2.72 PBB
//   GA = 0.423 x 47 300 + 0.20 x (57 960 - 46 827) = 20 007.9 + 2 226.6 = 22 234.5 -> 22 300
//   taxable = 35 660; municipal 7 399.45 -> 616.620833; regional 4 050.976 -> 337.581333
//   state 0; JSA: base = AI = 0 < GA -> 0
//   total 11 450.426 -> 954.202167; net 4 830 - 954.202167 = 3 875.797833
TEST(TaxByHand, TaxableBenefitAloneGivesNoJobbskatteavdrag) {
  const TaxLines t = monthly_tax(swedish_tax_year(2020), 0, 4830, 0.2075, 0.1136);
  expect_lines(t, 22300, 616.620833333, 337.581333333, 0, 0, 954.202166667, 3875.797833333);
  EXPECT_EQ(t.jobbskatteavdrag, 0.0);
}

// 2022, half-time wage 9 350 kr/month (half of 18 700).
//   FFI = AI = 112 200; PBB 48 300; 0.99 PBB = 47 817 <= FFI < 2.72 PBB = 131 376
//   GA = 0.423 x 48 300 + 0.20 x (112 200 - 47 817) = 20 430.9 + 12 876.6 = 33 307.5 -> 33 400
//   taxable = 78 800; municipal 16 351 -> 1 362.583333; regional 8 951.68 -> 745.973333; state 0
//   JSA: 0.91 PBB = 43 953 <= AI < 3.24 PBB = 156 492, so
//        base = 43 953 + 0.3874 x (112 200 - 43 953) = 43 953 + 26 438.8878 = 70 391.8878;
//        (70 391.8878 - 33 400) x 0.3211 = 11 878.09517258 -> 989.841264
//   total 16 351 + 8 951.68 - 11 878.09517258 = 13 424.58482742 -> 1 118.715402
//   net 9 350 - 1 118.715402 = 8 231.284598
TEST(TaxByHand, HalfTimeWageIn2022) {
  const TaxLines t = monthly_tax(swedish_tax_year(2022), 9350, 0, 0.2075, 0.1136);
  expect_lines(t, 33400, 1362.583333333, 745.973333333, 0, 989.841264382, 1118.715402285,
               8231.284597715);
}

// 2016, wage 9 350 plus a taxable benefit of 2 000 kr/month, at rates 0.22 and 0.11 (KI 0.33):
// the JSA is computed on the wage only but with the GA of all income (MODEL.md v2.1).
//   FFI = 136 200, AI = 112 200; PBB 44 300; FFI = 3.07 PBB, in 2.72-3.11: GA = 0.77 x 44 300
//   = 34 111 -> 34 200; taxable = 102 000; municipal 22 440 -> 1 870; regional 11 220 -> 935
//   JSA: 0.91 PBB = 40 313 <= AI < 2.94 PBB = 130 242, so
//        base = 40 313 + 0.332 x (112 200 - 40 313) = 64 179.484;
//        (64 179.484 - 34 200) x 0.33 = 9 893.22972 -> 824.43581
//        (with the GA of AI alone, 32 500, it would be 10 454.23 a year)
//   total 22 440 + 11 220 - 9 893.22972 = 23 766.77028 -> 1 980.56419; net 11 350 - that
TEST(TaxByHand, WageAndBenefitUseTheGrundavdragOfAllIncome) {
  const TaxLines t = monthly_tax(swedish_tax_year(2016), 9350, 2000, 0.22, 0.11);
  expect_lines(t, 34200, 1870, 935, 0, 824.43581, 1980.56419, 9369.43581);
}

// Bands are half-open: at exactly 8.08 PBB the JSA base is the maximum, 2.432 PBB in 2022
// (117 465.6), not the upper band's 1.812 PBB + 12.8 % x (AI - 3.24 PBB) (117 442.416).
//   AI = 32 522 x 12 = 390 264 = 8.08 x 48 300; GA 0.293 PBB = 14 151.9 -> 14 200
//   (117 465.6 - 14 200) x 0.3211 / 12 = 2 763.215347
//   one krona a month less, AI = 390 252: base 87 519.6 + 0.128 x 233 760 = 117 440.88
//   (117 440.88 - 14 200) x 0.3211 / 12 = 2 762.553881
// Likewise the grundavdrag at exactly 2.72 PBB in 2018 (123 760 kr, which 2.72 x 45 500 gives
// as 123 760.00000000001 in binary) is 0.77 PBB = 35 035 -> 35 100, not the rising band's
// 19 246.5 + 0.20 x (123 760 - 45 045) = 34 989.5 -> 35 000.
TEST(TaxByHand, AnIncomeOnABandLimitIsInTheBandAbove) {
  const TaxYear& y = swedish_tax_year(2022);
  EXPECT_NEAR(monthly_tax(y, 32522, 0, 0.2075, 0.1136).jobbskatteavdrag, 2763.215346667, kExact);
  EXPECT_NEAR(monthly_tax(y, 32521, 0, 0.2075, 0.1136).jobbskatteavdrag, 2762.553880667, kExact);
  EXPECT_EQ(grundavdrag(swedish_tax_year(2018), 123760), 35100);
  EXPECT_EQ(grundavdrag(swedish_tax_year(2018), 123759), 35000);  // 34 989.3
}

// The phase-out comes off before the cap. Real rules never reach the cap (the base is at most
// AI), so a made-up year gives a base of 20 PBB. 2018 otherwise, wage 70 000 kr/month:
//   AI = FFI = 840 000; GA 13 400; taxable 826 600; municipal + regional = 0.3211 x 826 600
//   = 265 421.26; JSA before phase-out (910 000 - 13 400) x 0.3211 = 287 898.26;
//   phase-out 0.03 x (840 000 - 616 070) = 6 717.90 -> 281 180.36; cap -> 265 421.26
//   (cap first, then phase-out, would give 258 703.36). JSA / month 22 118.438333;
//   state 0.20 x 371 300 + 0.05 x 164 300 = 82 475 -> 6 872.916667 = the whole tax.
TEST(TaxByHand, PhaseOutComesOffBeforeTheCap) {
  TaxYear y = swedish_tax_year(2018);
  y.jobbskatteavdrag.max_base = 20;
  const TaxLines t = monthly_tax(y, 70000, 0, 0.2075, 0.1136);
  EXPECT_NEAR(t.jobbskatteavdrag, 22118.438333333, kExact);
  EXPECT_NEAR(t.jobbskatteavdrag, t.municipal + t.regional, kExact);
  EXPECT_NEAR(t.state, 6872.916666667, kExact);
  EXPECT_NEAR(t.total, 6872.916666667, kExact);
}

// 2018, PBB 45 500: one FFI in each band, and the rounding at a whole hundred.
TEST(TaxByHand, GrundavdragRoundsUpToWholeHundreds) {
  const TaxYear& y = swedish_tax_year(2018);
  EXPECT_EQ(grundavdrag(y, 0), 19300);       // 0.423 x 45 500 = 19 246.5
  EXPECT_EQ(grundavdrag(y, 130000), 35100);  // 2.86 PBB: 0.77 x 45 500 = 35 035
  EXPECT_EQ(grundavdrag(y, 150000),
            34200);  // 3.30 PBB: 35 035 - 0.10 x (150 000 - 141 505) = 34 185.5
  EXPECT_EQ(grundavdrag(y, 1000000), 13400);  // 0.293 x 45 500 = 13 331.5
  // 0.99 PBB = 45 045: 19 246.5 + 0.20 x 267.5 = 19 300 exactly, which stays; 0.5 kr more does not.
  EXPECT_EQ(grundavdrag(y, 45312.5), 19300);
  EXPECT_EQ(grundavdrag(y, 45313), 19400);  // 19 300.1
}

// ---------------------------------------------------------------- the table

TEST(TaxTable, YearsOutsideTheTableAreErrorsNamingTheYear) {
  for (const int year : {2014, 2023}) {
    const std::string message = error_of([&] { swedish_tax_year(year, {"scenario.yaml", 12, 3}); });
    EXPECT_NE(message.find("scenario.yaml:12:3"), std::string::npos) << message;
    EXPECT_NE(message.find("tax.rules"), std::string::npos) << message;
    EXPECT_NE(message.find("income year " + std::to_string(year)), std::string::npos) << message;
    EXPECT_NE(message.find("2015-2022"), std::string::npos) << message;
  }
  EXPECT_EQ(swedish_tax_year(2015).year, 2015);
  EXPECT_EQ(swedish_tax_year(2022).year, 2022);
}

TEST(TaxTable, TheBuiltInTableIsTheCsvOfTheSourceTree) {
  const std::vector<TaxYear> file = parse_tax_table(sweden_csv(), "data/tax/sweden.csv");
  EXPECT_EQ(file, swedish_tax_table());
  ASSERT_EQ(file.size(), 8u);
  for (std::size_t i = 0; i < file.size(); ++i) EXPECT_EQ(file[i].year, 2015 + static_cast<int>(i));
}

TEST(TaxTable, ReadsTheYearsThatDiffer) {
  const TaxYear& y2015 = swedish_tax_year(2015);
  EXPECT_EQ(y2015.prisbasbelopp, 44500);
  EXPECT_FALSE(y2015.jobbskatteavdrag.phaseout_start);  // the phase-out came in 2016
  EXPECT_EQ(y2015.state.upper_skiktgrans, 616100);
  const TaxYear& y2020 = swedish_tax_year(2020);
  EXPECT_EQ(y2020.jobbskatteavdrag.phaseout_start, 13.54);
  EXPECT_EQ(y2020.jobbskatteavdrag.phaseout_rate, 0.03);
  EXPECT_FALSE(y2020.state.upper_skiktgrans);  // värnskatt abolished
  EXPECT_EQ(y2020.state.upper_rate, 0.0);
  EXPECT_EQ(swedish_tax_year(2022).jobbskatteavdrag.rate_2, 0.3874);
}

TEST(TaxTable, BadTablesAreInputErrorsWithTheirLine) {
  const std::string csv = sweden_csv();
  auto error = [&](const std::string& text) {
    return error_of([&] { parse_tax_table(text, "t.csv"); });
  };
  EXPECT_NE(error(edited(csv, "2017,44800", "2017,44 800")).find("t.csv:4:6: prisbasbelopp_kr"),
            std::string::npos);
  EXPECT_NE(error(edited(csv, "2017,", "2018,")).find("t.csv:4"),
            std::string::npos);  // years must follow
  EXPECT_NE(error(edited(csv, "2016,44300", "2016.5,44300")).find("a year"), std::string::npos);
  EXPECT_NE(
      error(edited(csv, "13.54,0.03,430200", ",0.03,430200")).find("both given or both empty"),
      std::string::npos);
  EXPECT_NE(error(edited(csv, "average_regional_rate", "regional")).find("t.csv:1"),
            std::string::npos);
  EXPECT_NE(
      error(edited(csv, ",average_regional_rate", "")).find("no column 'average_regional_rate'"),
      std::string::npos);
  EXPECT_NE(error(edited(csv, "0.99,2.72", "2.72,0.99")).find("ga_limit_2_pbb"), std::string::npos);
  EXPECT_NE(error(csv.substr(0, csv.find('\n') + 1)).find("no rows"), std::string::npos);
}

// ---------------------------------------------------------------- the writer

TEST(TaxOutput, JsonHasEveryLineWithItsLaw) {
  std::ostringstream out;
  write_tax_lines(out, 2018, 45000, 0, 0.2075, 0.1136, OutputFormat::kJson);
  const nlohmann::json j = nlohmann::json::parse(out.str());
  const TaxLines t = monthly_tax(swedish_tax_year(2018), 45000, 0, 0.2075, 0.1136);
  EXPECT_EQ(j["rules"], "sweden");
  EXPECT_EQ(j["year"], 2018);
  EXPECT_EQ(j["prisbasbelopp"], 45500.0);
  EXPECT_EQ(j["inputs"]["monthly_earned"], 45000.0);
  EXPECT_EQ(j["inputs"]["municipal_rate"], 0.2075);
  EXPECT_EQ(j["annual"]["ffi"], 540000.0);
  EXPECT_EQ(j["annual"]["grundavdrag"], 13400.0);
  EXPECT_EQ(j["annual"]["taxable"], 526600.0);
  EXPECT_EQ(j["monthly"]["municipal_tax"], t.municipal);
  EXPECT_EQ(j["monthly"]["regional_tax"], t.regional);
  EXPECT_EQ(j["monthly"]["state_tax"], t.state);
  EXPECT_EQ(j["monthly"]["jobbskatteavdrag"], t.jobbskatteavdrag);
  EXPECT_EQ(j["monthly"]["tax"], t.total);
  EXPECT_EQ(j["monthly"]["net_of_tax"], t.net_of_tax);
  EXPECT_NEAR(j["monthly"]["tax"].get<double>(), 13014.111854167, kExact);
  EXPECT_EQ(j["law"]["grundavdrag"], "IL 63 kap 3 §");
  EXPECT_EQ(j["law"]["jobbskatteavdrag"], "IL 67 kap 7 §");
  EXPECT_EQ(j["law"]["state_tax"], "IL 65 kap 5 §");
  EXPECT_FALSE(j["notes"].empty());
}

TEST(TaxOutput, TableShowsTheLinesAndTheirLaw) {
  std::ostringstream out;
  write_tax_lines(out, 2022, 9350, 0, 0.2075, 0.1136, OutputFormat::kTable);
  const std::string s = out.str();
  for (const char* expected : {"Swedish income tax 2022", "33,400", "IL 63 kap 3 §", "989.84",
                               "IL 67 kap 7 §", "IL 65 kap 5 §", "1,118.72", "8,231.28"}) {
    EXPECT_NE(s.find(expected), std::string::npos) << expected << " in\n" << s;
  }
}

TEST(TaxOutput, CsvHasTheColumnsOfTheReferenceVectors) {
  std::ostringstream out;
  write_tax_lines(out, 2020, 0, 4830, 0.2075, 0.1136, OutputFormat::kCsv);
  const std::string vectors =
      test::read_file(test::source_path("tests/data/vectors/tax-sweden-2015-2022.csv"));
  const std::string s = out.str();
  EXPECT_EQ(first_line(s), first_line(vectors));
  EXPECT_NE(s.find("\n2020,0,4830,0.2075,0.1136,22300,616.620833333333,"), std::string::npos) << s;
}

TEST(TaxOutput, BadArgumentsAreInputErrorsNamingTheFlag) {
  auto error = [](int year, double earned, double benefit, double m, double r) {
    std::ostringstream out;
    const std::string message =
        error_of([&] { write_tax_lines(out, year, earned, benefit, m, r, OutputFormat::kTable); });
    EXPECT_TRUE(out.str().empty());
    return message;
  };
  EXPECT_NE(error(2023, 20000, 0, 0.2, 0.1).find("YEAR"), std::string::npos);
  EXPECT_NE(error(2023, 20000, 0, 0.2, 0.1).find("income year 2023"), std::string::npos);
  EXPECT_NE(error(2018, -1, 0, 0.2, 0.1).find("MONTHLY_INCOME"), std::string::npos);
  EXPECT_NE(error(2018, 20000, NAN, 0.2, 0.1).find("--benefit"), std::string::npos);
  EXPECT_NE(error(2018, 20000, 0, 20.75, 0.1).find("--municipal-rate"), std::string::npos);
  EXPECT_NE(error(2018, 20000, 0, 0.2, -0.1).find("--regional-rate"), std::string::npos);
}

}  // namespace extrasim
