// Runs against a real redis-server on a private unix socket.
#include "common/redis/redis_client.h"

#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::redis {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

TEST(ParseUrl, TcpUnixAndErrors) {
  auto tcp = ParseUrl("redis://:s3cret@redis.qpv.svc:6380/2");
  ASSERT_THAT(tcp, IsOk());
  EXPECT_EQ(tcp->host, "redis.qpv.svc");
  EXPECT_EQ(tcp->port, 6380);
  EXPECT_EQ(tcp->db, 2);
  EXPECT_EQ(tcp->password, "s3cret");
  auto plain = ParseUrl("redis://127.0.0.1");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->port, 6379);
  auto unix_url = ParseUrl("unix:///tmp/x/redis.sock");
  ASSERT_THAT(unix_url, IsOk());
  EXPECT_EQ(unix_url->unix_path, "/tmp/x/redis.sock");
  for (const char* bad : {"http://x", "redis://", "redis://h:0", "redis://h:99999", "redis://h/abc",
                          "unix://relative.sock", ""}) {
    EXPECT_THAT(ParseUrl(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(ErrorReply, MapsScriptErrors) {
  EXPECT_THAT(ErrorReplyToStatus("QPV_ABORTED etag mismatch"), StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReplyToStatus("QPV_ABORTED etag mismatch").message(), "etag mismatch");
  EXPECT_THAT(ErrorReplyToStatus("ERR user_script:3: QPV_NOT_FOUND no such workshop"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ErrorReplyToStatus("WRONGTYPE Operation"), StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(ErrorReplyToStatus("LOADING Redis is loading"),
              StatusIs(absl::StatusCode::kUnavailable));
}

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.url = server_.url();
    options.pool_size = 4;
    options.command_timeout = absl::Seconds(1);
    auto client = RedisClient::Create(options);
    ASSERT_THAT(client, IsOk());
    client_ = *std::move(client);
  }
  qpv::testing::RedisServer server_{/*persistent=*/true};
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisClientTest, CommandsAndPipeline) {
  ASSERT_THAT(client_->Command({"SET", "k", std::string("bin\0ary", 7)}), IsOk());
  auto got = client_->Command({"GET", "k"});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, std::string("bin\0ary", 7));
  auto missing = client_->Command({"GET", "nope"});
  ASSERT_THAT(missing, IsOk());
  EXPECT_TRUE(missing->is_nil());
  auto replies = client_->Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"HGET", "k", "f"}, {"GET", "n"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[1].integer, 2);
  EXPECT_TRUE((*replies)[2].is_error());  // WRONGTYPE stays in the pipeline result
  EXPECT_EQ((*replies)[3].str, "2");
  EXPECT_THAT(client_->Command({"HGET", "k", "f"}), StatusIs(absl::StatusCode::kInternal));
}

TEST_F(RedisClientTest, ScriptsSurviveAScriptCacheFlush) {
  Script script(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.error_reply('QPV_ABORTED same') end "
      "redis.call('SET', KEYS[1], ARGV[1]) return 1");
  auto first = client_->Eval(script, {"s"}, {"a"});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->integer, 1);
  EXPECT_THAT(client_->Eval(script, {"s"}, {"a"}), StatusIs(absl::StatusCode::kAborted));
  ASSERT_THAT(client_->Command({"SCRIPT", "FLUSH"}), IsOk());
  EXPECT_THAT(client_->Eval(script, {"s"}, {"b"}), IsOk());
}

TEST_F(RedisClientTest, FailsFastWhileDownAndRecoversAfterRestart) {
  ASSERT_THAT(client_->Command({"SET", "kept", "1"}), IsOk());
  ASSERT_THAT(client_->Ping(), IsOk());
  server_.Stop(/*crash=*/false);
  const absl::Time start = absl::Now();
  EXPECT_THAT(client_->Command({"GET", "kept"}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(client_->Ping(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  server_.Start();
  // The pooled connections died with the server; at most one call may still
  // see a dead one, then the client dials afresh.
  absl::StatusOr<Reply> got = client_->Command({"GET", "kept"});
  if (!got.ok()) got = client_->Command({"GET", "kept"});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, "1");  // AOF kept it
}

TEST_F(RedisClientTest, ManyThreadsShareTheSmallPool) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ASSERT_THAT(client_->Command({"INCR", "counter"}), IsOk());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(client_->Command({"GET", "counter"})->str, "800");
}

TEST(KeyPrefix, SharesAHashTagPerPrefecture) {
  EXPECT_EQ(KeyPrefix("ws", "2A"), "ws:{2A}:");
}

}  // namespace
}  // namespace qpv::redis
