// The bootstrap every service's main() uses: configuration, Redis, health,
// reflection, metrics, access logs, and a drain of in-flight calls on SIGTERM.
//
//   int main(int argc, char** argv) {
//     qpv::server::ServerEnv env = qpv::server::Init(argc, argv, "workshop", 50052, {extra});
//     auto store = std::make_unique<RedisWorkshopStore>(env.redis.get());
//     WorkshopServiceImpl service(...);
//     return qpv::server::Serve(env, {&service});
//   }
#ifndef QPV_COMMON_SERVER_SERVER_H_
#define QPV_COMMON_SERVER_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/redis/redis_client.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "prometheus/collectable.h"

namespace qpv::server {

// QPV_MAX_THREADS's default: the sync server handles each call on a thread
// of its own and refuses calls (RESOURCE_EXHAUSTED "Server Threadpool
// Exhausted") once this many threads exist, idle pollers included. 512
// leaves room for bursts far above the 64 calls in flight the benchmarks
// use, at a few tens of KiB of memory per thread actually started.
inline constexpr int kDefaultMaxThreads = 512;

struct ServerEnv {
  std::string service;  // "workshop"
  std::string program;  // "qpv-workshop"
  config::Config config;
  std::string listen;
  std::string metrics_listen;  // empty: no metrics endpoint
  std::vector<std::string> prefectures;  // QPV_PREFECTURES, validated
  int max_threads = kDefaultMaxThreads;
  // Largest request accepted, in bytes; 0 keeps gRPC's 4 MiB default.
  int max_receive_bytes = 0;
  absl::Duration drain_timeout = absl::Seconds(10);
  std::unique_ptr<redis::RedisClient> redis;
  // More metrics for the /metrics endpoint (a service's own, e.g. its cache).
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
};

// The default metrics address: the gRPC address with its port + 1000
// ("0.0.0.0:50052" -> "0.0.0.0:51052"); "off" for port 0.
absl::StatusOr<std::string> MetricsAddressFor(absl::string_view listen);

// Loads the server settings plus `extra`, validates them and creates the Redis
// client; on any bad setting prints one line and exits 2. `default_max_threads`
// is QPV_MAX_THREADS's default (a service with long server streams, one
// thread each, raises it). QPV_REDIS_POOL_SIZE defaults to 2 connections,
// each shared by concurrent calls.
ServerEnv Init(int argc, char** argv, const std::string& service, int default_port,
               const std::vector<config::Setting>& extra = {},
               int default_max_threads = kDefaultMaxThreads);

// Serves until SIGTERM or SIGINT, then drains. Health is SERVING while
// `ready` (default: Redis PING) succeeds, checked every second. Returns the
// process exit code.
int Serve(ServerEnv& env, const std::vector<grpc::Service*>& services,
          std::function<absl::Status()> ready = nullptr);

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_SERVER_H_
