#include "services/national/snapshot_validation.h"

#include <cmath>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/territory/territory.h"
#include "common/validation/resource_name.h"
#include "common/validation/validation.h"

namespace qpv::national {
namespace {

using ::qpv::common::v1::ActorCategory_IsValid;
using ::qpv::common::v1::Theme_IsValid;
using ::qpv::national::v1::PrefectureSnapshot;
using ::qpv::national::v1::ReproducibleAction;
using ::qpv::national::v1::WorkshopFigures;
using ::qpv::workshop::v1::Contribution;
using ::qpv::workshop::v1::Workshop;

void CheckCount(FieldViolations& v, const std::string& field, int64_t count) {
  if (count < 0) {
    v.Add(field, "must not be negative");
  } else if (count > kMaxCount) {
    v.Add(field, absl::StrCat("must be at most ", kMaxCount));
  }
}

template <typename Repeated>
void CheckThemes(FieldViolations& v, const std::string& field, const Repeated& themes) {
  std::set<int> seen;
  for (int i = 0; i < themes.size(); ++i) {
    const int t = themes.Get(i);
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (t == 0 || !Theme_IsValid(t)) {
      v.Add(f, absl::StrCat("unknown theme ", t));
    } else if (!seen.insert(t).second) {
      v.Add(f, "repeats a theme");
    }
  }
}

void CheckCategory(FieldViolations& v, const std::string& field, int category) {
  if (!ActorCategory_IsValid(category)) v.Add(field, absl::StrCat("unknown category ", category));
}

// `name` must parse with `collections` and belong to `prefecture` (not
// checked when empty: the snapshot's own code is bad).
void CheckChildName(FieldViolations& v, const std::string& field, absl::string_view name,
                    const std::vector<absl::string_view>& collections, absl::string_view prefecture,
                    absl::string_view what) {
  auto ids = ParseResourceName(field, name, collections);
  if (!ids.ok()) {
    v.Merge(ids.status(), field);
  } else if (!prefecture.empty() && (*ids)[0] != prefecture) {
    v.Add(field, absl::StrCat("must be ", what, " of préfecture ", prefecture));
  }
}

void CheckWorkshop(FieldViolations& v, const std::string& f, const WorkshopFigures& w,
                   absl::string_view prefecture, std::set<std::string>& names) {
  CheckChildName(v, f + ".workshop", w.workshop(), {"prefectures", "workshops"}, prefecture,
                 "a workshop");
  if (!w.workshop().empty() && !names.insert(w.workshop()).second) {
    v.Add(f + ".workshop", "appears twice in the snapshot");
  }
  if (w.state() == Workshop::STATE_UNSPECIFIED || !Workshop::State_IsValid(w.state())) {
    v.Add(f + ".state", absl::StrCat("unknown state ", static_cast<int>(w.state())));
  }
  CheckThemes(v, f + ".themes", w.themes());
  validation::CheckTimestamp(v, f + ".start_time", w.start_time(), /*required=*/true);
  CheckCount(v, f + ".registered_count", w.registered_count());
  CheckCount(v, f + ".attended_count", w.attended_count());
  CheckCount(v, f + ".contribution_count", w.contribution_count());
  const double index = w.representativeness_index();
  if (!std::isfinite(index) || index < 0 || index > 1) {
    v.Add(f + ".representativeness_index", "must be between 0 and 1");
  }
  std::set<int> categories;
  for (int i = 0; i < w.attendance_by_category_size(); ++i) {
    const auto& c = w.attendance_by_category(i);
    const std::string cf = absl::StrCat(f, ".attendance_by_category[", i, "]");
    CheckCategory(v, cf + ".category", c.category());
    if (!categories.insert(c.category()).second) v.Add(cf + ".category", "repeats a category");
    CheckCount(v, cf + ".count", c.count());
  }
  std::set<std::tuple<int, int, int>> cells;
  for (int i = 0; i < w.contribution_cells_size(); ++i) {
    const auto& c = w.contribution_cells(i);
    const std::string cf = absl::StrCat(f, ".contribution_cells[", i, "]");
    if (!Theme_IsValid(c.theme())) v.Add(cf + ".theme", absl::StrCat("unknown theme ", c.theme()));
    if (!Contribution::Kind_IsValid(c.kind())) {
      v.Add(cf + ".kind", absl::StrCat("unknown kind ", static_cast<int>(c.kind())));
    }
    CheckCategory(v, cf + ".category", c.category());
    if (!cells.insert({c.theme(), c.kind(), c.category()}).second) {
      v.Add(cf, "repeats a (theme, kind, category) cell");
    }
    CheckCount(v, cf + ".count", c.count());
  }
}

void CheckAction(FieldViolations& v, const std::string& f, const ReproducibleAction& a,
                 absl::string_view prefecture, std::set<std::string>& names) {
  CheckChildName(v, f + ".contribution", a.contribution(),
                 {"prefectures", "workshops", "contributions"}, prefecture, "a contribution");
  if (!a.contribution().empty() && !names.insert(a.contribution()).second) {
    v.Add(f + ".contribution", "appears twice in the snapshot");
  }
  validation::CheckText(v, f + ".title", a.title(), kMaxTitleChars, /*required=*/true);
  validation::CheckText(v, f + ".text", a.text(), kMaxTextChars, /*required=*/false,
                        /*multiline=*/true);
  CheckThemes(v, f + ".themes", a.themes());
  validation::CheckQpvCodes(v, f + ".qpv_codes", a.qpv_codes());
  for (int i = 0; i < a.qpv_codes_size(); ++i) {
    if (!prefecture.empty() && validation::IsQpvCode(a.qpv_codes(i)) &&
        validation::QpvDepartement(a.qpv_codes(i)) != prefecture) {
      v.Add(absl::StrCat(f, ".qpv_codes[", i, "]"),
            absl::StrCat("is not a QPV of département ", prefecture));
    }
  }
  if (!Contribution::Kind_IsValid(a.kind())) {
    v.Add(f + ".kind", absl::StrCat("unknown kind ", static_cast<int>(a.kind())));
  }
  CheckCount(v, f + ".vote_count", a.vote_count());
  CheckCategory(v, f + ".organization_category", a.organization_category());
}

}  // namespace

absl::Status ValidateSnapshot(const PrefectureSnapshot& s, absl::string_view field) {
  FieldViolations v;
  const std::string f(field);
  if (!validation::IsDepartementCode(s.prefecture()) ||
      territory::FindDepartement(s.prefecture()) == nullptr) {
    v.Add(f + ".prefecture", "must be a département code (59, 2A, 971...)");
  }
  if (s.version() <= 0) v.Add(f + ".version", "must be positive");
  validation::CheckTimestamp(v, f + ".build_time", s.build_time(), /*required=*/false);
  // Children are checked against the préfecture only when it is valid: one
  // bad code should not flood the answer with one violation per child.
  const std::string prefecture =
      territory::FindDepartement(s.prefecture()) != nullptr ? s.prefecture() : std::string();
  if (s.workshops_size() > kMaxWorkshops) {
    v.Add(f + ".workshops", absl::StrCat("at most ", kMaxWorkshops, " workshops"));
  } else {
    std::set<std::string> names;
    for (int i = 0; i < s.workshops_size(); ++i) {
      CheckWorkshop(v, absl::StrCat(f, ".workshops[", i, "]"), s.workshops(i), prefecture, names);
    }
  }
  if (s.reproducible_actions_size() > kMaxActions) {
    v.Add(f + ".reproducible_actions", absl::StrCat("at most ", kMaxActions, " actions"));
  } else {
    std::set<std::string> names;
    for (int i = 0; i < s.reproducible_actions_size(); ++i) {
      CheckAction(v, absl::StrCat(f, ".reproducible_actions[", i, "]"), s.reproducible_actions(i),
                  prefecture, names);
    }
  }
  return v.ToStatus();
}

}  // namespace qpv::national
