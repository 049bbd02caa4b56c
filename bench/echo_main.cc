// qpv-bench-echo: the plain baseline. The services' bootstrap (thread pool,
// metrics interceptor, health, reflection, logs, drain) around a method that
// only returns its payload. Healthy without Redis.
#include "absl/status/status.h"
#include "bench/echo_service.h"
#include "common/server/malloc_tuning.h"
#include "common/server/server.h"

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  qpv::server::ServerEnv env = qpv::server::Init(argc, argv, "bench-echo", 50090,
                                                 {qpv::bench::EchoServiceImpl::ApiSetting("sync")});
  const auto api = qpv::bench::EchoServiceImpl::ApiOrExit(env.config);
  qpv::bench::EchoServiceImpl service(nullptr, api);
  return qpv::server::Serve(env, {&service}, [] { return absl::OkStatus(); });
}
