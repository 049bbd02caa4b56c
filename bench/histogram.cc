#include "bench/histogram.h"

#include <algorithm>
#include <cmath>

namespace qpv::bench {
namespace {

int BitWidth(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

}  // namespace

int Histogram::BucketOf(int64_t value) {
  if (value < kLinear) return value < 0 ? 0 : static_cast<int>(value);
  // The top kSubBits + 1 bits of the value (32..63) select the sub-bucket;
  // `shift` (>= 1) is the power of two above the linear range.
  const int shift = BitWidth(static_cast<uint64_t>(value)) - (kSubBits + 1);
  const int top = static_cast<int>(value >> shift);
  return kLinear + (shift - 1) * (1 << kSubBits) + (top - (1 << kSubBits));
}

int64_t Histogram::UpperBound(int bucket) {
  if (bucket < kLinear) return bucket;
  const int shift = (bucket - kLinear) / (1 << kSubBits) + 1;
  const int64_t top = (bucket - kLinear) % (1 << kSubBits) + (1 << kSubBits);
  return ((top + 1) << shift) - 1;
}

void Histogram::Record(int64_t value) {
  if (value < 0) value = 0;
  ++counts_[BucketOf(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::Merge(const Histogram& other) {
  for (int i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

int64_t Histogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * count_)));
  int64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(UpperBound(i), max_);
  }
  return max_;
}

}  // namespace qpv::bench
