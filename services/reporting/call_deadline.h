// The deadline of the incoming call a thread is serving, for the calls
// reporting makes to its peers through WorkshopSource (whose methods take no
// deadline). The logic opens a ScopedCallDeadline around its work; the gRPC
// source reads CurrentCallDeadline() and uses the sooner of it and its own
// timeout. Scopes nest: an inner scope never extends an outer one.
// Header-only, so fakes that read it need no library.
#ifndef QPV_SERVICES_REPORTING_CALL_DEADLINE_H_
#define QPV_SERVICES_REPORTING_CALL_DEADLINE_H_

#include <algorithm>

#include "absl/time/time.h"

namespace qpv::reporting {

namespace internal {
inline thread_local absl::Time call_deadline = absl::InfiniteFuture();
}  // namespace internal

class ScopedCallDeadline {
 public:
  explicit ScopedCallDeadline(absl::Time deadline) : previous_(internal::call_deadline) {
    internal::call_deadline = std::min(previous_, deadline);
  }
  ~ScopedCallDeadline() { internal::call_deadline = previous_; }
  ScopedCallDeadline(const ScopedCallDeadline&) = delete;
  ScopedCallDeadline& operator=(const ScopedCallDeadline&) = delete;

 private:
  const absl::Time previous_;
};

// The innermost scope's deadline on this thread; InfiniteFuture outside any.
inline absl::Time CurrentCallDeadline() { return internal::call_deadline; }

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_CALL_DEADLINE_H_
