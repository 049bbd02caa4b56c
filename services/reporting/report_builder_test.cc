#include "services/reporting/report_builder.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qpv::reporting {
namespace {

using ::qpv::common::v1::ACTOR_CATEGORY_ADULT_RELAY;
using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::ACTOR_CATEGORY_BUSINESS;
using ::qpv::common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL;
using ::qpv::common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY;
using ::qpv::common::v1::ACTOR_CATEGORY_RESIDENT;
using ::qpv::common::v1::ACTOR_CATEGORY_RESOURCE_CENTER;
using ::qpv::common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
using ::qpv::common::v1::ACTOR_CATEGORY_STATE_SERVICE;
using ::qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED;
using ::qpv::common::v1::THEME_DISCRIMINATION;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::common::v1::THEME_HEALTH;
using ::qpv::workshop::v1::Contribution;
using ::qpv::workshop::v1::Registration;
using ::qpv::workshop::v1::Workshop;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr double kTol = 1e-12;
const absl::Time kNow = absl::FromUnixSeconds(1518512400);  // 2018-02-13 09:00 UTC

std::vector<ActorCategory> Categories(const std::vector<v1::CategoryRepresentation>& list) {
  std::vector<ActorCategory> out;
  for (const auto& r : list) out.push_back(r.category());
  return out;
}
std::vector<int64_t> Shortfalls(const std::vector<v1::CategoryRepresentation>& list) {
  std::vector<int64_t> out;
  for (const auto& r : list) out.push_back(r.shortfall());
  return out;
}
template <typename Repeated>
std::vector<std::string> Names(const Repeated& summaries) {
  std::vector<std::string> out;
  for (const auto& s : summaries) out.push_back(s.name());
  return out;
}
// {category, count} pairs of a CategoryCount list, in order.
template <typename Repeated>
std::vector<std::pair<int, int64_t>> Pairs(const Repeated& counts) {
  std::vector<std::pair<int, int64_t>> out;
  for (const auto& c : counts) out.emplace_back(static_cast<int>(c.category()), c.count());
  return out;
}
template <typename Repeated>
std::vector<std::pair<int, int64_t>> ThemePairs(const Repeated& counts) {
  std::vector<std::pair<int, int64_t>> out;
  for (const auto& c : counts) out.emplace_back(static_cast<int>(c.theme()), c.count());
  return out;
}
template <typename Repeated>
std::vector<std::pair<int, int64_t>> KindPairs(const Repeated& counts) {
  std::vector<std::pair<int, int64_t>> out;
  for (const auto& c : counts) out.emplace_back(static_cast<int>(c.kind()), c.count());
  return out;
}

// --- The index ---------------------------------------------------------------

TEST(Representativeness, TheTargetMixItselfScoresOne) {
  // 20 people exactly in the default proportions.
  const std::map<ActorCategory, int64_t> counts = {
      {ACTOR_CATEGORY_LOCAL_AUTHORITY, 4}, {ACTOR_CATEGORY_ASSOCIATION, 5},
      {ACTOR_CATEGORY_SOCIAL_LANDLORD, 2}, {ACTOR_CATEGORY_CITIZEN_COUNCIL, 3},
      {ACTOR_CATEGORY_ADULT_RELAY, 2},     {ACTOR_CATEGORY_RESOURCE_CENTER, 1},
      {ACTOR_CATEGORY_STATE_SERVICE, 2},   {ACTOR_CATEGORY_BUSINESS, 1}};
  Representativeness r = ComputeRepresentativeness(counts, TargetMix::Default());
  EXPECT_THAT(r.index, DoubleNear(1.0, kTol));
  EXPECT_THAT(r.under_represented, IsEmpty());
  ASSERT_EQ(r.representation.size(), 8u);
  for (const auto& c : r.representation) {
    EXPECT_THAT(c.actual_share(), DoubleNear(c.target_share(), kTol));
    EXPECT_EQ(c.shortfall(), 0);
  }
}

TEST(Representativeness, OneCategoryScoresItsTargetShare) {
  // Only associations: 1 - (|1 - .25| + .75) / 2 = .25.
  Representativeness r =
      ComputeRepresentativeness({{ACTOR_CATEGORY_ASSOCIATION, 10}}, TargetMix::Default());
  EXPECT_THAT(r.index, DoubleNear(0.25, kTol));
}

TEST(Representativeness, PeopleOutsideTheTargetPullTheIndexDown) {
  // 4 associations, 4 local authorities, 2 residents (target 0):
  // sum |a - t| = .15 + .20 + .20 (residents) + .10 + .15 + .10 + .05 + .10 + .05 = 1.10
  // index = 1 - 1.10 / 2 = .45 (= min(.4, .25) + min(.4, .2)).
  Representativeness r = ComputeRepresentativeness({{ACTOR_CATEGORY_ASSOCIATION, 4},
                                                    {ACTOR_CATEGORY_LOCAL_AUTHORITY, 4},
                                                    {ACTOR_CATEGORY_RESIDENT, 2}},
                                                   TargetMix::Default());
  EXPECT_THAT(r.index, DoubleNear(0.45, kTol));
  // Under half their target share: the six absent categories. Seats at 10
  // people: citizen councils ceil(1.5) = 2, the others ceil(1) or ceil(.5) = 1.
  // Ties on the shortfall: larger target share first, then category.
  EXPECT_THAT(Categories(r.under_represented),
              ElementsAre(ACTOR_CATEGORY_CITIZEN_COUNCIL, ACTOR_CATEGORY_SOCIAL_LANDLORD,
                          ACTOR_CATEGORY_ADULT_RELAY, ACTOR_CATEGORY_STATE_SERVICE,
                          ACTOR_CATEGORY_RESOURCE_CENTER, ACTOR_CATEGORY_BUSINESS));
  EXPECT_THAT(Shortfalls(r.under_represented), ElementsAre(2, 1, 1, 1, 1, 1));
  // Residents are not part of the target: not in `representation`.
  EXPECT_EQ(r.representation.size(), 8u);
  EXPECT_EQ(r.representation[0].category(), ACTOR_CATEGORY_LOCAL_AUTHORITY);
  EXPECT_THAT(r.representation[0].actual_share(), DoubleNear(0.4, kTol));
  EXPECT_THAT(r.representation[0].target_share(), DoubleNear(0.2, kTol));
}

TEST(Representativeness, NobodyOnTargetScoresZero) {
  Representativeness r = ComputeRepresentativeness(
      {{ACTOR_CATEGORY_RESIDENT, 3}, {ACTOR_CATEGORY_UNSPECIFIED, 2}}, TargetMix::Default());
  EXPECT_THAT(r.index, DoubleNear(0.0, kTol));
}

TEST(Representativeness, NobodyCountedScoresZeroWithNoShortfall) {
  Representativeness r = ComputeRepresentativeness({}, TargetMix::Default());
  EXPECT_EQ(r.index, 0.0);
  ASSERT_EQ(r.representation.size(), 8u);
  // Every category is below half its share; none is short of anyone yet.
  EXPECT_THAT(Categories(r.under_represented),
              ElementsAre(ACTOR_CATEGORY_ASSOCIATION, ACTOR_CATEGORY_LOCAL_AUTHORITY,
                          ACTOR_CATEGORY_CITIZEN_COUNCIL, ACTOR_CATEGORY_SOCIAL_LANDLORD,
                          ACTOR_CATEGORY_ADULT_RELAY, ACTOR_CATEGORY_STATE_SERVICE,
                          ACTOR_CATEGORY_RESOURCE_CENTER, ACTOR_CATEGORY_BUSINESS));
  EXPECT_THAT(Shortfalls(r.under_represented), ElementsAre(0, 0, 0, 0, 0, 0, 0, 0));
}

TEST(Representativeness, HalfTheTargetShareIsNotUnderRepresented) {
  auto even = TargetMix::FromWeights(
      {{ACTOR_CATEGORY_ASSOCIATION, 1}, {ACTOR_CATEGORY_LOCAL_AUTHORITY, 1}});
  ASSERT_TRUE(even.ok());
  // 1 of 4 = .25 = .5 / 2: at the threshold, not under it.
  Representativeness at = ComputeRepresentativeness(
      {{ACTOR_CATEGORY_ASSOCIATION, 1}, {ACTOR_CATEGORY_LOCAL_AUTHORITY, 3}}, *even);
  EXPECT_THAT(at.under_represented, IsEmpty());
  EXPECT_THAT(at.index, DoubleNear(0.75, kTol));
  // 1 of 5 = .2: under; ceil(.5 * 5) - 1 = 2 associations missing.
  Representativeness under = ComputeRepresentativeness(
      {{ACTOR_CATEGORY_ASSOCIATION, 1}, {ACTOR_CATEGORY_LOCAL_AUTHORITY, 4}}, *even);
  ASSERT_EQ(under.under_represented.size(), 1u);
  EXPECT_EQ(under.under_represented[0].category(), ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_EQ(under.under_represented[0].shortfall(), 2);
  EXPECT_THAT(under.index, DoubleNear(0.7, kTol));
  // Over-represented local authorities have no shortfall.
  EXPECT_EQ(under.representation[0].category(), ACTOR_CATEGORY_LOCAL_AUTHORITY);
  EXPECT_EQ(under.representation[0].shortfall(), 0);
}

// --- Workshop reports --------------------------------------------------------

Workshop MakeWorkshop(Workshop::State state) {
  Workshop w;
  w.set_name("prefectures/59/workshops/emploi");
  w.set_title("Emploi et développement économique");
  w.add_themes(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  w.add_themes(THEME_DISCRIMINATION);
  *w.mutable_start_time() = ToProto(absl::FromUnixSeconds(1517904000));
  *w.mutable_end_time() = ToProto(absl::FromUnixSeconds(1517914800));
  w.set_venue("Préfecture du Nord, Lille");
  w.set_capacity(40);
  w.add_qpv_codes("QN05981M");
  w.set_state(state);
  w.set_revision(17);
  return w;
}

Registration Reg(int i, ActorCategory category, Registration::State state) {
  Registration r;
  r.set_name(absl::StrCat("prefectures/59/workshops/emploi/registrations/r", i));
  r.set_person(absl::StrCat("prefectures/59/persons/p", i));
  r.set_organization_category(category);
  r.set_state(state);
  return r;
}

std::vector<Registration> SomeRegistrations() {
  return {Reg(1, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED),
          Reg(2, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED),
          Reg(3, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED),
          Reg(4, ACTOR_CATEGORY_LOCAL_AUTHORITY, Registration::STATE_ABSENT),
          Reg(5, ACTOR_CATEGORY_LOCAL_AUTHORITY, Registration::STATE_ATTENDED),
          Reg(6, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_WAITLISTED),
          Reg(7, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_WAITLISTED),
          Reg(8, ACTOR_CATEGORY_BUSINESS, Registration::STATE_WITHDRAWN)};
}

Contribution Contrib(const std::string& id, int votes, int64_t created, bool reproducible = false,
                     Contribution::Kind kind = Contribution::KIND_IDEA) {
  Contribution c;
  c.set_name(absl::StrCat("prefectures/59/workshops/emploi/contributions/", id));
  c.set_title(absl::StrCat("Contribution ", id));
  c.set_text("Texte");
  c.set_kind(kind);
  c.set_vote_count(votes);
  c.set_reproducible(reproducible);
  *c.mutable_create_time() = ToProto(absl::FromUnixSeconds(created));
  return c;
}

TEST(WorkshopReport, BeforeTheDayCountsSeatHolders) {
  v1::WorkshopReport r =
      BuildWorkshopReport(MakeWorkshop(Workshop::STATE_SCHEDULED), SomeRegistrations(), {}, {},
                          TargetMix::Default(), kNow);
  EXPECT_EQ(r.registered_count(), 5);  // registered, absent, attended
  EXPECT_EQ(r.waitlisted_count(), 2);
  EXPECT_EQ(r.attended_count(), 1);
  EXPECT_EQ(r.representativeness_basis(), v1::REPRESENTATIVENESS_BASIS_REGISTRATIONS);
  // 3 associations (.6), 2 local authorities (.4): min(.6, .25) + min(.4, .2).
  EXPECT_THAT(r.representativeness_index(), DoubleNear(0.45, kTol));
  // Sorted by category, withdrawn and waitlisted left out.
  EXPECT_THAT(Pairs(r.registrations_by_category()),
              ElementsAre(std::make_pair(1, 2), std::make_pair(2, 3)));
  EXPECT_THAT(Pairs(r.attendance_by_category()), ElementsAre(std::make_pair(1, 1)));
}

TEST(WorkshopReport, OnceHeldCountsAttendees) {
  for (auto state : {Workshop::STATE_HELD, Workshop::STATE_REPORTED}) {
    v1::WorkshopReport r = BuildWorkshopReport(MakeWorkshop(state), SomeRegistrations(), {}, {},
                                               TargetMix::Default(), kNow);
    EXPECT_EQ(r.representativeness_basis(), v1::REPRESENTATIVENESS_BASIS_ATTENDANCE);
    // One local authority attended: its share is 1, the target .2.
    EXPECT_THAT(r.representativeness_index(), DoubleNear(0.2, kTol));
    ASSERT_FALSE(r.under_represented().empty());
    EXPECT_EQ(r.under_represented(0).category(), ACTOR_CATEGORY_ASSOCIATION);
    EXPECT_EQ(r.under_represented(0).shortfall(), 1);  // ceil(.25 * 1) - 0
  }
}

TEST(WorkshopReport, NobodyRegisteredYet) {
  v1::WorkshopReport r = BuildWorkshopReport(MakeWorkshop(Workshop::STATE_DRAFT), {}, {}, {},
                                             TargetMix::Default(), kNow);
  EXPECT_EQ(r.registered_count(), 0);
  EXPECT_EQ(r.representativeness_index(), 0.0);
  EXPECT_EQ(r.representativeness_basis(), v1::REPRESENTATIVENESS_BASIS_REGISTRATIONS);
  EXPECT_THAT(r.registrations_by_category(), IsEmpty());
  EXPECT_EQ(r.representation_size(), 8);
  v1::WorkshopReport held = BuildWorkshopReport(MakeWorkshop(Workshop::STATE_HELD), {}, {}, {},
                                                TargetMix::Default(), kNow);
  EXPECT_EQ(held.representativeness_index(), 0.0);
  EXPECT_EQ(held.representativeness_basis(), v1::REPRESENTATIVENESS_BASIS_ATTENDANCE);
}

TEST(WorkshopReport, CopiesTheWorkshopAndStampsRevisionAndTime) {
  const Workshop w = MakeWorkshop(Workshop::STATE_HELD);
  v1::WorkshopReport r = BuildWorkshopReport(w, {}, {}, {}, TargetMix::Default(), kNow);
  EXPECT_EQ(r.workshop(), w.name());
  EXPECT_EQ(r.title(), w.title());
  EXPECT_EQ(r.state(), Workshop::STATE_HELD);
  EXPECT_EQ(r.themes_size(), 2);
  EXPECT_EQ(r.start_time().seconds(), w.start_time().seconds());
  EXPECT_EQ(r.end_time().seconds(), w.end_time().seconds());
  EXPECT_EQ(r.venue(), w.venue());
  EXPECT_EQ(r.capacity(), 40);
  EXPECT_THAT(r.qpv_codes(), ElementsAre("QN05981M"));
  EXPECT_EQ(r.workshop_revision(), 17);
  EXPECT_EQ(FromProto(r.as_of_time()), kNow);
  EXPECT_FALSE(r.stale());
}

TEST(WorkshopReport, ContributionsByThemeKindAndCategory) {
  std::vector<Contribution> cs;
  cs.push_back(Contrib("a", 0, 100, false, Contribution::KIND_ACTION));
  cs.back().add_themes(THEME_HEALTH);
  cs.back().add_themes(THEME_DISCRIMINATION);
  cs.back().set_organization_category(ACTOR_CATEGORY_ASSOCIATION);
  cs.push_back(Contrib("b", 0, 101, false, Contribution::KIND_ACTION));
  cs.back().add_themes(THEME_HEALTH);
  cs.back().add_themes(THEME_HEALTH);  // a duplicate counts once
  cs.back().set_organization_category(ACTOR_CATEGORY_ASSOCIATION);
  // No theme: counted under the workshop's (employment, discrimination).
  cs.push_back(Contrib("c", 0, 102, false, Contribution::KIND_OBSTACLE));
  cs.back().set_organization_category(ACTOR_CATEGORY_SOCIAL_LANDLORD);
  v1::WorkshopReport r = BuildWorkshopReport(MakeWorkshop(Workshop::STATE_HELD), {}, cs, {},
                                             TargetMix::Default(), kNow);
  EXPECT_EQ(r.contribution_count(), 3);
  EXPECT_THAT(ThemePairs(r.contributions_by_theme()),
              ElementsAre(std::make_pair(1, 1), std::make_pair(2, 2), std::make_pair(8, 2)));
  EXPECT_THAT(KindPairs(r.contributions_by_kind()),
              ElementsAre(std::make_pair(2, 2), std::make_pair(4, 1)));
  EXPECT_THAT(Pairs(r.contributions_by_category()),
              ElementsAre(std::make_pair(2, 2), std::make_pair(3, 1)));
}

TEST(WorkshopReport, TopContributionsMostVotesThenOldestAtMostTen) {
  std::vector<Contribution> cs;
  // c0..c11: votes 0..11, except c4 and c7 tie at 20 (c7 older).
  for (int i = 0; i < 12; ++i) cs.push_back(Contrib(absl::StrCat("c", i), i, 1000 + i));
  cs[4].set_vote_count(20);
  cs[7].set_vote_count(20);
  *cs[7].mutable_create_time() = ToProto(absl::FromUnixSeconds(10));
  v1::WorkshopReport r = BuildWorkshopReport(MakeWorkshop(Workshop::STATE_HELD), {}, cs, {},
                                             TargetMix::Default(), kNow);
  const std::string p = "prefectures/59/workshops/emploi/contributions/";
  EXPECT_THAT(Names(r.top_contributions()),
              ElementsAre(p + "c7", p + "c4", p + "c11", p + "c10", p + "c9", p + "c8", p + "c6",
                          p + "c5", p + "c3", p + "c2"));
  EXPECT_EQ(r.vote_count(), 0 + 1 + 2 + 3 + 20 + 5 + 6 + 20 + 8 + 9 + 10 + 11);
  EXPECT_THAT(r.reproducible_actions(), IsEmpty());
  EXPECT_EQ(r.reproducible_action_count(), 0);
}

TEST(WorkshopReport, ReproducibleActionsAllOfThemMostVotesFirst) {
  std::vector<Contribution> cs;
  for (int i = 0; i < 14; ++i) cs.push_back(Contrib(absl::StrCat("c", i), i % 3, 1000 + i, true));
  cs.push_back(Contrib("not", 50, 1, false));
  v1::WorkshopReport r = BuildWorkshopReport(MakeWorkshop(Workshop::STATE_HELD), {}, cs, {},
                                             TargetMix::Default(), kNow);
  EXPECT_EQ(r.reproducible_action_count(), 14);
  ASSERT_EQ(r.reproducible_actions_size(), 14);  // not capped at 10
  // Votes 2 first (c2, c5, c8, c11 oldest first), then 1, then 0.
  const std::string p = "prefectures/59/workshops/emploi/contributions/";
  EXPECT_EQ(r.reproducible_actions(0).name(), p + "c2");
  EXPECT_EQ(r.reproducible_actions(3).name(), p + "c11");
  EXPECT_EQ(r.reproducible_actions(4).name(), p + "c1");
  EXPECT_EQ(r.reproducible_actions(13).name(), p + "c12");
  for (const auto& s : r.reproducible_actions()) EXPECT_TRUE(s.reproducible());
  // The unsupported-but-voted one leads the top list.
  EXPECT_EQ(r.top_contributions(0).name(), p + "not");
}

TEST(WorkshopReport, SummariesCarryOrganizationNamesWhenKnown) {
  std::vector<Contribution> cs = {Contrib("a", 3, 100, true), Contrib("b", 1, 100)};
  cs[0].set_organization("prefectures/59/organizations/asso");
  cs[0].set_organization_category(ACTOR_CATEGORY_ASSOCIATION);
  cs[0].add_qpv_codes("QN05981M");
  cs[0].add_themes(THEME_HEALTH);
  cs[1].set_organization("prefectures/59/organizations/unknown");
  v1::WorkshopReport r = BuildWorkshopReport(
      MakeWorkshop(Workshop::STATE_HELD), {}, cs,
      {{"prefectures/59/organizations/asso", "Association Lille Sud"}}, TargetMix::Default(), kNow);
  ASSERT_EQ(r.top_contributions_size(), 2);
  const v1::ContributionSummary& a = r.top_contributions(0);
  EXPECT_EQ(a.title(), "Contribution a");
  EXPECT_EQ(a.text(), "Texte");
  EXPECT_EQ(a.organization(), "prefectures/59/organizations/asso");
  EXPECT_EQ(a.organization_display_name(), "Association Lille Sud");
  EXPECT_EQ(a.organization_category(), ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_EQ(a.vote_count(), 3);
  EXPECT_THAT(a.qpv_codes(), ElementsAre("QN05981M"));
  EXPECT_EQ(a.themes_size(), 1);
  EXPECT_EQ(r.top_contributions(1).organization_display_name(), "");
  EXPECT_EQ(r.reproducible_actions(0).organization_display_name(), "Association Lille Sud");
}

// --- Préfecture reports ------------------------------------------------------

v1::WorkshopReport Part(const std::string& id, Workshop::State state, int64_t start,
                        int64_t registered, int64_t attended, double index) {
  v1::WorkshopReport r;
  r.set_workshop("prefectures/59/workshops/" + id);
  r.set_state(state);
  *r.mutable_start_time() = ToProto(absl::FromUnixSeconds(start));
  r.set_registered_count(registered);
  r.set_attended_count(attended);
  r.set_contribution_count(attended / 2);
  r.set_reproducible_action_count(1);
  r.set_representativeness_index(index);
  *r.mutable_as_of_time() = ToProto(kNow);
  auto* t = r.add_contributions_by_theme();
  t->set_theme(THEME_HEALTH);
  t->set_count(2);
  auto* k = r.add_contributions_by_kind();
  k->set_kind(Contribution::KIND_ACTION);
  k->set_count(1);
  auto* c = r.add_attendance_by_category();
  c->set_category(ACTOR_CATEGORY_ASSOCIATION);
  c->set_count(attended);
  r.add_top_contributions()->set_name("x");
  r.add_reproducible_actions()->set_name("y");
  return r;
}

TEST(PrefectureReport, SideBySideWithTotals) {
  std::vector<v1::WorkshopReport> parts = {
      Part("image", Workshop::STATE_SCHEDULED, 3000, 12, 0, 0.9),
      Part("emploi", Workshop::STATE_REPORTED, 1000, 40, 10, 0.8),
      Part("annule", Workshop::STATE_CANCELLED, 500, 30, 0, 0.1),
      Part("discri", Workshop::STATE_HELD, 2000, 35, 30, 0.4)};
  v1::PrefectureReport p = BuildPrefectureReport("59", parts, kNow);
  EXPECT_EQ(p.prefecture(), "59");
  EXPECT_EQ(p.region(), "32");
  EXPECT_EQ(p.workshop_count(), 3);  // the cancelled one is left out
  ASSERT_EQ(p.workshops_size(), 3);
  EXPECT_EQ(p.workshops(0).workshop(), "prefectures/59/workshops/emploi");  // by start time
  EXPECT_EQ(p.workshops(1).workshop(), "prefectures/59/workshops/discri");
  EXPECT_EQ(p.workshops(2).workshop(), "prefectures/59/workshops/image");
  EXPECT_EQ(p.registered_count(), 40 + 35 + 12);
  EXPECT_EQ(p.attended_count(), 40);
  EXPECT_EQ(p.contribution_count(), 5 + 15 + 0);
  EXPECT_EQ(p.reproducible_action_count(), 3);
  EXPECT_EQ(p.workshops_held(), 2);
  EXPECT_EQ(p.workshops_reported(), 1);
  // (0.8 * 10 + 0.4 * 30) / 40: the scheduled workshop weighs nothing.
  EXPECT_THAT(p.representativeness_index(), DoubleNear(0.5, kTol));
  EXPECT_THAT(ThemePairs(p.contributions_by_theme()), ElementsAre(std::make_pair(8, 6)));
  EXPECT_THAT(KindPairs(p.contributions_by_kind()), ElementsAre(std::make_pair(2, 3)));
  EXPECT_THAT(Pairs(p.attendance_by_category()), ElementsAre(std::make_pair(2, 40)));
  for (const auto& w : p.workshops()) {
    EXPECT_THAT(w.top_contributions(), IsEmpty());
    EXPECT_THAT(w.reproducible_actions(), IsEmpty());
  }
  EXPECT_FALSE(p.stale());
  EXPECT_EQ(FromProto(p.as_of_time()), kNow);
}

TEST(PrefectureReport, StaleWhenAnyWorkshopIsAsOfTheOldest) {
  std::vector<v1::WorkshopReport> parts = {Part("a", Workshop::STATE_HELD, 1000, 10, 10, 0.5),
                                           Part("b", Workshop::STATE_HELD, 2000, 10, 10, 0.5),
                                           Part("c", Workshop::STATE_HELD, 3000, 10, 10, 0.5)};
  parts[1].set_stale(true);
  *parts[1].mutable_as_of_time() = ToProto(kNow - absl::Hours(2));
  parts[2].set_stale(true);
  *parts[2].mutable_as_of_time() = ToProto(kNow - absl::Hours(1));
  v1::PrefectureReport p = BuildPrefectureReport("59", parts, kNow);
  EXPECT_TRUE(p.stale());
  EXPECT_EQ(FromProto(p.as_of_time()), kNow - absl::Hours(2));
}

TEST(PrefectureReport, NoWorkshops) {
  v1::PrefectureReport p = BuildPrefectureReport("971", {}, kNow);
  EXPECT_EQ(p.region(), "01");
  EXPECT_EQ(p.workshop_count(), 0);
  EXPECT_EQ(p.representativeness_index(), 0.0);
  EXPECT_THAT(p.workshops(), IsEmpty());
}

TEST(PrefectureReport, CancelledIsTheOnlyStateLeftOut) {
  EXPECT_FALSE(CountsInPrefecture(Workshop::STATE_CANCELLED));
  for (auto s : {Workshop::STATE_DRAFT, Workshop::STATE_SCHEDULED, Workshop::STATE_HELD,
                 Workshop::STATE_REPORTED}) {
    EXPECT_TRUE(CountsInPrefecture(s));
  }
}

}  // namespace
}  // namespace qpv::reporting
