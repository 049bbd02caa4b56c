// Reports as Markdown (GitHub-flavoured tables), for a wiki page or a mail.
// All user text goes through MarkdownEscape and sits in table cells or after
// fixed text, so it never starts a heading or a list.
#ifndef QPV_SERVICES_REPORTING_EXPORT_MARKDOWN_EXPORT_H_
#define QPV_SERVICES_REPORTING_EXPORT_MARKDOWN_EXPORT_H_

#include <string>

#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting::report_export {

std::string WorkshopReportMarkdown(const v1::WorkshopReport& report);
std::string PrefectureReportMarkdown(const v1::PrefectureReport& report);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_MARKDOWN_EXPORT_H_
