#include "bench/proc_cpu.h"

#include <unistd.h>

#include <chrono>

#include "gtest/gtest.h"

namespace qpv::bench {
namespace {

// A real line of /proc/<pid>/stat (fields cut after 20), its name holding a
// space and a parenthesis: utime 250, stime 50 ticks.
constexpr char kStat[] =
    "4242 (qpv (bench) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 3 0 987";

TEST(ProcCpuTest, ParsesUserPlusSystemTime) {
  auto s = ParseProcStat(kStat, 100);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_DOUBLE_EQ(*s, 3.0);
}

TEST(ProcCpuTest, UnreadableLinesAreErrors) {
  EXPECT_FALSE(ParseProcStat("4242 qpv S 1", 100).ok());
  EXPECT_FALSE(ParseProcStat("4242 (qpv) S 1 2 3", 100).ok());
  EXPECT_FALSE(ParseProcStat("4242 (qpv) S 1 4242 4242 0 -1 4194560 1234 0 0 0 x 50", 100).ok());
  EXPECT_FALSE(ParseProcStat(kStat, 0).ok());
}

TEST(ProcCpuTest, ThisProcessTimeGrowsWithWork) {
  auto before = ReadProcCpuSeconds(getpid());
  ASSERT_TRUE(before.ok()) << before.status();
  // Burn CPU until the tick-based counter moves (at most ~2 s).
  volatile uint64_t sink = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  double now = *before;
  while (now <= *before && std::chrono::steady_clock::now() < until) {
    for (int i = 0; i < 1000000; ++i) sink = sink + i;
    now = ReadProcCpuSeconds(getpid()).value_or(*before);
  }
  EXPECT_GT(now, *before);
  EXPECT_EQ(ReadProcCpuSeconds(-1).status().code(), absl::StatusCode::kNotFound);
}

TEST(ProcCpuTest, PerCallIsTheDeltaOverCalls) {
  auto per = CpuPerCall({{"server", 1.0}, {"redis", 2.0}, {"gone", 1.0}},
                        {{"server", 1.5}, {"redis", 2.1}}, 1000);
  ASSERT_EQ(per.size(), 2u);
  EXPECT_NEAR(per["server"], 500.0, 1e-9);
  EXPECT_NEAR(per["redis"], 100.0, 1e-9);
  EXPECT_TRUE(CpuPerCall({{"a", 1}}, {{"a", 2}}, 0).empty());
}

}  // namespace
}  // namespace qpv::bench
