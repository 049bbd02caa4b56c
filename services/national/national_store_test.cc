// The store contract, run against the in-memory fake and the Redis store
// (a private redis-server, flushed before each test).
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "common/territory/territory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/national/figure_cells.h"
#include "services/national/memory_national_store.h"
#include "services/national/national_test_util.h"
#include "services/national/redis_national_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::national {
namespace {

using ::qpv::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

enum class Kind { kMemory, kRedis };

const absl::Time kT0 = absl::FromUnixSeconds(1517900400);

class StoreTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == Kind::kRedis) {
      client_ = qpv::testing::FlushedSharedRedisClient();
      ASSERT_NE(client_, nullptr);
      store_ = std::make_unique<RedisNationalStore>(client_.get());
    } else {
      store_ = std::make_unique<MemoryNationalStore>();
    }
  }

  ApplyResult Apply(const std::string& p, int64_t version, const CellList& cells,
                    const nv1::PrefectureSnapshot& snapshot = nv1::PrefectureSnapshot()) {
    auto r = store_->ApplySnapshot(p, territory::RegionOf(p), version, kT0 + absl::Seconds(version),
                                   snapshot, cells);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : ApplyResult{};
  }

  CellMap Rollup() {
    auto r = store_->Rollup();
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : CellMap{};
  }
  CellMap Cells(const std::string& p) {
    auto r = store_->PrefectureCells(p);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : CellMap{};
  }

  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<NationalStore> store_;
};

TEST_P(StoreTest, EmptyStore) {
  QPV_ASSERT_OK_AND_ASSIGN(int64_t revision, store_->Revision());
  EXPECT_EQ(revision, 0);
  QPV_ASSERT_OK_AND_ASSIGN(StoreIndex index, store_->Index());
  EXPECT_EQ(index.revision, 0);
  EXPECT_THAT(index.versions, IsEmpty());
  QPV_ASSERT_OK_AND_ASSIGN(auto loaded, store_->Load({"59"}));
  EXPECT_THAT(loaded, IsEmpty());
  EXPECT_THAT(Rollup(), IsEmpty());
}

TEST_P(StoreTest, StaleOrRepeatedVersionChangesNothing) {
  std::mt19937 rng(59);
  const nv1::PrefectureSnapshot v5 = testing::RandomSnapshot(rng, "59", 5);
  ApplyResult r = Apply("59", 5, {{"2018-02|*|a", 40}, {"2018-02|*|w", 1}}, v5);
  EXPECT_TRUE(r.applied);
  EXPECT_EQ(r.current_version, 5);
  EXPECT_EQ(r.revision, 1);
  const CellMap rollup = Rollup();
  EXPECT_EQ(rollup, (CellMap{{"32|2018-02|*|a", 40}, {"32|2018-02|*|w", 1}}));

  for (int64_t stale : {5, 4, 1}) {
    r = Apply("59", stale, {{"2018-02|*|a", 999}}, testing::RandomSnapshot(rng, "59", stale));
    EXPECT_FALSE(r.applied) << stale;
    EXPECT_EQ(r.current_version, 5);
    EXPECT_EQ(r.revision, 1);
  }
  EXPECT_EQ(Rollup(), rollup);
  EXPECT_EQ(Cells("59"), (CellMap{{"2018-02|*|a", 40}, {"2018-02|*|w", 1}}));
  QPV_ASSERT_OK_AND_ASSIGN(auto loaded, store_->Load({"59", "62"}));
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].prefecture, "59");
  EXPECT_EQ(loaded[0].version, 5);
  EXPECT_EQ(loaded[0].snapshot, v5.SerializeAsString());
  EXPECT_EQ(loaded[0].receive_time, kT0 + absl::Seconds(5));
  QPV_ASSERT_OK_AND_ASSIGN(StoreIndex index, store_->Index());
  EXPECT_EQ(index.revision, 1);
  EXPECT_EQ(index.versions, (std::map<std::string, int64_t>{{"59", 5}}));
}

TEST_P(StoreTest, OldShareOutNewShareIn) {
  Apply("59", 1, {{"a", 3}, {"b", 2}});
  Apply("62", 1, {{"a", 10}});  // same region (32)
  Apply("13", 1, {{"a", 7}});   // region 93
  EXPECT_EQ(Rollup(), (CellMap{{"32|a", 13}, {"32|b", 2}, {"93|a", 7}}));
  const ApplyResult r = Apply("59", 2, {{"a", 1}, {"c", 4}});
  EXPECT_TRUE(r.applied);
  EXPECT_EQ(r.revision, 4);
  // b went back to 0: the field is gone, not left at 0.
  EXPECT_EQ(Rollup(), (CellMap{{"32|a", 11}, {"32|c", 4}, {"93|a", 7}}));
  EXPECT_EQ(Cells("59"), (CellMap{{"a", 1}, {"c", 4}}));
  // A snapshot with no cells takes its whole share out.
  Apply("62", 2, {});
  EXPECT_EQ(Rollup(), (CellMap{{"32|a", 1}, {"32|c", 4}, {"93|a", 7}}));
}

TEST_P(StoreTest, VersionsCompareAsNumbers) {
  // 9 < 10 < 1e15+: a string comparison would get these wrong.
  EXPECT_TRUE(Apply("59", 9, {{"a", 1}}).applied);
  EXPECT_TRUE(Apply("59", 10, {{"a", 2}}).applied);
  EXPECT_FALSE(Apply("59", 9, {{"a", 3}}).applied);
  const int64_t big = 1717171717171717171LL;  // beyond a double's exact integers
  EXPECT_TRUE(Apply("59", big, {{"a", 4}}).applied);
  EXPECT_FALSE(Apply("59", big - 1, {{"a", 5}}).applied);
  const ApplyResult r = Apply("59", big, {{"a", 6}});
  EXPECT_FALSE(r.applied);
  EXPECT_EQ(r.current_version, big);
  EXPECT_EQ(Rollup(), (CellMap{{"32|a", 4}}));
}

// Many random submissions, in random order, some stale: the rollup is the
// sum of the préfectures' current cells, each from its newest version.
TEST_P(StoreTest, RollupIsTheSumOfCurrentCells) {
  std::mt19937 rng(20180206);
  const std::vector<std::string> codes = {"59", "62", "13", "69", "2A", "971"};
  std::map<std::string, int64_t> newest;
  std::map<std::string, CellMap> expected_cells;
  int applied = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string& p = codes[rng() % codes.size()];
    const int64_t version = 1 + rng() % 40;
    const auto snapshot = testing::RandomSnapshot(rng, p, version);
    const CellList cells = CellFields(AggregateByMonth(ComputeWorkshopCells(snapshot)));
    const ApplyResult r = Apply(p, version, cells, snapshot);
    const bool newer = version > newest[p];
    EXPECT_EQ(r.applied, newer);
    if (newer) {
      ++applied;
      newest[p] = version;
      expected_cells[p] = CellMap(cells.begin(), cells.end());
    }
    EXPECT_EQ(r.current_version, newest[p]);
    EXPECT_EQ(r.revision, applied);
  }
  CellMap sum;
  for (const auto& [p, cells] : expected_cells) {
    EXPECT_EQ(Cells(p), cells) << p;
    for (const auto& [field, value] : cells) {
      sum[absl::StrCat(territory::RegionOf(p), "|", field)] += value;
    }
  }
  for (auto it = sum.begin(); it != sum.end();) it = it->second == 0 ? sum.erase(it) : ++it;
  EXPECT_EQ(Rollup(), sum);
  QPV_ASSERT_OK_AND_ASSIGN(StoreIndex index, store_->Index());
  EXPECT_EQ(index.revision, applied);
  EXPECT_EQ(index.versions, newest);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values(Kind::kMemory, Kind::kRedis),
                         [](const auto& info) {
                           return info.param == Kind::kMemory ? "Memory" : "Redis";
                         });

}  // namespace
}  // namespace qpv::national
