// qpv-workshop: wiring only. Configuration (QPV_* or flags), Redis store,
// stakeholder client, then the common bootstrap serves until SIGTERM.
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/config/config.h"
#include "common/metrics/read_cache_metrics.h"
#include "common/metrics/scraped_metrics.h"
#include "common/redis/tracked_reads.h"
#include "common/server/malloc_tuning.h"
#include "common/server/peer_channel.h"
#include "common/server/server.h"
#include "common/util/clock.h"
#include "services/workshop/contribution_pages.h"
#include "services/workshop/grpc_person_directory.h"
#include "services/workshop/redis_workshop_store.h"
#include "services/workshop/workshop_logic.h"
#include "services/workshop/workshop_service.h"

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  qpv::server::ServerEnv env = qpv::server::Init(
      argc, argv, "workshop", 50052,
      {{"QPV_STAKEHOLDER_ADDR", "127.0.0.1:50051",
        "address of qpv.stakeholder.v1.StakeholderService (persons, organizations)"},
       {"QPV_STAKEHOLDER_TIMEOUT", "2s",
        "longest wait for one stakeholder call (the caller's deadline wins if sooner)"},
       {"QPV_WORKSHOP_CACHE", "4096",
        "workshops GetWorkshop may serve from memory, kept right by Redis key tracking (0: off)"},
       {"QPV_WORKSHOP_PAGE_CACHE", "32",
        "MiB of ListContributions pages served from memory while their workshop's revision "
        "holds (0: off; needs QPV_WORKSHOP_CACHE)"}});
  const std::string stakeholder_addr = env.config.Get("QPV_STAKEHOLDER_ADDR");
  if (stakeholder_addr.empty()) {
    qpv::config::Die(env.program, "QPV_STAKEHOLDER_ADDR must not be empty");
  }
  auto timeout = env.config.GetDuration("QPV_STAKEHOLDER_TIMEOUT");
  if (!timeout.ok()) qpv::config::Die(env.program, timeout.status().message());
  if (*timeout <= absl::ZeroDuration()) {
    qpv::config::Die(env.program, "QPV_STAKEHOLDER_TIMEOUT must be positive");
  }

  // Built once, reused by every call (the channel reconnects by itself).
  auto channel = qpv::server::NewPeerChannel(stakeholder_addr);
  qpv::workshop::GrpcPersonDirectory directory(channel, *timeout);
  auto cache_entries = env.config.GetInt("QPV_WORKSHOP_CACHE", 0, 1 << 24);
  if (!cache_entries.ok()) qpv::config::Die(env.program, cache_entries.status().message());
  std::unique_ptr<qpv::redis::TrackedReads> cache;
  if (*cache_entries > 0) {
    auto created = qpv::redis::TrackedReads::Create(env.redis->options(), *cache_entries);
    if (!created.ok()) qpv::config::Die(env.program, created.status().message());
    cache = *std::move(created);
    env.collectables.push_back(
        std::make_shared<qpv::metrics::ReadCacheMetrics>("workshop", cache.get()));
  }
  auto page_mib = env.config.GetInt("QPV_WORKSHOP_PAGE_CACHE", 0, 1 << 16);
  if (!page_mib.ok()) qpv::config::Die(env.program, page_mib.status().message());
  std::unique_ptr<qpv::workshop::ContributionPages> pages;
  if (*page_mib > 0 && cache != nullptr) {
    pages =
        std::make_unique<qpv::workshop::ContributionPages>(static_cast<size_t>(*page_mib) << 20);
    env.collectables.push_back(std::make_shared<qpv::metrics::ScrapedMetrics>(
        qpv::metrics::Labels{}, [p = pages.get()] { return p->Scrape(); }));
  }
  qpv::workshop::RedisWorkshopStore store(env.redis.get(), cache.get(), pages.get());
  qpv::workshop::WorkshopLogic::Options options;
  options.prefectures = env.prefectures;
  qpv::workshop::WorkshopLogic logic(&store, &directory, qpv::Clock::Real(),
                                     qpv::IdGenerator::Random(), options);
  qpv::workshop::WorkshopServiceImpl service(&logic);
  return qpv::server::Serve(env, {&service});
}
