// Process-wide drain state. On SIGTERM, Serve starts draining: calls already
// in a handler finish, new calls are refused with UNAVAILABLE (retryable, on
// another instance) instead of being cut off by gRPC's shutdown, which would
// cancel calls it has accepted but not yet handed to a thread.
#ifndef QPV_COMMON_SERVER_DRAIN_H_
#define QPV_COMMON_SERVER_DRAIN_H_

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"

namespace qpv::server {

class Drain {
 public:
  Drain() = default;
  static Drain& Get();

  // Counts a call in; false (and counted out again) while draining.
  bool Enter();
  void Exit();

  void Start() { draining_.store(true); }
  bool draining() const { return draining_.load(); }

  // Waits until no call is in a handler and none started for `quiet`, or
  // until `deadline`. True when idle.
  bool WaitIdle(absl::Time deadline, absl::Duration quiet);

 private:
  std::atomic<bool> draining_{false};
  std::atomic<int> in_flight_{0};
  std::atomic<int64_t> last_start_ns_{0};
};

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_DRAIN_H_
