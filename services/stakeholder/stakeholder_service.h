// The gRPC edge of qpv.stakeholder.v1.StakeholderService: each method decodes
// its request (server::UnaryService), calls StakeholderLogic (which validates
// and does the work) and maps the result with ToGrpcStatus(…, "stakeholder").
// Failures below this edge name resources, never people, so logging them
// leaks no personal data.
#ifndef QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_SERVICE_H_
#define QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_SERVICE_H_

#include "common/server/unary_service.h"
#include "services/stakeholder/stakeholder_logic.h"

namespace qpv::stakeholder {

class StakeholderServiceImpl : public server::UnaryService {
 public:
  // `logic` is not owned.
  explicit StakeholderServiceImpl(StakeholderLogic* logic);
};

}  // namespace qpv::stakeholder

#endif  // QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_SERVICE_H_
