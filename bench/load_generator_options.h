// qpv-bench's command line (--help prints UsageText()).
#ifndef QPV_BENCH_LOAD_GENERATOR_OPTIONS_H_
#define QPV_BENCH_LOAD_GENERATOR_OPTIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/fixtures.h"
#include "bench/load_engine.h"
#include "bench/scenarios.h"

namespace qpv::bench {

struct GeneratorOptions {
  std::string scenario;  // a name or a mix "A=3,B=1"
  bool help = false;
  bool list = false;
  std::string target;  // overrides the scenario's service address
  Addresses addresses;
  int channels = 4;
  EngineOptions engine;
  ScenarioOptions scenario_options;
  int64_t expected_qps = 6000;            // sizes the pools of the pool-consuming scenarios
  std::string redis_url;                  // INFO commandstats over the window
  int redis_probe = 0;                    // sequential calls under MONITOR after the run (0: none)
  std::map<std::string, int> cpu_pids;    // --cpu-pid NAME=PID: CPU per call over the window
  std::string prefecture = "59";          // where the scenarios create their data
  std::vector<std::string> wait_serving;  // --wait-serving: only wait for these servers
  absl::Duration wait_timeout = absl::Seconds(30);
  std::string label;            // copied into the JSON line
  std::string json_out;         // also append the JSON line to this file
  bool fail_on_errors = false;  // exit 3 when a measured call failed
};

std::string UsageText();

// Parses argv; INVALID_ARGUMENT naming the bad option.
absl::StatusOr<GeneratorOptions> ParseOptions(int argc, char** argv);

}  // namespace qpv::bench

#endif  // QPV_BENCH_LOAD_GENERATOR_OPTIONS_H_
