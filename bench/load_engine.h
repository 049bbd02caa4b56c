// The closed-loop load engine of qpv-bench: `concurrency` calls always
// outstanding, spread over `channels` gRPC channels (distinct channel
// arguments, so each has its own TCP connection) and over `threads`
// CompletionQueues, each polled by one thread. As soon as a call completes
// its slot starts the scenario's next call. Calls completing during warm-up
// are not counted; QPS is the calls completed in the measured window over
// its length.
#ifndef QPV_BENCH_LOAD_ENGINE_H_
#define QPV_BENCH_LOAD_ENGINE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/histogram.h"
#include "bench/scenario.h"
#include "grpcpp/channel.h"

namespace qpv::bench {

struct EngineOptions {
  int concurrency = 64;
  int threads = 2;
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  // Ends the measured window early after this many measured calls (0: no
  // limit). Used by the Redis round-trip probe.
  int64_t max_calls = 0;
  absl::Duration call_deadline = absl::Seconds(10);
};

struct LabelResult {
  std::string label;
  int64_t calls = 0;  // measured calls completed in the window, any status
  Histogram latency_us;
};

struct EngineResult {
  double seconds = 0;  // length of the measured window
  int64_t calls = 0;   // measured calls completed in the window, any status
  int64_t prep_calls = 0;
  Histogram latency_us;                            // every measured call
  std::vector<LabelResult> labels;                 // per part of a mix
  std::map<std::string, int64_t> errors;           // gRPC code name -> count (window)
  std::map<std::string, std::string> first_error;  // code -> its first message
  int64_t warmup_errors = 0;

  int64_t error_count() const;
  double qps() const { return seconds > 0 ? calls / seconds : 0; }
};

// Channels to `target`, each with its own connection.
std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(const std::string& target, int n);

// Runs `scenario` (already set up) over `channels`; calls marked aux go
// over `aux_channels` (may be empty when the scenario makes none).
// `on_measure_start` and `on_measure_end` run on the calling thread at the
// window's edges (after the scenario's own hooks).
EngineResult RunLoad(Scenario& scenario,
                     const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                     const std::vector<std::shared_ptr<grpc::Channel>>& aux_channels,
                     const EngineOptions& options,
                     const std::function<void()>& on_measure_start = nullptr,
                     const std::function<void()>& on_measure_end = nullptr);

}  // namespace qpv::bench

#endif  // QPV_BENCH_LOAD_ENGINE_H_
