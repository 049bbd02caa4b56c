// The baselines' gRPC service, qpv.bench.v1.EchoService, on the same edge as
// the services (server::UnaryService: request parsing, drain, error
// mapping). With a Redis client, each call also makes one SET through
// common/redis like a service's store does: the floor of a persisted call.
#ifndef QPV_BENCH_ECHO_SERVICE_H_
#define QPV_BENCH_ECHO_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/proto/echo.pb.h"
#include "common/config/config.h"
#include "common/redis/redis_client.h"
#include "common/server/unary_service.h"

namespace qpv::bench {

class EchoServiceImpl : public server::UnaryService {
 public:
  // How Echo is served, as the services serve their methods: kSync on a
  // thread of its own that sleeps through the SET (UnaryService::Add),
  // kCallback on gRPC's callback API with the SET sent asynchronously
  // (UnaryService::AddAsync, as the workshop's CreateContribution).
  enum class Api { kSync, kCallback };
  // Parses QPV_ECHO_API's value ("sync" or "callback").
  static absl::StatusOr<Api> ParseApi(absl::string_view name);
  // The QPV_ECHO_API setting, `default_api` when unset.
  static config::Setting ApiSetting(const std::string& default_api);
  // Its value in `config`; a bad one prints why and exits 2, as any bad
  // setting does.
  static Api ApiOrExit(const config::Config& config);

  // `redis` may be null (plain echo); not owned.
  explicit EchoServiceImpl(redis::RedisClient* redis, Api api = Api::kSync);

  // One Echo call, without gRPC (the tests call them directly).
  absl::StatusOr<v1::EchoResponse> Echo(const v1::EchoRequest& req);
  void EchoAsync(const v1::EchoRequest& req, Reply<v1::EchoResponse> reply);

  // Keys the Redis echo cycles through: memory stays flat however long the
  // run (the AOF grows, as it does for the services).
  static constexpr uint64_t kKeySpace = 4096;

 private:
  // The SET's arguments for the next call.
  std::vector<std::string> SetCommand(const v1::EchoRequest& req);

  redis::RedisClient* redis_;
  const std::string key_prefix_;
  std::atomic<uint64_t> calls_{0};
};

}  // namespace qpv::bench

#endif  // QPV_BENCH_ECHO_SERVICE_H_
