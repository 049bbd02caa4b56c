#include "bench/snapshots.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/territory/territory.h"
#include "common/util/clock.h"

namespace qpv::bench {

namespace cv1 = ::qpv::common::v1;
namespace nv1 = ::qpv::national::v1;
namespace wv1 = ::qpv::workshop::v1;

nv1::PrefectureSnapshot SampleSnapshot(absl::string_view prefecture, int64_t version) {
  static constexpr cv1::Theme kThemes[] = {cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT,
                                           cv1::THEME_DISCRIMINATION,
                                           cv1::THEME_NEIGHBOURHOOD_IMAGE};
  static constexpr cv1::ActorCategory kCategories[] = {
      cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, cv1::ACTOR_CATEGORY_ASSOCIATION,
      cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL};
  nv1::PrefectureSnapshot s;
  s.set_prefecture(std::string(prefecture));
  s.set_version(version);
  const absl::Time now = absl::Now();
  *s.mutable_build_time() = ToProto(now);
  const int64_t wobble = version % 7;  // moves the totals from one version to the next
  for (int w = 0; w < 3; ++w) {
    nv1::WorkshopFigures* f = s.add_workshops();
    f->set_workshop(absl::StrCat("prefectures/", prefecture, "/workshops/bench", w));
    f->set_state(w == 0 ? wv1::Workshop::STATE_REPORTED : wv1::Workshop::STATE_HELD);
    f->add_themes(kThemes[w]);
    *f->mutable_start_time() = ToProto(now - absl::Hours(24 * (w + 1)));
    f->set_registered_count(40 + w);
    f->set_attended_count(30 + wobble);
    f->set_contribution_count(12 + w + wobble);
    f->set_representativeness_index(0.72);
    for (auto category : kCategories) {
      cv1::CategoryCount* c = f->add_attendance_by_category();
      c->set_category(category);
      c->set_count(6 + w);
    }
    for (int k = 0; k < 4; ++k) {
      nv1::ContributionCell* cell = f->add_contribution_cells();
      cell->set_theme(kThemes[w]);
      cell->set_kind(static_cast<wv1::Contribution::Kind>(1 + k));
      cell->set_category(kCategories[k]);
      cell->set_count(3 + (k == 0 ? wobble : 0));
    }
  }
  for (int a = 0; a < 4; ++a) {
    nv1::ReproducibleAction* r = s.add_reproducible_actions();
    r->set_contribution(
        absl::StrCat("prefectures/", prefecture, "/workshops/bench0/contributions/c", a));
    r->set_title(absl::StrCat("Forum de l'emploi au cœur du quartier ", a));
    r->set_text(
        "Un forum annuel organisé avec les entreprises du territoire, la mission locale et les "
        "associations de quartier, avec des entretiens sur place.");
    r->add_themes(kThemes[a % 3]);
    r->set_kind(wv1::Contribution::KIND_GOOD_PRACTICE);
    r->set_vote_count(5 + a);
    r->set_organization_category(kCategories[a]);
  }
  return s;
}

std::vector<std::string> AllPrefectures() {
  std::vector<std::string> out;
  for (const auto& d : territory::Departements()) out.emplace_back(d.code);
  return out;
}

}  // namespace qpv::bench
