#include "common/server/drain.h"

#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace qpv::server {
namespace {

TEST(Drain, RefusesNewCallsAndWaitsForRunningOnes) {
  Drain drain;
  ASSERT_TRUE(drain.Enter());  // a call in a handler
  drain.Start();
  EXPECT_FALSE(drain.Enter());  // refused, and not counted
  // Not idle while the first call runs.
  EXPECT_FALSE(drain.WaitIdle(absl::Now() + absl::Milliseconds(50), absl::ZeroDuration()));
  std::thread finisher([&] {
    absl::SleepFor(absl::Milliseconds(30));
    drain.Exit();
  });
  EXPECT_TRUE(drain.WaitIdle(absl::Now() + absl::Seconds(5), absl::Milliseconds(20)));
  finisher.join();
}

}  // namespace
}  // namespace qpv::server
