// The grouping's compact shingle sets: what goes in comes back, past the
// 65,536 ids and across differences of every width.
#include "services/national/shingle_pool.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "gtest/gtest.h"

namespace qpv::national {
namespace {

// Sorted unique shingles, below the last 65,536 hashes (which come back as
// another fixed hash, see ShinglePool::ForEach).
std::vector<uint32_t> RandomSet(std::mt19937& rng, const std::vector<uint32_t>& from, int n) {
  std::vector<uint32_t> set;
  for (int k = 0; k < n; ++k) set.push_back(from[rng() % from.size()]);
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return set;
}

double Jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  return static_cast<double>(common.size()) / (a.size() + b.size() - common.size());
}

class ShinglePoolTest : public ::testing::Test {
 protected:
  // Adds `sets` as one préfecture's, as sources first, first + 1, ...
  void Add(ShinglePool& pool, uint32_t first, const std::vector<std::vector<uint32_t>>& sets) {
    std::vector<uint32_t> indexes(sets.size());
    std::iota(indexes.begin(), indexes.end(), first);
    FlatSets flat;
    flat.begin.push_back(0);
    for (const auto& set : sets) {
      flat.values.insert(flat.values.end(), set.begin(), set.end());
      flat.begin.push_back(static_cast<uint32_t>(flat.values.size()));
    }
    pool.Add(indexes, flat);
  }

  static std::vector<uint32_t> ShinglesOf(const ShinglePool& pool, uint32_t i) {
    std::vector<uint32_t> out;
    pool.ForEach(i, [&](uint32_t, uint32_t shingle) { out.push_back(shingle); });
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(ShinglePoolTest, SetsComeBackPastTheIdsAndAcrossEveryWidth) {
  std::mt19937 rng(7);
  std::vector<uint32_t> vocabulary(100000);
  for (auto& x : vocabulary) x = rng() % (UINT32_MAX - (1u << 17));
  // The first préfecture: 2,400 sets, each 45 shingles of a sliding window
  // (neighbours share 15) and 3 from anywhere. Its 72,000 distinct
  // shingles fill the 65,536 ids: its last sets hold ids and wide values.
  std::vector<std::vector<uint32_t>> first, second;
  for (int k = 0; k < 2400; ++k) {
    std::vector<uint32_t> set(vocabulary.begin() + 30 * k, vocabulary.begin() + 30 * k + 45);
    for (int e = 0; e < 3; ++e) set.push_back(vocabulary[rng() % vocabulary.size()]);
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    first.push_back(set);
  }
  // The second: rewordings of 100 of the first's sets (5 shingles out, 5
  // never seen in), random sets, an earlier set again and an empty one.
  for (int k = 0; k < 100; ++k) {
    std::vector<uint32_t> set = first[24 * k];
    set.erase(set.begin(), set.begin() + 5);
    for (int e = 0; e < 5; ++e) set.push_back(vocabulary[80000 + rng() % 20000]);
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    second.push_back(set);
  }
  for (int k = 0; k < 100; ++k) second.push_back(RandomSet(rng, vocabulary, 60));
  second.push_back(first[5]);
  second.push_back({});
  ShinglePool pool(first.size() + second.size());
  Add(pool, 0, first);
  const auto offset = static_cast<uint32_t>(first.size());
  Add(pool, offset, second);
  std::vector<std::vector<uint32_t>> all = first;
  all.insert(all.end(), second.begin(), second.end());
  std::vector<uint32_t> values;
  for (uint32_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(ShinglesOf(pool, i), all[i]) << "set " << i;
    pool.Decode(i, values);
    EXPECT_EQ(values.size(), all[i].size());
    EXPECT_TRUE(std::is_sorted(values.begin(), values.end()));
  }
  const auto last = static_cast<uint32_t>(all.size() - 1);
  EXPECT_TRUE(pool.empty(last));
  EXPECT_EQ(pool.SetHash(5), pool.SetHash(last - 1));
  EXPECT_NE(pool.SetHash(5), pool.SetHash(6));
  // Alike agrees with the Jaccard of the shingles: neighbours (0.2),
  // rewordings (~0.8) and random sets (~0), of ids, wide values or both.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (uint32_t a = 0; a + 1 < offset; a += 13) pairs.push_back({a, a + 1});
  for (uint32_t k = 0; k < 100; ++k) pairs.push_back({24 * k, offset + k});
  for (uint32_t k = 100; k < 200; ++k) pairs.push_back({24 * (k - 100), offset + k});
  std::vector<uint32_t> x, y;
  int counts[2][2] = {};  // [threshold][alike]
  for (const auto& [a, b] : pairs) {
    pool.Decode(a, x);
    pool.Decode(b, y);
    for (int t = 0; t < 2; ++t) {
      const double threshold = t == 0 ? 0.1 : 0.4;
      const bool expected = Jaccard(all[a], all[b]) >= threshold;
      EXPECT_EQ(pool.SizesAllow(a, b, threshold) && ShinglePool::Alike(x, y, threshold), expected)
          << a << " ~ " << b << " at " << threshold;
      ++counts[t][expected];
    }
  }
  // Both answers were met at both thresholds.
  for (const auto& c : counts) EXPECT_GT(std::min(c[0], c[1]), 50);
}

}  // namespace
}  // namespace qpv::national
