// qpv-stakeholder: organizations, persons, consent, GDPR export and erasure.
// Wiring only; the behaviour is in StakeholderLogic.
#include <memory>

#include "common/server/malloc_tuning.h"
#include "common/server/server.h"
#include "common/util/clock.h"
#include "services/stakeholder/memory_stakeholder_store.h"
#include "services/stakeholder/redis_stakeholder_store.h"
#include "services/stakeholder/stakeholder_logic.h"
#include "services/stakeholder/stakeholder_service.h"

int main(int argc, char** argv) {
  qpv::server::TuneMalloc(argv);  // first: it may exec
  qpv::server::ServerEnv env = qpv::server::Init(
      argc, argv, "stakeholder", 50051,
      {{"QPV_STAKEHOLDER_STORE", "redis",
        "where data live: redis, or memory (lost on exit; for demos only)"}});
  const std::string& kind = env.config.Get("QPV_STAKEHOLDER_STORE");
  std::unique_ptr<qpv::stakeholder::StakeholderStore> store;
  std::function<absl::Status()> ready;
  if (kind == "redis") {
    store = std::make_unique<qpv::stakeholder::RedisStakeholderStore>(env.redis.get());
  } else if (kind == "memory") {
    store = std::make_unique<qpv::stakeholder::MemoryStakeholderStore>();
    ready = [] { return absl::OkStatus(); };
  } else {
    qpv::config::Die(env.program, "QPV_STAKEHOLDER_STORE must be redis or memory");
  }
  qpv::stakeholder::StakeholderLogic logic(store.get(), qpv::Clock::Real(),
                                           qpv::IdGenerator::Random(), env.prefectures);
  qpv::stakeholder::StakeholderServiceImpl service(&logic);
  return qpv::server::Serve(env, {&service}, ready);
}
