// qpv-bench-echo-redis: the plain baseline plus one Redis SET per call,
// through the services' Redis client and pool (QPV_REDIS_URL and friends),
// served by default as the workshop serves its write path.
#include "bench/echo_service.h"
#include "common/server/malloc_tuning.h"
#include "common/server/server.h"

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  qpv::server::ServerEnv env = qpv::server::Init(
      argc, argv, "bench-echo-redis", 50091, {qpv::bench::EchoServiceImpl::ApiSetting("callback")});
  const auto api = qpv::bench::EchoServiceImpl::ApiOrExit(env.config);
  qpv::bench::EchoServiceImpl service(env.redis.get(), api);
  return qpv::server::Serve(env, {&service});
}
