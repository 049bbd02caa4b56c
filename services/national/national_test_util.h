// Builders of snapshots for the national tests.
#ifndef QPV_SERVICES_NATIONAL_NATIONAL_TEST_UTIL_H_
#define QPV_SERVICES_NATIONAL_NATIONAL_TEST_UTIL_H_

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::national::testing {

namespace nv1 = ::qpv::national::v1;
using ::qpv::common::v1::ActorCategory;
using ::qpv::common::v1::Theme;
using ::qpv::workshop::v1::Contribution;
using ::qpv::workshop::v1::Workshop;

inline absl::Time Utc(int y, int m, int d, int h = 9) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), absl::UTCTimeZone());
}

inline nv1::WorkshopFigures MakeWorkshop(const std::string& p, const std::string& id,
                                         absl::Time start, std::vector<Theme> themes,
                                         Workshop::State state = Workshop::STATE_HELD) {
  nv1::WorkshopFigures w;
  w.set_workshop(absl::StrCat("prefectures/", p, "/workshops/", id));
  w.set_state(state);
  for (Theme t : themes) w.add_themes(t);
  *w.mutable_start_time() = ToProto(start);
  w.set_representativeness_index(0.5);
  return w;
}

// `n` attendees of category `c` (attended_count follows).
inline void AddAttendance(nv1::WorkshopFigures& w, ActorCategory c, int64_t n) {
  for (auto& cc : *w.mutable_attendance_by_category()) {
    if (cc.category() == c) {
      cc.set_count(cc.count() + n);
      w.set_attended_count(w.attended_count() + n);
      w.set_registered_count(w.registered_count() + n);
      return;
    }
  }
  auto* cc = w.add_attendance_by_category();
  cc->set_category(c);
  cc->set_count(n);
  w.set_attended_count(w.attended_count() + n);
  w.set_registered_count(w.registered_count() + n);
}

// `n` contributions of category `c`, each carrying every theme of `themes`:
// the cross-tab the feed builds (theme 0 once, then once per theme).
inline void AddContributions(nv1::WorkshopFigures& w, std::vector<Theme> themes, ActorCategory c,
                             int64_t n, Contribution::Kind kind = Contribution::KIND_ACTION) {
  const auto bump = [&](Theme t) {
    for (auto& cell : *w.mutable_contribution_cells()) {
      if (cell.theme() == t && cell.kind() == kind && cell.category() == c) {
        cell.set_count(cell.count() + n);
        return;
      }
    }
    auto* cell = w.add_contribution_cells();
    cell->set_theme(t);
    cell->set_kind(kind);
    cell->set_category(c);
    cell->set_count(n);
  };
  bump(::qpv::common::v1::THEME_UNSPECIFIED);
  for (Theme t : themes) bump(t);
  w.set_contribution_count(w.contribution_count() + n);
}

inline nv1::ReproducibleAction MakeAction(const std::string& p, const std::string& w,
                                          const std::string& c, const std::string& title,
                                          const std::string& text, std::vector<Theme> themes,
                                          int64_t votes = 0, std::vector<std::string> qpv = {}) {
  nv1::ReproducibleAction a;
  a.set_contribution(absl::StrCat("prefectures/", p, "/workshops/", w, "/contributions/", c));
  a.set_title(title);
  a.set_text(text);
  for (Theme t : themes) a.add_themes(t);
  for (auto& q : qpv) a.add_qpv_codes(q);
  a.set_kind(Contribution::KIND_GOOD_PRACTICE);
  a.set_vote_count(votes);
  a.set_organization_category(::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION);
  return a;
}

inline nv1::PrefectureSnapshot MakeSnapshot(const std::string& p, int64_t version,
                                            std::vector<nv1::WorkshopFigures> workshops,
                                            std::vector<nv1::ReproducibleAction> actions = {}) {
  nv1::PrefectureSnapshot s;
  s.set_prefecture(p);
  s.set_version(version);
  *s.mutable_build_time() = ToProto(Utc(2024, 6, 1));
  for (auto& w : workshops) *s.add_workshops() = std::move(w);
  for (auto& a : actions) *s.add_reproducible_actions() = std::move(a);
  return s;
}

// A random but valid snapshot: up to 8 workshops from 2023-11 to 2024-03 in
// every state, random themes, attendance and contributions.
inline nv1::PrefectureSnapshot RandomSnapshot(std::mt19937& rng, const std::string& p,
                                              int64_t version) {
  const auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  std::vector<nv1::WorkshopFigures> workshops;
  const int n = uniform(0, 8);
  for (int i = 0; i < n; ++i) {
    const absl::Time start = Utc(2023, 11, 1, 0) + absl::Minutes(uniform(0, 150 * 24 * 60));
    std::vector<Theme> themes;
    for (int t = 1; t <= 11; ++t) {
      if (uniform(0, 5) == 0) themes.push_back(static_cast<Theme>(t));
    }
    const Workshop::State states[] = {Workshop::STATE_DRAFT, Workshop::STATE_SCHEDULED,
                                      Workshop::STATE_HELD, Workshop::STATE_REPORTED,
                                      Workshop::STATE_CANCELLED};
    auto w = MakeWorkshop(p, absl::StrCat("w", i), start, themes, states[uniform(0, 4)]);
    for (int k = uniform(0, 4); k > 0; --k) {
      AddAttendance(w, static_cast<ActorCategory>(uniform(0, 10)), uniform(1, 12));
    }
    for (int k = uniform(0, 5); k > 0; --k) {
      std::vector<Theme> ct;
      for (int t = 1; t <= 11; ++t) {
        if (uniform(0, 4) == 0) ct.push_back(static_cast<Theme>(t));
      }
      AddContributions(w, ct, static_cast<ActorCategory>(uniform(0, 10)), uniform(1, 9),
                       static_cast<Contribution::Kind>(uniform(1, 5)));
    }
    workshops.push_back(std::move(w));
  }
  return MakeSnapshot(p, version, std::move(workshops));
}

}  // namespace qpv::national::testing

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_TEST_UTIL_H_
