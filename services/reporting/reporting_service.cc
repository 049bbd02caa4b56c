#include "services/reporting/reporting_service.h"

namespace qpv::reporting {

ReportingServiceImpl::ReportingServiceImpl(ReportingLogic* logic)
    : UnaryService("qpv.reporting.v1.ReportingService", "reporting") {
  // In wire form: a current cached report is sent as stored.
  Add("GetWorkshopReport", logic, &ReportingLogic::GetWorkshopReport);
  Add("GetPrefectureReport", logic, &ReportingLogic::GetPrefectureReport);
  Add("ExportReport", logic, &ReportingLogic::ExportReport);
  Add("GetFeedStatus", logic, &ReportingLogic::GetFeedStatus);
}

}  // namespace qpv::reporting
