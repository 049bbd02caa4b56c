// A Redis client over hiredis for the services' stores.
//
// - A pool of blocking connections (a redisContext is not thread-safe), each
//   with connect and command timeouts; a call waits at most the command
//   timeout for a free connection.
// - Reconnects by itself: a connection that fails is dropped together with
//   every idle one (after a Redis restart they are all dead), and the next
//   call dials afresh. While Redis is down calls fail fast with UNAVAILABLE.
// - Pipelining: several commands in one round trip.
// - Lua scripts (EVALSHA, falling back to EVAL after a Redis restart flushed
//   the script cache) for atomic multi-key changes. A script signals a domain
//   error with redis.error_reply("QPV_<CODE> message"), e.g.
//   "QPV_ABORTED etag mismatch", which becomes that absl status code.
// - Keys of one préfecture share a hash tag (KeyPrefix) so scripts stay
//   valid on Redis Cluster.
#ifndef QPV_COMMON_REDIS_REDIS_CLIENT_H_
#define QPV_COMMON_REDIS_REDIS_CLIENT_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct redisContext;

namespace qpv::redis {

struct Reply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;        // kString, kStatus, kError
  long long integer = 0;  // kInteger
  std::vector<Reply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

// The status an error reply stands for: "QPV_<CODE> message" maps to <CODE>;
// any other error reply is INTERNAL (its text is for logs only).
absl::Status ErrorReplyToStatus(absl::string_view error);

struct Endpoint {
  std::string unix_path;  // set for unix://
  std::string host;
  int port = 6379;
  int db = 0;
  std::string password;
};

// redis://[:password@]host[:port][/db] or unix:///path/to/redis.sock[?db=N]
absl::StatusOr<Endpoint> ParseUrl(absl::string_view url);

struct Options {
  std::string url = "redis://127.0.0.1:6379/0";
  int pool_size = 32;
  absl::Duration connect_timeout = absl::Milliseconds(300);
  absl::Duration command_timeout = absl::Seconds(2);
};

// A Lua script, loaded lazily into Redis on first use.
class Script {
 public:
  explicit Script(std::string body) : body_(std::move(body)) {}
  const std::string& body() const { return body_; }

 private:
  friend class RedisClient;
  std::string body_;
  absl::Mutex mu_;
  std::string sha_ ABSL_GUARDED_BY(mu_);
};

class RedisClient {
 public:
  // Parses the URL; does not need Redis to be up (it dials on demand).
  static absl::StatusOr<std::unique_ptr<RedisClient>> Create(const Options& options);
  ~RedisClient();

  // One command. Error replies become statuses (ErrorReplyToStatus).
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args);

  // Several commands in one round trip. Error replies stay in the result
  // (Type::kError) so the caller sees which command failed.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // Runs a script atomically. Error replies become statuses.
  absl::StatusOr<Reply> Eval(Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args);

  // PING; UNAVAILABLE when Redis cannot be reached.
  absl::Status Ping();

  const Options& options() const { return options_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  RedisClient(Options options, Endpoint endpoint);
  absl::StatusOr<ContextPtr> Acquire();
  void Release(ContextPtr ctx);
  // Drops a failed connection and every idle one.
  void Discard(ContextPtr ctx);
  absl::StatusOr<ContextPtr> Dial();
  absl::StatusOr<std::vector<Reply>> RoundTrip(
      const std::vector<std::vector<std::string>>& commands);

  const Options options_;
  const Endpoint endpoint_;
  absl::Mutex mu_;
  std::vector<ContextPtr> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

// "<service>:{<prefecture>}:" so all keys of one préfecture of one service
// hash to the same cluster slot.
std::string KeyPrefix(absl::string_view service, absl::string_view prefecture);

}  // namespace qpv::redis

#endif  // QPV_COMMON_REDIS_REDIS_CLIENT_H_
