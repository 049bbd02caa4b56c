#include "tests/support/redis_server.h"

#include "gtest/gtest.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace qpv::testing {
namespace {

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "RedisServer: %s\n", why.c_str());
  std::abort();
}

bool Ping(const std::string& socket) {
  redisContext* c = redisConnectUnix(socket.c_str());
  if (!c) return false;
  bool ok = false;
  if (!c->err) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = r && r->type == REDIS_REPLY_STATUS;
    if (r) freeReplyObject(r);
  }
  redisFree(c);
  return ok;
}

}  // namespace

RedisServer::RedisServer(bool persistent) : persistent_(persistent) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/qpv-redis-XXXXXX";
  if (!mkdtemp(pattern.data())) Fail("cannot create a temporary folder");
  dir_ = pattern;
  socket_ = dir_ + "/redis.sock";
  Start();
}

RedisServer::~RedisServer() {
  Stop(/*crash=*/true);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void RedisServer::Start() {
  if (pid_ > 0) return;
  const pid_t pid = fork();
  if (pid < 0) Fail("fork failed");
  if (pid == 0) {
    if (chdir(dir_.c_str()) != 0) _exit(127);
    // Quiet unless the test fails to start it.
    std::freopen((dir_ + "/redis.log").c_str(), "a", stdout);
    std::freopen((dir_ + "/redis.log").c_str(), "a", stderr);
    const char* appendonly = persistent_ ? "yes" : "no";
    execlp("redis-server", "redis-server", "--port", "0", "--unixsocket", socket_.c_str(),
           "--unixsocketperm", "700", "--dir", dir_.c_str(), "--save", "", "--appendonly",
           appendonly, "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning",
           static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Ping(socket_)) return;
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      Fail("redis-server exited at start (is it installed? apt-get install redis-server); see " +
           dir_ + "/redis.log");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Fail("redis-server did not answer within 10 s");
}

void RedisServer::Stop(bool crash) {
  if (pid_ <= 0) return;
  kill(pid_, crash ? SIGKILL : SIGTERM);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  std::error_code ec;
  std::filesystem::remove(socket_, ec);
}

void RedisServer::Flush() {
  redisContext* c = redisConnectUnix(socket_.c_str());
  if (!c || c->err) Fail("cannot connect to flush");
  auto* r = static_cast<redisReply*>(redisCommand(c, "FLUSHALL"));
  if (r) freeReplyObject(r);
  redisFree(c);
}

RedisServer& SharedRedisServer() {
  static RedisServer* server = new RedisServer();
  // Stopped at exit so no redis-server outlives the test binary.
  static const bool registered = [] {
    std::atexit([] { delete server; });
    return true;
  }();
  (void)registered;
  return *server;
}

std::unique_ptr<redis::RedisClient> FlushedSharedRedisClient() {
  SharedRedisServer().Flush();
  redis::Options options;
  options.url = SharedRedisServer().url();
  options.command_timeout = absl::Seconds(5);  // a loaded CI machine
  auto client = redis::RedisClient::Create(options);
  if (!client.ok()) {
    ADD_FAILURE() << "cannot create a Redis client: " << client.status();
    return nullptr;
  }
  return *std::move(client);
}

}  // namespace qpv::testing
