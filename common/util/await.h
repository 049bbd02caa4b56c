// Await: the blocking form of an asynchronous call, so a class keeps one
// code path for both (its blocking method awaits its asynchronous one).
//
//   absl::StatusOr<Contribution> c = util::Await<Contribution>(
//       [&](auto done) { store.CreateContributionAsync(..., std::move(done)); });
//
// `start` is given the callback to complete; it may call it on any thread,
// before returning or later. Never await on a thread the completion itself
// needs (a Redis connection's leader awaiting a call queued behind it).
#ifndef QPV_COMMON_UTIL_AWAIT_H_
#define QPV_COMMON_UTIL_AWAIT_H_

#include <functional>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"

namespace qpv::util {

template <typename T, typename Start>
absl::StatusOr<T> Await(Start&& start) {
  absl::Notification finished;
  std::optional<absl::StatusOr<T>> result;
  std::function<void(absl::StatusOr<T>)> done = [&](absl::StatusOr<T> r) {
    result.emplace(std::move(r));
    finished.Notify();
  };
  start(std::move(done));
  finished.WaitForNotification();
  return *std::move(result);
}

}  // namespace qpv::util

#endif  // QPV_COMMON_UTIL_AWAIT_H_
