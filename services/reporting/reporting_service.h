// The gRPC edge of qpv.reporting.v1.ReportingService: each method decodes its
// request (server::UnaryService), calls ReportingLogic with the call's
// deadline and maps the result with ToGrpcStatus(…, "reporting").
#ifndef QPV_SERVICES_REPORTING_REPORTING_SERVICE_H_
#define QPV_SERVICES_REPORTING_REPORTING_SERVICE_H_

#include "common/server/unary_service.h"
#include "services/reporting/reporting_logic.h"

namespace qpv::reporting {

class ReportingServiceImpl : public server::UnaryService {
 public:
  // `logic` is not owned.
  explicit ReportingServiceImpl(ReportingLogic* logic);
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_REPORTING_SERVICE_H_
