// Reports as one self-contained HTML page a préfecture's team can open,
// print (A4, one section per page) or mail: UTF-8, lang="fr", styles inline,
// charts as inline SVG, no script, no external resource. Every user text is
// HTML-escaped.
#ifndef QPV_SERVICES_REPORTING_EXPORT_HTML_EXPORT_H_
#define QPV_SERVICES_REPORTING_EXPORT_HTML_EXPORT_H_

#include <string>

#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting::report_export {

// Charts: the index gauge, attendance (or registrations, before the day)
// by category against the target share with under-represented categories
// highlighted (svg#chart-categories), contributions by theme
// (svg#chart-themes), kinds as a donut (svg#chart-kinds).
std::string WorkshopReportHtml(const v1::WorkshopReport& report);
// Charts: the mean index gauge, registered / attended / contributions per
// workshop (svg#chart-workshops), each workshop's index
// (svg#chart-workshop-index), themes, kinds, attendance by category.
std::string PrefectureReportHtml(const v1::PrefectureReport& report);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_HTML_EXPORT_H_
