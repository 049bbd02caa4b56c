// The gRPC edge of qpv.national.v1.NationalAggregationService: unary methods
// through server::UnaryService, WatchNationalDashboard as a server stream
// (AddServerStream), all mapped with ToGrpcStatus(…, "national").
#ifndef QPV_SERVICES_NATIONAL_NATIONAL_SERVICE_H_
#define QPV_SERVICES_NATIONAL_NATIONAL_SERVICE_H_

#include "common/server/unary_service.h"
#include "services/national/national_logic.h"

namespace qpv::national {

class NationalServiceImpl : public server::UnaryService {
 public:
  // `logic` is not owned.
  explicit NationalServiceImpl(NationalLogic* logic);
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_SERVICE_H_
