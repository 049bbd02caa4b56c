#include "services/reporting/export/sample_reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/util/clock.h"

namespace qpv::reporting::report_export::sample {
namespace {

namespace cv1 = ::qpv::common::v1;
namespace wv1 = ::qpv::workshop::v1;

using Kind = wv1::Contribution::Kind;

// A target mix a préfecture might set (shares of 1).
const std::map<cv1::ActorCategory, double>& TargetMix() {
  static const auto* mix = new std::map<cv1::ActorCategory, double>{
      {cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 0.20}, {cv1::ACTOR_CATEGORY_ASSOCIATION, 0.25},
      {cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, 0.10}, {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 0.15},
      {cv1::ACTOR_CATEGORY_ADULT_RELAY, 0.10},     {cv1::ACTOR_CATEGORY_RESOURCE_CENTER, 0.05},
      {cv1::ACTOR_CATEGORY_STATE_SERVICE, 0.10},   {cv1::ACTOR_CATEGORY_BUSINESS, 0.05}};
  return *mix;
}

google::protobuf::Timestamp Paris(int day, int hour, int minute) {
  // February 2018: Paris is UTC+1.
  return ToProto(
      absl::FromCivil(absl::CivilSecond(2018, 2, day, hour - 1, minute, 0), absl::UTCTimeZone()));
}

// Fills counts, representation, index and under-represented categories the
// way the proto defines them, from seat holders and attendees by category.
void FillAttendance(v1::WorkshopReport& r, const std::map<cv1::ActorCategory, int>& registered,
                    const std::map<cv1::ActorCategory, int>& attended) {
  int64_t reg_total = 0, att_total = 0;
  for (const auto& [c, n] : registered) {
    auto* cc = r.add_registrations_by_category();
    cc->set_category(c);
    cc->set_count(n);
    reg_total += n;
  }
  for (const auto& [c, n] : attended) {
    if (n == 0) continue;
    auto* cc = r.add_attendance_by_category();
    cc->set_category(c);
    cc->set_count(n);
    att_total += n;
  }
  r.set_registered_count(reg_total);
  r.set_attended_count(att_total);
  r.set_representativeness_basis(v1::REPRESENTATIVENESS_BASIS_ATTENDANCE);

  double distance = 0;
  std::vector<v1::CategoryRepresentation> under;
  for (const auto& [c, target] : TargetMix()) {
    const auto it = attended.find(c);
    const int64_t n = it == attended.end() ? 0 : it->second;
    const double actual = att_total > 0 ? static_cast<double>(n) / att_total : 0;
    auto* rep = r.add_representation();
    rep->set_category(c);
    rep->set_target_share(target);
    rep->set_actual_share(actual);
    rep->set_shortfall(std::max<int64_t>(
        0, static_cast<int64_t>(std::ceil(target * static_cast<double>(att_total) - 1e-9)) - n));
    distance += std::abs(actual - target);
    if (actual < target / 2) under.push_back(*rep);
  }
  std::stable_sort(under.begin(), under.end(),
                   [](const auto& a, const auto& b) { return a.shortfall() > b.shortfall(); });
  for (auto& u : under) *r.add_under_represented() = u;
  r.set_representativeness_index(att_total > 0 ? 1 - distance / 2 : 0);
}

struct ContributionSpec {
  const char* id;
  const char* title;
  const char* text;
  Kind kind;
  std::vector<cv1::Theme> themes;
  bool reproducible;
  const char* organization;
  cv1::ActorCategory category;
  int votes;
  const char* qpv;
};

std::vector<ContributionSpec> EmploymentContributions() {
  return {
      {"c1",
       "Forum de l'alternance à Roubaix",
       "Un forum annuel réunissant entreprises, CFA et jeunes des quartiers ; inscription "
       "simplifiée via les adultes-relais.",
       wv1::Contribution::KIND_GOOD_PRACTICE,
       {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
       true,
       "Maison de l'emploi de Roubaix",
       cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY,
       21,
       "QN05953M"},
      {"c2",
       "Parrainage « 1 jeune, 1 mentor »",
       "Des cadres retraités accompagnent un jeune vers l'emploi pendant six mois.\nPremiers "
       "résultats : 60 % d'accès à l'emploi ou à la formation.",
       wv1::Contribution::KIND_ACTION,
       {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, cv1::THEME_EDUCATION},
       true,
       "Association Égalité des chances 59",
       cv1::ACTOR_CATEGORY_ASSOCIATION,
       18,
       "QN05981M"},
      {"c3",
       "+ de stages de 3e dans les entreprises du territoire",
       "Constituer une bourse de stages de troisième, avec les clubs d'entreprises.",
       wv1::Contribution::KIND_RECOMMENDATION,
       {cv1::THEME_EDUCATION},
       false,
       "Conseil citoyen de l'Épeule",
       cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL,
       15,
       "QN05953M"},
      {"c4",
       "Mobilité : le permis de conduire reste un frein",
       "Le coût du permis (environ 1 800 €) bloque l'accès à des emplois en horaires décalés.",
       wv1::Contribution::KIND_OBSTACLE,
       {cv1::THEME_MOBILITY, cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
       false,
       "Mission locale de Lille",
       cv1::ACTOR_CATEGORY_ASSOCIATION,
       14,
       "QN05981M"},
      {"c5",
       "Clauses d'insertion dans les marchés du bailleur",
       "Réserver 10 % des heures des chantiers de réhabilitation aux habitants du quartier.",
       wv1::Contribution::KIND_GOOD_PRACTICE,
       {cv1::THEME_HOUSING_URBAN_RENEWAL, cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
       true,
       "Lille Métropole Habitat",
       cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD,
       12,
       "QN05981M"},
      {"c6",
       "Créer une couveuse d'entreprises en pied d'immeuble",
       "Locaux à loyer modéré et accompagnement pour les créateurs du quartier.",
       wv1::Contribution::KIND_IDEA,
       {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
       false,
       "Ville de Tourcoing",
       cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY,
       9,
       "QN05975M"},
      {"c7",
       "Discriminations à l'embauche : le \"CV anonyme\" ne suffit pas",
       "Former les recruteurs des PME ; tester les offres d'emploi (testing).",
       wv1::Contribution::KIND_RECOMMENDATION,
       {cv1::THEME_DISCRIMINATION, cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
       false,
       "Centre de ressources IREV",
       cv1::ACTOR_CATEGORY_RESOURCE_CENTER,
       8,
       ""},
      {"c8",
       "Garde d'enfants pour les demandeuses d'emploi",
       "Des places de crèche réservées pendant les formations.",
       wv1::Contribution::KIND_IDEA,
       {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, cv1::THEME_HEALTH},
       false,
       "Adultes-relais du Pile",
       cv1::ACTOR_CATEGORY_ADULT_RELAY,
       7,
       "QN05953M"},
      {"c9",
       "Job dating au pied des tours",
       "Un après-midi de recrutement sans CV, sur la place du marché.",
       wv1::Contribution::KIND_ACTION,
       {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
       true,
       "Pôle emploi Roubaix",
       cv1::ACTOR_CATEGORY_STATE_SERVICE,
       6,
       "QN05953M"},
      {"c10",
       "Lisibilité des dispositifs",
       "Trop de dispositifs, peu lisibles pour les habitants comme pour les associations.",
       wv1::Contribution::KIND_OBSTACLE,
       {cv1::THEME_CITIZEN_PARTICIPATION},
       false,
       "Conseil citoyen du Blanc-Seau",
       cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL,
       4,
       "QN05975M"},
  };
}

v1::ContributionSummary Summary(const ContributionSpec& s, absl::string_view workshop) {
  v1::ContributionSummary c;
  c.set_name(absl::StrCat(workshop, "/contributions/", s.id));
  c.set_title(s.title);
  c.set_text(s.text);
  c.set_kind(s.kind);
  for (auto t : s.themes) c.add_themes(t);
  c.set_reproducible(s.reproducible);
  if (*s.qpv) c.add_qpv_codes(s.qpv);
  c.set_organization(absl::StrCat("prefectures/59/organizations/o", s.id));
  c.set_organization_display_name(s.organization);
  c.set_organization_category(s.category);
  c.set_vote_count(s.votes);
  return c;
}

// Counts by theme, kind and category from the contributions.
void FillContributions(v1::WorkshopReport& r, const std::vector<ContributionSpec>& specs,
                       bool with_lists) {
  std::map<int, int64_t> themes, kinds, categories;
  int64_t votes = 0, reproducible = 0;
  for (const auto& s : specs) {
    for (auto t : s.themes) ++themes[t];
    ++kinds[s.kind];
    ++categories[s.category];
    votes += s.votes;
    reproducible += s.reproducible;
  }
  for (const auto& [t, n] : themes) {
    auto* tc = r.add_contributions_by_theme();
    tc->set_theme(static_cast<cv1::Theme>(t));
    tc->set_count(n);
  }
  for (const auto& [k, n] : kinds) {
    auto* kc = r.add_contributions_by_kind();
    kc->set_kind(static_cast<Kind>(k));
    kc->set_count(n);
  }
  for (const auto& [c, n] : categories) {
    auto* cc = r.add_contributions_by_category();
    cc->set_category(static_cast<cv1::ActorCategory>(c));
    cc->set_count(n);
  }
  r.set_contribution_count(static_cast<int64_t>(specs.size()));
  r.set_vote_count(votes);
  r.set_reproducible_action_count(reproducible);
  if (!with_lists) return;
  // Specs are listed most votes first already.
  for (const auto& s : specs) {
    if (r.top_contributions_size() < 10) *r.add_top_contributions() = Summary(s, r.workshop());
    if (s.reproducible) *r.add_reproducible_actions() = Summary(s, r.workshop());
  }
}

v1::WorkshopReport Workshop(absl::string_view id, absl::string_view title, cv1::Theme theme,
                            int day, wv1::Workshop::State state) {
  v1::WorkshopReport r;
  r.set_workshop(absl::StrCat("prefectures/59/workshops/", id));
  r.set_title(std::string(title));
  r.set_state(state);
  r.add_themes(theme);
  *r.mutable_start_time() = Paris(day, 9, 30);
  *r.mutable_end_time() = Paris(day, 12, 30);
  r.set_venue("Préfecture du Nord, 12 rue Jean-Sans-Peur, Lille");
  r.set_capacity(40);
  r.add_qpv_codes("QN05953M");
  r.add_qpv_codes("QN05981M");
  r.set_workshop_revision(42);
  *r.mutable_as_of_time() = Paris(20, 10, 45);
  return r;
}

}  // namespace

v1::WorkshopReport EmploymentWorkshopReport() {
  v1::WorkshopReport r =
      Workshop("emploi2018", "Emploi et développement économique",
               cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, 6, wv1::Workshop::STATE_REPORTED);
  r.set_waitlisted_count(3);
  FillAttendance(r,
                 {{cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 9},
                  {cv1::ACTOR_CATEGORY_ASSOCIATION, 12},
                  {cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, 4},
                  {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 3},
                  {cv1::ACTOR_CATEGORY_ADULT_RELAY, 3},
                  {cv1::ACTOR_CATEGORY_RESOURCE_CENTER, 2},
                  {cv1::ACTOR_CATEGORY_STATE_SERVICE, 5},
                  {cv1::ACTOR_CATEGORY_BUSINESS, 2}},
                 {{cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 9},
                  {cv1::ACTOR_CATEGORY_ASSOCIATION, 11},
                  {cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, 4},
                  {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 2},
                  {cv1::ACTOR_CATEGORY_ADULT_RELAY, 3},
                  {cv1::ACTOR_CATEGORY_RESOURCE_CENTER, 2},
                  {cv1::ACTOR_CATEGORY_STATE_SERVICE, 5},
                  {cv1::ACTOR_CATEGORY_BUSINESS, 0}});
  FillContributions(r, EmploymentContributions(), /*with_lists=*/true);
  return r;
}

v1::PrefectureReport NordPrefectureReport() {
  v1::PrefectureReport p;
  p.set_prefecture("59");
  p.set_region("32");

  v1::WorkshopReport employment = EmploymentWorkshopReport();
  employment.clear_top_contributions();
  employment.clear_reproducible_actions();

  v1::WorkshopReport discrimination =
      Workshop("discriminations2018", "Prévention et lutte contre les discriminations",
               cv1::THEME_DISCRIMINATION, 8, wv1::Workshop::STATE_HELD);
  FillAttendance(discrimination,
                 {{cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 7},
                  {cv1::ACTOR_CATEGORY_ASSOCIATION, 16},
                  {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 6},
                  {cv1::ACTOR_CATEGORY_ADULT_RELAY, 5},
                  {cv1::ACTOR_CATEGORY_STATE_SERVICE, 4}},
                 {{cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 6},
                  {cv1::ACTOR_CATEGORY_ASSOCIATION, 15},
                  {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 6},
                  {cv1::ACTOR_CATEGORY_ADULT_RELAY, 5},
                  {cv1::ACTOR_CATEGORY_STATE_SERVICE, 3}});
  FillContributions(discrimination,
                    {{"d1",
                      "Testing des offres de logement",
                      "",
                      wv1::Contribution::KIND_ACTION,
                      {cv1::THEME_DISCRIMINATION, cv1::THEME_HOUSING_URBAN_RENEWAL},
                      true,
                      "",
                      cv1::ACTOR_CATEGORY_ASSOCIATION,
                      0,
                      ""},
                     {"d2",
                      "Former les agents d'accueil",
                      "",
                      wv1::Contribution::KIND_IDEA,
                      {cv1::THEME_DISCRIMINATION},
                      false,
                      "",
                      cv1::ACTOR_CATEGORY_STATE_SERVICE,
                      0,
                      ""},
                     {"d3",
                      "Peur de signaler",
                      "",
                      wv1::Contribution::KIND_OBSTACLE,
                      {cv1::THEME_DISCRIMINATION, cv1::THEME_SAFETY_PREVENTION},
                      false,
                      "",
                      cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL,
                      0,
                      ""},
                     {"d4",
                      "Permanences juridiques",
                      "",
                      wv1::Contribution::KIND_GOOD_PRACTICE,
                      {cv1::THEME_DISCRIMINATION},
                      true,
                      "",
                      cv1::ACTOR_CATEGORY_ASSOCIATION,
                      0,
                      ""},
                     {"d5",
                      "Sensibiliser dès le collège",
                      "",
                      wv1::Contribution::KIND_RECOMMENDATION,
                      {cv1::THEME_DISCRIMINATION, cv1::THEME_EDUCATION},
                      false,
                      "",
                      cv1::ACTOR_CATEGORY_ADULT_RELAY,
                      0,
                      ""}},
                    /*with_lists=*/false);

  v1::WorkshopReport image =
      Workshop("image2018", "Image des quartiers", cv1::THEME_NEIGHBOURHOOD_IMAGE, 13,
               wv1::Workshop::STATE_HELD);
  FillAttendance(image,
                 {{cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 10},
                  {cv1::ACTOR_CATEGORY_ASSOCIATION, 14},
                  {cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, 6},
                  {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 5},
                  {cv1::ACTOR_CATEGORY_RESOURCE_CENTER, 2},
                  {cv1::ACTOR_CATEGORY_STATE_SERVICE, 3}},
                 {{cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, 10},
                  {cv1::ACTOR_CATEGORY_ASSOCIATION, 12},
                  {cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, 5},
                  {cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL, 4},
                  {cv1::ACTOR_CATEGORY_RESOURCE_CENTER, 2},
                  {cv1::ACTOR_CATEGORY_STATE_SERVICE, 3}});
  FillContributions(image,
                    {{"i1",
                      "Un média fait par les habitants",
                      "",
                      wv1::Contribution::KIND_ACTION,
                      {cv1::THEME_NEIGHBOURHOOD_IMAGE, cv1::THEME_CITIZEN_PARTICIPATION},
                      true,
                      "",
                      cv1::ACTOR_CATEGORY_ASSOCIATION,
                      0,
                      ""},
                     {"i2",
                      "Portes ouvertes des quartiers",
                      "",
                      wv1::Contribution::KIND_GOOD_PRACTICE,
                      {cv1::THEME_NEIGHBOURHOOD_IMAGE, cv1::THEME_CULTURE_SPORT},
                      true,
                      "",
                      cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY,
                      0,
                      ""},
                     {"i3",
                      "Les faits divers dominent la presse",
                      "",
                      wv1::Contribution::KIND_OBSTACLE,
                      {cv1::THEME_NEIGHBOURHOOD_IMAGE},
                      false,
                      "",
                      cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL,
                      0,
                      ""}},
                    /*with_lists=*/false);

  std::map<int, int64_t> themes, kinds, categories;
  double weighted = 0;
  for (const v1::WorkshopReport* w : {&employment, &discrimination, &image}) {
    p.set_workshop_count(p.workshop_count() + 1);
    p.set_registered_count(p.registered_count() + w->registered_count());
    p.set_attended_count(p.attended_count() + w->attended_count());
    p.set_contribution_count(p.contribution_count() + w->contribution_count());
    p.set_reproducible_action_count(p.reproducible_action_count() + w->reproducible_action_count());
    p.set_workshops_held(p.workshops_held() + 1);
    if (w->state() == wv1::Workshop::STATE_REPORTED) {
      p.set_workshops_reported(p.workshops_reported() + 1);
    }
    weighted += w->representativeness_index() * static_cast<double>(w->attended_count());
    for (const auto& t : w->contributions_by_theme()) themes[t.theme()] += t.count();
    for (const auto& k : w->contributions_by_kind()) kinds[k.kind()] += k.count();
    for (const auto& c : w->attendance_by_category()) categories[c.category()] += c.count();
    *p.add_workshops() = *w;
  }
  p.set_representativeness_index(weighted / static_cast<double>(p.attended_count()));
  for (const auto& [t, n] : themes) {
    auto* tc = p.add_contributions_by_theme();
    tc->set_theme(static_cast<cv1::Theme>(t));
    tc->set_count(n);
  }
  for (const auto& [k, n] : kinds) {
    auto* kc = p.add_contributions_by_kind();
    kc->set_kind(static_cast<Kind>(k));
    kc->set_count(n);
  }
  for (const auto& [c, n] : categories) {
    auto* cc = p.add_attendance_by_category();
    cc->set_category(static_cast<cv1::ActorCategory>(c));
    cc->set_count(n);
  }
  *p.mutable_as_of_time() = Paris(20, 10, 45);
  return p;
}

}  // namespace qpv::reporting::report_export::sample
