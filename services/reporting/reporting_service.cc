#include "services/reporting/reporting_service.h"

namespace qpv::reporting {

ReportingServiceImpl::ReportingServiceImpl(ReportingLogic* logic)
    : UnaryService("qpv.reporting.v1.ReportingService", "reporting") {
  Add("GetWorkshopReport", logic, &ReportingLogic::GetWorkshopReport);
  Add("GetPrefectureReport", logic, &ReportingLogic::GetPrefectureReport);
  Add("ExportReport", logic, &ReportingLogic::ExportReport);
  Add("GetFeedStatus", logic, &ReportingLogic::GetFeedStatus);
}

}  // namespace qpv::reporting
