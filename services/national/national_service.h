// The gRPC edge of qpv.national.v1.NationalAggregationService: unary methods
// through server::UnaryService, WatchNationalDashboard as a server stream
// (AddServerStream), all mapped with ToGrpcStatus(…, "national").
#ifndef QPV_SERVICES_NATIONAL_NATIONAL_SERVICE_H_
#define QPV_SERVICES_NATIONAL_NATIONAL_SERVICE_H_

#include <cstdint>

#include "common/server/byte_budget.h"
#include "common/server/unary_service.h"
#include "services/national/national_logic.h"

namespace qpv::national {

// Snapshot bytes handled at once by SubmitPrefectureSnapshot (parsed,
// validated, stored, turned into a view entry): a snapshot costs ~3x its
// size while it is handled (its parse, 2.3x, then beside it the store's
// Redis command; its request bytes are freed once parsed), and the store
// runs one snapshot script at a time anyway, so a burst of big snapshots
// queues instead of adding up.
inline constexpr int64_t kSubmitBudgetBytes = 8 << 20;

class NationalServiceImpl : public server::UnaryService {
 public:
  // `logic` is not owned.
  explicit NationalServiceImpl(NationalLogic* logic,
                               int64_t submit_budget_bytes = kSubmitBudgetBytes);

 private:
  server::ByteBudget submit_budget_;
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_SERVICE_H_
