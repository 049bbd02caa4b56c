// What every human format shows, computed once from a report so the CSV,
// Markdown and HTML exports agree: one row per actor category merging the
// report's lists, the staleness notice, territory names, the reading of the
// representativeness index.
#ifndef QPV_SERVICES_REPORTING_EXPORT_REPORT_VIEW_H_
#define QPV_SERVICES_REPORTING_EXPORT_REPORT_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting::report_export {

struct CategoryRow {
  common::v1::ActorCategory category = common::v1::ACTOR_CATEGORY_UNSPECIFIED;
  int64_t registered = 0;
  int64_t attended = 0;
  int64_t contributions = 0;
  // From `representation`; has_target is false for a category outside the
  // target mix.
  bool has_target = false;
  double target_share = 0;
  double actual_share = 0;
  int64_t shortfall = 0;
  // Listed in `under_represented`.
  bool under_represented = false;
};

// Every category that appears in the report's representation or counts, in
// enum order.
std::vector<CategoryRow> CategoryRows(const v1::WorkshopReport& report);

// Whether the category chart and index count attendees (once held) or
// registrations (before): from representativeness_basis, else from whether
// anybody attended.
bool CountsAttendance(const v1::WorkshopReport& report);

// "prefectures/59/workshops/w1" -> "59" and "w1"; "" when malformed.
std::string PrefectureOfWorkshop(absl::string_view workshop_name);
std::string WorkshopId(absl::string_view workshop_name);

// "Nord (59)"; the bare code when unknown.
std::string DepartementLabel(absl::string_view code);
// "Hauts-de-France"; the bare code when unknown, "" when empty.
std::string RegionLabel(absl::string_view code);

// "Emploi et développement économique, Image des quartiers"; "" when none.
std::string ThemesLabel(const google::protobuf::RepeatedField<int>& themes);
// "Association, Bailleur social" of the under-represented categories.
std::string UnderRepresentedLabel(const v1::WorkshopReport& report);

// The sentence every human format shows on a stale report, with its as-of
// time; "" when the report is fresh.
std::string StaleNotice(bool stale, const google::protobuf::Timestamp& as_of);

// How to read the representativeness index: "bonne" (>= 0.8), "moyenne"
// (>= 0.6), "faible" below, judged on the index rounded to the 2 digits shown
// (0.7996 prints "0,80" and reads "bonne"). A reading aid, not a norm.
absl::string_view IndexReading(double index);
// The index as shown: rounded to 2 digits.
double ShownIndex(double index);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_REPORT_VIEW_H_
