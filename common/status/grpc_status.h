// The one place where absl::Status becomes grpc::Status (AIP-193).
#ifndef QPV_COMMON_STATUS_GRPC_STATUS_H_
#define QPV_COMMON_STATUS_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace qpv {

// Maps the code, keeps the message, and packs a google.rpc.Status with an
// ErrorInfo (reason, domain "<service>.qpv.gouv.fr") and, for bad input, a
// BadRequest into grpc-status-details-bin. INTERNAL and UNKNOWN messages are
// replaced by a generic one: implementation details are logged, not returned.
grpc::Status ToGrpcStatus(const absl::Status& status, absl::string_view service);

// The code's name as in the gRPC spec ("UNAVAILABLE"); "CODE_<n>" for a code
// outside it. Used by metrics labels, qpvctl and the benchmark's results.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace qpv

#endif  // QPV_COMMON_STATUS_GRPC_STATUS_H_
