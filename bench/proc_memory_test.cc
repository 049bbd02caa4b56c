#include "bench/proc_memory.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace qpv::bench {
namespace {

TEST(ProcMemoryTest, ParsesRssAndPeak) {
  auto m = ParseProcStatus("Name:\tqpv-national\nVmHWM:\t  123456 kB\nVmRSS:\t   65432 kB\n");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->rss_kb, 65432);
  EXPECT_EQ(m->hwm_kb, 123456);
}

TEST(ProcMemoryTest, MissingOrUnreadableLinesAreErrors) {
  EXPECT_FALSE(ParseProcStatus("Name:\tx\nVmRSS:\t1 kB\n").ok());
  EXPECT_FALSE(ParseProcStatus("VmHWM:\tlots kB\nVmRSS:\t1 kB\n").ok());
}

TEST(ProcMemoryTest, ReadsThisProcess) {
  auto m = ReadProcMemory(getpid());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_GT(m->rss_kb, 0);
  EXPECT_GE(m->hwm_kb, m->rss_kb);
}

}  // namespace
}  // namespace qpv::bench
