// gRPC status code names as in the spec ("UNAVAILABLE"), for results.
#ifndef QPV_BENCH_STATUS_NAMES_H_
#define QPV_BENCH_STATUS_NAMES_H_

#include <string>

#include "grpcpp/support/status.h"

namespace qpv::bench {

std::string StatusCodeName(grpc::StatusCode code);

}  // namespace qpv::bench

#endif  // QPV_BENCH_STATUS_NAMES_H_
