// A Redis client over hiredis for the services' stores.
//
// - A few connections shared by every caller (pipelining): a call formats
//   its command(s) on its own thread, queues them on one connection and
//   sleeps until its replies are in, at most the command timeout (a caller
//   that has become the leader waits for Redis itself, each read bounded
//   by the timeout, so about twice the timeout at worst). A caller finding
//   the connection idle leads, writing everything queued in one go, reading
//   the replies in order and waking each caller with its own; whoever
//   queued meanwhile is sent by the next leader. So a call costs one sleep
//   and wake-up, as with a connection of its own, and under load a batch of
//   calls costs Redis and the kernel one write and a few reads instead of a
//   round trip each.
// - Asynchronous calls (CommandAsync, EvalAsync) join the same batches
//   without sleeping: each connection's sender thread, started by the first
//   of them, leads when no blocking caller does and completes them with
//   their callbacks. They fail as the blocking ones do (UNAVAILABLE).
// - Reconnects by itself: an I/O error or a timeout fails the calls in
//   flight on that connection (UNAVAILABLE), drops it, and makes every
//   other connection re-dial before its next batch (after a Redis restart
//   they are all dead). While Redis is down calls fail fast with UNAVAILABLE.
// - Pipeline(): several commands of one caller, contiguous and in order on
//   one connection, in the same round trip.
// - Lua scripts (EVALSHA, falling back to EVAL after a Redis restart flushed
//   the script cache) for atomic multi-key changes. A script signals a domain
//   error with redis.error_reply("QPV_<CODE> message"), e.g.
//   "QPV_ABORTED etag mismatch", which becomes that absl status code.
// - Keys of one préfecture share a hash tag (KeyPrefix) so scripts stay
//   valid on Redis Cluster.
// Commands that change a connection's state (SELECT, MULTI, WATCH, blocking
// pops, SUBSCRIBE) must not be sent: the connections are shared.
#ifndef QPV_COMMON_REDIS_REDIS_CLIENT_H_
#define QPV_COMMON_REDIS_REDIS_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

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
  // Connections, each shared by every concurrent call. Two let one batch be
  // written while another is read; more split the batches (fewer commands
  // per write and per Redis read).
  int pool_size = 2;
  absl::Duration connect_timeout = absl::Milliseconds(300);
  absl::Duration command_timeout = absl::Seconds(2);
  // Commands each new connection sends once dialled (after AUTH and SELECT),
  // asked again at every dial; a refused one fails the dial. TrackedReads
  // uses it to turn key tracking on.
  std::function<std::vector<std::vector<std::string>>()> connection_setup;
};

// A Lua script, loaded lazily into Redis on first use.
class Script {
 public:
  explicit Script(std::string body) : body_(std::move(body)) {}
  const std::string& body() const { return body_; }

 private:
  friend class RedisClient;
  // The sha Redis knows the script by; empty until learnt.
  std::string sha() {
    absl::MutexLock lock(&mu_);
    return sha_;
  }
  // Learns the sha from SCRIPT LOAD's reply.
  void Learn(const absl::StatusOr<Reply>& loaded) {
    if (!loaded.ok() || loaded->type != Reply::Type::kString) return;
    absl::MutexLock lock(&mu_);
    sha_ = loaded->str;
  }

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

  // Several commands in one round trip, contiguous and in order on one
  // connection (no other caller's command between them, which is not
  // atomicity: use a script for that). Error replies stay in the result
  // (Type::kError) so the caller sees which command failed.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // Runs a script atomically. Error replies become statuses.
  absl::StatusOr<Reply> Eval(Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args);
  // An argument that writes itself into the command: a value of MiBs (a
  // serialized national snapshot) goes straight into the command's bytes,
  // with no string of its own beside them while the call is under way.
  struct InPlaceArg {
    size_t size = 0;
    std::function<void(char* out)> write;  // writes exactly `size` bytes
  };
  // The same, with `last` after `args` (ARGV[#ARGV]).
  absl::StatusOr<Reply> Eval(Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args, const InPlaceArg& last);

  // The same without waiting, for a caller that must not sleep (a callback
  // gRPC handler): `done` gets the result once the reply is in, on the
  // thread that read it (the connection's sender thread, or a blocking
  // caller leading the connection), never on this one. It must not block,
  // least of all on a blocking call of this client; it may start another
  // asynchronous call. `script` must outlive the call (scripts are static).
  using ReplyCallback = std::function<void(absl::StatusOr<Reply>)>;
  void CommandAsync(const std::vector<std::string>& args, ReplyCallback done);
  void EvalAsync(Script& script, const std::vector<std::string>& keys,
                 const std::vector<std::string>& args, ReplyCallback done);

  // PING; UNAVAILABLE when Redis cannot be reached.
  absl::Status Ping();

  // Makes every connection dial again before its next batch (calls in
  // flight finish on the old one), e.g. when connection_setup changed.
  void Redial() { epoch_.fetch_add(1); }

  const Options& options() const { return options_; }

 private:
  class Connection;  // one connection shared by many callers

  RedisClient(Options options, Endpoint endpoint);
  // Sends `count` commands already in the Redis protocol; their replies.
  // With `sent`, the wire is handed back there once it was sent.
  absl::StatusOr<std::vector<Reply>> RoundTrip(std::string wire, size_t count,
                                               std::string* sent = nullptr);
  absl::StatusOr<Reply> Eval(Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args, const InPlaceArg* last);
  // RoundTrip for one command, without waiting: `done` gets its reply and
  // the wire it sent.
  void RoundTripAsync(std::string wire,
                      std::function<void(absl::StatusOr<Reply>, std::string)> done);

  const Options options_;
  const Endpoint endpoint_;
  // Bumped on every I/O error: a connection dialled before the latest bump
  // re-dials before its next batch.
  std::atomic<uint64_t> epoch_{0};
  std::atomic<uint64_t> next_{0};  // round robin over connections_
  std::vector<std::unique_ptr<Connection>> connections_;
};

// A connection of one owner, not shared: a subscriber's, which after
// SUBSCRIBE receives messages (pushes) instead of replies.
class DedicatedConnection {
 public:
  // Dials, AUTH and SELECT as the shared connections do (not
  // connection_setup). Reads and writes wait at most command_timeout.
  static absl::StatusOr<std::unique_ptr<DedicatedConnection>> Dial(const Options& options);
  ~DedicatedConnection();

  // Sends one command and reads its reply (error replies become statuses).
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args);
  // Sends one command without reading its reply.
  absl::Status Send(const std::vector<std::string>& args);
  // The next reply or message, waiting at most `wait`; nullopt when none
  // came in that time. An error means the connection is lost.
  absl::StatusOr<std::optional<Reply>> Next(absl::Duration wait);

 private:
  struct Context;
  explicit DedicatedConnection(std::unique_ptr<Context> context);
  std::unique_ptr<Context> context_;
};

// "<service>:{<prefecture>}:" so all keys of one préfecture of one service
// hash to the same cluster slot.
std::string KeyPrefix(absl::string_view service, absl::string_view prefecture);

}  // namespace qpv::redis

#endif  // QPV_COMMON_REDIS_REDIS_CLIENT_H_
