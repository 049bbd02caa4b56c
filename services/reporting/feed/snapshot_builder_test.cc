// The snapshot's figures: cells, multi-theme counting, what is left out.
#include "services/reporting/feed/snapshot_builder.h"

#include "absl/strings/str_cat.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qpv::reporting {
namespace {

using common::v1::ACTOR_CATEGORY_ASSOCIATION;
using common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL;
using common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
using common::v1::THEME_DISCRIMINATION;
using common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using common::v1::THEME_NEIGHBOURHOOD_IMAGE;
using common::v1::THEME_UNSPECIFIED;
using national::v1::ContributionCell;
using ::testing::HasSubstr;
using ::testing::Not;
using workshop::v1::Contribution;
using workshop::v1::Workshop;

const absl::Time kNow = absl::FromUnixSeconds(1517900400);

Workshop MakeWorkshop(const std::string& id, Workshop::State state = Workshop::STATE_HELD,
                      int64_t revision = 1) {
  Workshop w;
  w.set_name(absl::StrCat("prefectures/59/workshops/", id));
  w.set_title("Emploi et développement économique");
  w.add_themes(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  w.add_themes(THEME_DISCRIMINATION);
  *w.mutable_start_time() = ToProto(kNow);
  w.set_venue("Préfecture du Nord, Lille");
  w.set_state(state);
  w.set_revision(revision);
  return w;
}

Contribution MakeContribution(const std::string& workshop, const std::string& id,
                              Contribution::Kind kind, common::v1::ActorCategory category,
                              std::vector<common::v1::Theme> themes, bool reproducible = false) {
  Contribution c;
  c.set_name(absl::StrCat("prefectures/59/workshops/", workshop, "/contributions/", id));
  c.set_title(absl::StrCat("Titre ", id));
  c.set_text(absl::StrCat("Texte de la contribution ", id));
  c.set_kind(kind);
  for (auto t : themes) c.add_themes(t);
  c.set_reproducible(reproducible);
  c.add_qpv_codes("QP059001");
  c.set_organization("prefectures/59/organizations/secret-org-7");
  c.set_organization_category(category);
  c.set_vote_count(3);
  return c;
}

v1::WorkshopReport MakeReport(const Workshop& w) {
  v1::WorkshopReport r;
  r.set_workshop(w.name());
  r.set_registered_count(40);
  r.set_attended_count(35);
  r.set_contribution_count(3);
  r.set_representativeness_index(0.8125);
  auto* a = r.add_attendance_by_category();
  a->set_category(ACTOR_CATEGORY_ASSOCIATION);
  a->set_count(20);
  auto* b = r.add_attendance_by_category();
  b->set_category(ACTOR_CATEGORY_CITIZEN_COUNCIL);
  b->set_count(15);
  // Report content that must not travel (it names an organization).
  auto* top = r.add_top_contributions();
  top->set_organization("prefectures/59/organizations/secret-org-7");
  top->set_organization_display_name("Association Secrète");
  return r;
}

std::string CellKey(const ContributionCell& c) {
  return absl::StrCat(c.theme(), "/", c.kind(), "/", c.category(), "=", c.count());
}

std::vector<std::string> CellKeys(const national::v1::WorkshopFigures& f) {
  std::vector<std::string> out;
  for (const auto& c : f.contribution_cells()) out.push_back(CellKey(c));
  return out;
}

TEST(SnapshotBuilder, FiguresCopyWorkshopAndReport) {
  const Workshop w = MakeWorkshop("w1");
  const auto f = BuildWorkshopFigures(w, MakeReport(w), {});
  EXPECT_EQ(f.workshop(), "prefectures/59/workshops/w1");
  EXPECT_EQ(f.state(), Workshop::STATE_HELD);
  ASSERT_EQ(f.themes_size(), 2);
  EXPECT_EQ(f.themes(1), THEME_DISCRIMINATION);
  EXPECT_EQ(FromProto(f.start_time()), kNow);
  EXPECT_EQ(f.registered_count(), 40);
  EXPECT_EQ(f.attended_count(), 35);
  EXPECT_EQ(f.contribution_count(), 3);
  EXPECT_DOUBLE_EQ(f.representativeness_index(), 0.8125);
  ASSERT_EQ(f.attendance_by_category_size(), 2);
  EXPECT_EQ(f.attendance_by_category(1).category(), ACTOR_CATEGORY_CITIZEN_COUNCIL);
  EXPECT_EQ(f.attendance_by_category(1).count(), 15);
  EXPECT_TRUE(f.contribution_cells().empty());
}

TEST(SnapshotBuilder, CellsCountEveryContributionOnceAndEachOfItsThemes) {
  const Workshop w = MakeWorkshop("w1");
  const std::vector<Contribution> contributions = {
      // Two themes: once in the all-themes cell, once in each theme's cell.
      MakeContribution("w1", "c1", Contribution::KIND_ACTION, ACTOR_CATEGORY_ASSOCIATION,
                       {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, THEME_DISCRIMINATION}),
      MakeContribution("w1", "c2", Contribution::KIND_ACTION, ACTOR_CATEGORY_ASSOCIATION,
                       {THEME_DISCRIMINATION}),
      // No theme: only in the all-themes cell. A duplicated theme counts once.
      MakeContribution("w1", "c3", Contribution::KIND_IDEA, ACTOR_CATEGORY_SOCIAL_LANDLORD, {}),
      MakeContribution("w1", "c4", Contribution::KIND_IDEA, ACTOR_CATEGORY_SOCIAL_LANDLORD,
                       {THEME_NEIGHBOURHOOD_IMAGE, THEME_NEIGHBOURHOOD_IMAGE}),
  };
  const auto f = BuildWorkshopFigures(w, MakeReport(w), contributions);
  // Sorted by (theme, kind, category); 0 = THEME_UNSPECIFIED = all themes.
  EXPECT_THAT(CellKeys(f),
              ::testing::ElementsAre("0/1/3=2",  // all themes, idea, landlord: c3, c4
                                     "0/2/2=2",  // all themes, action, association: c1, c2
                                     "1/2/2=1",  // employment: c1
                                     "2/2/2=2",  // discrimination: c1, c2
                                     "3/1/3=1"   // image: c4 once
                                     ));
  // The all-themes cells add up to the contributions.
  int64_t all = 0;
  for (const auto& c : f.contribution_cells()) {
    if (c.theme() == THEME_UNSPECIFIED) all += c.count();
    EXPECT_GT(c.count(), 0);
  }
  EXPECT_EQ(all, 4);
}

TEST(SnapshotBuilder, ReproducibleActionsCarryTextNeverTheOrganization) {
  const std::vector<Contribution> contributions = {
      // A repeated theme would get the whole snapshot rejected: sent once.
      MakeContribution("w1", "c2", Contribution::KIND_GOOD_PRACTICE, ACTOR_CATEGORY_CITIZEN_COUNCIL,
                       {THEME_DISCRIMINATION, THEME_DISCRIMINATION}, true),
      MakeContribution("w1", "c1", Contribution::KIND_ACTION, ACTOR_CATEGORY_ASSOCIATION,
                       {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, true),
      MakeContribution("w1", "c3", Contribution::KIND_IDEA, ACTOR_CATEGORY_ASSOCIATION, {}, false),
  };
  const auto actions = BuildReproducibleActions(contributions);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].contribution(), "prefectures/59/workshops/w1/contributions/c1");
  EXPECT_EQ(actions[1].contribution(), "prefectures/59/workshops/w1/contributions/c2");
  EXPECT_EQ(actions[1].title(), "Titre c2");
  EXPECT_EQ(actions[1].text(), "Texte de la contribution c2");
  EXPECT_EQ(actions[1].kind(), Contribution::KIND_GOOD_PRACTICE);
  EXPECT_EQ(actions[1].organization_category(), ACTOR_CATEGORY_CITIZEN_COUNCIL);
  EXPECT_EQ(actions[1].vote_count(), 3);
  ASSERT_EQ(actions[1].qpv_codes_size(), 1);
  EXPECT_EQ(actions[1].qpv_codes(0), "QP059001");
  ASSERT_EQ(actions[1].themes_size(), 1);
  EXPECT_EQ(actions[1].themes(0), THEME_DISCRIMINATION);
}

TEST(SnapshotBuilder, SnapshotLeavesCancelledOutSortsAndHoldsNoPersonalData) {
  const Workshop held = MakeWorkshop("w2");
  const Workshop first = MakeWorkshop("w1", Workshop::STATE_SCHEDULED);
  const Workshop cancelled = MakeWorkshop("w0", Workshop::STATE_CANCELLED);
  auto part = [](const Workshop& w, const std::vector<Contribution>& contributions) {
    return WorkshopPart{BuildWorkshopFigures(w, MakeReport(w), contributions),
                        BuildReproducibleActions(contributions)};
  };
  std::vector<Contribution> held_contributions = {
      MakeContribution("w2", "z9", Contribution::KIND_ACTION, ACTOR_CATEGORY_ASSOCIATION,
                       {THEME_DISCRIMINATION}, true),
      MakeContribution("w2", "a1", Contribution::KIND_ACTION, ACTOR_CATEGORY_ASSOCIATION,
                       {THEME_DISCRIMINATION}, true)};
  std::vector<Contribution> cancelled_contributions = {MakeContribution(
      "w0", "c1", Contribution::KIND_ACTION, ACTOR_CATEGORY_ASSOCIATION, {}, true)};
  std::vector<WorkshopPart> parts;
  parts.push_back(part(held, held_contributions));
  parts.push_back(part(cancelled, cancelled_contributions));
  parts.push_back(part(first, {}));

  const auto snapshot = AssembleSnapshot("59", kNow, std::move(parts));
  EXPECT_EQ(snapshot.prefecture(), "59");
  EXPECT_EQ(snapshot.version(), 0);
  EXPECT_EQ(FromProto(snapshot.build_time()), kNow);
  ASSERT_EQ(snapshot.workshops_size(), 2);
  EXPECT_EQ(snapshot.workshops(0).workshop(), "prefectures/59/workshops/w1");
  EXPECT_EQ(snapshot.workshops(1).workshop(), "prefectures/59/workshops/w2");
  ASSERT_EQ(snapshot.reproducible_actions_size(), 2);
  EXPECT_EQ(snapshot.reproducible_actions(0).contribution(),
            "prefectures/59/workshops/w2/contributions/a1");
  EXPECT_EQ(snapshot.reproducible_actions(1).contribution(),
            "prefectures/59/workshops/w2/contributions/z9");

  // Nothing in the bytes names an organization or comes from the report's
  // organization-bearing parts, nor the workshop's venue.
  const std::string bytes = snapshot.SerializeAsString();
  EXPECT_THAT(bytes, Not(HasSubstr("secret-org-7")));
  EXPECT_THAT(bytes, Not(HasSubstr("organizations/")));
  EXPECT_THAT(bytes, Not(HasSubstr("Association Secrète")));
  EXPECT_THAT(bytes, Not(HasSubstr("persons/")));
  EXPECT_THAT(bytes, Not(HasSubstr("workshops/w0")));
  EXPECT_THAT(bytes, Not(HasSubstr("Lille")));
  EXPECT_THAT(bytes, HasSubstr("Texte de la contribution a1"));

  EXPECT_TRUE(InSnapshot(held));
  EXPECT_FALSE(InSnapshot(cancelled));
}

TEST(SnapshotBuilder, FingerprintFollowsNameRevisionStateAndSalt) {
  const std::vector<Workshop> base = {MakeWorkshop("w1"), MakeWorkshop("w2")};
  const std::string fp = WorkshopsFingerprint(base, "");
  EXPECT_EQ(fp.size(), 16u);
  // Order of the listing does not matter; other fields do not matter.
  std::vector<Workshop> reordered = {base[1], base[0]};
  reordered[0].set_title("Autre titre");
  EXPECT_EQ(WorkshopsFingerprint(reordered, ""), fp);

  std::vector<Workshop> revised = base;
  revised[1].set_revision(2);
  EXPECT_NE(WorkshopsFingerprint(revised, ""), fp);
  std::vector<Workshop> cancelled = base;
  cancelled[0].set_state(Workshop::STATE_CANCELLED);
  EXPECT_NE(WorkshopsFingerprint(cancelled, ""), fp);
  std::vector<Workshop> more = base;
  more.push_back(MakeWorkshop("w3"));
  EXPECT_NE(WorkshopsFingerprint(more, ""), fp);
  EXPECT_NE(WorkshopsFingerprint(base, "ASSOCIATION=30"), fp);
  EXPECT_NE(WorkshopsFingerprint({}, ""), fp);
  // Stored and compared by every replica: pinned, so a change of the hash is
  // a deliberate one.
  EXPECT_EQ(WorkshopsFingerprint({}, ""), "9e75755c343b62bc");
  EXPECT_EQ(fp, "8c378aefcf99bf5f");
}

}  // namespace
}  // namespace qpv::reporting
