// Waits for servers to report SERVING on grpc.health.v1.Health, so
// bench/run.sh needs no other gRPC client to know the stack is up.
#ifndef QPV_BENCH_HEALTH_WAIT_H_
#define QPV_BENCH_HEALTH_WAIT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace qpv::bench {

// OK once every address answered SERVING; DEADLINE_EXCEEDED naming the
// first one that did not within `timeout` (and its last answer).
absl::Status WaitServing(const std::vector<std::string>& addresses, absl::Duration timeout);

}  // namespace qpv::bench

#endif  // QPV_BENCH_HEALTH_WAIT_H_
