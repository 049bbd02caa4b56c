#include "common/util/versioned_cache.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace qpv::util {
namespace {

TEST(VersionedCacheTest, AValueIsServedAtItsVersionOnlyAndReplacedByTheNextRead) {
  VersionedCache<std::string> cache(1 << 20);
  EXPECT_EQ(cache.Find("w1", "3"), nullptr);
  cache.Put("w1", "3", std::make_shared<const std::string>("at 3"), 4);
  ASSERT_NE(cache.Find("w1", "3"), nullptr);
  EXPECT_EQ(*cache.Find("w1", "3"), "at 3");
  EXPECT_EQ(cache.Find("w1", "4"), nullptr);
  EXPECT_EQ(cache.Find("w2", "3"), nullptr);
  const size_t one = cache.stats().bytes;
  cache.Put("w1", "4", std::make_shared<const std::string>("at 4"), 4);
  EXPECT_EQ(cache.Find("w1", "3"), nullptr);
  EXPECT_EQ(*cache.Find("w1", "4"), "at 4");
  const auto s = cache.stats();
  EXPECT_EQ(s.entries, 1u);
  EXPECT_EQ(s.bytes, one);  // the first value's bytes were given back
  EXPECT_EQ(s.hits, 3);
  EXPECT_EQ(s.misses, 4);
}

TEST(VersionedCacheTest, TheBudgetHoldsAndAnOversizedValueIsNotKept) {
  VersionedCache<std::string> cache(10'000);
  for (int i = 0; i < 100; ++i) {
    cache.Put("k" + std::to_string(i), "1", std::make_shared<const std::string>(), 1'000);
    EXPECT_LE(cache.stats().bytes, 10'000u);
  }
  EXPECT_GE(cache.stats().entries, 5u);
  EXPECT_NE(cache.Find("k99", "1"), nullptr);  // the last one put is kept
  const size_t entries = cache.stats().entries;
  cache.Put("big", "1", std::make_shared<const std::string>(), 20'000);
  EXPECT_EQ(cache.Find("big", "1"), nullptr);
  EXPECT_EQ(cache.stats().entries, entries);
}

}  // namespace
}  // namespace qpv::util
