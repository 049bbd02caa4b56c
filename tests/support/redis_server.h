// A private redis-server for one test binary: its own temporary folder and
// unix socket, no TCP port, stopped and removed on destruction. Restart()
// keeps the data when started with persistence (AOF), for recovery tests.
#ifndef QPV_TESTS_SUPPORT_REDIS_SERVER_H_
#define QPV_TESTS_SUPPORT_REDIS_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "common/redis/redis_client.h"

namespace qpv::testing {

class RedisServer {
 public:
  // Starts the server; aborts the test binary with a clear message if
  // redis-server is missing or does not come up within 10 s.
  explicit RedisServer(bool persistent = false);
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // unix:///tmp/.../redis.sock
  std::string url() const { return "unix://" + socket_; }
  const std::string& socket_path() const { return socket_; }
  const std::string& dir() const { return dir_; }

  // SIGKILL (crash = true) or SIGTERM, then wait for the process.
  void Stop(bool crash = false);
  void Start();
  void Restart() {
    Stop();
    Start();
  }
  bool running() const { return pid_ > 0; }
  // FLUSHALL, between tests.
  void Flush();

 private:
  std::string dir_;
  std::string socket_;
  bool persistent_;
  pid_t pid_ = -1;
};

// One server shared by every test of a binary (started on first use).
RedisServer& SharedRedisServer();

// A client of SharedRedisServer(), flushed first so that each test starts
// from an empty Redis. Fails the current test and returns nullptr when the
// client cannot be created.
std::unique_ptr<redis::RedisClient> FlushedSharedRedisClient();

}  // namespace qpv::testing

#endif  // QPV_TESTS_SUPPORT_REDIS_SERVER_H_
