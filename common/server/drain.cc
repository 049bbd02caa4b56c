#include "common/server/drain.h"

#include "absl/time/clock.h"

namespace qpv::server {

Drain& Drain::Get() {
  static Drain drain;
  return drain;
}

bool Drain::Enter() {
  // Counted before the check, so WaitIdle never misses a call that passed it.
  in_flight_.fetch_add(1);
  last_start_ns_.store(absl::GetCurrentTimeNanos());
  if (draining_.load()) {
    Exit();
    return false;
  }
  return true;
}

void Drain::Exit() { in_flight_.fetch_sub(1); }

bool Drain::WaitIdle(absl::Time deadline, absl::Duration quiet) {
  while (absl::Now() < deadline) {
    const absl::Time last = absl::FromUnixNanos(last_start_ns_.load());
    if (in_flight_.load() == 0 && absl::Now() - last >= quiet) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return in_flight_.load() == 0;
}

}  // namespace qpv::server
