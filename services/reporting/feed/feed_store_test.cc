// The feed store contract, run against the in-memory fake and the Redis store
// (a private redis-server, flushed before each test).
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/feed/memory_feed_store.h"
#include "services/reporting/feed/redis_feed_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::testing::IsOk;

enum class Kind { kMemory, kRedis };

const absl::Time kNow = absl::FromUnixSeconds(1517900400);
const int64_t kNowMs = absl::ToUnixMillis(kNow);

national::v1::PrefectureSnapshot Snapshot(const std::string& marker) {
  national::v1::PrefectureSnapshot s;
  s.set_prefecture("59");
  s.set_version(987654321);  // ignored: the store assigns versions
  s.add_workshops()->set_workshop(absl::StrCat("prefectures/59/workshops/", marker));
  return s;
}

class FeedStoreTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == Kind::kRedis) {
      client_ = qpv::testing::FlushedSharedRedisClient();
      ASSERT_NE(client_, nullptr);
      store_ = std::make_unique<RedisFeedStore>(client_.get());
    } else {
      store_ = std::make_unique<MemoryFeedStore>();
    }
  }

  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<FeedStore> store_;
};

TEST_P(FeedStoreTest, NoFeedYetIsAnEmptyStatus) {
  QPV_ASSERT_OK_AND_ASSIGN(v1::FeedStatus s, store_->GetStatus("59"));
  EXPECT_EQ(s.prefecture(), "59");
  EXPECT_EQ(s.built_version(), 0);
  EXPECT_EQ(s.acknowledged_version(), 0);
  EXPECT_FALSE(s.pending());
  EXPECT_EQ(s.last_error(), "");
  EXPECT_FALSE(s.has_last_attempt_time());
  EXPECT_FALSE(s.has_build_time());
  EXPECT_EQ(s.consecutive_failures(), 0);
  QPV_ASSERT_OK_AND_ASSIGN(FeedState state, store_->GetState("59"));
  EXPECT_EQ(state.fingerprint, "");
  QPV_ASSERT_OK_AND_ASSIGN(auto pending, store_->LoadPending("59"));
  EXPECT_FALSE(pending.has_value());
}

TEST_P(FeedStoreTest, VersionsIncreaseAndFollowTheClock) {
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild first,
                           store_->RecordBuild("59", "fp1", Snapshot("a"), kNow));
  EXPECT_TRUE(first.recorded);
  EXPECT_EQ(first.version, kNowMs);
  // Same millisecond: still a new version.
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild second,
                           store_->RecordBuild("59", "fp2", Snapshot("b"), kNow));
  EXPECT_EQ(second.version, kNowMs + 1);
  // A clock that went back does not take versions back.
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild third,
                           store_->RecordBuild("59", "fp3", Snapshot("c"), kNow - absl::Hours(1)));
  EXPECT_EQ(third.version, kNowMs + 2);
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild later, store_->RecordBuild("59", "fp4", Snapshot("d"),
                                                                    kNow + absl::Seconds(5)));
  EXPECT_EQ(later.version, kNowMs + 5000);

  QPV_ASSERT_OK_AND_ASSIGN(v1::FeedStatus s, store_->GetStatus("59"));
  EXPECT_EQ(s.built_version(), kNowMs + 5000);
  EXPECT_TRUE(s.pending());
  EXPECT_EQ(FromProto(s.build_time()), kNow + absl::Seconds(5));
  // Another préfecture has its own versions.
  QPV_ASSERT_OK_AND_ASSIGN(v1::FeedStatus other, store_->GetStatus("62"));
  EXPECT_EQ(other.built_version(), 0);
}

TEST_P(FeedStoreTest, UnchangedFingerprintRecordsNothing) {
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild first,
                           store_->RecordBuild("59", "fp1", Snapshot("a"), kNow));
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild again, store_->RecordBuild("59", "fp1", Snapshot("b"),
                                                                    kNow + absl::Seconds(1)));
  EXPECT_FALSE(again.recorded);
  EXPECT_EQ(again.version, first.version);
  QPV_ASSERT_OK_AND_ASSIGN(FeedState state, store_->GetState("59"));
  EXPECT_EQ(state.fingerprint, "fp1");
  EXPECT_EQ(state.status.built_version(), first.version);
  QPV_ASSERT_OK_AND_ASSIGN(auto pending, store_->LoadPending("59"));
  ASSERT_TRUE(pending.has_value());
  // The first content stays, with the store's version.
  EXPECT_EQ(pending->workshops(0).workshop(), "prefectures/59/workshops/a");
  EXPECT_EQ(pending->version(), first.version);
}

TEST_P(FeedStoreTest, AcknowledgementOnlyMovesForward) {
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild b1, store_->RecordBuild("59", "fp1", Snapshot("a"), kNow));
  QPV_ASSERT_OK_AND_ASSIGN(
      RecordedBuild b2, store_->RecordBuild("59", "fp2", Snapshot("b"), kNow + absl::Seconds(1)));
  // v1 acknowledged: v2 still pending, and it is the one loaded.
  ASSERT_THAT(store_->MarkAcknowledged("59", b1.version, b1.version, kNow + absl::Seconds(2)),
              IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(auto pending, store_->LoadPending("59"));
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->version(), b2.version);
  EXPECT_EQ(pending->workshops(0).workshop(), "prefectures/59/workshops/b");

  ASSERT_THAT(store_->MarkAcknowledged("59", b2.version, b2.version, kNow + absl::Seconds(3)),
              IsOk());
  // A late answer for v1 does not take it back.
  ASSERT_THAT(store_->MarkAcknowledged("59", b1.version, b2.version, kNow + absl::Seconds(4)),
              IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(v1::FeedStatus s, store_->GetStatus("59"));
  EXPECT_EQ(s.acknowledged_version(), b2.version);
  EXPECT_FALSE(s.pending());
  EXPECT_EQ(FromProto(s.acknowledge_time()), kNow + absl::Seconds(3));
  EXPECT_EQ(FromProto(s.last_attempt_time()), kNow + absl::Seconds(4));
  QPV_ASSERT_OK_AND_ASSIGN(pending, store_->LoadPending("59"));
  EXPECT_FALSE(pending.has_value());
  // The fingerprint stays: national holds exactly what was built.
  QPV_ASSERT_OK_AND_ASSIGN(FeedState state, store_->GetState("59"));
  EXPECT_EQ(state.fingerprint, "fp2");
}

TEST_P(FeedStoreTest, NationalHoldingNewerRaisesTheFloorAndForcesARebuild) {
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild b1, store_->RecordBuild("59", "fp1", Snapshot("a"), kNow));
  const int64_t national = b1.version + 1'000'000;
  ASSERT_THAT(store_->MarkAcknowledged("59", b1.version, national, kNow), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(FeedState state, store_->GetState("59"));
  EXPECT_EQ(state.status.acknowledged_version(), b1.version);
  EXPECT_FALSE(state.status.pending());
  EXPECT_EQ(state.fingerprint, "");
  // Same content, yet recorded, above what national holds.
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild b2, store_->RecordBuild("59", "fp1", Snapshot("a"), kNow));
  EXPECT_TRUE(b2.recorded);
  EXPECT_EQ(b2.version, national + 1);
}

TEST_P(FeedStoreTest, FailureBookkeeping) {
  QPV_ASSERT_OK_AND_ASSIGN(RecordedBuild b1, store_->RecordBuild("59", "fp1", Snapshot("a"), kNow));
  QPV_ASSERT_OK_AND_ASSIGN(int n, store_->RecordFailure("59", "national unreachable: refused", kNow,
                                                        kNow + absl::Milliseconds(300)));
  EXPECT_EQ(n, 1);
  QPV_ASSERT_OK_AND_ASSIGN(
      n, store_->RecordFailure("59", "national did not answer within 5s", kNow + absl::Seconds(1),
                               kNow + absl::Seconds(2)));
  EXPECT_EQ(n, 2);
  QPV_ASSERT_OK_AND_ASSIGN(v1::FeedStatus s, store_->GetStatus("59"));
  EXPECT_EQ(s.last_error(), "national did not answer within 5s");
  EXPECT_EQ(s.consecutive_failures(), 2);
  EXPECT_EQ(FromProto(s.last_attempt_time()), kNow + absl::Seconds(1));
  EXPECT_EQ(FromProto(s.next_attempt_time()), kNow + absl::Seconds(2));
  EXPECT_TRUE(s.pending());
  EXPECT_EQ(s.acknowledged_version(), 0);
  // Still pending: the snapshot waits.
  QPV_ASSERT_OK_AND_ASSIGN(auto pending, store_->LoadPending("59"));
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->version(), b1.version);

  // Success clears the failure state.
  ASSERT_THAT(store_->MarkAcknowledged("59", b1.version, b1.version, kNow + absl::Seconds(3)),
              IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(s, store_->GetStatus("59"));
  EXPECT_EQ(s.last_error(), "");
  EXPECT_EQ(s.consecutive_failures(), 0);
  EXPECT_FALSE(s.has_next_attempt_time());
  EXPECT_EQ(FromProto(s.last_attempt_time()), kNow + absl::Seconds(3));
  EXPECT_FALSE(s.pending());
}

TEST_P(FeedStoreTest, LeaseIsExclusiveRenewableAndReleasable) {
  const absl::Duration ttl = absl::Milliseconds(200);
  QPV_ASSERT_OK_AND_ASSIGN(bool a, store_->AcquireLease("59", "replica-a", ttl, kNow));
  EXPECT_TRUE(a);
  QPV_ASSERT_OK_AND_ASSIGN(bool b, store_->AcquireLease("59", "replica-b", ttl, kNow));
  EXPECT_FALSE(b);
  // Another préfecture's lease is free.
  QPV_ASSERT_OK_AND_ASSIGN(b, store_->AcquireLease("62", "replica-b", ttl, kNow));
  EXPECT_TRUE(b);
  // The holder renews.
  QPV_ASSERT_OK_AND_ASSIGN(a, store_->AcquireLease("59", "replica-a", ttl, kNow));
  EXPECT_TRUE(a);
  // A release by someone else changes nothing; by the holder frees it.
  ASSERT_THAT(store_->ReleaseLease("59", "replica-b"), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(b, store_->AcquireLease("59", "replica-b", ttl, kNow));
  EXPECT_FALSE(b);
  ASSERT_THAT(store_->ReleaseLease("59", "replica-a"), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(b, store_->AcquireLease("59", "replica-b", ttl, kNow));
  EXPECT_TRUE(b);
}

TEST_P(FeedStoreTest, LeaseOfAReplicaThatStoppedRenewingExpires) {
  const absl::Duration ttl = absl::Milliseconds(100);
  QPV_ASSERT_OK_AND_ASSIGN(bool a, store_->AcquireLease("59", "replica-a", ttl, kNow));
  ASSERT_TRUE(a);
  // Redis expires by its own clock: wait well past the ttl (never flaky in
  // this direction); the fake expires by the `now` given.
  if (GetParam() == Kind::kRedis) std::this_thread::sleep_for(std::chrono::milliseconds(400));
  QPV_ASSERT_OK_AND_ASSIGN(
      bool b, store_->AcquireLease("59", "replica-b", ttl, kNow + absl::Milliseconds(400)));
  EXPECT_TRUE(b);
  QPV_ASSERT_OK_AND_ASSIGN(
      a, store_->AcquireLease("59", "replica-a", ttl, kNow + absl::Milliseconds(400)));
  EXPECT_FALSE(a);
}

INSTANTIATE_TEST_SUITE_P(Stores, FeedStoreTest, ::testing::Values(Kind::kMemory, Kind::kRedis),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return info.param == Kind::kMemory ? "Memory" : "Redis";
                         });

}  // namespace
}  // namespace qpv::reporting
