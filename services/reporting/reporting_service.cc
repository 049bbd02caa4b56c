#include "services/reporting/reporting_service.h"

namespace qpv::reporting {

ReportingServiceImpl::ReportingServiceImpl(ReportingLogic* logic)
    : UnaryService("qpv.reporting.v1.ReportingService", "reporting") {
  // In wire form: a current cached report is sent as stored.
  AddAsync("GetWorkshopReport", logic, &ReportingLogic::GetWorkshopReportAsync);
  Add("GetPrefectureReport", logic, &ReportingLogic::GetPrefectureReport);
  Add("ExportReport", logic, &ReportingLogic::ExportReport);
  Add("GetFeedStatus", logic, &ReportingLogic::GetFeedStatus);
}

}  // namespace qpv::reporting
