#include <gtest/gtest.h>

#include "extrasim/model/calendar.hpp"
#include "extrasim/model/timeline.hpp"

namespace extrasim {

TEST(Calendar, ParsesYearMonth) {
  EXPECT_EQ(parse_year_month("2015-12"), (YearMonth{2015, 12}));
  EXPECT_FALSE(parse_year_month("2015-13"));
  EXPECT_FALSE(parse_year_month("2015-1"));
  EXPECT_FALSE(parse_year_month("15-12-01"));
  EXPECT_FALSE(parse_year_month("abcd-ef"));
}

TEST(Calendar, CountsMonthsAcrossYears) {
  const YearMonth start{2015, 12};
  EXPECT_EQ(start.plus(1), (YearMonth{2016, 1}));
  EXPECT_EQ(start.plus(18).to_string(), "2017-06");
  EXPECT_LT(start, start.plus(1));
}

TEST(Timeline, LastEntryNotAfterTheMonthApplies) {
  const Timeline t({{{2016, 1}, 1.0}, {{2016, 12}, 2.0}, {{2016, 12}, 3.0}, {{2017, 11}, 4.0}});
  EXPECT_EQ(t.at({2016, 1}), 1.0);
  EXPECT_EQ(t.at({2016, 11}), 1.0);
  EXPECT_EQ(t.at({2016, 12}), 3.0);  // equal dates: the last wins
  EXPECT_EQ(t.at({2017, 10}), 3.0);
  EXPECT_EQ(t.at({2030, 1}), 4.0);
  EXPECT_EQ(t.over({2017, 10}, 3), (std::vector<double>{3.0, 4.0, 4.0}));
}

TEST(Timeline, ConstantAppliesEverywhere) {
  const Timeline t(7.5);
  EXPECT_FALSE(t.written_as_list());
  EXPECT_EQ(t.at({1990, 1}), 7.5);
  EXPECT_EQ(t.at({2100, 12}), 7.5);
}

}  // namespace extrasim
