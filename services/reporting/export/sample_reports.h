// Realistic sample reports (the Préfecture du Nord's February 2018
// workshops), for tests and for export_sample, which renders them for the
// headless Chromium check. Test-only: not part of qpv_report_export.
#ifndef QPV_SERVICES_REPORTING_EXPORT_SAMPLE_REPORTS_H_
#define QPV_SERVICES_REPORTING_EXPORT_SAMPLE_REPORTS_H_

#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting::report_export::sample {

// The 6 February 2018 workshop on employment, held and reported: 36
// attendees in 7 categories, 12 contributions (one with a quote, a
// semicolon, a line break, one starting with '+').
v1::WorkshopReport EmploymentWorkshopReport();

// The three Nord workshops side by side (6, 8 and 13 February 2018).
v1::PrefectureReport NordPrefectureReport();

}  // namespace qpv::reporting::report_export::sample

#endif  // QPV_SERVICES_REPORTING_EXPORT_SAMPLE_REPORTS_H_
