// qpv-bench's output: one JSON line (for bench/run.sh and other tools) and
// the same figures as text for people (stderr).
#ifndef QPV_BENCH_LOAD_GENERATOR_RESULTS_H_
#define QPV_BENCH_LOAD_GENERATOR_RESULTS_H_

#include <map>
#include <optional>
#include <string>

#include "bench/load_engine.h"
#include "bench/load_generator_options.h"
#include "bench/redis_stats.h"

namespace qpv::bench {

struct RunReport {
  std::string service;
  std::string description;  // the registry's, for a single scenario
  std::string target;
  double setup_seconds = 0;
  EngineResult result;
  std::optional<CommandCounts> redis_window;  // commandstats delta over the window
  std::optional<CommandCounts> redis_probe;   // MONITOR counts over the probe
  int64_t probe_calls = 0;                    // measured calls of the probe
  int64_t probe_prep_calls = 0;
  std::map<std::string, double> cpu_us_per_call;  // client and --cpu-pid processes
  std::string extra_json;  // the scenario's own members
};

std::string ResultJson(const GeneratorOptions& o, const RunReport& r);
std::string ResultText(const GeneratorOptions& o, const RunReport& r);

}  // namespace qpv::bench

#endif  // QPV_BENCH_LOAD_GENERATOR_RESULTS_H_
