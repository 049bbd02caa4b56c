#include "services/reporting/export/report_view.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qpv::reporting::report_export {
namespace {

namespace cv1 = ::qpv::common::v1;

TEST(CategoryRowsTest, MergesEveryListByCategoryInEnumOrder) {
  v1::WorkshopReport r;
  auto* rep = r.add_representation();
  rep->set_category(cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
  rep->set_target_share(0.15);
  rep->set_actual_share(0.05);
  rep->set_shortfall(4);
  *r.add_under_represented() = *rep;
  auto* reg = r.add_registrations_by_category();
  reg->set_category(cv1::ACTOR_CATEGORY_RESIDENT);  // outside the target mix
  reg->set_count(2);
  reg = r.add_registrations_by_category();
  reg->set_category(cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
  reg->set_count(3);
  auto* att = r.add_attendance_by_category();
  att->set_category(cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
  att->set_count(1);
  auto* con = r.add_contributions_by_category();
  con->set_category(cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY);
  con->set_count(5);

  const auto rows = CategoryRows(r);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].category, cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY);
  EXPECT_EQ(rows[0].contributions, 5);
  EXPECT_FALSE(rows[0].has_target);
  EXPECT_EQ(rows[1].category, cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
  EXPECT_EQ(rows[1].registered, 3);
  EXPECT_EQ(rows[1].attended, 1);
  EXPECT_TRUE(rows[1].has_target);
  EXPECT_DOUBLE_EQ(rows[1].target_share, 0.15);
  EXPECT_EQ(rows[1].shortfall, 4);
  EXPECT_TRUE(rows[1].under_represented);
  EXPECT_EQ(rows[2].category, cv1::ACTOR_CATEGORY_RESIDENT);
  EXPECT_FALSE(rows[2].under_represented);
}

TEST(CountsAttendanceTest, BasisFirstThenWhetherAnybodyAttended) {
  v1::WorkshopReport r;
  EXPECT_FALSE(CountsAttendance(r));
  r.set_attended_count(3);
  EXPECT_TRUE(CountsAttendance(r));
  r.set_representativeness_basis(v1::REPRESENTATIVENESS_BASIS_REGISTRATIONS);
  EXPECT_FALSE(CountsAttendance(r));
}

TEST(ReportViewTest, NamesAndTerritory) {
  EXPECT_EQ(PrefectureOfWorkshop("prefectures/2A/workshops/w1"), "2A");
  EXPECT_EQ(WorkshopId("prefectures/2A/workshops/w1"), "w1");
  EXPECT_EQ(WorkshopId("workshops/w1"), "");
  EXPECT_EQ(DepartementLabel("59"), "Nord (59)");
  EXPECT_EQ(DepartementLabel("971"), "Guadeloupe (971)");
  EXPECT_EQ(DepartementLabel("xx"), "xx");
  EXPECT_EQ(RegionLabel("32"), "Hauts-de-France");
}

TEST(ReportViewTest, IndexReadingAgreesWithTheShownValue) {
  EXPECT_EQ(IndexReading(0.7996), "bonne");  // shown as 0,80
  EXPECT_EQ(IndexReading(0.794), "moyenne");
  EXPECT_EQ(IndexReading(0.6), "moyenne");
  EXPECT_EQ(IndexReading(0.594), "faible");
  EXPECT_EQ(IndexReading(0), "faible");
  EXPECT_DOUBLE_EQ(ShownIndex(0.7996), 0.80);
}

TEST(ReportViewTest, StaleNotice) {
  google::protobuf::Timestamp as_of;
  as_of.set_seconds(1517909400);  // 2018-02-06 09:30 UTC
  EXPECT_EQ(StaleNotice(false, as_of), "");
  EXPECT_THAT(StaleNotice(true, as_of),
              ::testing::HasSubstr("les chiffres sont ceux du 6 février 2018, 10:30"));
  EXPECT_THAT(StaleNotice(true, google::protobuf::Timestamp()),
              ::testing::HasSubstr("la date des chiffres n'est pas connue"));
}

}  // namespace
}  // namespace qpv::reporting::report_export
