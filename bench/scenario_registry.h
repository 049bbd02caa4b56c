// The scenarios by name, the service each drives, and request mixes:
// "GetWorkshop" is one scenario, "GetWorkshop=4,CreateContribution=1" a mix
// (each call picks a part with those weights; every part is set up and
// measured on its own as well as together).
#ifndef QPV_BENCH_SCENARIO_REGISTRY_H_
#define QPV_BENCH_SCENARIO_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/scenario.h"
#include "bench/scenarios.h"

namespace qpv::bench {

struct ScenarioInfo {
  std::string name;     // "CreateContribution"
  std::string service;  // "echo", "stakeholder", "workshop", "reporting" or "national"
  std::string description;
  std::function<std::unique_ptr<Scenario>(const ScenarioOptions&)> make;
};

const std::vector<ScenarioInfo>& AllScenarios();
const ScenarioInfo* FindScenario(absl::string_view name);

struct MadeScenario {
  std::unique_ptr<Scenario> scenario;
  std::string service;  // the service every part drives
};

// One scenario or a mix; INVALID_ARGUMENT naming the problem otherwise
// (unknown name, bad weight, parts driving different services).
absl::StatusOr<MadeScenario> MakeScenario(absl::string_view spec, const ScenarioOptions& options);

}  // namespace qpv::bench

#endif  // QPV_BENCH_SCENARIO_REGISTRY_H_
