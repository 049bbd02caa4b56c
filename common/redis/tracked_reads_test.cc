// Runs against a real redis-server on a private unix socket: the cache is
// only as right as Redis's invalidation messages, so they are what is tested.
#include "common/redis/tracked_reads.h"

#include <map>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/metrics/read_cache_metrics.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::redis {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

// A string value; nil is NOT_FOUND (and so never cached).
absl::StatusOr<std::string> Decode(const Reply& r) {
  if (r.is_nil()) return absl::NotFoundError("no such key");
  return r.str;
}

class TrackedReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.url = server_.url();
    options.command_timeout = absl::Seconds(1);
    auto writer = RedisClient::Create(options);
    ASSERT_THAT(writer, IsOk());
    writer_ = *std::move(writer);
    auto reads = TrackedReads::Create(options, 100);
    ASSERT_THAT(reads, IsOk());
    reads_ = *std::move(reads);
    ASSERT_TRUE(reads_->WaitTracking(absl::Seconds(5)));
  }

  absl::StatusOr<std::string> Get(const std::string& key) {
    return reads_->Read<std::string>(key, {"GET", key}, &Decode);
  }

  // Reads `key` until it is `want` or 5 s went by; the last value read.
  std::string Eventually(const std::string& key, const std::string& want) {
    const absl::Time until = absl::Now() + absl::Seconds(5);
    std::string got;
    do {
      auto v = Get(key);
      got = v.ok() ? *v : std::string(v.status().message());
      if (got == want) break;
      absl::SleepFor(absl::Milliseconds(5));
    } while (absl::Now() < until);
    return got;
  }

  qpv::testing::RedisServer server_{/*persistent=*/true};
  std::unique_ptr<RedisClient> writer_;  // another client, as another replica
  std::unique_ptr<TrackedReads> reads_;
};

TEST_F(TrackedReadsTest, SecondReadIsServedFromMemory) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  EXPECT_EQ(*Get("k"), "v1");
  EXPECT_EQ(*Get("k"), "v1");
  EXPECT_EQ(*Get("k"), "v1");
  const TrackedReads::Stats s = reads_->stats();
  EXPECT_EQ(s.misses, 1);
  EXPECT_EQ(s.hits, 2);
  EXPECT_EQ(s.entries, 1u);
  // A missing key is read from Redis each time, never remembered.
  EXPECT_THAT(Get("none"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Get("none"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(reads_->stats().misses, 3);
}

TEST_F(TrackedReadsTest, AnotherClientsWriteReachesTheCache) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  ASSERT_EQ(*Get("k"), "v1");
  // Written by a script, as the stores do.
  Script set("redis.call('SET', KEYS[1], ARGV[1]) return 1");
  ASSERT_THAT(writer_->Eval(set, {"k"}, {"v2"}), IsOk());
  EXPECT_EQ(Eventually("k", "v2"), "v2");
  EXPECT_GE(reads_->stats().invalidations, 1);
  // Tracked again after that read: a second change is seen too.
  ASSERT_THAT(writer_->Command({"DEL", "k"}), IsOk());
  EXPECT_EQ(Eventually("k", "no such key"), "no such key");
}

TEST_F(TrackedReadsTest, OwnWriteIsReadAtOnceAfterInvalidate) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  ASSERT_EQ(*Get("k"), "v1");
  for (int i = 2; i < 50; ++i) {
    const std::string v = "v" + std::to_string(i);
    ASSERT_THAT(writer_->Command({"SET", "k", v}), IsOk());
    reads_->Invalidate("k");
    EXPECT_EQ(*Get("k"), v);  // no waiting for Redis's message
  }
}

// The asynchronous read: a miss goes to Redis and is cached, a hit is
// answered before ReadAsync returns, and another client's write is seen.
TEST_F(TrackedReadsTest, AsyncReadsAreCachedAndAnsweredAtOnceWhenHit) {
  ASSERT_THAT(writer_->Command({"SET", "a", "v1"}), IsOk());
  auto first = util::Await<std::string>([&](std::function<void(absl::StatusOr<std::string>)> done) {
    reads_->ReadAsync<std::string>("a", {"GET", "a"}, &Decode, std::move(done));
  });
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(*first, "v1");
  EXPECT_EQ(reads_->stats().entries, 1u);
  bool answered = false;
  reads_->ReadAsync<std::string>("a", {"GET", "a"}, &Decode, [&](absl::StatusOr<std::string> v) {
    answered = v.ok() && *v == "v1";
  });
  EXPECT_TRUE(answered);  // from memory, on this thread
  EXPECT_EQ(reads_->stats().hits, 1);
  ASSERT_THAT(writer_->Command({"SET", "a", "v2"}), IsOk());
  EXPECT_EQ(Eventually("a", "v2"), "v2");
  auto missing = util::Await<std::string>([&](std::function<void(absl::StatusOr<std::string>)> d) {
    reads_->ReadAsync<std::string>("none", {"GET", "none"}, &Decode, std::move(d));
  });
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TrackedReadsTest, AReadThatMetAnInvalidationIsNotCached) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  // The invalidation lands between Redis's reply and the caching.
  auto v = reads_->Read<std::string>("k", {"GET", "k"}, [&](const Reply& r) {
    reads_->Invalidate("k");
    return Decode(r);
  });
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(*v, "v1");
  EXPECT_EQ(reads_->stats().entries, 0u);
  EXPECT_EQ(*Get("k"), "v1");
  EXPECT_EQ(reads_->stats().hits, 0);
}

TEST_F(TrackedReadsTest, FlushAllEmptiesTheCache) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  ASSERT_EQ(*Get("k"), "v1");
  ASSERT_THAT(writer_->Command({"FLUSHALL"}), IsOk());
  EXPECT_EQ(Eventually("k", "no such key"), "no such key");
}

TEST_F(TrackedReadsTest, BoundedToMaxEntries) {
  Options options;
  options.url = server_.url();
  auto small = TrackedReads::Create(options, 2);
  ASSERT_THAT(small, IsOk());
  ASSERT_TRUE((*small)->WaitTracking(absl::Seconds(5)));
  for (int i = 0; i < 5; ++i) {
    const std::string k = "k" + std::to_string(i);
    ASSERT_THAT(writer_->Command({"SET", k, "v"}), IsOk());
    ASSERT_THAT((*small)->Read<std::string>(k, {"GET", k}, &Decode), IsOk());
  }
  EXPECT_EQ((*small)->stats().entries, 2u);
  EXPECT_THAT(TrackedReads::Create(options, 0), StatusIs(absl::StatusCode::kInvalidArgument));
  options.url = "http://nowhere";  // the client's own error comes back
  auto bad = TrackedReads::Create(options, 2);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(bad.status().message(), "bad Redis options");
}

// The listener's connection is killed: the cache empties, the listener
// comes back under a new client id, and the read connections are tracked
// for it (a later write by another client still reaches the cache).
TEST_F(TrackedReadsTest, ListenerKilledThenTrackedAgain) {
  // Keys read over every read connection, so each was dialled (and tracked
  // for the first listener) before the kill.
  const std::vector<std::string> keys = {"k0", "k1", "k2", "k3", "k4", "k5"};
  for (const auto& k : keys) {
    ASSERT_THAT(writer_->Command({"SET", k, "v1"}), IsOk());
    ASSERT_EQ(*Get(k), "v1");
  }
  const int64_t resets = reads_->stats().resets;
  ASSERT_THAT(writer_->Command({"CLIENT", "KILL", "TYPE", "pubsub"}), IsOk());
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (reads_->stats().resets < resets + 2 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_GE(reads_->stats().resets, resets + 2);  // lost, then back
  ASSERT_TRUE(reads_->WaitTracking(absl::Seconds(5)));
  EXPECT_EQ(reads_->stats().entries, 0u);
  for (const auto& k : keys) ASSERT_EQ(*Get(k), "v1");  // cached again
  EXPECT_EQ(reads_->stats().entries, keys.size());
  for (const auto& k : keys) ASSERT_THAT(writer_->Command({"SET", k, "v2"}), IsOk());
  for (const auto& k : keys) EXPECT_EQ(Eventually(k, "v2"), "v2") << k;
}

TEST_F(TrackedReadsTest, RedisDownThenBack) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  ASSERT_EQ(*Get("k"), "v1");
  server_.Stop(/*crash=*/false);
  // Nothing is served from memory while Redis cannot say what changed.
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (reads_->stats().tracking && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_FALSE(reads_->stats().tracking);
  EXPECT_THAT(Get("k"), StatusIs(absl::StatusCode::kUnavailable));
  server_.Start();  // the AOF keeps k
  ASSERT_TRUE(reads_->WaitTracking(absl::Seconds(10)));
  EXPECT_EQ(Eventually("k", "v1"), "v1");
  EXPECT_EQ(*Get("k"), "v1");
  // The writer's first command may still meet its dead connection.
  if (!writer_->Command({"SET", "k", "v3"}).ok()) {
    ASSERT_THAT(writer_->Command({"SET", "k", "v3"}), IsOk());
  }
  EXPECT_EQ(Eventually("k", "v3"), "v3");
}

// What /metrics shows is the cache's own counters.
TEST_F(TrackedReadsTest, MetricsAreTheCountersAtScrapeTime) {
  ASSERT_THAT(writer_->Command({"SET", "k", "v1"}), IsOk());
  ASSERT_EQ(*Get("k"), "v1");
  ASSERT_EQ(*Get("k"), "v1");
  reads_->Invalidate("k");
  metrics::ReadCacheMetrics metrics("test", reads_.get());
  std::map<std::string, double> got;
  for (const auto& family : metrics.Collect()) {
    ASSERT_EQ(family.metric.size(), 1u) << family.name;
    ASSERT_EQ(family.metric[0].label.size(), 1u);
    EXPECT_EQ(family.metric[0].label[0].value, "test");
    got[family.name] = family.type == prometheus::MetricType::Counter
                           ? family.metric[0].counter.value
                           : family.metric[0].gauge.value;
  }
  EXPECT_EQ(got["qpv_read_cache_hits_total"], 1);
  EXPECT_EQ(got["qpv_read_cache_misses_total"], 1);
  EXPECT_EQ(got["qpv_read_cache_invalidations_total"], 1);
  EXPECT_EQ(got["qpv_read_cache_entries"], 0);
  EXPECT_EQ(got["qpv_read_cache_tracking"], 1);
  EXPECT_EQ(got["qpv_read_cache_resets_total"], reads_->stats().resets);
  EXPECT_EQ(got.size(), 6u);
}

}  // namespace
}  // namespace qpv::redis
