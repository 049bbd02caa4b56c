#include "common/server/malloc_tuning.h"

#include "gtest/gtest.h"

namespace qpv::server {
namespace {

TEST(MallocTuningTest, TurnsTheThreadCacheOffWhenNothingIsSet) {
  EXPECT_EQ(TunablesFor(nullptr), "glibc.malloc.tcache_count=0");
  EXPECT_EQ(TunablesFor(""), "glibc.malloc.tcache_count=0");
}

TEST(MallocTuningTest, KeepsTheOperatorsOtherTunables) {
  EXPECT_EQ(TunablesFor("glibc.malloc.check=3"),
            "glibc.malloc.check=3:glibc.malloc.tcache_count=0");
}

TEST(MallocTuningTest, LeavesAThreadCacheTheOperatorSetAsItIs) {
  EXPECT_EQ(TunablesFor("glibc.malloc.tcache_count=7"), "");
  EXPECT_EQ(TunablesFor("glibc.malloc.check=3:glibc.malloc.tcache_count=2"), "");
}

}  // namespace
}  // namespace qpv::server
