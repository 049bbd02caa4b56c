#include "bench/redis_stats.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace qpv::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(RedisStatsTest, ParsesCommandStats) {
  const CommandCounts counts = ParseCommandStats(
      "# Commandstats\r\n"
      "cmdstat_evalsha:calls=12,usec=300,usec_per_call=25.00,rejected_calls=0,failed_calls=1\r\n"
      "cmdstat_hgetall:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n"
      "cmdstat_config|resetstat:calls=1,usec=1,usec_per_call=1.00\r\n");
  EXPECT_THAT(counts,
              ElementsAre(Pair("config|resetstat", 1), Pair("evalsha", 12), Pair("hgetall", 40)));
}

TEST(RedisStatsTest, DeltaDropsHousekeepingAndUnchangedCommands) {
  const CommandCounts before = {{"evalsha", 10}, {"ping", 3}, {"get", 5}};
  const CommandCounts after = {
      {"evalsha", 25}, {"ping", 9}, {"get", 5}, {"hset", 15}, {"config|resetstat", 2}};
  EXPECT_THAT(Delta(after, before), ElementsAre(Pair("evalsha", 15), Pair("hset", 15)));
}

TEST(RedisStatsTest, ParsesMonitorLines) {
  std::string cmd;
  bool script = true;
  ASSERT_TRUE(ParseMonitorLine(
      R"(1700000000.123456 [0 unix:/tmp/x/redis.sock] "EVALSHA" "abc" "3" "k1")", &cmd, &script));
  EXPECT_EQ(cmd, "evalsha");
  EXPECT_FALSE(script);
  ASSERT_TRUE(ParseMonitorLine(R"(1700000000.2 [0 lua] "hset" "k" "f" "v")", &cmd, &script));
  EXPECT_EQ(cmd, "hset");
  EXPECT_TRUE(script);
  EXPECT_FALSE(ParseMonitorLine("OK", &cmd, &script));
}

// Against a real Redis: commandstats count what scripts run, MONITOR tells
// them apart.
TEST(RedisStatsTest, CountsScriptsAndRoundTripsOnRealRedis) {
  testing::RedisServer& server = testing::SharedRedisServer();
  server.Flush();
  auto stats = CommandStats::Connect(server.url());
  ASSERT_TRUE(stats.ok()) << stats.status();
  auto before = (*stats)->Read();
  ASSERT_TRUE(before.ok());
  auto monitor = MonitorCounter::Start(server.url(), stats->get());
  ASSERT_TRUE(monitor.ok()) << monitor.status();
  redis::Script script(
      "redis.call('SET', KEYS[1], '1'); redis.call('HSET', KEYS[2], 'f', 'v'); "
      "return 1");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*stats)->client().Eval(script, {"a", "h"}, {}).ok());
    ASSERT_TRUE((*stats)->client().Command({"GET", "a"}).ok());
  }
  auto sent = (*monitor)->Stop();
  ASSERT_TRUE(sent.ok()) << sent.status();
  auto after = (*stats)->Read();
  ASSERT_TRUE(after.ok());

  // Sent by the client: 3 scripts (EVALSHA, or EVAL the first time the
  // script was not loaded) and 3 GETs; the SET and HSET ran inside.
  int64_t scripts = 0;
  for (const auto& [cmd, n] : *sent) {
    if (cmd == "evalsha" || cmd == "eval") scripts += n;
  }
  EXPECT_EQ(scripts, 3);
  EXPECT_EQ(sent->count("set"), 0u);
  EXPECT_EQ(sent->at("get"), 3);
  const CommandCounts delta = Delta(*after, *before);
  EXPECT_EQ(delta.at("set"), 3);
  EXPECT_EQ(delta.at("hset"), 3);
  EXPECT_EQ(delta.at("get"), 3);
}

}  // namespace
}  // namespace qpv::bench
