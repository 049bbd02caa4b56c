// qpv-bench-echo-redis: the plain baseline plus one Redis SET per call,
// through the services' Redis client and pool (QPV_REDIS_URL and friends),
// served by default as the workshop serves its write path.
#include <iostream>

#include "bench/echo_service.h"
#include "common/server/malloc_tuning.h"
#include "common/server/server.h"

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  qpv::server::ServerEnv env = qpv::server::Init(
      argc, argv, "bench-echo-redis", 50091,
      {{"QPV_ECHO_API", "callback",
        "how Echo is served: sync (a thread per call, as most methods) or callback "
        "(gRPC's callback API, the SET sent asynchronously, as CreateContribution)"}});
  auto api = qpv::bench::EchoServiceImpl::ParseApi(env.config.Get("QPV_ECHO_API"));
  if (!api.ok()) {
    std::cerr << api.status().message() << "\n";
    return 2;
  }
  qpv::bench::EchoServiceImpl service(env.redis.get(), *api);
  return qpv::server::Serve(env, {&service});
}
