#include "services/national/national_service.h"

namespace qpv::national {

NationalServiceImpl::NationalServiceImpl(NationalLogic* logic)
    : UnaryService("qpv.national.v1.NationalAggregationService", "national") {
  Add("SubmitPrefectureSnapshot", logic, &NationalLogic::SubmitPrefectureSnapshot);
  Add("GetNationalDashboard", logic, &NationalLogic::GetNationalDashboard);
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
