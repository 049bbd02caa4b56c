#include "services/national/national_service.h"

namespace qpv::national {

NationalServiceImpl::NationalServiceImpl(NationalLogic* logic, int64_t submit_budget_bytes)
    : UnaryService("qpv.national.v1.NationalAggregationService", "national"),
      submit_budget_(submit_budget_bytes) {
  Add("SubmitPrefectureSnapshot", logic, &NationalLogic::SubmitPrefectureSnapshot,
      &submit_budget_);
  // Served in wire form: a dashboard polled by many screens is built and
  // serialized once per view sync, not per call.
  Add<nv1::GetNationalDashboardRequest, server::SerializedResponse>(
      "GetNationalDashboard",
      [logic](const nv1::GetNationalDashboardRequest& req,
              absl::Time) -> absl::StatusOr<server::SerializedResponse> {
        auto bytes = logic->SerializedNationalDashboard(req);
        if (!bytes.ok()) return bytes.status();
        return server::SerializedResponse{*std::move(bytes)};
      });
  Add("ListPrefectureStatus", logic, &NationalLogic::ListPrefectureStatus);
  Add("ListGoodPractices", logic, &NationalLogic::ListGoodPractices);
  AddServerStream<nv1::GetNationalDashboardRequest, nv1::NationalDashboard>(
      "WatchNationalDashboard",
      [logic](const nv1::GetNationalDashboardRequest& req,
              const server::ServerStream<nv1::NationalDashboard>& stream) {
        return logic->WatchNationalDashboard(req, stream.done, stream.write);
      });
}

}  // namespace qpv::national
