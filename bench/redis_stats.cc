#include "bench/redis_stats.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace qpv::bench {

bool IsHousekeeping(absl::string_view command) {
  static const char* const kHousekeeping[] = {"ping",  "info",   "config", "monitor",
                                              "echo",  "client", "select", "auth",
                                              "hello", "script", "command"};
  for (const char* h : kHousekeeping) {
    if (command == h || absl::StartsWith(command, absl::StrCat(h, "|"))) return true;
  }
  return false;
}

CommandCounts ParseCommandStats(absl::string_view info) {
  CommandCounts out;
  for (absl::string_view line : absl::StrSplit(info, absl::ByAnyChar("\r\n"), absl::SkipEmpty())) {
    if (!absl::ConsumePrefix(&line, "cmdstat_")) continue;
    const size_t colon = line.find(':');
    const size_t calls = line.find("calls=");
    if (colon == absl::string_view::npos || calls == absl::string_view::npos) continue;
    absl::string_view n = line.substr(calls + 6);
    n = n.substr(0, n.find(','));
    int64_t value = 0;
    if (absl::SimpleAtoi(n, &value)) out[absl::AsciiStrToLower(line.substr(0, colon))] = value;
  }
  return out;
}

CommandCounts Delta(const CommandCounts& after, const CommandCounts& before) {
  CommandCounts out;
  for (const auto& [cmd, n] : after) {
    if (IsHousekeeping(cmd)) continue;
    auto it = before.find(cmd);
    const int64_t d = n - (it == before.end() ? 0 : it->second);
    if (d > 0) out[cmd] = d;
  }
  return out;
}

bool ParseMonitorLine(absl::string_view line, std::string* command, bool* from_script) {
  const size_t open = line.find('[');
  const size_t close = line.find("] \"");
  if (open == absl::string_view::npos || close == absl::string_view::npos || close < open) {
    return false;
  }
  const absl::string_view who = line.substr(open + 1, close - open - 1);  // "0 lua", "0 unix:..."
  *from_script = absl::EndsWith(who, " lua");
  absl::string_view rest = line.substr(close + 3);
  *command = absl::AsciiStrToLower(rest.substr(0, rest.find('"')));
  return !command->empty();
}

absl::StatusOr<std::unique_ptr<CommandStats>> CommandStats::Connect(const std::string& url) {
  redis::Options options;
  options.url = url;
  options.pool_size = 2;
  auto client = redis::RedisClient::Create(options);
  if (!client.ok()) return client.status();
  auto stats = std::unique_ptr<CommandStats>(new CommandStats(*std::move(client)));
  if (auto s = stats->client().Ping(); !s.ok()) {
    return absl::UnavailableError(absl::StrCat("--redis-url ", url, ": Redis does not answer"));
  }
  return stats;
}

absl::StatusOr<CommandCounts> CommandStats::Read() {
  auto reply = client_->Command({"INFO", "commandstats"});
  if (!reply.ok()) return reply.status();
  return ParseCommandStats(reply->str);
}

absl::StatusOr<std::unique_ptr<MonitorCounter>> MonitorCounter::Start(const std::string& url,
                                                                      CommandStats* stats) {
  auto endpoint = redis::ParseUrl(url);
  if (!endpoint.ok()) return endpoint.status();
  const timeval timeout{5, 0};
  redisContext* ctx = endpoint->unix_path.empty()
                          ? redisConnectWithTimeout(endpoint->host.c_str(), endpoint->port, timeout)
                          : redisConnectUnixWithTimeout(endpoint->unix_path.c_str(), timeout);
  if (ctx == nullptr || ctx->err) {
    if (ctx != nullptr) redisFree(ctx);
    return absl::UnavailableError("cannot connect to Redis for MONITOR");
  }
  redisSetTimeout(ctx, timeout);
  auto* reply = static_cast<redisReply*>(redisCommand(ctx, "MONITOR"));
  const bool ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
  if (reply != nullptr) freeReplyObject(reply);
  if (!ok) {
    redisFree(ctx);
    return absl::UnavailableError("MONITOR was refused");
  }
  auto counter = std::unique_ptr<MonitorCounter>(new MonitorCounter(ctx, stats));
  counter->thread_ = std::thread([c = counter.get()] { c->Loop(); });
  return counter;
}

MonitorCounter::MonitorCounter(redisContext* ctx, CommandStats* stats)
    : ctx_(ctx),
      stats_(stats),
      marker_(
          absl::StrCat("qpv-bench-monitor-end-", getpid(), "-", absl::ToUnixNanos(absl::Now()))) {}

MonitorCounter::~MonitorCounter() {
  if (thread_.joinable()) {
    // Unblocks the reader (its socket read then fails) and waits for it.
    (void)Stop();
  }
  if (ctx_ != nullptr) redisFree(ctx_);
}

void MonitorCounter::Loop() {
  while (true) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
      error_ = "the MONITOR connection failed or went quiet for 5 s";
      break;
    }
    auto* reply = static_cast<redisReply*>(raw);
    const std::string line(reply->str != nullptr ? reply->str : "",
                           reply->str != nullptr ? reply->len : 0);
    freeReplyObject(reply);
    if (line.find(marker_) != std::string::npos) break;
    std::string command;
    bool from_script = false;
    if (ParseMonitorLine(line, &command, &from_script) && !from_script &&
        !IsHousekeeping(command)) {
      ++counts_[command];
    }
  }
  done_ = true;
}

absl::StatusOr<CommandCounts> MonitorCounter::Stop() {
  if (!thread_.joinable()) return counts_;
  auto sent = stats_->client().Command({"ECHO", marker_});
  thread_.join();
  if (!sent.ok()) return sent.status();
  if (!error_.empty()) return absl::UnavailableError(error_);
  return counts_;
}

}  // namespace qpv::bench
