#include "services/national/figure_cells.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/national/national_test_util.h"

namespace qpv::national {
namespace {

using namespace ::qpv::national::testing;  // NOLINT: builders
using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
using ::qpv::common::v1::THEME_DISCRIMINATION;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::common::v1::THEME_HEALTH;

std::map<std::string, int64_t> AsMap(const std::vector<std::pair<std::string, int64_t>>& v) {
  return {v.begin(), v.end()};
}

TEST(MonthTest, NamesAndBoundaries) {
  EXPECT_EQ(MonthName(MonthOf(Utc(2018, 2, 6))), "2018-02");
  EXPECT_EQ(MonthName(MonthOf(Utc(2018, 12, 31, 23))), "2018-12");
  EXPECT_EQ(MonthStart(MonthOf(Utc(2018, 2, 6))), Utc(2018, 2, 1, 0));
  EXPECT_EQ(MonthStart(MonthOf(Utc(2018, 12, 6)) + 1), Utc(2019, 1, 1, 0));
  // The last second of January is January, in UTC.
  EXPECT_EQ(MonthName(MonthOf(Utc(2018, 2, 1, 0) - absl::Seconds(1))), "2018-01");
  EXPECT_EQ(MonthName(MonthOf(absl::FromUnixSeconds(-1))), "1969-12");
  EXPECT_EQ(MetricName(kAttendedByCategory + 3), "ac3");
  EXPECT_EQ(MetricName(kContributionsByCategory + 0), "cc0");
  EXPECT_EQ(MetricName(kContributionsByTheme + 7), "ct8");
  EXPECT_EQ(MetricName(kWorkshopsByTheme + 10), "wt11");
}

TEST(FigureCellsTest, CountsEveryKeyAsDocumented) {
  // Nord 2018: employment on 6 Feb (multi-theme), discrimination on 8 Feb,
  // a cancelled one that counts nowhere, one in March.
  auto w1 =
      MakeWorkshop("59", "w1", Utc(2018, 2, 6),
                   {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, THEME_HEALTH}, Workshop::STATE_REPORTED);
  AddAttendance(w1, ACTOR_CATEGORY_ASSOCIATION, 10);
  AddAttendance(w1, ACTOR_CATEGORY_SOCIAL_LANDLORD, 3);
  // 4 contributions on employment + discrimination, 2 without theme.
  AddContributions(w1, {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, THEME_DISCRIMINATION},
                   ACTOR_CATEGORY_ASSOCIATION, 4);
  AddContributions(w1, {}, ACTOR_CATEGORY_SOCIAL_LANDLORD, 2);
  auto w2 = MakeWorkshop("59", "w2", Utc(2018, 2, 8), {THEME_DISCRIMINATION});
  AddAttendance(w2, ACTOR_CATEGORY_ASSOCIATION, 5);
  auto cancelled =
      MakeWorkshop("59", "w3", Utc(2018, 2, 9), {THEME_HEALTH}, Workshop::STATE_CANCELLED);
  AddAttendance(cancelled, ACTOR_CATEGORY_ASSOCIATION, 50);
  auto w4 = MakeWorkshop("59", "w4", Utc(2018, 3, 1), {}, Workshop::STATE_SCHEDULED);
  const auto snapshot = MakeSnapshot("59", 1, {w4, w1, w2, cancelled});

  const auto workshops = ComputeWorkshopCells(snapshot);
  ASSERT_EQ(workshops.size(), 3u);
  EXPECT_EQ(workshops[0].start, Utc(2018, 2, 6));  // sorted by start
  EXPECT_EQ(workshops[2].start, Utc(2018, 3, 1));

  const auto cells = AsMap(CellFields(AggregateByMonth(workshops)));
  // clang-format off
  const std::map<std::string, int64_t> expected = {
      // Every workshop of February.
      {"2018-02|*|w", 2}, {"2018-02|*|a", 18}, {"2018-02|*|c", 6},
      {"2018-02|*|h", 2}, {"2018-02|*|r", 1},
      {"2018-02|*|ac2", 15}, {"2018-02|*|ac3", 3},
      {"2018-02|*|cc2", 4}, {"2018-02|*|cc3", 2},
      {"2018-02|*|ct1", 4}, {"2018-02|*|ct2", 4},
      {"2018-02|*|wt1", 1}, {"2018-02|*|wt2", 1}, {"2018-02|*|wt8", 1},
      // Employment (1): w1 carries it, its 4 contributions carry it.
      {"2018-02|1|w", 1}, {"2018-02|1|a", 13}, {"2018-02|1|c", 4},
      {"2018-02|1|h", 1}, {"2018-02|1|r", 1}, {"2018-02|1|ac2", 10}, {"2018-02|1|ac3", 3},
      {"2018-02|1|cc2", 4}, {"2018-02|1|ct1", 4}, {"2018-02|1|wt1", 1},
      // Discrimination (2): w2 carries it; w1's 4 contributions carry it too.
      {"2018-02|2|w", 1}, {"2018-02|2|a", 5}, {"2018-02|2|c", 4}, {"2018-02|2|h", 1},
      {"2018-02|2|ac2", 5}, {"2018-02|2|cc2", 4}, {"2018-02|2|ct2", 4}, {"2018-02|2|wt2", 1},
      // Health (8): w1 carries it, no contribution does (the cancelled one is out).
      {"2018-02|8|w", 1}, {"2018-02|8|a", 13}, {"2018-02|8|h", 1}, {"2018-02|8|r", 1},
      {"2018-02|8|ac2", 10}, {"2018-02|8|ac3", 3}, {"2018-02|8|wt8", 1},
      // March: a scheduled workshop, not held.
      {"2018-03|*|w", 1},
  };
  // clang-format on
  EXPECT_EQ(cells, expected);
}

}  // namespace
}  // namespace qpv::national
