#include "services/reporting/reporting_service.h"

namespace qpv::reporting {

ReportingServiceImpl::ReportingServiceImpl(ReportingLogic* logic)
    : UnaryService("qpv.reporting.v1.ReportingService", "reporting") {
  // Served in wire form: a current cached report is sent as stored.
  Add<v1::GetWorkshopReportRequest, server::SerializedResponse>(
      "GetWorkshopReport",
      [logic](const v1::GetWorkshopReportRequest& req,
              absl::Time deadline) -> absl::StatusOr<server::SerializedResponse> {
        auto bytes = logic->GetWorkshopReport(req, deadline);
        if (!bytes.ok()) return bytes.status();
        return server::SerializedResponse{
            std::make_shared<const std::string>(*std::move(bytes))};
      });
  Add("GetPrefectureReport", logic, &ReportingLogic::GetPrefectureReport);
  Add("ExportReport", logic, &ReportingLogic::ExportReport);
  Add("GetFeedStatus", logic, &ReportingLogic::GetFeedStatus);
}

}  // namespace qpv::reporting
