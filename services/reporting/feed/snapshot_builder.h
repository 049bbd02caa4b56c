// Pure functions that turn a préfecture's workshops into what national
// receives: counts and reproducible actions, never a person or an
// organization (only its category).
//
// - WorkshopFigures: state, themes and start time from the workshop; counts,
//   representativeness and attendance by category from its report (so the
//   national totals equal the préfecture report's); contribution cells from
//   the contributions: the cross-tab (theme, kind, category) -> count where
//   theme THEME_UNSPECIFIED counts every contribution once and a cell with a
//   theme counts the contributions carrying it. Cells sorted, zeros omitted.
// - PrefectureSnapshot: cancelled workshops left out (the préfecture report's
//   rule), workshops and reproducible actions sorted by resource name. The
//   version is left 0: the feed store assigns it when recording the build.
// - Fingerprint: what decides whether a new snapshot must be built.
#ifndef QPV_SERVICES_REPORTING_FEED_SNAPSHOT_BUILDER_H_
#define QPV_SERVICES_REPORTING_FEED_SNAPSHOT_BUILDER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/national/v1/national.pb.h"
#include "qpv/reporting/v1/reporting.pb.h"
#include "qpv/workshop/v1/workshop.pb.h"

namespace qpv::reporting {

// Whether a workshop belongs in the snapshot (and in the préfecture report).
bool InSnapshot(const workshop::v1::Workshop& workshop);

national::v1::WorkshopFigures BuildWorkshopFigures(
    const workshop::v1::Workshop& workshop, const v1::WorkshopReport& report,
    const std::vector<workshop::v1::Contribution>& contributions);

// The contributions flagged reproducible, as national sees them, by name.
std::vector<national::v1::ReproducibleAction> BuildReproducibleActions(
    const std::vector<workshop::v1::Contribution>& contributions);

// What one workshop adds to a snapshot.
struct WorkshopPart {
  national::v1::WorkshopFigures figures;
  std::vector<national::v1::ReproducibleAction> actions;
};

// `parts` of every workshop in the snapshot (InSnapshot), in any order.
national::v1::PrefectureSnapshot AssembleSnapshot(absl::string_view prefecture,
                                                  absl::Time build_time,
                                                  std::vector<WorkshopPart> parts);

// Stable across processes and builds (it is stored and compared by every
// replica): 16 hex digits of FNV-1a 64 over the sorted (name, revision,
// state) of every workshop, cancelled ones included, plus `salt` (settings
// that change the figures, e.g. the representativeness target) and the
// snapshot format version.
std::string WorkshopsFingerprint(const std::vector<workshop::v1::Workshop>& workshops,
                                 absl::string_view salt);

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_SNAPSHOT_BUILDER_H_
