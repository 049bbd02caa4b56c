#include "common/server/server.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/logging/log.h"
#include "common/metrics/grpc_metrics.h"
#include "common/server/drain.h"
#include "common/validation/validation.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"

namespace qpv::server {
namespace {

// Idle threads of the sync server kept polling for calls: at least 2, at
// most 64 (enough for the calls in flight of a busy instance; an idle
// thread beyond that ends, so a burst does not leave hundreds behind).
constexpr int kMinPollers = 2;
constexpr int kMaxPollers = 64;

}  // namespace

absl::StatusOr<std::string> MetricsAddressFor(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("QPV_LISTEN='", listen, "' must be host:port"));
  }
  // An ephemeral gRPC port (tests) has no "+ 1000": no metrics unless asked.
  if (port == 0) return std::string("off");
  if (port + 1000 > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "QPV_METRICS_LISTEN: the gRPC port ", port,
        " + 1000 is not a port; set QPV_METRICS_LISTEN (or 'off')"));
  }
  return absl::StrCat(listen.substr(0, colon), ":", port + 1000);
}

ServerEnv Init(int argc, char** argv, const std::string& service, int default_port,
               const std::vector<config::Setting>& extra, int default_max_threads) {
  // Debian's Abseil is built without NDEBUG, so every absl::Mutex (gRPC's
  // locks included) feeds a global lock-order graph for deadlock reports: a
  // debugging aid that a server pays for on every lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ServerEnv env;
  env.service = service;
  env.program = "qpv-" + service;
  log::SetService(service);
  std::vector<config::Setting> settings =
      config::ServerSettings(default_port, default_max_threads);
  settings.insert(settings.end(), extra.begin(), extra.end());
  env.config = config::LoadOrDie(argc, argv, env.program, settings);
  const auto& c = env.config;
  const auto die = [&](absl::string_view message) { config::Die(env.program, message); };

  env.listen = c.Get("QPV_LISTEN");
  if (env.listen.find(':') == std::string::npos) {
    die(absl::StrCat("QPV_LISTEN='", env.listen, "' must be host:port"));
  }
  env.metrics_listen = c.Get("QPV_METRICS_LISTEN");
  if (env.metrics_listen.empty()) {
    auto derived = MetricsAddressFor(env.listen);
    if (!derived.ok()) die(derived.status().message());
    env.metrics_listen = *derived;
  }
  if (env.metrics_listen == "off") env.metrics_listen.clear();
  if (!env.metrics_listen.empty() && env.metrics_listen.find(':') == std::string::npos) {
    die(absl::StrCat("QPV_METRICS_LISTEN='", env.metrics_listen, "' must be host:port"));
  }
  env.prefectures = c.GetList("QPV_PREFECTURES");
  for (const auto& p : env.prefectures) {
    if (!validation::IsDepartementCode(p)) {
      die(absl::StrCat("QPV_PREFECTURES: '", p,
                       "' is not a département code (59, 2A, 971...)"));
    }
  }
  auto threads = c.GetInt("QPV_MAX_THREADS", 4, 4096);
  if (!threads.ok()) die(threads.status().message());
  env.max_threads = *threads;
  auto drain = c.GetDuration("QPV_DRAIN_TIMEOUT");
  if (!drain.ok()) die(drain.status().message());
  env.drain_timeout = *drain;

  redis::Options options;
  options.url = c.Get("QPV_REDIS_URL");
  auto pool = c.GetInt("QPV_REDIS_POOL_SIZE", 1, 1024);
  if (!pool.ok()) die(pool.status().message());
  options.pool_size = *pool;
  auto timeout = c.GetDuration("QPV_REDIS_TIMEOUT");
  if (!timeout.ok() || *timeout <= absl::ZeroDuration()) {
    die(timeout.ok() ? "QPV_REDIS_TIMEOUT must be positive" : timeout.status().message());
  }
  options.command_timeout = *timeout;
  auto client = redis::RedisClient::Create(options);
  if (!client.ok()) die(absl::StrCat("QPV_REDIS_URL: ", client.status().message()));
  env.redis = *std::move(client);
  return env;
}

int Serve(ServerEnv& env, const std::vector<grpc::Service*>& services,
          std::function<absl::Status()> ready) {
  if (!ready) {
    redis::RedisClient* client = env.redis.get();
    ready = [client] { return client->Ping(); };
  }
  // SIGTERM and SIGINT are taken by sigwait below; block them before gRPC
  // starts its threads so they inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto registry = std::make_shared<prometheus::Registry>();
  metrics::CallMetrics call_metrics(registry);
  std::unique_ptr<prometheus::Exposer> exposer;
  if (!env.metrics_listen.empty()) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(env.metrics_listen);
      exposer->RegisterCollectable(registry);
      for (const auto& c : env.collectables) exposer->RegisterCollectable(c);
    } catch (const std::exception& e) {
      config::Die(env.program, absl::StrCat("cannot serve metrics on ", env.metrics_listen,
                                            ": ", e.what()));
    }
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second server on a busy port would
  // start and silently share it. Fail at start instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(env.listen, grpc::InsecureServerCredentials(), &port);
  grpc::ResourceQuota quota(env.program);
  quota.SetMaxThreads(env.max_threads);
  builder.SetResourceQuota(quota);
  if (env.max_receive_bytes > 0) builder.SetMaxReceiveMessageSize(env.max_receive_bytes);
  // The sync server runs each call on a thread of its pool. gRPC's default
  // keeps at most 2 idle (polling) threads: under load, a call that finds no
  // idle thread starts one and a call that ends with 2 idle ends its
  // thread, a clone, an munmap and page faults per call (a tenth of the
  // CPU in the profile). Up to kMaxPollers idle threads now stay.
  builder.SetSyncServerOption(grpc::ServerBuilder::MIN_POLLERS, kMinPollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::MAX_POLLERS,
                              std::max(kMinPollers, std::min(kMaxPollers, env.max_threads)));
  for (grpc::Service* s : services) builder.RegisterService(s);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<metrics::InterceptorFactory>(&call_metrics));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    config::Die(env.program, absl::StrCat("cannot listen on ", env.listen));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();

  std::atomic<bool> stopping{false};
  absl::Notification stop_health;
  std::thread health_thread([&] {
    bool last = false;
    bool first = true;
    do {
      if (stopping) break;
      const absl::Status s = ready();
      const bool up = s.ok();
      // The gauge first: whoever sees the health change sees the gauge agree.
      call_metrics.store_up().Set(up ? 1 : 0);
      if (!stopping) health->SetServingStatus(up);
      if (first || up != last) {
        if (up) {
          log::Info("serving", {{"store", "up"}});
        } else {
          log::Warn("not_serving", {{"store", "down"}, {"reason", std::string(s.message())}});
        }
      }
      first = false;
      last = up;
    } while (!stop_health.WaitForNotificationWithTimeout(absl::Seconds(1)));
  });

  log::Info("started", {{"listen", env.listen},
                        {"port", port},
                        {"metrics", env.metrics_listen.empty() ? "off" : env.metrics_listen},
                        {"redis", env.config.Get("QPV_REDIS_URL")},
                        {"prefectures", env.prefectures.empty()
                                            ? std::string("all")
                                            : absl::StrJoin(env.prefectures, ",")}});

  int sig = 0;
  sigwait(&signals, &sig);
  stopping = true;
  health->SetServingStatus(false);
  log::Info("draining", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                         {"timeout_ms", static_cast<int64_t>(
                                            absl::ToInt64Milliseconds(env.drain_timeout))}});
  // New calls are refused with UNAVAILABLE from now on; the ones in a
  // handler finish. Once quiet, gRPC's own shutdown has nothing left to cut
  // off; what still runs at the deadline is cancelled.
  const absl::Time deadline = absl::Now() + env.drain_timeout;
  Drain::Get().Start();
  const bool idle = Drain::Get().WaitIdle(
      deadline, std::min(absl::Milliseconds(200), env.drain_timeout));
  if (!idle) log::Warn("drain_timeout", {{"detail", "cancelling calls still running"}});
  server->Shutdown(absl::ToChronoTime(std::max(deadline, absl::Now())));
  server->Wait();
  stop_health.Notify();
  health_thread.join();
  log::Info("stopped");
  log::Flush();
  // The process exits next: stopping civetweb cleanly (the metrics endpoint)
  // would add about 1.5 s to every shutdown for nothing.
  (void)exposer.release();
  return 0;
}

}  // namespace qpv::server
