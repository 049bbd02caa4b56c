// Turns a workshop or préfecture report into a file people open: CSV for a
// French spreadsheet, JSON (the proto JSON mapping), Markdown, or one
// self-contained printable HTML page with inline SVG charts. Pure functions
// of the report: the reporting service fetches it and calls these.
#ifndef QPV_SERVICES_REPORTING_EXPORT_REPORT_EXPORT_H_
#define QPV_SERVICES_REPORTING_EXPORT_REPORT_EXPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "qpv/reporting/v1/reporting.pb.h"
#include "qpv/reporting/v1/reporting_service.pb.h"

namespace qpv::reporting::report_export {

struct ExportedFile {
  // "text/csv; charset=utf-8", "application/json",
  // "text/markdown; charset=utf-8", "text/html; charset=utf-8".
  std::string content_type;
  // rapport-atelier-<prefecture>-<workshop id>.<csv|json|md|html>
  // rapport-prefecture-<code>.<csv|json|md|html>
  std::string filename;
  std::string content;
};

// INVALID_ARGUMENT naming `format` for FORMAT_UNSPECIFIED or an unknown
// value, naming `workshop` when the report's workshop is not a workshop
// resource name (prefectures/{p}/workshops/{w}).
absl::StatusOr<ExportedFile> ExportWorkshopReport(const v1::WorkshopReport& report,
                                                  v1::ExportReportRequest::Format format);

// INVALID_ARGUMENT naming `format` as above, naming `prefecture` when the
// report's préfecture is not a département code.
absl::StatusOr<ExportedFile> ExportPrefectureReport(const v1::PrefectureReport& report,
                                                    v1::ExportReportRequest::Format format);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_REPORT_EXPORT_H_
