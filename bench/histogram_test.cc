#include "bench/histogram.h"

#include "gtest/gtest.h"

namespace qpv::bench {
namespace {

TEST(HistogramTest, EmptyHasNoPercentiles) {
  Histogram h;
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.Percentile(0.99), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.mean(), 0);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (int v = 1; v <= 50; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(0.5), 25);
  EXPECT_EQ(h.Percentile(0.9), 45);
  EXPECT_EQ(h.Percentile(1.0), 50);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 50);
  EXPECT_DOUBLE_EQ(h.mean(), 25.5);
}

TEST(HistogramTest, BucketsCoverEveryValueWithinOneThirtySecond) {
  for (int64_t v : {63LL, 64LL, 65LL, 127LL, 128LL, 1000LL, 123456LL, 9876543210LL}) {
    const int b = Histogram::BucketOf(v);
    EXPECT_GE(Histogram::UpperBound(b), v) << v;
    if (b > 0) {
      EXPECT_LT(Histogram::UpperBound(b - 1), v) << v;
    }
    EXPECT_LE(Histogram::UpperBound(b) - v, v / 32 + 1) << v;
  }
  EXPECT_EQ(Histogram::BucketOf(-5), 0);
}

TEST(HistogramTest, BucketsAreContiguous) {
  // Every value falls in the bucket right after the previous one's bound.
  for (int b = 1; b < 1500; ++b) {
    EXPECT_EQ(Histogram::BucketOf(Histogram::UpperBound(b - 1) + 1), b) << b;
  }
}

TEST(HistogramTest, TailPercentilesOfASkewedDistribution) {
  Histogram h;
  for (int i = 0; i < 990; ++i) h.Record(1000);  // 1 ms
  for (int i = 0; i < 9; ++i) h.Record(20000);   // 20 ms
  h.Record(500000);                              // one 500 ms outlier
  EXPECT_NEAR(h.Percentile(0.5), 1000, 1000 / 32);
  EXPECT_NEAR(h.Percentile(0.99), 1000, 1000 / 32);
  EXPECT_NEAR(h.Percentile(0.995), 20000, 20000 / 32);
  EXPECT_EQ(h.Percentile(0.9999), 500000);  // capped at the largest value seen
  EXPECT_EQ(h.count(), 1000);
}

TEST(HistogramTest, MergeAddsCounts) {
  Histogram a, b;
  a.Record(10);
  b.Record(30);
  b.Record(20);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3);
  EXPECT_EQ(a.min(), 10);
  EXPECT_EQ(a.max(), 30);
  EXPECT_EQ(a.Percentile(0.5), 20);
}

}  // namespace
}  // namespace qpv::bench
