// The steps of qpv-bench-national-scale (see national_scale_main.cc): submit
// every préfecture's snapshot of a generated national dataset
// (national_dataset.h), then measure GetNationalDashboard and
// ListGoodPractices at that size, and the national service's memory between
// the steps; or keep resubmitting snapshots for a soak.
#ifndef QPV_BENCH_NATIONAL_SCALE_H_
#define QPV_BENCH_NATIONAL_SCALE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/histogram.h"
#include "bench/load_engine.h"
#include "bench/national_dataset.h"
#include "grpcpp/channel.h"
#include "qpv/national/v1/national_service.grpc.pb.h"

namespace qpv::bench {

// A channel that takes and sends national-scale messages (a snapshot of the
// Nord, a page of large groups: more than gRPC's default 4 MiB).
std::shared_ptr<grpc::Channel> LargeMessageChannel(const std::string& target);

struct DatasetStats {
  int64_t workshops = 0;
  int64_t contributions = 0;
  int64_t actions = 0;
  int64_t bytes = 0;      // serialized snapshots, all préfectures
  int64_t max_bytes = 0;  // the largest snapshot
  std::string max_prefecture;
  double seconds = 0;  // to generate and serialize them
};

// Every préfecture's serialized SubmitPrefectureSnapshotRequest.
std::vector<std::string> GenerateRequests(const DatasetPlan& plan, int64_t version, uint64_t salt,
                                          int threads, DatasetStats* stats);

struct IngestResult {
  double seconds = 0;  // first submit to last answer
  Histogram latency_us;  // per snapshot
  int64_t applied = 0;
  int64_t errors = 0;
  std::string first_error;
};

// Submits the requests, `concurrency` at a time.
IngestResult Ingest(const std::shared_ptr<grpc::Channel>& channel,
                    const std::vector<std::string>& requests, int concurrency);

// A named query of the dashboard at scale.
struct DashboardQuerySpec {
  std::string name;  // "unfiltered", "theme", ...
  std::string what;  // for people
  national::v1::GetNationalDashboardRequest request;
};
std::vector<DashboardQuerySpec> DashboardQueries();

struct LoadRun {
  std::string name;
  int concurrency = 0;
  EngineResult result;
};

// `requests` (method, payload) in turn, closed loop.
LoadRun RunCalls(const std::string& name, const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                 const std::vector<std::pair<std::string, std::string>>& requests,
                 const EngineOptions& options);

struct GoodPracticesResult {
  double first_call_ms = 0;  // first page of 50 after a new revision: the grouping
  EngineResult cached;       // the same page again
  double walk_seconds = 0;   // every page of 1000
  int64_t pages = 0;
  int64_t groups = 0;
  int64_t sources = 0;  // all groups' sources: every action once
  int64_t multi_prefecture_groups = 0;
  int64_t singletons = 0;
  int64_t largest_sources = 0;
  int64_t largest_prefectures = 0;
  std::string largest_title;
  int64_t largest_response_bytes = 0;
};

// One ListGoodPractices call with a deadline; `elapsed` (when given) gets
// how long it took.
grpc::Status ListGoodPracticesPage(national::v1::NationalAggregationService::Stub& stub,
                                   const national::v1::ListGoodPracticesRequest& req,
                                   absl::Duration deadline,
                                   national::v1::ListGoodPracticesResponse* resp,
                                   absl::Duration* elapsed = nullptr);

absl::StatusOr<GoodPracticesResult> MeasureGoodPractices(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<std::shared_ptr<grpc::Channel>>& load_channels, const EngineOptions& cached);

}  // namespace qpv::bench

#endif  // QPV_BENCH_NATIONAL_SCALE_H_
