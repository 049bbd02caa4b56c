// What people read: bars, labels, and the rendering of reports and of the
// national dashboard (golden lines where the layout matters, substrings
// elsewhere).
#include <string>

#include "absl/time/time.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/qpvctl/bars.h"
#include "tools/qpvctl/dashboard_view.h"
#include "tools/qpvctl/labels.h"
#include "tools/qpvctl/report_view.h"
#include "tools/qpvctl/table.h"

namespace qpv::ctl {
namespace {

namespace cv1 = qpv::common::v1;
namespace nv1 = qpv::national::v1;
namespace rv1 = qpv::reporting::v1;
namespace wv1 = qpv::workshop::v1;
using ::testing::HasSubstr;
using ::testing::Not;

google::protobuf::Timestamp At(const char* rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return ToProto(t);
}

// Lille in February: UTC+1. A fixed zone keeps the test independent of $TZ.
ViewOptions Paris(const char* now) { return ViewOptions{absl::FixedTimeZone(3600), FromProto(At(now))}; }

std::string Repeat(const char* s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// --- bars --------------------------------------------------------------------------

TEST(Bar, EighthsOfABlock) {
  EXPECT_EQ(Bar(10, 10, 3), "███");
  EXPECT_EQ(Bar(5, 10, 3), "█▌");  // 1.5 columns
  EXPECT_EQ(Bar(1, 8, 1), "▏");
  EXPECT_EQ(Bar(7, 8, 1), "▉");
  EXPECT_EQ(Bar(3, 8, 2), "▊");    // 6 eighths
  EXPECT_EQ(Bar(1, 1000, 10), "▏");  // small but not zero: still visible
  EXPECT_EQ(Bar(30, 10, 2), "██");   // clamped to max
  EXPECT_EQ(Bar(0, 10, 3), "");
  EXPECT_EQ(Bar(5, 0, 3), "");
  EXPECT_EQ(Bar(5, 10, 0), "");
  for (int v = 0; v <= 37; ++v) {
    EXPECT_LE(DisplayWidth(Bar(v, 37, 20)), 20u) << v;
  }
  EXPECT_EQ(DisplayWidth(Bar(37, 37, 20)), 20u);
}

TEST(BarChart, AlignsLabelsValuesAndNotes) {
  const std::string chart =
      BarChart({{"Emploi", 8, false, "(2 ateliers)"},
                {"Santé", 2, false, "(1 atelier)"},
                {"Mobilité", 0, true, ""}},
               "<5", "rien", 4);
  EXPECT_EQ(chart,
            "  Emploi     8  ████ (2 ateliers)\n"
            "  Santé      2  █    (1 atelier)\n"
            "  Mobilité  <5\n");
  EXPECT_EQ(BarChart({}, "<5", "Aucune contribution.", 4), "  Aucune contribution.\n");
}

// --- labels ------------------------------------------------------------------------

TEST(Labels, FrenchAndFallbacks) {
  EXPECT_EQ(ThemeLabel(cv1::THEME_HEALTH), "Santé");
  EXPECT_EQ(ThemeLabel(cv1::THEME_UNSPECIFIED), "Tous thèmes");
  EXPECT_EQ(ThemeLabel(99), "thème 99");
  EXPECT_EQ(CategoryLabel(cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD), "Bailleur social");
  EXPECT_EQ(KindLabel(wv1::Contribution::KIND_OBSTACLE), "Frein");
  EXPECT_EQ(WorkshopStateLabel(wv1::Workshop::STATE_REPORTED), "Rapport validé");
  EXPECT_EQ(Percent(0.784), "78 %");
  EXPECT_EQ(Percent(0.785), "79 %");
  EXPECT_EQ(Percent(1), "100 %");
  EXPECT_EQ(Percent(0), "0 %");
}

TEST(Labels, LocalTimesAndAges) {
  const absl::TimeZone paris = absl::FixedTimeZone(3600);
  EXPECT_EQ(LocalTime(At("2018-02-06T08:30:00Z"), paris), "06/02/2018 09:30");
  EXPECT_EQ(LocalTime(google::protobuf::Timestamp(), paris), "");
  EXPECT_EQ(LocalSpan(At("2018-02-06T08:30:00Z"), At("2018-02-06T12:00:00Z"), paris),
            "06/02/2018 09:30 – 13:00");
  EXPECT_EQ(LocalSpan(At("2018-02-06T22:30:00Z"), At("2018-02-07T01:00:00Z"), paris),
            "06/02/2018 23:30 – 07/02/2018 02:00");
  const absl::Time now = FromProto(At("2018-02-13T12:00:00Z"));
  EXPECT_EQ(Age(At("2018-02-13T11:59:30Z"), now), "à l'instant");
  EXPECT_EQ(Age(At("2018-02-13T11:35:00Z"), now), "il y a 25 min");
  EXPECT_EQ(Age(At("2018-02-13T09:00:00Z"), now), "il y a 3 h");
  EXPECT_EQ(Age(At("2018-02-06T12:00:00Z"), now), "il y a 7 j");
  EXPECT_EQ(Age(At("2018-02-14T12:00:00Z"), now), "");  // future
  EXPECT_EQ(TimeWithAge(At("2018-02-13T09:00:00Z"), paris, now), "13/02/2018 10:00 (il y a 3 h)");
}

TEST(Layout, WrapSummaryAndHeading) {
  EXPECT_EQ(WrapText("un deux trois quatre", 9), "un deux\ntrois\nquatre");
  EXPECT_EQ(WrapText("anticonstitutionnellement x", 5), "anticonstitutionnellement\nx");
  EXPECT_EQ(RenderSummary({{"Présents", "35"}, {"Votes", "a\nb"}}),
            "  Présents  35\n"
            "  Votes     a\n"
            "            b\n");
  EXPECT_EQ(Heading("Région"), "Région\n──────\n");
  EXPECT_EQ(Heading("Été", true), "Été\n═══\n");
  Table t({"A", "NB"});
  t.AlignRight({1});
  t.set_indent("  ");
  t.AddRow({"Santé", "7"});
  t.AddRow({"x", "120"});
  EXPECT_EQ(t.Render(), "  A       NB\n  Santé    7\n  x      120\n");
}

// --- reports -------------------------------------------------------------------------

rv1::WorkshopReport SampleWorkshopReport() {
  rv1::WorkshopReport r;
  r.set_workshop("prefectures/59/workshops/w1");
  r.set_title("Atelier : emploi et développement économique");
  r.set_state(wv1::Workshop::STATE_REPORTED);
  r.add_themes(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  *r.mutable_start_time() = At("2018-02-06T08:30:00Z");
  *r.mutable_end_time() = At("2018-02-06T12:00:00Z");
  r.set_venue("Préfecture du Nord, Lille");
  r.set_capacity(45);
  r.add_qpv_codes("QN05981M");
  r.set_registered_count(40);
  r.set_waitlisted_count(2);
  r.set_attended_count(37);
  r.set_contribution_count(12);
  r.set_vote_count(128);
  r.set_reproducible_action_count(9);
  r.set_representativeness_index(0.784);
  r.set_representativeness_basis(rv1::REPRESENTATIVENESS_BASIS_ATTENDANCE);
  auto* la = r.add_representation();
  la->set_category(cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY);
  la->set_target_share(0.2);
  la->set_actual_share(0.3);
  auto* res = r.add_representation();
  res->set_category(cv1::ACTOR_CATEGORY_RESIDENT);
  res->set_target_share(0.3);
  res->set_actual_share(0.05);
  res->set_shortfall(9);
  *r.add_under_represented() = *res;
  auto add_cat = [](auto* list, cv1::ActorCategory c, int64_t n) {
    auto* x = list->Add();
    x->set_category(c);
    x->set_count(n);
  };
  add_cat(r.mutable_registrations_by_category(), cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 12);
  add_cat(r.mutable_registrations_by_category(), cv1::ACTOR_CATEGORY_RESIDENT, 3);
  add_cat(r.mutable_attendance_by_category(), cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 11);
  add_cat(r.mutable_attendance_by_category(), cv1::ACTOR_CATEGORY_RESIDENT, 2);
  add_cat(r.mutable_contributions_by_category(), cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 7);
  auto* t1 = r.add_contributions_by_theme();
  t1->set_theme(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  t1->set_count(12);
  auto* t2 = r.add_contributions_by_theme();
  t2->set_theme(cv1::THEME_MOBILITY);
  t2->set_count(2);
  auto* k = r.add_contributions_by_kind();
  k->set_kind(wv1::Contribution::KIND_ACTION);
  k->set_count(5);
  auto* top = r.add_top_contributions();
  top->set_title("Job dating en pied d'immeuble");
  top->set_kind(wv1::Contribution::KIND_ACTION);
  top->set_vote_count(18);
  top->set_organization_display_name("Pôle emploi");
  top->add_themes(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  *r.add_reproducible_actions() = *top;
  r.set_workshop_revision(7);
  *r.mutable_as_of_time() = At("2018-02-06T12:30:00Z");
  return r;
}

TEST(RenderWorkshopReport, SummaryTablesAndBars) {
  const std::string out = RenderWorkshopReport(SampleWorkshopReport(), Paris("2018-02-06T15:30:00Z"));
  EXPECT_THAT(out, HasSubstr("Atelier : emploi et développement économique\n═══"));
  EXPECT_THAT(out, HasSubstr("État     Rapport validé\n"));
  EXPECT_THAT(out, HasSubstr("Date     06/02/2018 09:30 – 13:00\n"));
  EXPECT_THAT(out, HasSubstr("Thèmes   Emploi et développement économique\n"));
  EXPECT_THAT(out, HasSubstr("Inscrits          40 / 45 places (+2 en liste d'attente)\n"));
  EXPECT_THAT(out, HasSubstr("Présents          37 (93 % des inscrits)\n"));
  EXPECT_THAT(out, HasSubstr("Contributions     12, dont 9 actions reproductibles\n"));
  EXPECT_THAT(out, HasSubstr("Représentativité  78 % (sur les présents)\n"));
  EXPECT_THAT(out, Not(HasSubstr("PÉRIMÉ")));
  // Participation: counted on attendance once held; the bar of the largest is full.
  EXPECT_THAT(out, HasSubstr("  CATÉGORIE     INSCRITS  PRÉSENTS  PART  CIBLE  MANQUE\n"));
  EXPECT_THAT(out, HasSubstr("  Collectivité        12        11  30 %   20 %          " +
                             Repeat("█", 20) + "\n"));
  EXPECT_THAT(out, HasSubstr("  Habitant             3         2   5 %   30 %       9  ███▋\n"));
  EXPECT_THAT(out, HasSubstr("Sous-représentés : Habitant (manque 9)\n"));
  // Bars scaled to the largest theme (12 -> 30 columns, 2 -> 5).
  EXPECT_THAT(out, HasSubstr("Contributions par thème\n───────────────────────\n"
                             "  Emploi et développement économique  12  " +
                             Repeat("█", 30) + "\n  Mobilité" + std::string(26, ' ') +
                             "   2  █████\n"));
  EXPECT_THAT(out, HasSubstr("  Action  5  " + Repeat("█", 30) + "\n"));
  EXPECT_THAT(out, HasSubstr("Contributions les plus soutenues\n"));
  EXPECT_THAT(out, HasSubstr("     18  Action  Job dating en pied d'immeuble  Pôle emploi\n"));
  EXPECT_THAT(out, HasSubstr("Actions reproductibles\n"));
  EXPECT_THAT(out, HasSubstr("Calculé le 06/02/2018 13:30"));
  EXPECT_THAT(out, HasSubstr("(révision 7 de l'atelier)"));
}

TEST(RenderWorkshopReport, StaleAndNotYetHeld) {
  rv1::WorkshopReport r = SampleWorkshopReport();
  r.set_stale(true);
  r.set_state(wv1::Workshop::STATE_SCHEDULED);
  r.set_representativeness_basis(rv1::REPRESENTATIVENESS_BASIS_REGISTRATIONS);
  r.clear_attendance_by_category();
  const std::string out = RenderWorkshopReport(r, Paris("2018-02-06T15:30:00Z"));
  EXPECT_THAT(out, HasSubstr("⚠ RAPPORT PÉRIMÉ : le service des ateliers ne répond pas ; "
                             "chiffres au 06/02/2018 13:30 (il y a 3 h).\n"));
  EXPECT_THAT(out, HasSubstr("Présents          - (atelier pas encore tenu)\n"));
  EXPECT_THAT(out, HasSubstr("(sur les inscrits)"));
  EXPECT_THAT(out, HasSubstr("À inviter en priorité : Habitant (manque 9)\n"));
  // Before the day, bars follow registrations.
  EXPECT_THAT(out, HasSubstr("  Collectivité        12         -  30 %   20 %          " +
                             Repeat("█", 20) + "\n"));

  rv1::WorkshopReport empty;
  empty.set_workshop("prefectures/59/workshops/w2");
  const std::string e = RenderWorkshopReport(empty, Paris("2018-02-06T15:30:00Z"));
  EXPECT_THAT(e, HasSubstr("prefectures/59/workshops/w2\n═══"));
  EXPECT_THAT(e, HasSubstr("Personne n'est encore inscrit."));
  EXPECT_THAT(e, HasSubstr("- (personne n'est encore compté)"));
  EXPECT_THAT(e, HasSubstr("  Aucune contribution.\n"));
}

TEST(RenderPrefectureReport, WorkshopsSideBySide) {
  rv1::PrefectureReport p;
  p.set_prefecture("59");
  p.set_region("32");
  p.set_workshop_count(2);
  p.set_workshops_held(2);
  p.set_workshops_reported(1);
  p.set_attended_count(70);
  p.set_contribution_count(24);
  p.set_reproducible_action_count(1);
  p.set_representativeness_index(0.5);
  rv1::WorkshopReport w = SampleWorkshopReport();
  w.clear_top_contributions();
  w.clear_reproducible_actions();
  *p.add_workshops() = w;
  w.set_workshop("prefectures/59/workshops/w2");
  w.set_state(wv1::Workshop::STATE_HELD);
  w.set_stale(true);
  *p.add_workshops() = w;
  const std::string out = RenderPrefectureReport(p, Paris("2018-02-13T12:00:00Z"));
  EXPECT_THAT(out, HasSubstr("Préfecture 59 — Nord\n════"));
  EXPECT_THAT(out, HasSubstr("Région            32 Hauts-de-France\n"));
  EXPECT_THAT(out, HasSubstr("Ateliers          2 (2 tenus, dont 1 rapport validé)\n"));
  EXPECT_THAT(out, HasSubstr("Contributions     24, dont 1 action reproductible\n"));
  EXPECT_THAT(out, HasSubstr("(moyenne des ateliers pondérée par la présence)"));
  EXPECT_THAT(out, HasSubstr("DATE              ÉTAT            TITRE"));
  EXPECT_THAT(out, HasSubstr("06/02/2018 09:30  Rapport validé  Atelier : emploi"));
  EXPECT_THAT(out, HasSubstr("  Tenu ⚠  "));
  EXPECT_THAT(out, HasSubstr("37        12   78 %  prefectures/59/workshops/w2\n"));
  EXPECT_THAT(out, HasSubstr("Présents par catégorie d'acteur\n"));
}

TEST(RenderFeedStatus, PendingWithFailures) {
  rv1::FeedStatus s;
  s.set_prefecture("59");
  s.set_built_version(12);
  *s.mutable_build_time() = At("2018-02-13T11:00:00Z");
  s.set_acknowledged_version(11);
  s.set_pending(true);
  s.set_consecutive_failures(3);
  s.set_last_error("national unreachable");
  *s.mutable_last_attempt_time() = At("2018-02-13T11:55:00Z");
  *s.mutable_next_attempt_time() = At("2018-02-13T12:05:00Z");
  const std::string out = RenderFeedStatus(s, Paris("2018-02-13T12:00:00Z"));
  EXPECT_THAT(out, HasSubstr("Flux vers le national : Préfecture 59 — Nord\n"));
  EXPECT_THAT(out, HasSubstr("Version construite             12, le 13/02/2018 12:00 (il y a 1 h)\n"));
  EXPECT_THAT(out, HasSubstr("Version reçue par le national  11\n"));
  EXPECT_THAT(out, HasSubstr("État                           ⚠ en attente d'envoi, en échec\n"));
  EXPECT_THAT(out, HasSubstr("Prochaine tentative            13/02/2018 13:05\n"));
  EXPECT_THAT(out, HasSubstr("Échecs consécutifs             3\n"));
  EXPECT_THAT(out, HasSubstr("Dernière erreur                national unreachable\n"));

  rv1::FeedStatus fresh;
  fresh.set_prefecture("13");
  const std::string f = RenderFeedStatus(fresh, Paris("2018-02-13T12:00:00Z"));
  EXPECT_THAT(f, HasSubstr("Version construite             aucune pour l'instant\n"));
  EXPECT_THAT(f, HasSubstr("État                           à jour\n"));
  EXPECT_THAT(f, Not(HasSubstr("Échecs")));
}

// --- national -------------------------------------------------------------------------

nv1::NationalDashboard SampleDashboard() {
  nv1::NationalDashboard d;
  d.set_workshop_count(5);
  d.set_attended_count(180);
  d.set_contribution_count(61);
  d.set_reporting_prefecture_count(2);
  d.set_small_count_threshold(5);
  d.set_revision(42);
  *d.mutable_as_of_time() = At("2018-02-13T11:59:58Z");
  auto* t = d.add_by_theme();
  t->set_theme(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  t->set_workshop_count(3);
  t->set_contribution_count(30);
  auto* hidden = d.add_by_theme();
  hidden->set_theme(cv1::THEME_HEALTH);
  hidden->set_suppressed(true);
  auto* r = d.add_by_region();
  r->set_region("32");
  r->set_region_name("Hauts-de-France");
  r->set_workshop_count(3);
  r->set_attended_count(110);
  r->set_contribution_count(36);
  r->set_reporting_prefecture_count(1);
  auto* r2 = d.add_by_region();
  r2->set_region("84");
  r2->set_reporting_prefecture_count(1);
  r2->set_suppressed(true);
  auto* c = d.add_by_category();
  c->set_category(cv1::ACTOR_CATEGORY_ASSOCIATION);
  c->set_attended_count(40);
  c->set_contribution_count(12);
  auto* c2 = d.add_by_category();
  c2->set_category(cv1::ACTOR_CATEGORY_RESIDENT);
  c2->set_suppressed(true);
  auto* p = d.add_prefectures();
  p->set_prefecture("59");
  p->set_region("32");
  p->set_workshop_count(3);
  p->set_attended_count(110);
  p->set_contribution_count(36);
  p->set_version(12);
  *p->mutable_receive_time() = At("2018-02-13T10:00:00Z");
  auto* cov = d.mutable_coverage();
  cov->set_reporting_prefecture_count(2);
  cov->set_known_prefecture_count(101);
  cov->set_fresh_prefecture_count(1);
  *cov->mutable_newest_receive_time() = At("2018-02-13T10:00:00Z");
  *cov->mutable_oldest_receive_time() = At("2018-02-10T12:00:00Z");
  return d;
}

TEST(RenderDashboard, TotalsBarsSuppressionAndFreshness) {
  nv1::GetNationalDashboardRequest req;
  req.set_theme(cv1::THEME_HEALTH);
  req.set_region("32");
  *req.mutable_start_time() = At("2018-02-01T00:00:00Z");
  const std::string out = RenderDashboard(SampleDashboard(), req, Paris("2018-02-13T12:00:00Z"));
  EXPECT_THAT(out, HasSubstr("Tableau de bord national\n════"));
  EXPECT_THAT(out, HasSubstr("Filtres : thème Santé · région 32 Hauts-de-France · ateliers "
                             "commençant à partir du 01/02/2018 01:00\n"));
  EXPECT_THAT(out, HasSubstr("Ateliers            5\n"));
  EXPECT_THAT(out, HasSubstr("Préfectures         2 sur 101 ont remonté leurs chiffres "
                             "(1 à jour, ⚠ 1 en retard)\n"));
  EXPECT_THAT(out, HasSubstr("Dernière réception  13/02/2018 11:00 (il y a 2 h)\n"));
  EXPECT_THAT(out, HasSubstr("Plus ancienne       10/02/2018 13:00 (il y a 3 j)\n"));
  EXPECT_THAT(out, HasSubstr("Révision            42, au 13/02/2018 12:59:58\n"));
  EXPECT_THAT(out, HasSubstr("les cellules de moins de 5 sont masquées (<5)"));
  EXPECT_THAT(out, HasSubstr("  Emploi et développement économique  30  " + Repeat("█", 30) +
                             " 3 ateliers\n"));
  EXPECT_THAT(out, HasSubstr("  Santé                               <5\n"));
  EXPECT_THAT(out, HasSubstr("  Association  40  " + Repeat("█", 30) + " 12 contributions\n"));
  EXPECT_THAT(out, HasSubstr("  Habitant     <5\n"));
  EXPECT_THAT(out, HasSubstr("  32 Hauts-de-France           1         3       110        36  " +
                             Repeat("█", 20) + "\n"));
  EXPECT_THAT(out, HasSubstr("  84 Auvergne-Rhône-Alpes      1        <5        <5        <5\n"));
  EXPECT_THAT(out, HasSubstr("  59     Nord  32 Hauts-de-France         3       110        36"
                             "       12  13/02/2018 11:00 (il y a 2 h)\n"));
}

TEST(RenderDashboard, NobodyReportedYet) {
  nv1::NationalDashboard d;
  d.set_revision(0);
  const std::string out =
      RenderDashboard(d, nv1::GetNationalDashboardRequest(), Paris("2018-02-13T12:00:00Z"));
  EXPECT_THAT(out, Not(HasSubstr("Filtres")));
  EXPECT_THAT(out, HasSubstr("Aucune préfecture n'a encore remonté de chiffres.\n"));
  EXPECT_EQ(SuppressedText(0), "<seuil");
  EXPECT_EQ(SuppressedText(11), "<11");
}

TEST(RenderGoodPracticeBlocks, TextWrappedAndSources) {
  google::protobuf::RepeatedPtrField<nv1::GoodPracticeGroup> groups;
  auto* g = groups.Add();
  g->set_title("Job dating en pied d'immeuble");
  g->set_prefecture_count(3);
  g->add_prefectures("13");
  g->add_prefectures("59");
  g->add_prefectures("69");
  g->set_vote_count(41);
  g->add_themes(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  g->set_text(std::string(100, 'a') + " fin");
  g->add_sources("prefectures/59/workshops/w1/contributions/c1");
  g->add_sources("prefectures/13/workshops/w9/contributions/c4");
  const std::string out = RenderGoodPracticeBlocks(groups, 4);
  EXPECT_THAT(out, HasSubstr("4. Job dating en pied d'immeuble\n"));
  EXPECT_THAT(out, HasSubstr("   Préfectures  3 : 13, 59, 69\n"));
  EXPECT_THAT(out, HasSubstr("   Thèmes       Emploi et développement économique\n"));
  EXPECT_THAT(out, HasSubstr(std::string(100, 'a') + "\n                fin\n"));
  EXPECT_THAT(out, HasSubstr("   Sources      prefectures/59/workshops/w1/contributions/c1\n"
                             "                prefectures/13/workshops/w9/contributions/c4\n"));
}

}  // namespace
}  // namespace qpv::ctl
