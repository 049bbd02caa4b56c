// qpv-national: wiring only. Configuration (QPV_* or flags), Redis store, the
// in-memory view's poller, then the common bootstrap serves until SIGTERM.
#include <malloc.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/config/config.h"
#include "common/server/malloc_tuning.h"
#include "common/server/server.h"
#include "common/util/clock.h"
#include "services/national/national_logic.h"
#include "services/national/national_service.h"
#include "services/national/redis_national_store.h"

namespace {

// A préfecture's snapshot carries its reproducible actions' texts: at
// national scale the Nord's is ~7 MB (qpv-bench-national-scale), over
// gRPC's default 4 MiB limit on a received message. 64 MiB: validation
// bounds a snapshot to 100,000 actions, not bytes.
constexpr int kMaxReceiveBytes = 64 << 20;

}  // namespace

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  // The view is long-lived, the snapshots that build it (MiBs each: the
  // request, its parse, Redis replies) are not. With glibc's defaults the
  // big buffers come from the heap once a first one is freed (the mmap
  // threshold adapts upwards) and each of up to 8 x cores arenas keeps what
  // its thread freed: at national scale the process held 3 to 4 times its
  // live memory. Buffers of 1 MiB and more are mmapped (given back on
  // free), two arenas serve the threads (server::TuneMalloc, for every service),
  // and the logic calls malloc_trim after reloads.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // Each watcher holds a thread of the sync server for as long as it
  // watches: 1024 leaves room for hundreds of them beside unary calls.
  qpv::server::ServerEnv env = qpv::server::Init(
      argc, argv, "national", 50054,
      {{"QPV_SMALL_COUNT_THRESHOLD", "5",
        "dashboard breakdown cells with a count of people or contributions below this are "
        "suppressed (0 or 1: none)"},
       {"QPV_FRESH_WINDOW", "24h", "a préfecture is fresh when its snapshot arrived this recently"},
       {"QPV_REFRESH_INTERVAL", "200ms",
        "how often the in-memory view checks Redis for snapshots accepted by other replicas"},
       {"QPV_REGROUP_PAUSE", "30s",
        "after a good-practice grouping, the next (of newer snapshots) starts no sooner than "
        "this, nor than the last one took; the previous grouping is served meanwhile"},
       {"QPV_WATCH_MIN_INTERVAL", "200ms",
        "at most one WatchNationalDashboard update per watcher in this time (bursts are "
        "folded into the newest state)"}},
      /*default_max_threads=*/1024);
  env.max_receive_bytes = kMaxReceiveBytes;
  const auto die = [&](absl::string_view message) { qpv::config::Die(env.program, message); };
  qpv::national::NationalLogic::Options options;
  auto threshold = env.config.GetInt("QPV_SMALL_COUNT_THRESHOLD", 0, 1000000);
  if (!threshold.ok()) die(threshold.status().message());
  options.small_count_threshold = *threshold;
  auto fresh = env.config.GetDuration("QPV_FRESH_WINDOW");
  if (!fresh.ok()) die(fresh.status().message());
  options.fresh_window = *fresh;
  auto interval = env.config.GetDuration("QPV_REFRESH_INTERVAL");
  if (!interval.ok()) die(interval.status().message());
  if (*interval < absl::Milliseconds(10)) die("QPV_REFRESH_INTERVAL must be at least 10ms");
  options.poll_interval = *interval;
  auto watch_interval = env.config.GetDuration("QPV_WATCH_MIN_INTERVAL");
  if (!watch_interval.ok()) die(watch_interval.status().message());
  if (*watch_interval < absl::ZeroDuration()) die("QPV_WATCH_MIN_INTERVAL must not be negative");
  options.watch_min_interval = *watch_interval;
  auto pause = env.config.GetDuration("QPV_REGROUP_PAUSE");
  if (!pause.ok()) die(pause.status().message());
  if (*pause < absl::ZeroDuration()) die("QPV_REGROUP_PAUSE must not be negative");
  options.regroup_pause = *pause;

  qpv::national::RedisNationalStore store(env.redis.get());
  qpv::national::NationalLogic logic(&store, qpv::Clock::Real(), options);
  logic.Start();
  qpv::national::NationalServiceImpl service(&logic);
  qpv::redis::RedisClient* redis = env.redis.get();
  const int code = qpv::server::Serve(env, {&service}, [&logic, redis]() -> absl::Status {
    if (absl::Status s = redis->Ping(); !s.ok()) return s;
    if (!logic.Loaded()) return absl::UnavailableError("the national view is not loaded yet");
    return absl::OkStatus();
  });
  logic.Stop();
  return code;
}
