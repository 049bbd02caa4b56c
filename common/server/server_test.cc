#include "common/server/server.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::server {
namespace {

using ::qpv::testing::StatusIs;

TEST(MetricsAddress, IsTheGrpcPortPlus1000OnTheSameHost) {
  EXPECT_EQ(*MetricsAddressFor("0.0.0.0:50052"), "0.0.0.0:51052");
  EXPECT_EQ(*MetricsAddressFor("127.0.0.1:6000"), "127.0.0.1:7000");
  EXPECT_EQ(*MetricsAddressFor("[::]:50051"), "[::]:51051");
  EXPECT_EQ(*MetricsAddressFor("127.0.0.1:0"), "off");
  EXPECT_THAT(MetricsAddressFor("0.0.0.0:65000"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MetricsAddressFor("nohostport"), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Init with flags only (the QPV_* variables this test reads are unset).
ServerEnv InitWith(std::vector<std::string> flags, int default_max_threads) {
  for (const char* var : {"QPV_REDIS_POOL_SIZE", "QPV_MAX_THREADS", "QPV_REDIS_URL"}) {
    unsetenv(var);
  }
  flags.insert(flags.begin(), "qpv-test");
  std::vector<char*> argv;
  for (std::string& f : flags) argv.push_back(f.data());
  return Init(static_cast<int>(argv.size()), argv.data(), "test", 0, {}, default_max_threads);
}

TEST(Init, DefaultsSuitThePipelinedRedisClientAndTheSyncServer) {
  ServerEnv env = InitWith({"--listen=127.0.0.1:0"}, kDefaultMaxThreads);
  EXPECT_EQ(env.max_threads, 512);
  ASSERT_NE(env.redis, nullptr);
  EXPECT_EQ(env.redis->options().pool_size, 2);
}

TEST(Init, AServiceRaisesTheThreadCapAndFlagsStillWin) {
  EXPECT_EQ(InitWith({"--listen=127.0.0.1:0"}, 1024).max_threads, 1024);
  ServerEnv env =
      InitWith({"--listen=127.0.0.1:0", "--max-threads=64", "--redis-pool-size=8"}, 1024);
  EXPECT_EQ(env.max_threads, 64);
  EXPECT_EQ(env.redis->options().pool_size, 8);
}

}  // namespace
}  // namespace qpv::server
