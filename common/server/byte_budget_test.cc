#include "common/server/byte_budget.h"

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace qpv::server {
namespace {

const absl::Time kNever = absl::InfiniteFuture();
bool NotCancelled() { return false; }

// Runs Acquire on its own thread; admitted() turns true once it holds its
// ticket, which it keeps until Release().
class Waiter {
 public:
  Waiter(ByteBudget* budget, int64_t bytes, absl::Time deadline = kNever,
         std::function<bool()> cancelled = NotCancelled)
      : thread_([=] {
          auto ticket = budget->Acquire(bytes, deadline, cancelled);
          absl::MutexLock lock(&mu_);
          status_ = ticket.status();
          if (ticket.ok()) mu_.Await(absl::Condition(&release_));
        }) {}
  ~Waiter() {
    Release();
    thread_.join();
  }
  // The status of its Acquire, once it returned.
  std::optional<absl::Status> Wait(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(+[](std::optional<absl::Status>* s) { return s->has_value(); },
                                         &status_),
                         d);
    return status_;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    release_ = true;
  }

 private:
  absl::Mutex mu_;
  std::optional<absl::Status> status_ ABSL_GUARDED_BY(mu_);
  bool release_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

TEST(ByteBudget, AdmitsWhatFitsAndQueuesTheRest) {
  ByteBudget budget(10);
  auto a = budget.Acquire(6, kNever, NotCancelled);
  ASSERT_TRUE(a.ok());
  auto b = budget.Acquire(4, kNever, NotCancelled);  // 6 + 4 fits
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(budget.in_use(), 10);
  Waiter c(&budget, 1);
  EXPECT_FALSE(c.Wait(absl::Milliseconds(100)).has_value()) << "admitted past the limit";
  EXPECT_EQ(budget.waiting(), 1);
  { auto gone = std::move(*a); }  // released
  ASSERT_TRUE(c.Wait(absl::Seconds(5)).has_value());
  EXPECT_TRUE(c.Wait(absl::ZeroDuration())->ok());
  EXPECT_EQ(budget.in_use(), 5);
}

TEST(ByteBudget, ARequestLargerThanTheBudgetGoesAlone) {
  ByteBudget budget(10);
  {
    auto small = budget.Acquire(1, kNever, NotCancelled);
    ASSERT_TRUE(small.ok());
    Waiter big(&budget, 25);
    EXPECT_FALSE(big.Wait(absl::Milliseconds(100)).has_value());
    { auto gone = std::move(*small); }
    ASSERT_TRUE(big.Wait(absl::Seconds(5)).has_value());
    EXPECT_EQ(budget.in_use(), 25);
  }
  EXPECT_EQ(budget.in_use(), 0);
}

TEST(ByteBudget, TurnsAreTakenInArrivalOrder) {
  ByteBudget budget(10);
  auto first = budget.Acquire(8, kNever, NotCancelled);
  ASSERT_TRUE(first.ok());
  Waiter big(&budget, 9);  // waits for `first`
  ASSERT_FALSE(big.Wait(absl::Milliseconds(50)).has_value());
  // 8 + 1 would fit, but the big request came first: the small one waits.
  Waiter small(&budget, 1);
  EXPECT_FALSE(small.Wait(absl::Milliseconds(100)).has_value()) << "the big request was overtaken";
  { auto gone = std::move(*first); }
  ASSERT_TRUE(big.Wait(absl::Seconds(5)).has_value());
  ASSERT_TRUE(small.Wait(absl::Seconds(5)).has_value());  // 9 + 1 fits
  EXPECT_EQ(budget.in_use(), 10);
}

TEST(ByteBudget, DeadlineAndCancellationLeaveTheQueue) {
  ByteBudget budget(10);
  auto held = budget.Acquire(10, kNever, NotCancelled);
  ASSERT_TRUE(held.ok());
  auto late = budget.Acquire(5, absl::Now() + absl::Milliseconds(50), NotCancelled);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded);
  std::atomic<bool> cancel{false};
  Waiter cancelled(&budget, 5, kNever, [&] { return cancel.load(); });
  ASSERT_FALSE(cancelled.Wait(absl::Milliseconds(50)).has_value());
  // A request behind the cancelled one gets its turn once that one leaves.
  Waiter behind(&budget, 5);
  cancel = true;
  ASSERT_TRUE(cancelled.Wait(absl::Seconds(5)).has_value());
  EXPECT_EQ(cancelled.Wait(absl::ZeroDuration())->code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(budget.waiting(), 1);
  { auto gone = std::move(*held); }
  ASSERT_TRUE(behind.Wait(absl::Seconds(5)).has_value());
  EXPECT_EQ(budget.waiting(), 0);
}

}  // namespace
}  // namespace qpv::server
