#include "bench/load_generator_options.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qpv::bench {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<GeneratorOptions> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "qpv-bench");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseOptions(static_cast<int>(argv.size()), argv.data());
}

TEST(OptionsTest, Defaults) {
  auto o = Parse({"--scenario", "GetWorkshop"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->scenario, "GetWorkshop");
  EXPECT_EQ(o->engine.concurrency, 64);
  EXPECT_EQ(o->channels, 4);
  EXPECT_EQ(o->engine.duration, absl::Seconds(10));
  EXPECT_EQ(o->engine.warmup, absl::Seconds(2));
  EXPECT_EQ(o->redis_probe, 0);
}

TEST(OptionsTest, ValuesInBothForms) {
  auto o = Parse({"--scenario=echo", "--concurrency", "8", "--channels=2", "--duration", "1.5",
                  "--warmup=300ms", "--redis-url", "unix:///tmp/r.sock", "--redis-probe", "50",
                  "--pool", "1000", "--fail-on-errors"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->engine.concurrency, 8);
  EXPECT_EQ(o->channels, 2);
  EXPECT_EQ(o->engine.duration, absl::Milliseconds(1500));
  EXPECT_EQ(o->engine.warmup, absl::Milliseconds(300));
  EXPECT_EQ(o->redis_url, "unix:///tmp/r.sock");
  EXPECT_EQ(o->redis_probe, 50);
  EXPECT_EQ(o->scenario_options.pool, 1000);
  EXPECT_TRUE(o->fail_on_errors);
}

TEST(OptionsTest, CpuPidsByName) {
  auto o = Parse({"--scenario", "echo", "--cpu-pid", "server=123", "--cpu-pid=redis=456"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->cpu_pids, (std::map<std::string, int>{{"redis", 456}, {"server", 123}}));
  for (const char* bad : {"server", "=12", "server=0", "server=x", "client=12"}) {
    EXPECT_THAT(std::string(Parse({"--scenario", "echo", "--cpu-pid", bad}).status().message()),
                HasSubstr("--cpu-pid"))
        << bad;
  }
}

TEST(OptionsTest, ErrorsNameTheOption) {
  EXPECT_THAT(std::string(Parse({"--scenario", "echo", "--concurrency", "0"}).status().message()),
              HasSubstr("--concurrency"));
  EXPECT_THAT(std::string(Parse({"--scenario", "echo", "--duration", "soon"}).status().message()),
              HasSubstr("--duration"));
  EXPECT_THAT(std::string(Parse({"--scenario", "echo", "--bogus"}).status().message()),
              HasSubstr("--bogus"));
  EXPECT_THAT(std::string(Parse({"--scenario"}).status().message()), HasSubstr("needs a value"));
  EXPECT_THAT(std::string(Parse({"--concurrency", "4"}).status().message()),
              HasSubstr("--scenario is required"));
  EXPECT_THAT(std::string(Parse({"--scenario", "echo", "--redis-probe", "5"}).status().message()),
              HasSubstr("--redis-url"));
  EXPECT_THAT(std::string(Parse({"--list=yes"}).status().message()), HasSubstr("takes no value"));
}

TEST(OptionsTest, HelpListsEveryScenario) {
  auto o = Parse({"--help"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->help);
  const std::string usage = UsageText();
  for (const char* name :
       {"echo", "CreateContribution", "GetWorkshop", "GetWorkshopFromRedis", "ListContributions", "ListContributionsFromRedis", "RegisterParticipant",
        "VoteContribution", "GetWorkshopReportCached", "GetWorkshopReportUncached",
        "SubmitPrefectureSnapshot", "GetNationalDashboard", "WatchNationalDashboard"}) {
    EXPECT_THAT(usage, HasSubstr(name));
  }
}

}  // namespace
}  // namespace qpv::bench
