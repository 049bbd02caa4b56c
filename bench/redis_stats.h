// What a scenario costs in Redis, per call:
// - CommandStats: INFO commandstats before and after the measured window.
//   Redis counts the commands a Lua script runs as well as the EVALSHA that
//   ran it, so these are all commands executed, script bodies included.
// - MonitorCounter: MONITOR during a short sequential probe. MONITOR marks
//   the commands a script runs ("[0 lua]"), so what it counts without them
//   is what the services sent: the round trips (a pipeline of n commands
//   counts n; the services pipeline only on some list and national paths).
// Housekeeping commands (PING of the health checks, INFO, CONFIG, SCRIPT
// LOAD, MONITOR, ECHO, ...) are left out of both.
#ifndef QPV_BENCH_REDIS_STATS_H_
#define QPV_BENCH_REDIS_STATS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_client.h"

struct redisContext;

namespace qpv::bench {

using CommandCounts = std::map<std::string, int64_t>;  // lower-case command -> calls

// Parses INFO commandstats ("cmdstat_evalsha:calls=12,usec=...").
CommandCounts ParseCommandStats(absl::string_view info);
// after - before, housekeeping left out, zero entries dropped.
CommandCounts Delta(const CommandCounts& after, const CommandCounts& before);
bool IsHousekeeping(absl::string_view command);

// From one MONITOR line ("1700000000.1 [0 unix:/x.sock] \"HGETALL\" \"k\""):
// the lower-case command and whether a script ran it. False when the line
// is not a command.
bool ParseMonitorLine(absl::string_view line, std::string* command, bool* from_script);

class CommandStats {
 public:
  static absl::StatusOr<std::unique_ptr<CommandStats>> Connect(const std::string& url);
  absl::StatusOr<CommandCounts> Read();
  redis::RedisClient& client() { return *client_; }

 private:
  explicit CommandStats(std::unique_ptr<redis::RedisClient> c) : client_(std::move(c)) {}
  std::unique_ptr<redis::RedisClient> client_;
};

// Counts the commands clients send (not those run by scripts) from Start()
// to Stop().
class MonitorCounter {
 public:
  // `stats` sends the end marker (an ECHO) at Stop().
  static absl::StatusOr<std::unique_ptr<MonitorCounter>> Start(const std::string& url,
                                                               CommandStats* stats);
  ~MonitorCounter();
  // Waits for every command sent before it to be seen.
  absl::StatusOr<CommandCounts> Stop();

 private:
  MonitorCounter(redisContext* ctx, CommandStats* stats);
  void Loop();

  redisContext* ctx_;
  CommandStats* stats_;
  const std::string marker_;
  std::thread thread_;
  std::atomic<bool> done_{false};
  CommandCounts counts_;  // written by the thread until done_
  std::string error_;
};

}  // namespace qpv::bench

#endif  // QPV_BENCH_REDIS_STATS_H_
