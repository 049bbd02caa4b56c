// The log lines reach stderr whole, in order, none lost, through the
// background writer. stderr is pointed at a file for the test.
#include "common/logging/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace qpv::log {
namespace {

// Sends fd 2 to a temporary file while alive.
class StderrToFile {
 public:
  StderrToFile() {
    char path[] = "/tmp/qpv-log-test-XXXXXX";
    const int fd = mkstemp(path);
    path_ = path;
    Flush();  // lines of earlier tests go to the old stderr
    saved_ = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~StderrToFile() {
    Flush();
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    unlink(path_.c_str());
  }
  std::vector<std::string> Lines() {
    Flush();
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST(Log, EveryLineOfManyThreadsArrivesWholeAndInOrder) {
  StderrToFile capture;
  SetService("logtest");
  constexpr int kThreads = 16, kLines = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) {
        Info("rpc", {{"thread", t}, {"seq", i}, {"peer", "ipv4:127.0.0.1:1234"}});
      }
    });
  }
  for (auto& t : threads) t.join();
  const std::vector<std::string> lines = capture.Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  const std::regex shape(
      R"re(\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"info","service":"logtest",)re"
      R"re("event":"rpc","thread":(\d+),"seq":(\d+),"peer":"ipv4:127\.0\.0\.1:1234"\})re");
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, shape)) << line;
    int thread = 0, seq = 0;
    ASSERT_TRUE(absl::SimpleAtoi(m[1].str(), &thread));
    ASSERT_TRUE(absl::SimpleAtoi(m[2].str(), &seq));
    ASSERT_LT(thread, kThreads);
    EXPECT_EQ(seq, next[thread]) << "thread " << thread << " out of order";
    next[thread] = seq + 1;
  }
  SetService("qpv");
}

TEST(Log, EscapesAndFormatsFields) {
  StderrToFile capture;
  Warn("odd", {{"text", "a\"b\\c\nd\x01"}, {"ratio", 0.5}, {"count", int64_t{-3}}});
  const std::vector<std::string> lines = capture.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("level":"warn")"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("text":"a\"b\\c\nd\u0001","ratio":0.500,"count":-3})"),
            std::string::npos)
      << lines[0];
}

TEST(Log, QuietDropsInfoButNotWarnings) {
  StderrToFile capture;
  SetQuiet(true);
  Info("hidden");
  Error("shown");
  SetQuiet(false);
  const std::vector<std::string> lines = capture.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("event":"shown")"), std::string::npos);
}

TEST(Log, JsonEscape) {
  EXPECT_EQ(JsonEscape("plain é"), "plain é");
  EXPECT_EQ(JsonEscape("\"\\\t\r"), R"(\"\\\t\r)");
  EXPECT_EQ(JsonEscape(std::string("\0", 1)), R"(\u0000)");
}

}  // namespace
}  // namespace qpv::log
