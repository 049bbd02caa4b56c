#include "common/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"

namespace qpv::redis {
namespace {

timeval ToTv(absl::Duration d) { return absl::ToTimeval(d); }

Reply Convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::kNil;
  }
  return out;
}

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

void RedisClient::ContextDeleter::operator()(redisContext* c) const {
  if (c) redisFree(c);
}

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(const Options& options) {
  auto ep = ParseUrl(options.url);
  if (!ep.ok()) return ep.status();
  if (options.pool_size < 1) return absl::InvalidArgumentError("redis pool size must be >= 1");
  // hiredis writes with write(2): a peer that went away would raise SIGPIPE
  // and kill the process instead of giving us an error to handle.
  signal(SIGPIPE, SIG_IGN);
  return std::unique_ptr<RedisClient>(new RedisClient(options, *std::move(ep)));
}

RedisClient::RedisClient(Options options, Endpoint endpoint)
    : options_(std::move(options)), endpoint_(std::move(endpoint)) {}

RedisClient::~RedisClient() = default;

absl::StatusOr<RedisClient::ContextPtr> RedisClient::Dial() {
  const timeval ct = ToTv(options_.connect_timeout);
  ContextPtr ctx(endpoint_.unix_path.empty()
                     ? redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, ct)
                     : redisConnectUnixWithTimeout(endpoint_.unix_path.c_str(), ct));
  if (!ctx) return Unavailable("cannot allocate a connection");
  if (ctx->err) {
    log::Warn("redis_connect_failed", {{"error", ctx->errstr}});
    return Unavailable("cannot connect");
  }
  if (redisSetTimeout(ctx.get(), ToTv(options_.command_timeout)) != REDIS_OK) {
    return Unavailable("cannot set timeout");
  }
  std::vector<std::vector<std::string>> setup;
  if (!endpoint_.password.empty()) setup.push_back({"AUTH", endpoint_.password});
  if (endpoint_.db != 0) setup.push_back({"SELECT", std::to_string(endpoint_.db)});
  for (const auto& cmd : setup) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : cmd) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!r) return Unavailable("connection setup failed");
    const bool error = r->type == REDIS_REPLY_ERROR;
    std::string text = error ? std::string(r->str, r->len) : "";
    freeReplyObject(r);
    if (error) {
      log::Error("redis_setup_failed", {{"command", cmd[0]}, {"error", text}});
      return Unavailable("connection setup refused");
    }
  }
  return ctx;
}

absl::StatusOr<RedisClient::ContextPtr> RedisClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ready), options_.command_timeout)) {
      return Unavailable("connection pool exhausted");
    }
    if (!idle_.empty()) {
      ContextPtr ctx = std::move(idle_.back());
      idle_.pop_back();
      return ctx;
    }
    ++open_;
  }
  auto ctx = Dial();
  if (!ctx.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return ctx;
}

void RedisClient::Release(ContextPtr ctx) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(ctx));
}

void RedisClient::Discard(ContextPtr ctx) {
  std::vector<ContextPtr> stale;
  {
    absl::MutexLock lock(&mu_);
    open_ -= 1 + static_cast<int>(idle_.size());
    stale.swap(idle_);
  }
  ctx.reset();
  stale.clear();  // closed outside the lock
}

absl::StatusOr<std::vector<Reply>> RedisClient::RoundTrip(
    const std::vector<std::vector<std::string>>& commands) {
  auto acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  ContextPtr ctx = *std::move(acquired);
  for (const auto& cmd : commands) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    argv.reserve(cmd.size());
    lens.reserve(cmd.size());
    for (const auto& a : cmd) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(),
                               lens.data()) != REDIS_OK) {
      log::Warn("redis_io_error", {{"error", ctx->errstr}});
      Discard(std::move(ctx));
      return Unavailable("write failed");
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx.get(), &raw) != REDIS_OK || raw == nullptr) {
      const bool timeout = ctx->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
      log::Warn("redis_io_error", {{"error", ctx->errstr}});
      Discard(std::move(ctx));
      return Unavailable(timeout ? "timed out" : "connection lost");
    }
    auto* r = static_cast<redisReply*>(raw);
    replies.push_back(Convert(r));
    freeReplyObject(r);
  }
  Release(std::move(ctx));
  return replies;
}

absl::StatusOr<Reply> RedisClient::Command(const std::vector<std::string>& args) {
  auto replies = RoundTrip({args});
  if (!replies.ok()) return replies.status();
  Reply& r = (*replies)[0];
  if (r.is_error()) return ErrorReplyToStatus(r.str);
  return std::move(r);
}

absl::StatusOr<std::vector<Reply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<Reply>();
  return RoundTrip(commands);
}

absl::StatusOr<Reply> RedisClient::Eval(Script& script, const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args) {
  std::string sha;
  {
    absl::MutexLock lock(&script.mu_);
    sha = script.sha_;
  }
  std::vector<std::string> cmd;
  cmd.reserve(3 + keys.size() + args.size());
  cmd.push_back(sha.empty() ? "EVAL" : "EVALSHA");
  cmd.push_back(sha.empty() ? script.body() : sha);
  cmd.push_back(std::to_string(keys.size()));
  cmd.insert(cmd.end(), keys.begin(), keys.end());
  cmd.insert(cmd.end(), args.begin(), args.end());
  auto replies = RoundTrip({cmd});
  if (!replies.ok()) return replies.status();
  Reply r = std::move((*replies)[0]);
  if (r.is_error() && absl::StartsWith(r.str, "NOSCRIPT")) {
    // Redis restarted and lost its script cache: send the body once more.
    cmd[0] = "EVAL";
    cmd[1] = script.body();
    replies = RoundTrip({cmd});
    if (!replies.ok()) return replies.status();
    r = std::move((*replies)[0]);
  }
  if (sha.empty() && !r.is_error()) {
    // EVAL cached the script on the server; learn its sha for next time.
    auto loaded = Command({"SCRIPT", "LOAD", script.body()});
    if (loaded.ok() && loaded->type == Reply::Type::kString) {
      absl::MutexLock lock(&script.mu_);
      script.sha_ = loaded->str;
    }
  }
  if (r.is_error()) return ErrorReplyToStatus(r.str);
  return r;
}

absl::Status RedisClient::Ping() {
  auto r = Command({"PING"});
  return r.ok() ? absl::OkStatus() : r.status();
}

std::string KeyPrefix(absl::string_view service, absl::string_view prefecture) {
  return absl::StrCat(service, ":{", prefecture, "}:");
}

}  // namespace qpv::redis
