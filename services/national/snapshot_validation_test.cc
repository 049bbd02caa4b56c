#include "services/national/snapshot_validation.h"

#include <set>
#include <string>

#include "common/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/national/national_test_util.h"
#include "tests/support/status_matchers.h"

namespace qpv::national {
namespace {

using namespace ::qpv::national::testing;  // NOLINT: builders
using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::common::v1::THEME_HEALTH;
using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::Contains;
using ::testing::IsSupersetOf;

std::set<std::string> Fields(const absl::Status& s) {
  std::set<std::string> out;
  for (const auto& [field, why] : FieldViolationsOf(s)) out.insert(field);
  return out;
}

nv1::PrefectureSnapshot Valid() {
  auto w = MakeWorkshop("59", "w1", Utc(2018, 2, 6), {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT});
  AddAttendance(w, ACTOR_CATEGORY_ASSOCIATION, 12);
  AddContributions(w, {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, ACTOR_CATEGORY_ASSOCIATION, 4);
  return MakeSnapshot(
      "59", 7, {w},
      {MakeAction("59", "w1", "c1", "Parrainage", "Des chefs d'entreprise parrainent.",
                  {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 3, {"QN05981M"})});
}

TEST(SnapshotValidationTest, AcceptsAValidSnapshot) {
  EXPECT_THAT(ValidateSnapshot(Valid(), "snapshot"), IsOk());
  // Every territory code, including Corsica and overseas.
  for (const char* code : {"2A", "971", "976", "01", "95"}) {
    auto s = Valid();
    s.set_prefecture(code);
    s.clear_workshops();
    s.clear_reproducible_actions();
    EXPECT_THAT(ValidateSnapshot(s, "snapshot"), IsOk()) << code;
  }
}

TEST(SnapshotValidationTest, RejectsBadPrefectureAndVersion) {
  for (const char* code : {"", "20", "975", "96", "59 ", "2C"}) {
    auto s = Valid();
    s.set_prefecture(code);
    const absl::Status status = ValidateSnapshot(s, "snapshot");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << code;
    EXPECT_THAT(Fields(status), Contains("snapshot.prefecture")) << code;
    // One bad code is one violation, not one per child as well.
    EXPECT_EQ(Fields(status).size(), 1u) << code;
  }
  auto s = Valid();
  s.set_version(0);
  EXPECT_THAT(Fields(ValidateSnapshot(s, "snapshot")), Contains("snapshot.version"));
  s.set_version(-3);
  EXPECT_THAT(Fields(ValidateSnapshot(s, "snapshot")), Contains("snapshot.version"));
}

TEST(SnapshotValidationTest, NamesEveryBadWorkshopField) {
  auto s = Valid();
  *s.add_workshops() = MakeWorkshop("62", "w2", Utc(2018, 2, 8), {THEME_HEALTH});
  auto w = MakeWorkshop("59", "w3", Utc(2018, 2, 8), {THEME_HEALTH, THEME_HEALTH});
  w.set_attended_count(-1);
  w.set_contribution_count(kMaxCount + 1);
  w.set_state(static_cast<Workshop::State>(42));
  w.set_representativeness_index(1.5);
  w.clear_start_time();
  auto* cat = w.add_attendance_by_category();
  cat->set_category(static_cast<ActorCategory>(99));
  auto* cell = w.add_contribution_cells();
  cell->set_theme(static_cast<Theme>(77));
  cell->set_count(-2);
  *s.add_workshops() = w;
  *s.add_workshops() = s.workshops(0);  // same name twice
  s.add_workshops()->set_workshop("prefectures/59/organizations/o1");
  const absl::Status status = ValidateSnapshot(s, "snapshot");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      Fields(status),
      IsSupersetOf({"snapshot.workshops[1].workshop", "snapshot.workshops[2].themes[1]",
                    "snapshot.workshops[2].attended_count",
                    "snapshot.workshops[2].contribution_count", "snapshot.workshops[2].state",
                    "snapshot.workshops[2].representativeness_index",
                    "snapshot.workshops[2].start_time",
                    "snapshot.workshops[2].attendance_by_category[0].category",
                    "snapshot.workshops[2].contribution_cells[0].theme",
                    "snapshot.workshops[2].contribution_cells[0].count",
                    "snapshot.workshops[3].workshop", "snapshot.workshops[4].workshop"}));
  EXPECT_THAT(Fields(status), ::testing::Not(Contains("snapshot.workshops[0].workshop")));
}

TEST(SnapshotValidationTest, RejectsRepeatedCells) {
  auto s = Valid();
  *s.mutable_workshops(0)->add_contribution_cells() = s.workshops(0).contribution_cells(0);
  *s.mutable_workshops(0)->add_attendance_by_category() = s.workshops(0).attendance_by_category(0);
  EXPECT_THAT(Fields(ValidateSnapshot(s, "snapshot")),
              IsSupersetOf({"snapshot.workshops[0].contribution_cells[2]",
                            "snapshot.workshops[0].attendance_by_category[1].category"}));
}

TEST(SnapshotValidationTest, NamesEveryBadActionField) {
  auto s = Valid();
  auto a =
      MakeAction("62", "w1", "c2", "", std::string(kMaxTextChars + 1, 'x'), {}, -1, {"QP062001"});
  a.set_kind(static_cast<Contribution::Kind>(9));
  *s.add_reproducible_actions() = a;
  auto b = MakeAction("59", "w1", "c3", std::string(kMaxTitleChars + 1, 'y'), "ok", {}, 0,
                      {"QP062001", "nope"});
  *s.add_reproducible_actions() = b;
  *s.add_reproducible_actions() = s.reproducible_actions(0);
  auto c = MakeAction("59", "w1", "c4", "Bad\xff", "ok", {});
  *s.add_reproducible_actions() = c;
  const absl::Status status = ValidateSnapshot(s, "snapshot");
  EXPECT_THAT(Fields(status), IsSupersetOf({"snapshot.reproducible_actions[1].contribution",
                                            "snapshot.reproducible_actions[1].title",
                                            "snapshot.reproducible_actions[1].text",
                                            "snapshot.reproducible_actions[1].vote_count",
                                            "snapshot.reproducible_actions[1].kind",
                                            "snapshot.reproducible_actions[2].title",
                                            "snapshot.reproducible_actions[2].qpv_codes[0]",
                                            "snapshot.reproducible_actions[2].qpv_codes[1]",
                                            "snapshot.reproducible_actions[3].contribution",
                                            "snapshot.reproducible_actions[4].title"}));
}

}  // namespace
}  // namespace qpv::national
