// Reports computed from the workshop service's data: pure functions, no I/O.
//
// Representativeness (WorkshopReport.representativeness_index):
//   index = 1 - 1/2 * sum over every category c of |actual_share_c - target_share_c|
// i.e. one minus the total variation distance between the mix of the people
// counted and the target mix; equivalently sum_c min(actual_c, target_c), the
// part of the mix that matches the target. 1: the mix is the target; 0: it
// shares nothing with it, or nobody is counted yet. The people counted are
// the attendees once the workshop is HELD or REPORTED, the seat holders
// (registered, attended, absent) before. People whose organization category
// is unknown count under ACTOR_CATEGORY_UNSPECIFIED, outside any target.
//
// A target category is under-represented when its actual share is below half
// its target share. Its shortfall is max(0, ceil(target_share * total) - count):
// who to invite before the day. Listed largest shortfall first (ties: larger
// gap to the target share, then category).
//
// Counting: *_by_category / *_by_theme / *_by_kind lists are sorted by enum
// value, zero counts omitted. A contribution counts once per theme; one
// without themes counts under its workshop's themes.
#ifndef QPV_SERVICES_REPORTING_REPORT_BUILDER_H_
#define QPV_SERVICES_REPORTING_REPORT_BUILDER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/reporting/v1/reporting.pb.h"
#include "qpv/workshop/v1/workshop.pb.h"
#include "services/reporting/target_mix.h"

namespace qpv::reporting {

namespace v1 = ::qpv::reporting::v1;

inline constexpr int kMaxTopContributions = 10;

struct Representativeness {
  double index = 0;
  // Every target category, by category.
  std::vector<v1::CategoryRepresentation> representation;
  // Largest shortfall first.
  std::vector<v1::CategoryRepresentation> under_represented;
};

// `counts`: people counted by category (zero entries allowed).
Representativeness ComputeRepresentativeness(const std::map<ActorCategory, int64_t>& counts,
                                             const TargetMix& target);

// Which people a workshop's index is computed on, by its state.
v1::RepresentativenessBasis BasisFor(workshop::v1::Workshop::State state);

// The report of one workshop. `organization_names` maps organization
// resource names to display names (missing ones are left empty).
// workshop_revision is the workshop's revision; as_of_time is `now`.
v1::WorkshopReport BuildWorkshopReport(
    const workshop::v1::Workshop& workshop,
    const std::vector<workshop::v1::Registration>& registrations,
    const std::vector<workshop::v1::Contribution>& contributions,
    const absl::flat_hash_map<std::string, std::string>& organization_names,
    const TargetMix& target, absl::Time now);

// Whether a workshop belongs in préfecture reports (and in the feed):
// everything but cancelled workshops.
bool CountsInPrefecture(workshop::v1::Workshop::State state);

// All workshops of a préfecture side by side: cancelled ones left out, by
// start time (then name), totals summed over those listed, the index
// weighted by attendance (0 when nobody attended yet), top contributions and
// reproducible actions cleared. Stale when any workshop report is; as_of_time
// is the oldest as_of_time among stale ones, `now` otherwise.
v1::PrefectureReport BuildPrefectureReport(absl::string_view prefecture,
                                           std::vector<v1::WorkshopReport> workshops,
                                           absl::Time now);

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_REPORT_BUILDER_H_
