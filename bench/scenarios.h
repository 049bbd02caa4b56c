// The scenarios qpv-bench knows, by service. scenario_registry.h names them.
#ifndef QPV_BENCH_SCENARIOS_H_
#define QPV_BENCH_SCENARIOS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/scenario.h"

namespace qpv::bench {

struct ScenarioOptions {
  std::string nonce;        // unique to the run: request_ids never repeat across runs
  int payload_bytes = 100;  // echo payload
  int64_t pool = 0;         // persons (RegisterParticipant) or vote pairs; 0: from the run's length
  int watchers = 100;       // WatchNationalDashboard streams
  int setup_threads = 8;    // parallel setup calls
};

// Per-slot request_ids: "b<nonce>-<slot>-<n>", unique without locking.
class RequestIds {
 public:
  explicit RequestIds(std::string nonce) : nonce_(std::move(nonce)) {}
  void Resize(int slots) { next_.assign(slots, 0); }
  std::string Next(int slot);

 private:
  std::string nonce_;
  std::vector<uint64_t> next_;
};

// A scenario with one measured part, named `label`.
class SingleScenario : public Scenario {
 public:
  explicit SingleScenario(std::string label) : label_(std::move(label)) {}
  std::vector<std::string> labels() const override { return {label_}; }

 private:
  std::string label_;
};

std::unique_ptr<Scenario> NewEchoScenario(const ScenarioOptions& o);

std::unique_ptr<Scenario> NewCreateContributionScenario(const ScenarioOptions& o);
std::unique_ptr<Scenario> NewGetWorkshopScenario(const ScenarioOptions& o);
std::unique_ptr<Scenario> NewListContributionsScenario(const ScenarioOptions& o);
std::unique_ptr<Scenario> NewRegisterParticipantScenario(const ScenarioOptions& o);
std::unique_ptr<Scenario> NewVoteContributionScenario(const ScenarioOptions& o);

std::unique_ptr<Scenario> NewWorkshopReportScenario(const ScenarioOptions& o, bool cached);

std::unique_ptr<Scenario> NewSubmitSnapshotScenario(const ScenarioOptions& o);
std::unique_ptr<Scenario> NewNationalDashboardScenario(const ScenarioOptions& o);
std::unique_ptr<Scenario> NewWatchDashboardScenario(const ScenarioOptions& o);

}  // namespace qpv::bench

#endif  // QPV_BENCH_SCENARIOS_H_
