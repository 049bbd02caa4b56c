// One contract suite for every ReportCache: the in-memory fake and the Redis
// cache (on the shared private redis-server, flushed per test), plus what
// only Redis has (key layout, unreadable entries, Redis down).
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/memory_report_cache.h"
#include "services/reporting/redis_report_cache.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::UnorderedElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1518512400);

v1::WorkshopReport Report(const std::string& name, int64_t revision, absl::Time as_of = kNow,
                          const std::string& title = "Atelier") {
  v1::WorkshopReport r;
  r.set_workshop(name);
  r.set_title(title);
  r.set_workshop_revision(revision);
  r.set_attended_count(revision * 2);
  *r.mutable_as_of_time() = ToProto(as_of);
  return r;
}

class CacheFactory {
 public:
  virtual ~CacheFactory() = default;
  virtual ReportCache* Make() = 0;
};

class MemoryFactory : public CacheFactory {
 public:
  ReportCache* Make() override {
    cache_ = std::make_unique<MemoryReportCache>();
    return cache_.get();
  }

 private:
  std::unique_ptr<MemoryReportCache> cache_;
};

class RedisFactory : public CacheFactory {
 public:
  ReportCache* Make() override {
    client_ = qpv::testing::FlushedSharedRedisClient();
    cache_ = std::make_unique<RedisReportCache>(client_.get());
    return cache_.get();
  }
  redis::RedisClient* client() { return client_.get(); }

 private:
  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<RedisReportCache> cache_;
};

using FactoryMaker = std::unique_ptr<CacheFactory> (*)();

class ReportCacheContract : public ::testing::TestWithParam<FactoryMaker> {
 protected:
  void SetUp() override {
    factory_ = GetParam()();
    cache_ = factory_->Make();
  }
  std::unique_ptr<CacheFactory> factory_;
  ReportCache* cache_ = nullptr;
};

TEST_P(ReportCacheContract, AbsentIsNullopt) {
  auto got = cache_->Get("prefectures/59/workshops/w1");
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_value());
}

TEST_P(ReportCacheContract, PutThenGetKeepsTheWholeReport) {
  ASSERT_THAT(cache_->Put(Report("prefectures/59/workshops/w1", 4)), IsOk());
  auto got = cache_->Get("prefectures/59/workshops/w1");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->workshop(), "prefectures/59/workshops/w1");
  EXPECT_EQ((*got)->workshop_revision(), 4);
  EXPECT_EQ((*got)->attended_count(), 8);
  EXPECT_EQ(FromProto((*got)->as_of_time()), kNow);
}

TEST_P(ReportCacheContract, AbsentHasNoWireForm) {
  auto got = cache_->GetWire("prefectures/59/workshops/w1");
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_value());
}

// The wire form is the report without its as-of time, kept with what
// decides whether it is current; stamped, it reads back as the whole report.
TEST_P(ReportCacheContract, TheWireFormStampedIsTheReportAsOfThen) {
  v1::WorkshopReport report = Report("prefectures/59/workshops/w1", 4);
  auto* r = report.add_representation();
  r->set_category(common::v1::ACTOR_CATEGORY_ASSOCIATION);
  r->set_target_share(0.25);
  ASSERT_THAT(cache_->Put(report), IsOk());
  auto got = cache_->GetWire("prefectures/59/workshops/w1");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  const WireReport& wire = **got;
  EXPECT_EQ(wire.revision, 4);
  EXPECT_EQ(wire.target, TargetFingerprint({{common::v1::ACTOR_CATEGORY_ASSOCIATION, 0.25}}));
  EXPECT_EQ(wire.as_of, kNow);
  v1::WorkshopReport bare;
  ASSERT_TRUE(bare.ParseFromString(wire.bytes));
  EXPECT_FALSE(bare.has_as_of_time());

  // Nanoseconds 0 too: the stamp sets the field, it does not merge into one.
  for (absl::Time later : {kNow + absl::Nanoseconds(1500), kNow + absl::Seconds(3)}) {
    v1::WorkshopReport stamped;
    ASSERT_TRUE(stamped.ParseFromString(CurrentAsOf(wire, later)));
    v1::WorkshopReport expected = report;
    *expected.mutable_as_of_time() = ToProto(later);
    EXPECT_EQ(stamped.SerializeAsString(), expected.SerializeAsString());
  }
  auto parsed = ParseWire(wire);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->SerializeAsString(), report.SerializeAsString());
}

TEST_P(ReportCacheContract, AnOlderRevisionNeverOverwritesANewerOne) {
  const std::string w = "prefectures/59/workshops/w1";
  ASSERT_THAT(cache_->Put(Report(w, 5, kNow, "five")), IsOk());
  ASSERT_THAT(cache_->Put(Report(w, 4, kNow + absl::Minutes(1), "four")), IsOk());
  EXPECT_EQ((*cache_->Get(w))->title(), "five");
  // The same revision again (a later build) and a newer one do replace it.
  ASSERT_THAT(cache_->Put(Report(w, 5, kNow + absl::Minutes(2), "five again")), IsOk());
  EXPECT_EQ((*cache_->Get(w))->title(), "five again");
  ASSERT_THAT(cache_->Put(Report(w, 6, kNow + absl::Minutes(3), "six")), IsOk());
  EXPECT_EQ((*cache_->Get(w))->title(), "six");
}

TEST_P(ReportCacheContract, GetManyInTheOrderAsked) {
  ASSERT_THAT(cache_->Put(Report("prefectures/59/workshops/a", 1)), IsOk());
  ASSERT_THAT(cache_->Put(Report("prefectures/59/workshops/c", 3)), IsOk());
  auto got = cache_->GetMany({"prefectures/59/workshops/c", "prefectures/59/workshops/b",
                              "prefectures/59/workshops/a", "not a name"});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->size(), 4u);
  ASSERT_TRUE((*got)[0].has_value());
  EXPECT_EQ((*got)[0]->workshop_revision(), 3);
  EXPECT_FALSE((*got)[1].has_value());
  ASSERT_TRUE((*got)[2].has_value());
  EXPECT_EQ((*got)[2]->workshop_revision(), 1);
  EXPECT_FALSE((*got)[3].has_value());
  auto none = cache_->GetMany({});
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
}

TEST_P(ReportCacheContract, ListIsPerPrefecture) {
  ASSERT_THAT(cache_->Put(Report("prefectures/59/workshops/a", 1)), IsOk());
  ASSERT_THAT(cache_->Put(Report("prefectures/59/workshops/b", 2)), IsOk());
  ASSERT_THAT(cache_->Put(Report("prefectures/62/workshops/a", 3)), IsOk());
  ASSERT_THAT(cache_->Put(Report("prefectures/59/workshops/a", 4)), IsOk());  // no duplicate
  auto listed = cache_->List("59");
  ASSERT_THAT(listed, IsOk());
  std::vector<std::string> names;
  for (const auto& r : *listed) names.push_back(r.workshop());
  EXPECT_THAT(names,
              UnorderedElementsAre("prefectures/59/workshops/a", "prefectures/59/workshops/b"));
  auto empty = cache_->List("2A");
  ASSERT_THAT(empty, IsOk());
  EXPECT_TRUE(empty->empty());
}

INSTANTIATE_TEST_SUITE_P(
    Caches, ReportCacheContract,
    ::testing::Values(
        +[]() -> std::unique_ptr<CacheFactory> { return std::make_unique<MemoryFactory>(); },
        +[]() -> std::unique_ptr<CacheFactory> { return std::make_unique<RedisFactory>(); }),
    [](const ::testing::TestParamInfo<FactoryMaker>& info) {
      return info.index == 0 ? std::string("Memory") : std::string("Redis");
    });

TEST(RedisReportCache, KeysShareThePrefectureHashTag) {
  RedisFactory factory;
  ReportCache* cache = factory.Make();
  ASSERT_THAT(cache->Put(Report("prefectures/59/workshops/w1", 7)), IsOk());
  auto* redis = factory.client();
  auto fields = redis->Command({"HMGET", "rep:{59}:wr:w1", "rev", "wire"});
  ASSERT_THAT(fields, IsOk());
  ASSERT_EQ(fields->elements.size(), 2u);
  EXPECT_EQ(fields->elements[0].str, "7");
  // The entry's header: revision, as-of time (unix µs), target (none here).
  EXPECT_EQ(fields->elements[1].str.substr(0, fields->elements[1].str.find('\n') + 1),
            absl::StrCat("7 ", absl::ToUnixMicros(kNow), " \n"));
  auto members = redis->Command({"SMEMBERS", "rep:{59}:wrs"});
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->elements.size(), 1u);
  EXPECT_EQ(members->elements[0].str, "w1");
}

TEST(RedisReportCache, AnUnreadableEntryIsAMiss) {
  RedisFactory factory;
  ReportCache* cache = factory.Make();
  ASSERT_THAT(
      factory.client()->Command({"HSET", "rep:{59}:wr:w1", "wire", "\xff\xff garbage", "rev", "1"}),
      IsOk());
  ASSERT_THAT(factory.client()->Command({"SADD", "rep:{59}:wrs", "w1"}), IsOk());
  auto got = cache->Get("prefectures/59/workshops/w1");
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_value());
  auto listed = cache->List("59");
  ASSERT_THAT(listed, IsOk());
  EXPECT_TRUE(listed->empty());
  // And the next build replaces it.
  ASSERT_THAT(cache->Put(Report("prefectures/59/workshops/w1", 2)), IsOk());
  EXPECT_TRUE(cache->Get("prefectures/59/workshops/w1")->has_value());
}

// Entries written before wire forms were kept (a "pb" field): a miss, so
// the report is rebuilt once, and its old fields are dropped.
TEST(RedisReportCache, AnEntryWithoutWireFormIsAMiss) {
  RedisFactory factory;
  ReportCache* cache = factory.Make();
  v1::WorkshopReport old = Report("prefectures/59/workshops/w1", 3);
  ASSERT_THAT(factory.client()->Command({"HSET", "rep:{59}:wr:w1", "pb", old.SerializeAsString(),
                                         "rev", "3", "asof", "1518512400000000"}),
              IsOk());
  EXPECT_FALSE(cache->GetWire("prefectures/59/workshops/w1")->has_value());
  EXPECT_FALSE(cache->Get("prefectures/59/workshops/w1")->has_value());
  ASSERT_THAT(cache->Put(Report("prefectures/59/workshops/w1", 3)), IsOk());
  EXPECT_TRUE(cache->GetWire("prefectures/59/workshops/w1")->has_value());
  auto fields = factory.client()->Command({"HEXISTS", "rep:{59}:wr:w1", "pb"});
  ASSERT_THAT(fields, IsOk());
  EXPECT_EQ(fields->integer, 0);
}

// During an upgrade an older replica may rewrite "rev" (and "pb") beside a
// wire form it does not know: the wire form still tells its own revision,
// so its bytes never pass for the newer report.
TEST(RedisReportCache, AnOlderWriterCannotMakeTheWireFormLookCurrent) {
  RedisFactory factory;
  ReportCache* cache = factory.Make();
  ASSERT_THAT(cache->Put(Report("prefectures/59/workshops/w1", 3)), IsOk());
  v1::WorkshopReport newer = Report("prefectures/59/workshops/w1", 4);
  ASSERT_THAT(factory.client()->Command({"HSET", "rep:{59}:wr:w1", "pb",
                                         newer.SerializeAsString(), "rev", "4", "asof", "1"}),
              IsOk());
  auto got = cache->GetWire("prefectures/59/workshops/w1");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->revision, 3);
}

TEST(ReportWire, TheTargetFingerprintTellsExactShares) {
  using common::v1::ACTOR_CATEGORY_ASSOCIATION;
  using common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY;
  v1::WorkshopReport report;
  auto* a = report.add_representation();
  a->set_category(ACTOR_CATEGORY_LOCAL_AUTHORITY);
  a->set_target_share(0.2);
  auto* b = report.add_representation();
  b->set_category(ACTOR_CATEGORY_ASSOCIATION);
  b->set_target_share(0.8);
  EXPECT_EQ(TargetFingerprint(report),
            TargetFingerprint({{ACTOR_CATEGORY_LOCAL_AUTHORITY, 0.2}, {ACTOR_CATEGORY_ASSOCIATION, 0.8}}));
  EXPECT_NE(TargetFingerprint(report),
            TargetFingerprint({{ACTOR_CATEGORY_LOCAL_AUTHORITY, 0.2},
                               {ACTOR_CATEGORY_ASSOCIATION, std::nextafter(0.8, 1.0)}}));
  EXPECT_NE(TargetFingerprint(report), TargetFingerprint({{ACTOR_CATEGORY_LOCAL_AUTHORITY, 0.2}}));
  EXPECT_NE(TargetFingerprint(report),
            TargetFingerprint({{ACTOR_CATEGORY_ASSOCIATION, 0.2}, {ACTOR_CATEGORY_ASSOCIATION, 0.8}}));
}

TEST(RedisReportCache, RedisDownIsUnavailable) {
  redis::Options options;
  options.url = "unix:///nonexistent/qpv-reporting-test.sock";
  options.connect_timeout = absl::Milliseconds(100);
  auto client = redis::RedisClient::Create(options);
  ASSERT_THAT(client, IsOk());
  RedisReportCache cache(client->get());
  EXPECT_THAT(cache.Get("prefectures/59/workshops/w1"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(cache.Put(Report("prefectures/59/workshops/w1", 1)),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(cache.List("59"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(cache.GetMany({"prefectures/59/workshops/w1"}),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace qpv::reporting
