#include "common/util/worker_pool.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace qpv::util {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnItsWorkers) {
  absl::Mutex mu;
  std::set<std::thread::id> threads;
  std::atomic<int> ran{0};
  {
    WorkerPool pool(3);
    absl::BlockingCounter done(300);
    for (int i = 0; i < 300; ++i) {
      pool.Run([&] {
        {
          absl::MutexLock lock(&mu);
          threads.insert(std::this_thread::get_id());
        }
        ran.fetch_add(1);
        done.DecrementCount();
      });
    }
    done.Wait();
  }
  EXPECT_EQ(ran.load(), 300);
  EXPECT_LE(threads.size(), 3u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

// Tasks wait while every worker is busy, and are all run before the pool
// is gone.
TEST(WorkerPoolTest, QueuedTasksRunBeforeDestruction) {
  absl::Notification release;
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2);
    for (int i = 0; i < 2; ++i) pool.Run([&] { release.WaitForNotification(); });
    for (int i = 0; i < 10; ++i) pool.Run([&] { ran.fetch_add(1); });
    // Both workers hold a blocked task (it may take them a moment to start).
    for (int i = 0; i < 1000 && pool.queued() != 10; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(pool.queued(), 10u);
    EXPECT_EQ(ran.load(), 0);
    release.Notify();
  }
  EXPECT_EQ(ran.load(), 10);
}

}  // namespace
}  // namespace qpv::util
