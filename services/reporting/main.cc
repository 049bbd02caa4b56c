// qpv-reporting: wiring only. Configuration (QPV_* or flags), clients of the
// workshop, stakeholder and national services (channels built once), the
// Redis report cache and feed store, the feed's background thread, then the
// common bootstrap serves until SIGTERM. Health is SERVING while Redis
// answers: reports survive the workshop service being down (stale).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/config/config.h"
#include "common/metrics/scraped_metrics.h"
#include "common/server/malloc_tuning.h"
#include "common/server/peer_channel.h"
#include "common/server/server.h"
#include "common/util/clock.h"
#include "services/reporting/feed/feed.h"
#include "services/reporting/feed/grpc_snapshot_sink.h"
#include "services/reporting/feed/redis_feed_store.h"
#include "services/reporting/grpc_workshop_source.h"
#include "services/reporting/redis_report_cache.h"
#include "services/reporting/reporting_logic.h"
#include "services/reporting/reporting_service.h"
#include "services/reporting/target_mix.h"

namespace {

// A positive duration setting, or exit with one line.
absl::Duration PositiveDuration(const qpv::server::ServerEnv& env, absl::string_view name) {
  auto d = env.config.GetDuration(name);
  if (!d.ok()) qpv::config::Die(env.program, d.status().message());
  if (*d <= absl::ZeroDuration()) {
    qpv::config::Die(env.program, absl::StrCat(name, " must be positive"));
  }
  return *d;
}

// A page of 1000 contributions may carry up to 10 000 characters of text
// each: well over gRPC's default 4 MB limit on a received message.
constexpr int kMaxReceiveBytes = 64 << 20;

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  return qpv::server::NewPeerChannel(address, kMaxReceiveBytes);
}

// A non-empty address setting, or exit with one line.
std::string Address(const qpv::server::ServerEnv& env, absl::string_view name) {
  const std::string addr = env.config.Get(name);
  if (addr.empty()) qpv::config::Die(env.program, absl::StrCat(name, " must not be empty"));
  return addr;
}

}  // namespace

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  qpv::server::ServerEnv env = qpv::server::Init(
      argc, argv, "reporting", 50053,
      {{"QPV_WORKSHOP_ADDR", "127.0.0.1:50052",
        "address of qpv.workshop.v1.WorkshopService (workshops, registrations, contributions)"},
       {"QPV_STAKEHOLDER_ADDR", "127.0.0.1:50051",
        "address of qpv.stakeholder.v1.StakeholderService (organization names)"},
       {"QPV_NATIONAL_ADDR", "127.0.0.1:50054",
        "address of qpv.national.v1.NationalAggregationService (the feed)"},
       {"QPV_WORKSHOP_TIMEOUT", "2s",
        "longest wait for one workshop or stakeholder call (the caller's deadline wins if "
        "sooner)"},
       {"QPV_NATIONAL_TIMEOUT", "5s", "longest wait for one snapshot submission to national"},
       {"QPV_FEED_INTERVAL", "2s",
        "how often the feed checks each préfecture for changes and retries what is pending"},
       {"QPV_FEED_BACKOFF_MAX", "10s",
        "longest wait between two submissions while national fails (full jitter below it)"},
       {"QPV_TARGET_MIX", qpv::reporting::kDefaultTargetMixSpec,
        "representativeness target: CATEGORY=weight,... then, per préfecture, "
        "59:CATEGORY=weight,... (entries separated by ';')"},
       {"QPV_REPORT_BUILD_THREADS", "16",
        "threads that build the reports not answered from the cache (1..256); each waits on the "
        "workshop and stakeholder services, so more of them overlap more of those waits"},
       {"QPV_RECENT_REPORTS", "16",
        "MiB of current reports kept in memory, answered without reading Redis (0: off)"}});

  const std::string workshop_addr = Address(env, "QPV_WORKSHOP_ADDR");
  const std::string stakeholder_addr = Address(env, "QPV_STAKEHOLDER_ADDR");
  const std::string national_addr = Address(env, "QPV_NATIONAL_ADDR");
  const absl::Duration workshop_timeout = PositiveDuration(env, "QPV_WORKSHOP_TIMEOUT");
  const absl::Duration national_timeout = PositiveDuration(env, "QPV_NATIONAL_TIMEOUT");
  const absl::Duration feed_interval = PositiveDuration(env, "QPV_FEED_INTERVAL");
  const absl::Duration feed_backoff_max = PositiveDuration(env, "QPV_FEED_BACKOFF_MAX");
  const std::string target_spec = env.config.Get("QPV_TARGET_MIX");
  auto mixes = qpv::reporting::TargetMixes::Parse(target_spec);
  if (!mixes.ok()) {
    qpv::config::Die(env.program, absl::StrCat("QPV_TARGET_MIX: ", mixes.status().message()));
  }

  // Built once, reused by every call (channels reconnect by themselves).
  qpv::reporting::GrpcWorkshopSource source(Channel(workshop_addr), Channel(stakeholder_addr),
                                            workshop_timeout);
  qpv::reporting::RedisReportCache cache(env.redis.get());
  qpv::reporting::RedisFeedStore feed_store(env.redis.get());

  auto build_threads = env.config.GetInt("QPV_REPORT_BUILD_THREADS", 1, 256);
  if (!build_threads.ok()) qpv::config::Die(env.program, build_threads.status().message());
  auto recent_mib = env.config.GetInt("QPV_RECENT_REPORTS", 0, 1 << 16);
  if (!recent_mib.ok()) qpv::config::Die(env.program, recent_mib.status().message());

  qpv::reporting::ReportingLogic::Options options;
  options.prefectures = env.prefectures;
  options.target_mixes = *std::move(mixes);
  options.build_threads = static_cast<size_t>(*build_threads);
  options.recent_report_bytes = static_cast<size_t>(*recent_mib) << 20;
  qpv::reporting::ReportingLogic logic(&source, &cache, &feed_store, qpv::Clock::Real(), options);
  qpv::reporting::ReportingServiceImpl service(&logic);
  env.collectables.push_back(
      std::make_shared<qpv::metrics::ScrapedMetrics>(qpv::metrics::Labels{}, [&logic] {
        const auto recent = logic.recent_reports();
        using prometheus::MetricType;
        return std::vector<qpv::metrics::Scraped>{
            {"qpv_report_builds_queued",
             "GetWorkshopReport builds waiting for one of the build threads", MetricType::Gauge,
             static_cast<double>(logic.builds_queued())},
            {"qpv_recent_reports_hits_total",
             "current reports answered from memory, without reading the report cache",
             MetricType::Counter, static_cast<double>(recent.hits)},
            {"qpv_recent_reports_bytes", "bytes of the current reports kept in memory",
             MetricType::Gauge, static_cast<double>(recent.bytes)}};
      }));

  // The feed to national, on its own thread, reading reports through the
  // logic's cache.
  qpv::reporting::GrpcSnapshotSink sink(Channel(national_addr), national_timeout);
  qpv::reporting::Feed::Options feed_options;
  feed_options.prefectures = env.prefectures;
  feed_options.interval = feed_interval;
  feed_options.backoff_max = feed_backoff_max;
  // A new target mix changes the figures without touching any workshop.
  feed_options.fingerprint_salt = target_spec;
  qpv::reporting::Feed feed(
      &feed_store, &source,
      [&logic](const qpv::workshop::v1::Workshop& w, absl::Time deadline) {
        return logic.ReportFor(w, deadline);
      },
      &sink, qpv::Clock::Real(), feed_options);
  feed.Start();

  const int code = qpv::server::Serve(env, {&service});
  feed.Stop();
  return code;
}
