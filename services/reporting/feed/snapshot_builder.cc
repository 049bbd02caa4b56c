#include "services/reporting/feed/snapshot_builder.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/util/clock.h"

namespace qpv::reporting {
namespace {

using national::v1::ContributionCell;
using national::v1::PrefectureSnapshot;
using national::v1::ReproducibleAction;
using national::v1::WorkshopFigures;
using workshop::v1::Contribution;
using workshop::v1::Workshop;

// Bumped when the snapshot's content changes meaning, so every préfecture is
// rebuilt once after an upgrade.
constexpr char kSnapshotFormat[] = "qpv-feed-snapshot-v1";

class Fnv1a64 {
 public:
  void Add(absl::string_view s) {
    for (unsigned char c : s) {
      hash_ ^= c;
      hash_ *= 1099511628211ull;
    }
    // A separator that no field contains keeps ("ab", "c") apart from ("a", "bc").
    hash_ ^= 0xff;
    hash_ *= 1099511628211ull;
  }
  std::string Hex() const { return absl::StrFormat("%016x", hash_); }

 private:
  uint64_t hash_ = 14695981039346656037ull;
};

// Copies themes without THEME_UNSPECIFIED or repeats: national rejects a
// whole snapshot for one of them, and the workshop service should never let
// one through anyway.
template <typename From, typename To>
void CopyThemes(const From& from, To* to) {
  std::set<int> seen;
  for (int theme : from) {
    if (theme == common::v1::THEME_UNSPECIFIED || !seen.insert(theme).second) continue;
    to->Add(theme);
  }
}

}  // namespace

bool InSnapshot(const Workshop& workshop) { return workshop.state() != Workshop::STATE_CANCELLED; }

WorkshopFigures BuildWorkshopFigures(const Workshop& workshop, const v1::WorkshopReport& report,
                                     const std::vector<Contribution>& contributions) {
  WorkshopFigures out;
  out.set_workshop(workshop.name());
  out.set_state(workshop.state());
  CopyThemes(workshop.themes(), out.mutable_themes());
  if (workshop.has_start_time()) *out.mutable_start_time() = workshop.start_time();
  out.set_registered_count(report.registered_count());
  out.set_attended_count(report.attended_count());
  out.set_contribution_count(report.contribution_count());
  out.set_representativeness_index(report.representativeness_index());
  for (const auto& count : report.attendance_by_category()) {
    if (count.count() > 0) *out.add_attendance_by_category() = count;
  }

  // (theme, kind, category) -> count; std::map keeps the cells sorted.
  std::map<std::tuple<int, int, int>, int64_t> cells;
  for (const Contribution& c : contributions) {
    const int kind = c.kind();
    const int category = c.organization_category();
    ++cells[{common::v1::THEME_UNSPECIFIED, kind, category}];
    // A theme listed twice still counts the contribution once.
    std::set<int> themes(c.themes().begin(), c.themes().end());
    themes.erase(common::v1::THEME_UNSPECIFIED);
    for (int theme : themes) ++cells[{theme, kind, category}];
  }
  for (const auto& [key, count] : cells) {
    ContributionCell* cell = out.add_contribution_cells();
    cell->set_theme(static_cast<common::v1::Theme>(std::get<0>(key)));
    cell->set_kind(static_cast<Contribution::Kind>(std::get<1>(key)));
    cell->set_category(static_cast<common::v1::ActorCategory>(std::get<2>(key)));
    cell->set_count(count);
  }
  return out;
}

std::vector<ReproducibleAction> BuildReproducibleActions(
    const std::vector<Contribution>& contributions) {
  std::vector<ReproducibleAction> out;
  for (const Contribution& c : contributions) {
    if (!c.reproducible()) continue;
    // Field by field on purpose: c.organization (and anything added to
    // Contribution later) must never reach national.
    ReproducibleAction a;
    a.set_contribution(c.name());
    a.set_title(c.title());
    a.set_text(c.text());
    CopyThemes(c.themes(), a.mutable_themes());
    for (const auto& code : c.qpv_codes()) a.add_qpv_codes(code);
    a.set_kind(c.kind());
    a.set_vote_count(c.vote_count());
    a.set_organization_category(c.organization_category());
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const ReproducibleAction& a, const ReproducibleAction& b) {
    return a.contribution() < b.contribution();
  });
  return out;
}

PrefectureSnapshot AssembleSnapshot(absl::string_view prefecture, absl::Time build_time,
                                    std::vector<WorkshopPart> parts) {
  std::sort(parts.begin(), parts.end(), [](const WorkshopPart& a, const WorkshopPart& b) {
    return a.figures.workshop() < b.figures.workshop();
  });
  PrefectureSnapshot out;
  out.set_prefecture(std::string(prefecture));
  *out.mutable_build_time() = ToProto(build_time);
  std::vector<ReproducibleAction> actions;
  for (WorkshopPart& part : parts) {
    // Cancelled workshops stay out even if a caller passed them.
    if (part.figures.state() == Workshop::STATE_CANCELLED) continue;
    *out.add_workshops() = std::move(part.figures);
    for (auto& a : part.actions) actions.push_back(std::move(a));
  }
  std::sort(actions.begin(), actions.end(),
            [](const ReproducibleAction& a, const ReproducibleAction& b) {
              return a.contribution() < b.contribution();
            });
  for (auto& a : actions) *out.add_reproducible_actions() = std::move(a);
  return out;
}

std::string WorkshopsFingerprint(const std::vector<Workshop>& workshops, absl::string_view salt) {
  std::vector<std::tuple<std::string, int64_t, int>> keys;
  keys.reserve(workshops.size());
  for (const Workshop& w : workshops) keys.emplace_back(w.name(), w.revision(), w.state());
  std::sort(keys.begin(), keys.end());
  Fnv1a64 hash;
  hash.Add(kSnapshotFormat);
  hash.Add(salt);
  for (const auto& [name, revision, state] : keys) {
    hash.Add(name);
    hash.Add(absl::StrCat(revision, "/", state));
  }
  return hash.Hex();
}

}  // namespace qpv::reporting
