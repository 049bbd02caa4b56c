// Reports of the ReportingService as a préfecture team reads them in a
// terminal: a summary block, then tables and bar charts, labels in French,
// times in the local time zone, stale reports flagged at the top.
#ifndef QPV_TOOLS_QPVCTL_REPORT_VIEW_H_
#define QPV_TOOLS_QPVCTL_REPORT_VIEW_H_

#include <string>

#include "absl/time/time.h"
#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::ctl {

// What every view needs beyond the message: where "local" is, and "now"
// for ages ("il y a 3 h"). Injected so that tests are deterministic.
struct ViewOptions {
  absl::TimeZone tz = absl::UTCTimeZone();
  absl::Time now = absl::UnixEpoch();
};

std::string RenderWorkshopReport(const qpv::reporting::v1::WorkshopReport& report,
                                 const ViewOptions& options);
std::string RenderPrefectureReport(const qpv::reporting::v1::PrefectureReport& report,
                                   const ViewOptions& options);
std::string RenderFeedStatus(const qpv::reporting::v1::FeedStatus& status,
                             const ViewOptions& options);

// "Préfecture 59 — Nord" (the code alone when unknown).
std::string PrefectureTitle(const std::string& code);
// "32 Hauts-de-France" (the code alone when unknown, "" when empty).
std::string RegionText(const std::string& code, const std::string& name = "");

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_REPORT_VIEW_H_
