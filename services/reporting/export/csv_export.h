// Reports as CSV for a French spreadsheet (see csv_writer.h for the bytes):
// one file in sections (a title row, a header row, data rows, a blank row),
// so a person can read it top to bottom and filter any one table.
#ifndef QPV_SERVICES_REPORTING_EXPORT_CSV_EXPORT_H_
#define QPV_SERVICES_REPORTING_EXPORT_CSV_EXPORT_H_

#include <string>

#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting::report_export {

// Sections: summary, attendance by category (with the target shares), by
// theme, by kind, top contributions, reproducible actions.
std::string WorkshopReportCsv(const v1::WorkshopReport& report);
// Sections: summary, one row per workshop plus a totals row, by theme, by
// kind, attendance by category.
std::string PrefectureReportCsv(const v1::PrefectureReport& report);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_CSV_EXPORT_H_
