// One contract suite for every StakeholderStore: the in-memory fake and the
// Redis store (on the shared private redis-server, flushed per test).
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/stakeholder/memory_stakeholder_store.h"
#include "services/stakeholder/redis_stakeholder_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::stakeholder {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::ElementsAre;

// Builds one store per test.
class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual StakeholderStore* Make() = 0;
};

class MemoryFactory : public StoreFactory {
 public:
  StakeholderStore* Make() override {
    store_ = std::make_unique<MemoryStakeholderStore>(&clock_);
    return store_.get();
  }

 private:
  FakeClock clock_;
  std::unique_ptr<MemoryStakeholderStore> store_;
};

class RedisFactory : public StoreFactory {
 public:
  StakeholderStore* Make() override {
    client_ = qpv::testing::FlushedSharedRedisClient();
    store_ = std::make_unique<RedisStakeholderStore>(client_.get());
    return store_.get();
  }
  redis::RedisClient* client() { return client_.get(); }

 private:
  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<RedisStakeholderStore> store_;
};

using FactoryMaker = std::unique_ptr<StoreFactory> (*)();

class StoreContractTest : public ::testing::TestWithParam<FactoryMaker> {
 protected:
  void SetUp() override {
    factory_ = GetParam()();
    store_ = factory_->Make();
  }

  static Organization Org(absl::string_view id, absl::string_view display_name,
                          absl::string_view prefecture = "59") {
    Organization org;
    org.set_name(absl::StrCat("prefectures/", prefecture, "/organizations/", id));
    org.set_display_name(std::string(display_name));
    org.set_category(common::v1::ACTOR_CATEGORY_ASSOCIATION);
    org.add_qpv_codes("QN05981M");
    return org;
  }
  static Person Pers(absl::string_view id, absl::string_view org_id,
                     absl::string_view prefecture = "59") {
    Person person;
    person.set_name(absl::StrCat("prefectures/", prefecture, "/persons/", id));
    person.set_organization(absl::StrCat("prefectures/", prefecture, "/organizations/", org_id));
    person.set_given_name("Samia");
    person.set_family_name("Benali");
    person.set_email("samia@example.org");
    return person;
  }
  std::vector<std::string> AllOrgIds(absl::string_view prefecture, int batch) {
    std::vector<std::string> ids;
    int64_t cursor = 0;
    while (true) {
      auto scan = store_->ScanOrganizations(prefecture, cursor, batch);
      EXPECT_THAT(scan, IsOk());
      if (!scan.ok()) break;
      for (const auto& item : scan->items) {
        EXPECT_GT(item.seq, cursor);
        cursor = item.seq;
        ids.push_back(LastSegment(item.resource.name()));
      }
      if (scan->exhausted) break;
    }
    return ids;
  }

  std::unique_ptr<StoreFactory> factory_;
  StakeholderStore* store_ = nullptr;
};

TEST_P(StoreContractTest, CreateGetAndEtag) {
  QPV_ASSERT_OK_AND_ASSIGN(Organization created,
                           store_->CreateOrganization("59", "a1", Org("a1", "Centre social"), ""));
  EXPECT_FALSE(created.etag().empty());
  EXPECT_EQ(created.display_name(), "Centre social");
  QPV_ASSERT_OK_AND_ASSIGN(Organization got, store_->GetOrganization("59", "a1"));
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(store_->GetOrganization("59", "nope"), StatusIs(absl::StatusCode::kNotFound));
  // Préfectures are separate.
  EXPECT_THAT(store_->GetOrganization("62", "a1"), StatusIs(absl::StatusCode::kNotFound));
  // Same id twice.
  EXPECT_THAT(store_->CreateOrganization("59", "a1", Org("a1", "Other"), ""),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_P(StoreContractTest, IdempotentCreate) {
  QPV_ASSERT_OK_AND_ASSIGN(Organization first,
                           store_->CreateOrganization("59", "a1", Org("a1", "One"), "req-1"));
  QPV_ASSERT_OK_AND_ASSIGN(Organization replay,
                           store_->CreateOrganization("59", "a2", Org("a2", "One"), "req-1"));
  EXPECT_EQ(replay.name(), first.name());
  EXPECT_EQ(replay.etag(), first.etag());
  EXPECT_THAT(store_->GetOrganization("59", "a2"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(AllOrgIds("59", 10), ElementsAre("a1"));
  // The same request id in another préfecture is another request.
  EXPECT_THAT(store_->CreateOrganization("62", "b1", Org("b1", "One", "62"), "req-1"), IsOk());
  // Persons have their own request ids.
  QPV_ASSERT_OK_AND_ASSIGN(Person p1, store_->CreatePerson("59", "p1", Pers("p1", "a1"), "req-1"));
  QPV_ASSERT_OK_AND_ASSIGN(Person p2, store_->CreatePerson("59", "p2", Pers("p2", "a1"), "req-1"));
  EXPECT_EQ(p2.name(), p1.name());
  // A replay after the resource was deleted.
  ASSERT_THAT(store_->DeletePerson("59", "p1", ""), IsOk());
  EXPECT_THAT(store_->CreatePerson("59", "p3", Pers("p3", "a1"), "req-1"),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_P(StoreContractTest, IdempotentCreateRacingThreads) {
  constexpr int kThreads = 8;
  std::vector<std::string> names(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([this, i, &names] {
      const std::string id = absl::StrCat("r", i);
      auto org = store_->CreateOrganization("59", id, Org(id, "Race"), "same-request");
      if (org.ok()) names[i] = org->name();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 1; i < kThreads; ++i) EXPECT_EQ(names[i], names[0]);
  EXPECT_FALSE(names[0].empty());
  EXPECT_EQ(AllOrgIds("59", 100).size(), 1u);
}

TEST_P(StoreContractTest, ScanIsStableWhileAdding) {
  for (int i = 0; i < 5; ++i) {
    const std::string id = absl::StrCat("o", i);
    ASSERT_THAT(store_->CreateOrganization("59", id, Org(id, "x"), ""), IsOk());
  }
  QPV_ASSERT_OK_AND_ASSIGN(auto first, store_->ScanOrganizations("59", 0, 2));
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_FALSE(first.exhausted);
  // Items added and one deleted between pages.
  for (int i = 5; i < 8; ++i) {
    const std::string id = absl::StrCat("o", i);
    ASSERT_THAT(store_->CreateOrganization("59", id, Org(id, "x"), ""), IsOk());
  }
  ASSERT_THAT(store_->DeleteOrganization("59", "o3", ""), IsOk());
  std::vector<std::string> seen = {LastSegment(first.items[0].resource.name()),
                                   LastSegment(first.items[1].resource.name())};
  int64_t cursor = first.items.back().seq;
  while (true) {
    QPV_ASSERT_OK_AND_ASSIGN(auto page, store_->ScanOrganizations("59", cursor, 2));
    for (const auto& item : page.items) {
      seen.push_back(LastSegment(item.resource.name()));
      cursor = item.seq;
    }
    if (page.exhausted) break;
  }
  EXPECT_THAT(seen, ElementsAre("o0", "o1", "o2", "o4", "o5", "o6", "o7"));
  // Exactly at the end.
  QPV_ASSERT_OK_AND_ASSIGN(auto tail, store_->ScanOrganizations("59", cursor, 2));
  EXPECT_TRUE(tail.items.empty());
  EXPECT_TRUE(tail.exhausted);
}

TEST_P(StoreContractTest, UpdateIsCompareAndSet) {
  QPV_ASSERT_OK_AND_ASSIGN(Organization created,
                           store_->CreateOrganization("59", "a1", Org("a1", "Old"), ""));
  Organization changed = created;
  changed.set_display_name("New");
  QPV_ASSERT_OK_AND_ASSIGN(Organization updated,
                           store_->UpdateOrganization("59", "a1", changed, created.etag()));
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(updated.display_name(), "New");
  // Stale etag.
  changed.set_display_name("Newer");
  EXPECT_THAT(store_->UpdateOrganization("59", "a1", changed, created.etag()),
              StatusIs(absl::StatusCode::kAborted));
  QPV_ASSERT_OK_AND_ASSIGN(Organization got, store_->GetOrganization("59", "a1"));
  EXPECT_EQ(got.display_name(), "New");
  EXPECT_EQ(got.etag(), updated.etag());
  // The same content written again still gets a new etag.
  QPV_ASSERT_OK_AND_ASSIGN(Organization again,
                           store_->UpdateOrganization("59", "a1", got, got.etag()));
  EXPECT_NE(again.etag(), got.etag());
  EXPECT_THAT(store_->UpdateOrganization("59", "zz", changed, ""),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreContractTest, DeleteWithEtagAndPersonsRefused) {
  QPV_ASSERT_OK_AND_ASSIGN(Organization org,
                           store_->CreateOrganization("59", "a1", Org("a1", "Org"), ""));
  ASSERT_THAT(store_->CreateOrganization("59", "a2", Org("a2", "Org 2"), ""), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Person person, store_->CreatePerson("59", "p1", Pers("p1", "a1"), ""));
  EXPECT_THAT(store_->DeleteOrganization("59", "a1", "stale"),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store_->DeleteOrganization("59", "a1", org.etag()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Move the person: a1 becomes deletable, a2 is not.
  Person moved = person;
  moved.set_organization("prefectures/59/organizations/a2");
  QPV_ASSERT_OK_AND_ASSIGN(Person after, store_->UpdatePerson("59", "p1", moved, person.etag()));
  EXPECT_THAT(store_->DeleteOrganization("59", "a2", ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->DeleteOrganization("59", "a1", org.etag()), IsOk());
  EXPECT_THAT(store_->GetOrganization("59", "a1"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->DeleteOrganization("59", "a1", ""), StatusIs(absl::StatusCode::kNotFound));
  // Moving to an organization that does not exist.
  Person lost = after;
  lost.set_organization("prefectures/59/organizations/a1");
  EXPECT_THAT(store_->UpdatePerson("59", "p1", lost, ""), StatusIs(absl::StatusCode::kNotFound));
  // Person delete with etag, then the organization can go.
  EXPECT_THAT(store_->DeletePerson("59", "p1", person.etag()),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store_->DeletePerson("59", "p1", after.etag()), IsOk());
  EXPECT_THAT(store_->GetPerson("59", "p1"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->DeleteOrganization("59", "a2", ""), IsOk());
}

TEST_P(StoreContractTest, PersonNeedsAnExistingOrganization) {
  EXPECT_THAT(store_->CreatePerson("59", "p1", Pers("p1", "ghost"), ""),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(store_->CreateOrganization("62", "ghost", Org("ghost", "Elsewhere", "62"), ""),
              IsOk());
  // An organization of another préfecture does not count.
  EXPECT_THAT(store_->CreatePerson("59", "p1", Pers("p1", "ghost"), ""),
              StatusIs(absl::StatusCode::kNotFound));
  QPV_ASSERT_OK_AND_ASSIGN(auto scan, store_->ScanPersons("59", 0, 10));
  EXPECT_TRUE(scan.items.empty());
}

TEST_P(StoreContractTest, ErasedRecordReplacesPersonalData) {
  ASSERT_THAT(store_->CreateOrganization("59", "a1", Org("a1", "Org"), ""), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Person person, store_->CreatePerson("59", "p1", Pers("p1", "a1"), ""));
  Person erased = person;
  erased.clear_given_name();
  erased.clear_family_name();
  erased.clear_email();
  erased.clear_phone();
  erased.clear_consent_time();
  *erased.mutable_erase_time() = ToProto(absl::FromUnixSeconds(1518000000));
  QPV_ASSERT_OK_AND_ASSIGN(Person stored, store_->UpdatePerson("59", "p1", erased, person.etag()));
  QPV_ASSERT_OK_AND_ASSIGN(Person got, store_->GetPerson("59", "p1"));
  EXPECT_TRUE(got.given_name().empty());
  EXPECT_TRUE(got.email().empty());
  EXPECT_TRUE(got.has_erase_time());
  EXPECT_EQ(got.organization(), "prefectures/59/organizations/a1");
  // Still listed (countable) and still blocking its organization's delete.
  QPV_ASSERT_OK_AND_ASSIGN(auto scan, store_->ScanPersons("59", 0, 10));
  ASSERT_EQ(scan.items.size(), 1u);
  EXPECT_THAT(store_->DeleteOrganization("59", "a1", ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

std::unique_ptr<StoreFactory> MakeMemory() { return std::make_unique<MemoryFactory>(); }
std::unique_ptr<StoreFactory> MakeRedis() { return std::make_unique<RedisFactory>(); }

INSTANTIATE_TEST_SUITE_P(Stores, StoreContractTest, ::testing::Values(&MakeMemory, &MakeRedis),
                         [](const ::testing::TestParamInfo<FactoryMaker>& info) {
                           return info.index == 0 ? std::string("Memory") : std::string("Redis");
                         });

// Redis-only behaviour.
class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = factory_.Make(); }
  RedisFactory factory_;
  StakeholderStore* store_ = nullptr;
};

TEST_F(RedisStoreTest, KeysLiveUnderThePrefectureHashTag) {
  Organization org;
  org.set_name("prefectures/2A/organizations/a1");
  org.set_display_name("Ajaccio");
  ASSERT_THAT(store_->CreateOrganization("2A", "a1", org, "req-x"), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(redis::Reply keys, factory_.client()->Command({"KEYS", "*"}));
  ASSERT_FALSE(keys.elements.empty());
  for (const auto& key : keys.elements) {
    EXPECT_TRUE(absl::StartsWith(key.str, "stk:{2A}:")) << key.str;
  }
  QPV_ASSERT_OK_AND_ASSIGN(redis::Reply ttl,
                           factory_.client()->Command({"TTL", "stk:{2A}:req:org:req-x"}));
  EXPECT_GT(ttl.integer, 6 * 24 * 3600);
  EXPECT_LE(ttl.integer, 7 * 24 * 3600);
}

TEST_F(RedisStoreTest, UnreadableBytesAreDataLoss) {
  ASSERT_THAT(factory_.client()->Command({"HSET", "stk:{59}:org:bad", "pb", "\xff\xff\xff", "etag",
                                          "e"}),
              IsOk());
  ASSERT_THAT(factory_.client()->Command({"ZADD", "stk:{59}:orgs", "1", "bad"}), IsOk());
  EXPECT_THAT(store_->GetOrganization("59", "bad"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(store_->ScanOrganizations("59", 0, 10), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(RedisStoreDown, UnavailableThenBack) {
  qpv::testing::RedisServer server;
  redis::Options options;
  options.url = server.url();
  options.pool_size = 2;
  options.command_timeout = absl::Milliseconds(500);
  auto client = *redis::RedisClient::Create(options);
  RedisStakeholderStore store(client.get());
  Organization org;
  org.set_name("prefectures/59/organizations/a1");
  org.set_display_name("Org");
  ASSERT_THAT(store.CreateOrganization("59", "a1", org, ""), IsOk());
  server.Stop();
  EXPECT_THAT(store.GetOrganization("59", "a1"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(store.CreateOrganization("59", "a2", org, ""),
              StatusIs(absl::StatusCode::kUnavailable));
  server.Start();
  org.set_name("prefectures/59/organizations/a3");
  EXPECT_THAT(store.CreateOrganization("59", "a3", org, "r"), IsOk());
  EXPECT_THAT(store.GetOrganization("59", "a3"), IsOk());
}

}  // namespace
}  // namespace qpv::stakeholder
