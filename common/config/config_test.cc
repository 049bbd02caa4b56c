#include "common/config/config.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::config {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

std::vector<Setting> Settings() {
  return {{"QPV_TEST_LISTEN", "0.0.0.0:50052", "address"},
          {"QPV_TEST_POOL_SIZE", "32", "pool"},
          {"QPV_TEST_TIMEOUT", "2s", "timeout"},
          {"QPV_TEST_PREFECTURES", "", "list"}};
}

absl::StatusOr<Config> LoadArgs(std::vector<std::string> args) {
  std::vector<char*> argv;
  static std::string program = "qpv-test";
  argv.push_back(program.data());
  for (auto& a : args) argv.push_back(a.data());
  return Config::Load(static_cast<int>(argv.size()), argv.data(), "qpv-test", Settings());
}

TEST(Config, DefaultsEnvThenFlags) {
  unsetenv("QPV_TEST_LISTEN");
  setenv("QPV_TEST_POOL_SIZE", "8", 1);
  setenv("QPV_TEST_PREFECTURES", " 59, 62 ,,2A", 1);
  auto c = LoadArgs({"--test-listen", "127.0.0.1:1", "--test-timeout=500ms"});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->Get("QPV_TEST_LISTEN"), "127.0.0.1:1");
  EXPECT_EQ(*c->GetInt("QPV_TEST_POOL_SIZE", 1, 100), 8);
  EXPECT_EQ(*c->GetDuration("QPV_TEST_TIMEOUT"), absl::Milliseconds(500));
  EXPECT_EQ(c->GetList("QPV_TEST_PREFECTURES"), (std::vector<std::string>{"59", "62", "2A"}));
  unsetenv("QPV_TEST_POOL_SIZE");
  unsetenv("QPV_TEST_PREFECTURES");
  EXPECT_EQ(FlagName("QPV_METRICS_LISTEN"), "--metrics-listen");
}

TEST(Config, RejectsBadInputClearly) {
  EXPECT_THAT(LoadArgs({"--nope=1"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(LoadArgs({"--test-listen"}), StatusIs(absl::StatusCode::kInvalidArgument));
  auto c = LoadArgs({"--test-pool-size=lots", "--test-timeout=soon"});
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->GetInt("QPV_TEST_POOL_SIZE", 1, 100), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(c->GetDuration("QPV_TEST_TIMEOUT"), StatusIs(absl::StatusCode::kInvalidArgument));
  // --help is reported as NotFound carrying the usage text.
  auto help = LoadArgs({"--help"});
  EXPECT_THAT(help, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_NE(help.status().message().find("QPV_TEST_TIMEOUT"), absl::string_view::npos);
}

}  // namespace
}  // namespace qpv::config
