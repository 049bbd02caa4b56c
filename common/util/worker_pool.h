// WorkerPool: a fixed set of threads that run the tasks given to them in
// order. For the blocking part of a method served on gRPC's callback API: its
// fast path answers on the callback thread, and what must wait (several
// round trips to peers) is handed to a worker instead of stalling one of the
// few threads that read every call.
#ifndef QPV_COMMON_UTIL_WORKER_POOL_H_
#define QPV_COMMON_UTIL_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace qpv::util {

class WorkerPool {
 public:
  // Starts `threads` workers (at least one).
  explicit WorkerPool(size_t threads);
  // Runs every task already given, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; a free worker runs it.
  void Run(std::function<void()> task);

  // Tasks queued and not yet started.
  size_t queued() const;

 private:
  void Work();

  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace qpv::util

#endif  // QPV_COMMON_UTIL_WORKER_POOL_H_
