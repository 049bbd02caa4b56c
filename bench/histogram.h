// A latency histogram in HdrHistogram's log-linear layout (our own small
// code): exact below 64 us, then 32 linear sub-buckets per power of two, so
// any recorded value is known within 1/32 (about 3%). Recording is a few
// shifts and an increment; each polling thread keeps its own and they are
// merged at the end.
#ifndef QPV_BENCH_HISTOGRAM_H_
#define QPV_BENCH_HISTOGRAM_H_

#include <array>
#include <cstdint>

namespace qpv::bench {

class Histogram {
 public:
  // Records one value (microseconds). Negative values count as 0.
  void Record(int64_t value);
  void Merge(const Histogram& other);

  int64_t count() const { return count_; }
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / count_; }

  // The smallest value v such that at least a fraction q (0..1] of the
  // recorded values are <= v, within the bucket precision (never above the
  // largest value recorded). 0 when empty.
  int64_t Percentile(double q) const;

  // Bucket layout, public for the tests.
  static int BucketOf(int64_t value);
  // The largest value that falls in `bucket`.
  static int64_t UpperBound(int bucket);

 private:
  static constexpr int kSubBits = 5;             // 32 sub-buckets per power of two
  static constexpr int kLinear = 2 << kSubBits;  // 0..63 are exact
  static constexpr int kBuckets = kLinear + (62 - kSubBits) * (1 << kSubBits);

  std::array<int64_t, kBuckets> counts_{};
  int64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t min_ = INT64_MAX;
  int64_t max_ = 0;
};

}  // namespace qpv::bench

#endif  // QPV_BENCH_HISTOGRAM_H_
