// The shingle sets of a good-practice grouping (good_practices.h), held
// compactly for its exact comparisons.
#ifndef QPV_SERVICES_NATIONAL_SHINGLE_POOL_H_
#define QPV_SERVICES_NATIONAL_SHINGLE_POOL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace qpv::national {

// One préfecture's shingle sets in one array (a vector per set cost ~40
// bytes more each, and the préfecture's sets were copied once more to be
// encoded): set k is values[begin[k], begin[k + 1]).
struct FlatSets {
  std::vector<uint32_t> values;
  std::vector<uint32_t> begin;
  size_t size() const { return begin.empty() ? 0 : begin.size() - 1; }
  const uint32_t* data(size_t k) const { return values.data() + begin[k]; }
  uint32_t count(size_t k) const { return begin[k + 1] - begin[k]; }
};

// The shingle sets of a grouping, by source index. A shingle is a 32-bit
// hash (a collision shifts one pair's similarity by ~1/130, once in
// millions of pairs), stored as a 16-bit id when it is among the first
// 65,536 distinct shingles seen (every shingle of the bench's national
// dataset, whose vocabulary is ~23,000), else above every id: the ids and
// the other shingles never collide, and a shingle keeps one value
// throughout, so that intersections are those of the hashes.
//
// A set is its sorted values as differences from the previous one, in 1
// byte under 128, else 2 under 32,767, else 6. Ids come in the order
// shingles are first seen, so the frequent ones are small and close
// together: at national scale 83% of the differences fit one byte, and
// 13.1 million shingles take 14.6 MiB, against 25 MiB as 16-bit ids. One
// array per préfecture, sized to fit: one array for every set grew by
// doubling and, while growing, held its old and new copies at once.
class ShinglePool {
 public:
  explicit ShinglePool(size_t n) : begin_(n, nullptr), size_(n, 0) {}

  // The sets of `indexes` (one préfecture's, each sorted and unique): set k
  // is sets.values[sets.begin[k], sets.begin[k + 1]), made values in place.
  void Add(const std::vector<uint32_t>& indexes, FlatSets& sets);
  // Once every set is added: frees what only Add needs (the dictionary's
  // map and Add's buffers, ~2 MiB at national scale, at the grouping's
  // peak). Add must not be called after.
  void Seal();
  bool empty(uint32_t i) const { return size(i) == 0; }
  uint32_t size(uint32_t i) const { return size_[i]; }

  // Set i's values, sorted.
  void Decode(uint32_t i, std::vector<uint32_t>& out) const {
    out.resize(size(i));
    uint32_t* o = out.data();
    Walk(i, [&](uint32_t v) { *o++ = v; });
  }

  // f(value, shingle) for each shingle of set i. A shingle stored above the
  // ids comes back as itself, but for the last 65,536 hashes (one in 65,536),
  // which come back as another fixed hash.
  template <typename F>
  void ForEach(uint32_t i, F&& f) const {
    Walk(i, [&](uint32_t v) { f(v, Shingle(v)); });
  }
  // The shingle of a value of a set (as ForEach gives it).
  uint32_t Shingle(uint32_t v) const { return v < kIds ? shingle_of_id_[v] : v - kIds; }

  // Identical sets hash alike.
  uint64_t SetHash(uint32_t i) const {
    uint64_t h = 0x6a09e667f3bcc909ULL;
    Walk(i, [&](uint32_t v) { h = (h ^ v) * 0x100000001b3ULL + (h >> 29); });
    return h ^ size(i);
  }

  // False when sets a and b are too different in size to be alike.
  bool SizesAllow(uint32_t a, uint32_t b, double threshold) const {
    const uint32_t na = size(a), nb = size(b);
    return (na != 0 || nb != 0) && std::min(na, nb) >= Need(na, nb, threshold);
  }

  // Jaccard(x, y) >= threshold, stopping as soon as the answer is known:
  // it cannot hold once the common part so far plus what is left of the
  // shorter side falls below Need.
  static bool Alike(const std::vector<uint32_t>& xs, const std::vector<uint32_t>& ys,
                    double threshold) {
    const uint32_t* x = xs.data();
    const uint32_t* y = ys.data();
    const auto nx = static_cast<uint32_t>(xs.size()), ny = static_cast<uint32_t>(ys.size());
    if (nx == 0 && ny == 0) return false;
    const uint32_t need = Need(nx, ny, threshold);
    // A branch-free merge (most pairs compared are not alike: their
    // branches would mispredict), checking every 16 steps whether `need`
    // is still within reach.
    uint32_t i = 0, j = 0, common = 0;
    while (i < nx && j < ny) {
      for (int step = 0; step < 16 && i < nx && j < ny; ++step) {
        const uint32_t u = x[i], v = y[j];
        common += u == v;
        i += u <= v;
        j += v <= u;
      }
      if (common + std::min(nx - i, ny - j) < need) return false;
    }
    return static_cast<double>(common) / static_cast<double>(nx + ny - common) >= threshold;
  }

 private:
  static constexpr uint32_t kIds = 1u << 16;
  // A difference takes 1 byte under 0x80, else 2 (high bit set) under
  // kEscape, else 0xffff and 4 bytes.
  static constexpr uint32_t kEscape = 0x7fff;

  static uint32_t Wide(uint32_t x) { return kIds + x % (UINT32_MAX - kIds + 1); }

  // A set's shingles become its values, sorted: ids for shingles in the
  // dictionary (added while there is room), the others above every id.
  void Encode(uint32_t* first, uint32_t* last);

  // f(value) for each value of set i, in order. Without a branch on the
  // length of each difference: one in six takes two bytes, and with the
  // branch (mispredicted) the grouping took ~20% longer.
  template <typename F>
  void Walk(uint32_t i, F&& f) const {
    const uint8_t* p = begin_[i];
    uint32_t v = 0;
    for (uint32_t k = 0, n = size(i); k < n; ++k) {
      uint32_t d = Next(p);
      if (d == kEscape) {  // rare: a difference of 32,767 or more, in 4 bytes
        d = 0;
        for (int b = 0; b < 4; ++b) d |= static_cast<uint32_t>(p[b]) << (8 * b);
        p += 4;
      }
      v += d;
      f(v);
    }
  }

  // The difference at p (kEscape for one in 4 bytes after it), and p moved
  // past its 1 or 2 bytes.
  static uint32_t Next(const uint8_t*& p) {
    const uint32_t b0 = p[0], b1 = p[1];
    const uint32_t two = b0 >> 7;
    p += 1 + two;
    return two ? ((b0 & 0x7f) << 8 | b1) : b0;
  }

  // The smallest common part of sets of nx and ny values that can reach the
  // threshold (with s = nx + ny, Jaccard >= t when c >= t * s / (1 + t)),
  // rounded down so that rounding never refuses what Jaccard accepts.
  static uint32_t Need(size_t nx, size_t ny, double threshold) {
    return static_cast<uint32_t>(threshold * static_cast<double>(nx + ny) / (1 + threshold) -
                                 1e-9);
  }

  absl::flat_hash_map<uint32_t, uint16_t> ids_;  // shingle -> id, the first 65,536 seen
  std::vector<uint32_t> shingle_of_id_;
  std::vector<std::vector<uint8_t>> blocks_;  // per préfecture
  std::vector<const uint8_t*> begin_;
  std::vector<uint32_t> size_;  // values in the set
  std::vector<uint8_t> scratch_;  // Add's, reused
  std::vector<size_t> offsets_;
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_SHINGLE_POOL_H_
