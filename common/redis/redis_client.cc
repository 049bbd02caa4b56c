#include "common/redis/redis_client.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <algorithm>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"

namespace qpv::redis {
namespace {

timeval ToTv(absl::Duration d) { return absl::ToTimeval(d); }

// hiredis builds our Reply directly (instead of its redisReply tree, then a
// copy): an element of an array is constructed in place in its parent.
Reply* Place(const redisReadTask* task) {
  if (task->parent != nullptr) {
    auto* parent = static_cast<Reply*>(task->parent->obj);
    return &parent->elements[task->idx];
  }
  return new Reply();
}

void* CreateString(const redisReadTask* task, char* str, size_t len) {
  Reply* r = Place(task);
  r->type = task->type == REDIS_REPLY_ERROR    ? Reply::Type::kError
            : task->type == REDIS_REPLY_STATUS ? Reply::Type::kStatus
                                               : Reply::Type::kString;
  r->str.assign(str, len);
  return r;
}

void* CreateArray(const redisReadTask* task, int elements) {
  Reply* r = Place(task);
  r->type = Reply::Type::kArray;
  r->elements.resize(elements > 0 ? elements : 0);
  return r;
}

void* CreateInteger(const redisReadTask* task, long long value) {
  Reply* r = Place(task);
  r->type = Reply::Type::kInteger;
  r->integer = value;
  return r;
}

void* CreateNil(const redisReadTask* task) {
  Reply* r = Place(task);
  r->type = Reply::Type::kNil;
  return r;
}

// hiredis frees only a top-level reply (its elements live inside it).
void FreeReply(void* reply) { delete static_cast<Reply*>(reply); }

redisReplyObjectFunctions kReplyFunctions = {CreateString, CreateArray, CreateInteger, CreateNil,
                                             FreeReply};

absl::Status Unavailable(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat("the data store is unavailable (", what, ")"));
}

}  // namespace

absl::Status ErrorReplyToStatus(absl::string_view error) {
  static const auto* codes = new std::map<std::string, absl::StatusCode, std::less<>>{
      {"QPV_NOT_FOUND", absl::StatusCode::kNotFound},
      {"QPV_ALREADY_EXISTS", absl::StatusCode::kAlreadyExists},
      {"QPV_ABORTED", absl::StatusCode::kAborted},
      {"QPV_FAILED_PRECONDITION", absl::StatusCode::kFailedPrecondition},
      {"QPV_RESOURCE_EXHAUSTED", absl::StatusCode::kResourceExhausted},
      {"QPV_INVALID_ARGUMENT", absl::StatusCode::kInvalidArgument},
      {"QPV_DATA_LOSS", absl::StatusCode::kDataLoss},
  };
  // Redis may prefix script errors ("ERR Error running script ... QPV_...").
  const size_t at = error.find("QPV_");
  if (at != absl::string_view::npos) {
    absl::string_view rest = error.substr(at);
    const size_t space = rest.find(' ');
    const absl::string_view code = rest.substr(0, space);
    auto it = codes->find(code);
    if (it != codes->end()) {
      absl::string_view message =
          space == absl::string_view::npos ? code : rest.substr(space + 1);
      return absl::Status(it->second, message);
    }
  }
  if (absl::StartsWith(error, "LOADING") || absl::StartsWith(error, "MASTERDOWN") ||
      absl::StartsWith(error, "TRYAGAIN") || absl::StartsWith(error, "BUSY")) {
    return Unavailable("store busy or loading");
  }
  return absl::InternalError(absl::StrCat("redis error: ", error));
}

absl::StatusOr<Endpoint> ParseUrl(absl::string_view url) {
  Endpoint ep;
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid Redis URL '", url, "': ", why,
        " (expected redis://host:port/db or unix:///path/redis.sock)"));
  };
  if (absl::ConsumePrefix(&url, "unix://")) {
    absl::string_view path = url;
    const size_t q = path.find('?');
    if (q != absl::string_view::npos) {
      absl::string_view query = path.substr(q + 1);
      path = path.substr(0, q);
      if (!absl::ConsumePrefix(&query, "db=") || !absl::SimpleAtoi(query, &ep.db) || ep.db < 0) {
        return bad("bad ?db=");
      }
    }
    if (path.empty() || path[0] != '/') return bad("the socket path must be absolute");
    ep.unix_path = std::string(path);
    return ep;
  }
  if (!absl::ConsumePrefix(&url, "redis://")) return bad("unknown scheme");
  const size_t at = url.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view userinfo = url.substr(0, at);
    url = url.substr(at + 1);
    const size_t colon = userinfo.find(':');
    ep.password = std::string(colon == absl::string_view::npos ? userinfo : userinfo.substr(colon + 1));
  }
  absl::string_view hostport = url;
  const size_t slash = url.find('/');
  if (slash != absl::string_view::npos) {
    hostport = url.substr(0, slash);
    absl::string_view db = url.substr(slash + 1);
    if (!db.empty() && (!absl::SimpleAtoi(db, &ep.db) || ep.db < 0 || ep.db > 15)) {
      return bad("the database must be a number 0..15");
    }
  }
  const size_t colon = hostport.rfind(':');
  if (colon != absl::string_view::npos && hostport.find(']') == absl::string_view::npos) {
    if (!absl::SimpleAtoi(hostport.substr(colon + 1), &ep.port) || ep.port <= 0 ||
        ep.port > 65535) {
      return bad("bad port");
    }
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) return bad("missing host");
  ep.host = std::string(hostport);
  return ep;
}

// ---------------------------------------------------------------- connection

namespace {

struct ContextDeleter {
  void operator()(redisContext* c) const {
    if (c) redisFree(c);
  }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

// Commands in the Redis protocol (RESP), binary-safe, formatted on the
// caller's thread straight from its arguments, so the leader only copies
// bytes.
class Wire {
 public:
  explicit Wire(size_t reserve) { out_.reserve(reserve); }
  Wire& Command(size_t argc) {
    absl::StrAppend(&out_, "*", argc, "\r\n");
    ++count_;
    return *this;
  }
  Wire& Arg(absl::string_view arg) {
    absl::StrAppend(&out_, "$", arg.size(), "\r\n");
    out_.append(arg.data(), arg.size());
    out_.append("\r\n", 2);
    return *this;
  }
  Wire& Arg(const RedisClient::InPlaceArg& arg) {
    absl::StrAppend(&out_, "$", arg.size, "\r\n");
    const size_t at = out_.size();
    out_.resize(at + arg.size);
    arg.write(out_.data() + at);
    out_.append("\r\n", 2);
    return *this;
  }
  Wire& Args(const std::vector<std::string>& args) {
    for (const std::string& a : args) Arg(a);
    return *this;
  }
  size_t count() const { return count_; }
  std::string& bytes() { return out_; }

  // Room for `args` with their framing.
  static size_t SizeOf(const std::vector<std::string>& args) {
    size_t n = 16;
    for (const std::string& a : args) n += a.size() + 16;
    return n;
  }

 private:
  std::string out_;
  size_t count_ = 0;  // commands, hence replies
};

// Sends `cmd` on a connection that has nothing else in flight and reads its
// reply.
absl::StatusOr<std::unique_ptr<Reply>> SendAndRead(redisContext* ctx,
                                                    const std::vector<std::string>& cmd) {
  Wire wire(Wire::SizeOf(cmd));
  wire.Command(cmd.size()).Args(cmd);
  void* raw = nullptr;
  if (redisAppendFormattedCommand(ctx, wire.bytes().data(), wire.bytes().size()) != REDIS_OK ||
      redisGetReply(ctx, &raw) != REDIS_OK || raw == nullptr) {
    return Unavailable(ctx->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)
                           ? "timed out"
                           : "connection lost");
  }
  return std::unique_ptr<Reply>(static_cast<Reply*>(raw));
}

// A new connection, with our reply functions and timeouts, after AUTH and
// SELECT and, `with_setup`, the options' connection_setup.
absl::StatusOr<ContextPtr> DialContext(const Endpoint& endpoint, const Options& options,
                                       bool with_setup) {
  const timeval ct = ToTv(options.connect_timeout);
  ContextPtr ctx(endpoint.unix_path.empty()
                     ? redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, ct)
                     : redisConnectUnixWithTimeout(endpoint.unix_path.c_str(), ct));
  if (!ctx) return Unavailable("cannot allocate a connection");
  if (ctx->err) {
    log::Warn("redis_connect_failed", {{"error", ctx->errstr}});
    return Unavailable("cannot connect");
  }
  ctx->reader->fn = &kReplyFunctions;
  if (redisSetTimeout(ctx.get(), ToTv(options.command_timeout)) != REDIS_OK) {
    return Unavailable("cannot set timeout");
  }
  std::vector<std::vector<std::string>> setup;
  if (!endpoint.password.empty()) setup.push_back({"AUTH", endpoint.password});
  if (endpoint.db != 0) setup.push_back({"SELECT", std::to_string(endpoint.db)});
  if (with_setup && options.connection_setup) {
    for (auto& cmd : options.connection_setup()) setup.push_back(std::move(cmd));
  }
  for (const auto& cmd : setup) {
    auto r = SendAndRead(ctx.get(), cmd);
    if (!r.ok()) return Unavailable("connection setup failed");
    if ((*r)->is_error()) {
      log::Error("redis_setup_failed", {{"command", cmd[0]}, {"error", (*r)->str}});
      return Unavailable("connection setup refused");
    }
  }
  return ctx;
}

// One caller's commands, queued on a connection as a unit, and what came
// back. Shared by the caller and the leader that sends it: a caller that
// timed out leaves, and the leader still reads (and drops) its replies, so
// the replies of the calls behind it stay in step.
struct Request {
  Request(std::string w, size_t n) : wire(std::move(w)), count(n) {}
  std::string wire;     // the formatted commands (its caller may take them back once done)
  const size_t count;   // how many replies they produce
  // Filled by the leader that sends the request; read by the caller once
  // `done` (both under the connection's mutex).
  std::vector<Reply> replies;
  absl::Status status;  // not OK: the request failed as a whole
  bool done = false;
  absl::CondVar cv;  // signalled when done, or to make its caller lead
  // Set for a caller that does not wait (RoundTripAsync): run once the
  // request is done, outside the connection's mutex, by whoever completed
  // it. Nobody sleeps on `cv` for such a request.
  std::function<void(Request&)> on_done;
};

}  // namespace

// One connection shared by many callers, without a thread of its own
// (leader/follower): a caller that finds the connection idle becomes the
// leader and does the round trip for every request queued at that moment,
// its own included; callers arriving meanwhile queue up and sleep. When the
// leader is done it wakes the callers it served and hands the lead to the
// first one still queued, which sends all the queue has gathered. So each
// call sleeps and wakes once, as with a connection of its own, while under
// load one write and a few reads serve a whole batch.
class RedisClient::Connection {
 public:
  Connection(const Options& options, const Endpoint& endpoint, std::atomic<uint64_t>* epoch)
      : options_(options), endpoint_(endpoint), epoch_(epoch) {}

  // Sends the request (or has it sent) and waits until `deadline` for it.
  absl::Status Call(const std::shared_ptr<Request>& request, absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(request);
    while (!request->done) {
      if (!busy_) {
        Lead();
        continue;  // our request was in the batch
      }
      if (request->cv.WaitWithDeadline(&mu_, deadline) && !request->done) {
        auto queued = std::find(queue_.begin(), queue_.end(), request);
        if (queued != queue_.end()) {
          queue_.erase(queued);  // never sent
        }  // else in flight: its leader reads the replies and drops them
        // We may have been woken to lead just as we timed out: pass it on.
        if (!busy_) HandOff();
        return Unavailable("timed out");
      }
    }
    return request->status;
  }

  // Queues a request whose on_done completes it, without waiting for it:
  // the connection's sender thread (started on first use) leads when no
  // caller does, so the calling thread (a gRPC callback thread) goes on
  // taking calls, which join the next batch.
  void Submit(const std::shared_ptr<Request>& request) {
    absl::MutexLock lock(&mu_);
    if (!sender_.joinable()) sender_ = std::thread([this] { SendLoop(); });
    queue_.push_back(request);
    if (!busy_) sender_cv_.Signal();
  }

  // Requests still queued (none once the server has drained) fail.
  ~Connection() {
    std::vector<std::shared_ptr<Request>> left;
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
      sender_cv_.Signal();
    }
    if (sender_.joinable()) sender_.join();
    {
      absl::MutexLock lock(&mu_);
      left.swap(queue_);
    }
    Complete(left, 0, Unavailable("the Redis client is closing"));
  }

 private:
  // Sends everything queued; called and returns with mu_ held. Then hands
  // the lead to a caller still queued, or to the sender thread when nobody
  // queued waits (which may be this thread: it leads again).
  void Lead() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    busy_ = true;
    std::vector<std::shared_ptr<Request>> batch;
    batch.swap(queue_);
    mu_.Unlock();
    RunBatch(batch);
    mu_.Lock();
    busy_ = false;
    HandOff();
  }

  // Wakes the next leader if anything is queued: the first caller queued,
  // or the sender thread when nobody queued waits.
  void HandOff() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (queue_.empty()) return;
    if (Request* waiter = FirstWaiter()) {
      waiter->cv.Signal();
    } else {
      sender_cv_.Signal();
    }
  }

  // The sender thread: leads whenever requests nobody waits for are queued
  // and no caller leads.
  void SendLoop() {
    absl::MutexLock lock(&mu_);
    while (!stopping_) {
      if (!busy_ && !queue_.empty() && FirstWaiter() == nullptr) {
        Lead();
      } else {
        sender_cv_.Wait(&mu_);
      }
    }
  }

  // The first queued request whose caller waits for it, or null.
  Request* FirstWaiter() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const auto& r : queue_) {
      if (!r->on_done) return r.get();
    }
    return nullptr;
  }

  // Writes the whole batch, then reads the replies in order, completing each
  // request as soon as its last reply is in. Runs without mu_.
  void RunBatch(const std::vector<std::shared_ptr<Request>>& batch) ABSL_LOCKS_EXCLUDED(mu_) {
    if (ctx_ && ctx_epoch_ != epoch_->load()) ctx_.reset();  // another connection failed
    if (!ctx_) {
      absl::Status dialled = Dial();
      if (!dialled.ok()) {
        // Redis is down: the other connections are dead too, or will be.
        epoch_->fetch_add(1);
        return Complete(batch, 0, dialled);
      }
    }
    if (!WriteAll(batch)) return IoError(batch, 0);
    std::vector<Reply> replies;
    for (size_t i = 0; i < batch.size(); ++i) {
      Request& r = *batch[i];
      replies.reserve(r.count);
      while (replies.size() < r.count) {
        void* raw = nullptr;
        if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
          return IoError(batch, i);
        }
        std::unique_ptr<Reply> reply(static_cast<Reply*>(raw));
        replies.push_back(std::move(*reply));
      }
      if (r.on_done) {
        r.replies.swap(replies);
        r.done = true;
        r.on_done(r);
        continue;
      }
      absl::MutexLock lock(&mu_);
      r.replies.swap(replies);
      r.done = true;
      r.cv.Signal();
    }
  }

  // Writes the batch's commands from where they are, in one writev when
  // the socket takes them: through hiredis's output buffer each would be
  // copied once more (for a national snapshot, MiBs). hiredis then finds
  // its buffer empty and only reads. False with ctx_->err set on failure
  // (errno kept, for IoError).
  bool WriteAll(const std::vector<std::shared_ptr<Request>>& batch) {
    std::vector<iovec> iov;
    iov.reserve(batch.size());
    for (const auto& r : batch) {
      if (!r->wire.empty()) iov.push_back({r->wire.data(), r->wire.size()});
    }
    size_t next = 0;
    while (next < iov.size()) {
      const int n = static_cast<int>(std::min<size_t>(iov.size() - next, IOV_MAX));
      const ssize_t written = writev(ctx_->fd, &iov[next], n);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        const int error = written < 0 ? errno : EPIPE;
        ctx_->err = REDIS_ERR_IO;
        snprintf(ctx_->errstr, sizeof(ctx_->errstr), "%s", strerror(error));
        errno = error;
        return false;
      }
      auto left = static_cast<size_t>(written);
      while (next < iov.size() && left >= iov[next].iov_len) left -= iov[next++].iov_len;
      if (left > 0) {
        iov[next].iov_base = static_cast<char*>(iov[next].iov_base) + left;
        iov[next].iov_len -= left;
      }
    }
    return true;
  }

  // Fails the requests of `batch` from `first` on, drops the connection and
  // makes the other connections re-dial.
  void IoError(const std::vector<std::shared_ptr<Request>>& batch, size_t first) {
    const bool timeout = ctx_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
    log::Warn("redis_io_error", {{"error", ctx_->errstr},
                                 {"calls_failed", static_cast<int64_t>(batch.size() - first)}});
    // Before the callers hear of it, so their next call re-dials.
    epoch_->fetch_add(1);
    ctx_.reset();
    Complete(batch, first, Unavailable(timeout ? "timed out" : "connection lost"));
  }

  void Complete(const std::vector<std::shared_ptr<Request>>& batch, size_t first,
                const absl::Status& status) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      for (size_t i = first; i < batch.size(); ++i) {
        if (batch[i]->on_done) continue;
        batch[i]->status = status;
        batch[i]->done = true;
        batch[i]->cv.Signal();
      }
    }
    for (size_t i = first; i < batch.size(); ++i) {
      if (!batch[i]->on_done) continue;
      batch[i]->status = status;
      batch[i]->done = true;
      batch[i]->on_done(*batch[i]);
    }
  }

  absl::Status Dial() {
    const uint64_t epoch = epoch_->load();
    auto ctx = DialContext(endpoint_, options_, /*with_setup=*/true);
    if (!ctx.ok()) return ctx.status();
    ctx_ = *std::move(ctx);
    ctx_epoch_ = epoch;
    return absl::OkStatus();
  }

  const Options& options_;
  const Endpoint& endpoint_;
  std::atomic<uint64_t>* const epoch_;

  absl::Mutex mu_;
  std::vector<std::shared_ptr<Request>> queue_ ABSL_GUARDED_BY(mu_);  // not yet sent
  bool busy_ ABSL_GUARDED_BY(mu_) = false;  // a leader is doing a round trip
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::CondVar sender_cv_;  // wakes the sender thread
  std::thread sender_;       // started by the first Submit

  // The leader's own (only the caller that set busy_ touches them).
  ContextPtr ctx_;
  uint64_t ctx_epoch_ = 0;
};

// ---------------------------------------------------------------- client

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(const Options& options) {
  auto ep = ParseUrl(options.url);
  if (!ep.ok()) return ep.status();
  if (options.pool_size < 1) return absl::InvalidArgumentError("redis pool size must be >= 1");
  if (options.command_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("redis command timeout must be positive");
  }
  // hiredis writes with write(2): a peer that went away would raise SIGPIPE
  // and kill the process instead of giving us an error to handle.
  signal(SIGPIPE, SIG_IGN);
  return std::unique_ptr<RedisClient>(new RedisClient(options, *std::move(ep)));
}

RedisClient::RedisClient(Options options, Endpoint endpoint)
    : options_(std::move(options)), endpoint_(std::move(endpoint)) {
  connections_.reserve(options_.pool_size);
  for (int i = 0; i < options_.pool_size; ++i) {
    connections_.push_back(std::make_unique<Connection>(options_, endpoint_, &epoch_));
  }
}

RedisClient::~RedisClient() = default;

namespace {

Wire OneCommand(const std::vector<std::string>& args) {
  Wire wire(Wire::SizeOf(args));
  wire.Command(args.size()).Args(args);
  return wire;
}

// EVAL body|EVALSHA sha, then the keys and arguments, and `last` if any.
Wire EvalCommand(absl::string_view verb, absl::string_view script,
                 const std::vector<std::string>& keys, const std::vector<std::string>& args,
                 const RedisClient::InPlaceArg* last) {
  Wire wire(Wire::SizeOf(keys) + Wire::SizeOf(args) + script.size() + 64 +
            (last != nullptr ? last->size + 32 : 0));
  wire.Command(3 + keys.size() + args.size() + (last != nullptr ? 1 : 0))
      .Arg(verb)
      .Arg(script)
      .Arg(std::to_string(keys.size()))
      .Args(keys)
      .Args(args);
  if (last != nullptr) wire.Arg(*last);
  return wire;
}

// The script's command: EVALSHA once its sha is known, else EVAL.
Wire ScriptCommand(const Script& script, const std::string& sha,
                   const std::vector<std::string>& keys, const std::vector<std::string>& args,
                   const RedisClient::InPlaceArg* last) {
  return sha.empty() ? EvalCommand("EVAL", script.body(), keys, args, last)
                     : EvalCommand("EVALSHA", sha, keys, args, last);
}

// Redis lost its script cache (a restart, SCRIPT FLUSH).
bool IsNoScript(const Reply& r) { return r.is_error() && absl::StartsWith(r.str, "NOSCRIPT"); }

}  // namespace

absl::StatusOr<std::vector<Reply>> RedisClient::RoundTrip(std::string wire, size_t count,
                                                           std::string* sent) {
  auto request = std::make_shared<Request>(std::move(wire), count);
  Connection& connection =
      *connections_[next_.fetch_add(1, std::memory_order_relaxed) % connections_.size()];
  const absl::Status status =
      connection.Call(request, absl::Now() + options_.command_timeout);
  if (!status.ok()) return status;
  // Done: its leader no longer touches it.
  if (sent != nullptr) *sent = std::move(request->wire);
  return std::move(request->replies);
}

absl::StatusOr<Reply> RedisClient::Command(const std::vector<std::string>& args) {
  Wire wire = OneCommand(args);
  auto replies = RoundTrip(std::move(wire.bytes()), 1);
  if (!replies.ok()) return replies.status();
  Reply& r = (*replies)[0];
  if (r.is_error()) return ErrorReplyToStatus(r.str);
  return std::move(r);
}

absl::StatusOr<std::vector<Reply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<Reply>();
  size_t size = 0;
  for (const auto& cmd : commands) size += Wire::SizeOf(cmd);
  Wire wire(size);
  for (const auto& cmd : commands) wire.Command(cmd.size()).Args(cmd);
  return RoundTrip(std::move(wire.bytes()), wire.count());
}

absl::StatusOr<Reply> RedisClient::Eval(Script& script, const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args) {
  return Eval(script, keys, args, static_cast<const InPlaceArg*>(nullptr));
}

absl::StatusOr<Reply> RedisClient::Eval(Script& script, const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args,
                                        const InPlaceArg& last) {
  return Eval(script, keys, args, &last);
}

absl::StatusOr<Reply> RedisClient::Eval(Script& script, const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args,
                                        const InPlaceArg* last) {
  const std::string sha = script.sha();
  Wire wire = ScriptCommand(script, sha, keys, args, last);
  std::string sent;
  auto replies = RoundTrip(std::move(wire.bytes()), 1, &sent);
  if (!replies.ok()) return replies.status();
  Reply r = std::move((*replies)[0]);
  if (IsNoScript(r)) {
    // Redis restarted and lost its script cache: load the body once more,
    // then send the same command again.
    auto loaded = Command({"SCRIPT", "LOAD", script.body()});
    if (!loaded.ok()) return loaded.status();
    replies = RoundTrip(std::move(sent), 1);
    if (!replies.ok()) return replies.status();
    r = std::move((*replies)[0]);
  }
  if (sha.empty() && !r.is_error()) {
    // EVAL cached the script on the server; learn its sha for next time.
    script.Learn(Command({"SCRIPT", "LOAD", script.body()}));
  }
  if (r.is_error()) return ErrorReplyToStatus(r.str);
  return r;
}

void RedisClient::RoundTripAsync(std::string wire,
                                 std::function<void(absl::StatusOr<Reply>, std::string)> done) {
  auto request = std::make_shared<Request>(std::move(wire), 1);
  request->on_done = [done = std::move(done)](Request& r) {
    if (!r.status.ok()) return done(r.status, std::move(r.wire));
    done(std::move(r.replies[0]), std::move(r.wire));
  };
  Connection& connection =
      *connections_[next_.fetch_add(1, std::memory_order_relaxed) % connections_.size()];
  connection.Submit(request);
}

void RedisClient::CommandAsync(const std::vector<std::string>& args, ReplyCallback done) {
  Wire wire = OneCommand(args);
  RoundTripAsync(std::move(wire.bytes()),
                 [done = std::move(done)](absl::StatusOr<Reply> r, std::string) {
                   if (r.ok() && r->is_error()) return done(ErrorReplyToStatus(r->str));
                   done(std::move(r));
                 });
}

void RedisClient::EvalAsync(Script& script, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args, ReplyCallback done) {
  const std::string sha = script.sha();
  Wire wire = ScriptCommand(script, sha, keys, args, nullptr);
  // As Eval, each further round trip started from the reply before it.
  const auto finish = [this, &script, learn = sha.empty()](absl::StatusOr<Reply> r,
                                                           const ReplyCallback& done) {
    if (r.ok() && r->is_error()) return done(ErrorReplyToStatus(r->str));
    if (learn && r.ok()) {
      // EVAL cached the script on the server; learn its sha for next time.
      CommandAsync({"SCRIPT", "LOAD", script.body()},
                   [&script](absl::StatusOr<Reply> loaded) { script.Learn(loaded); });
    }
    done(std::move(r));
  };
  RoundTripAsync(std::move(wire.bytes()), [this, &script, finish, done = std::move(done)](
                                              absl::StatusOr<Reply> r, std::string sent) mutable {
    if (!r.ok() || !IsNoScript(*r)) {
      return finish(std::move(r), done);
    }
    // Redis restarted and lost its script cache: load the body once
    // more, then send the same command again.
    CommandAsync({"SCRIPT", "LOAD", script.body()},
                 [this, finish, done = std::move(done),
                  sent = std::move(sent)](absl::StatusOr<Reply> loaded) mutable {
                   if (!loaded.ok()) return done(loaded.status());
                   RoundTripAsync(std::move(sent), [finish, done = std::move(done)](
                                                       absl::StatusOr<Reply> r, std::string) {
                     finish(std::move(r), done);
                   });
                 });
  });
}

absl::Status RedisClient::Ping() {
  auto r = Command({"PING"});
  return r.ok() ? absl::OkStatus() : r.status();
}

// ------------------------------------------------------ dedicated connection

struct DedicatedConnection::Context {
  ContextPtr ctx;
};

DedicatedConnection::DedicatedConnection(std::unique_ptr<Context> context)
    : context_(std::move(context)) {}

DedicatedConnection::~DedicatedConnection() = default;

absl::StatusOr<std::unique_ptr<DedicatedConnection>> DedicatedConnection::Dial(
    const Options& options) {
  auto endpoint = ParseUrl(options.url);
  if (!endpoint.ok()) return endpoint.status();
  signal(SIGPIPE, SIG_IGN);  // as RedisClient::Create
  auto ctx = DialContext(*endpoint, options, /*with_setup=*/false);
  if (!ctx.ok()) return ctx.status();
  auto context = std::make_unique<Context>();
  context->ctx = *std::move(ctx);
  return std::unique_ptr<DedicatedConnection>(new DedicatedConnection(std::move(context)));
}

absl::StatusOr<Reply> DedicatedConnection::Command(const std::vector<std::string>& args) {
  auto r = SendAndRead(context_->ctx.get(), args);
  if (!r.ok()) return r.status();
  if ((*r)->is_error()) return ErrorReplyToStatus((*r)->str);
  return std::move(**r);
}

absl::Status DedicatedConnection::Send(const std::vector<std::string>& args) {
  redisContext* ctx = context_->ctx.get();
  Wire wire = OneCommand(args);
  if (redisAppendFormattedCommand(ctx, wire.bytes().data(), wire.bytes().size()) != REDIS_OK) {
    return Unavailable("connection lost");
  }
  int done = 0;
  while (!done) {
    if (redisBufferWrite(ctx, &done) != REDIS_OK) return Unavailable("connection lost");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Reply>> DedicatedConnection::Next(absl::Duration wait) {
  redisContext* ctx = context_->ctx.get();
  const auto take = [&]() -> absl::StatusOr<std::optional<Reply>> {
    void* raw = nullptr;
    if (redisGetReplyFromReader(ctx, &raw) != REDIS_OK) return Unavailable("protocol error");
    if (raw == nullptr) return std::optional<Reply>();
    std::unique_ptr<Reply> reply(static_cast<Reply*>(raw));
    return std::optional<Reply>(std::move(*reply));
  };
  auto buffered = take();  // a read may have brought several
  if (!buffered.ok() || buffered->has_value()) return buffered;
  pollfd pfd{ctx->fd, POLLIN, 0};
  const int ready = poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(wait)));
  if (ready < 0 && errno != EINTR) return Unavailable("connection lost");
  if (ready <= 0) return std::optional<Reply>();
  if (redisBufferRead(ctx) != REDIS_OK) return Unavailable("connection lost");
  return take();
}

std::string KeyPrefix(absl::string_view service, absl::string_view prefecture) {
  return absl::StrCat(service, ":{", prefecture, "}:");
}

}  // namespace qpv::redis
