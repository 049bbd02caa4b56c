// The gRPC edge of qpv.workshop.v1.WorkshopService: each method decodes its
// request (server::UnaryService), calls WorkshopLogic with the call's deadline
// and maps the result with ToGrpcStatus(…, "workshop").
#ifndef QPV_SERVICES_WORKSHOP_WORKSHOP_SERVICE_H_
#define QPV_SERVICES_WORKSHOP_WORKSHOP_SERVICE_H_

#include "common/server/unary_service.h"
#include "services/workshop/workshop_logic.h"

namespace qpv::workshop {

class WorkshopServiceImpl : public server::UnaryService {
 public:
  // `logic` is not owned.
  explicit WorkshopServiceImpl(WorkshopLogic* logic);
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_WORKSHOP_SERVICE_H_
