#include "bench/echo_service.h"

#include "common/util/await.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace qpv::bench {
namespace {

TEST(EchoServiceTest, PlainEchoReturnsThePayload) {
  EchoServiceImpl service(nullptr);
  v1::EchoRequest req;
  req.set_payload("bonjour");
  auto resp = service.Echo(req);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->payload(), "bonjour");
}

// A client of the shared test Redis, emptied first.
absl::StatusOr<std::unique_ptr<redis::RedisClient>> FreshRedis() {
  testing::RedisServer& server = testing::SharedRedisServer();
  server.Flush();
  redis::Options options;
  options.url = server.url();
  return redis::RedisClient::Create(options);
}

TEST(EchoServiceTest, RedisEchoWritesOnceAndCyclesItsKeys) {
  auto client = FreshRedis();
  ASSERT_TRUE(client.ok());
  EchoServiceImpl service(client->get());
  v1::EchoRequest req;
  req.set_payload("p");
  for (uint64_t i = 0; i < EchoServiceImpl::kKeySpace + 3; ++i) {
    ASSERT_TRUE(service.Echo(req).ok());
  }
  auto keys = (*client)->Command({"DBSIZE"});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->integer, static_cast<long long>(EchoServiceImpl::kKeySpace));
  auto stats = (*client)->Command({"INFO", "commandstats"});
  ASSERT_TRUE(stats.ok());
  EXPECT_NE(stats->str.find(absl::StrCat("cmdstat_set:calls=", EchoServiceImpl::kKeySpace + 3)),
            std::string::npos)
      << stats->str;
}

// The callback API's form: the same SET, through RedisClient::CommandAsync.
TEST(EchoServiceTest, AsyncRedisEchoWritesOnceAndRepliesThePayload) {
  auto client = FreshRedis();
  ASSERT_TRUE(client.ok());
  EchoServiceImpl service(client->get(), EchoServiceImpl::Api::kCallback);
  v1::EchoRequest req;
  req.set_payload("q");
  for (int i = 0; i < 10; ++i) {
    auto resp = util::Await<v1::EchoResponse>(
        [&](EchoServiceImpl::Reply<v1::EchoResponse> done) { service.EchoAsync(req, done); });
    ASSERT_TRUE(resp.ok()) << resp.status();
    EXPECT_EQ(resp->payload(), "q");
  }
  auto keys = (*client)->Command({"DBSIZE"});  // one key per call, as in the sync form
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->integer, 10);
}

TEST(EchoServiceTest, TheApiIsSyncOrCallback) {
  EXPECT_EQ(*EchoServiceImpl::ParseApi("sync"), EchoServiceImpl::Api::kSync);
  EXPECT_EQ(*EchoServiceImpl::ParseApi("callback"), EchoServiceImpl::Api::kCallback);
  EXPECT_EQ(EchoServiceImpl::ParseApi("async").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EchoServiceTest, RedisDownIsUnavailable) {
  redis::Options options;
  options.url = "unix:///nonexistent/redis.sock";
  auto client = redis::RedisClient::Create(options);
  ASSERT_TRUE(client.ok());
  EchoServiceImpl service(client->get());
  EXPECT_EQ(service.Echo(v1::EchoRequest()).status().code(), absl::StatusCode::kUnavailable);
  auto async = util::Await<v1::EchoResponse>([&](EchoServiceImpl::Reply<v1::EchoResponse> done) {
    service.EchoAsync(v1::EchoRequest(), done);
  });
  EXPECT_EQ(async.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace qpv::bench
