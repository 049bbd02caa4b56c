#include "bench/national_scale.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/fixtures.h"
#include "bench/scenarios.h"
#include "common/util/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace qpv::bench {
namespace {

namespace cv1 = ::qpv::common::v1;
namespace nv1 = ::qpv::national::v1;

constexpr int kMaxMessageBytes = 64 << 20;
constexpr char kService[] = "/qpv.national.v1.NationalAggregationService/";

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

// Calls from a fixed list, in turn.
class FixedCalls : public SingleScenario {
 public:
  FixedCalls(std::string label, std::vector<std::pair<std::string, std::string>> calls)
      : SingleScenario(std::move(label)), calls_(std::move(calls)) {}
  absl::Status Setup(Fixtures&, int, int64_t) override { return absl::OkStatus(); }
  Call Next(int) override {
    const auto& c = calls_[next_.fetch_add(1) % calls_.size()];
    return {c.first, c.second};
  }

 private:
  const std::vector<std::pair<std::string, std::string>> calls_;
  std::atomic<uint64_t> next_{0};
};

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

}  // namespace

std::shared_ptr<grpc::Channel> LargeMessageChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

std::vector<std::string> GenerateRequests(const DatasetPlan& plan, int64_t version, uint64_t salt,
                                          int threads, DatasetStats* stats) {
  const absl::Time start = absl::Now();
  const int n = static_cast<int>(plan.prefectures.size());
  std::vector<std::string> out(n);
  std::vector<DatasetStats> each(n);
  Fixtures::ParallelFor(n, threads, [&](int i) {
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = BuildSnapshot(plan, i, version, salt);
    const nv1::PrefectureSnapshot& s = req.snapshot();
    each[i].workshops = s.workshops_size();
    for (const auto& w : s.workshops()) each[i].contributions += w.contribution_count();
    each[i].actions = s.reproducible_actions_size();
    out[i] = req.SerializeAsString();
    return absl::OkStatus();
  }).IgnoreError();
  DatasetStats total;
  for (int i = 0; i < n; ++i) {
    total.workshops += each[i].workshops;
    total.contributions += each[i].contributions;
    total.actions += each[i].actions;
    total.bytes += static_cast<int64_t>(out[i].size());
    if (static_cast<int64_t>(out[i].size()) > total.max_bytes) {
      total.max_bytes = static_cast<int64_t>(out[i].size());
      total.max_prefecture = plan.prefectures[i].code;
    }
  }
  total.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  *stats = total;
  return out;
}

IngestResult Ingest(const std::shared_ptr<grpc::Channel>& channel,
                    const std::vector<std::string>& requests, int concurrency) {
  auto stub = nv1::NationalAggregationService::NewStub(channel);
  IngestResult out;
  std::mutex mu;
  const absl::Time start = absl::Now();
  Fixtures::ParallelFor(static_cast<int>(requests.size()), concurrency, [&](int i) {
    nv1::SubmitPrefectureSnapshotRequest req;
    req.ParseFromString(requests[i]);
    nv1::SubmitPrefectureSnapshotResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
    const absl::Time sent = absl::Now();
    const grpc::Status s = stub->SubmitPrefectureSnapshot(&ctx, req, &resp);
    const int64_t us = absl::ToInt64Microseconds(absl::Now() - sent);
    std::lock_guard<std::mutex> lock(mu);
    out.latency_us.Record(us);
    if (!s.ok()) {
      if (out.errors++ == 0) {
        out.first_error = absl::StrCat(req.snapshot().prefecture(), ": ",
                                       FromGrpc(s).ToString());
      }
    } else if (resp.applied()) {
      ++out.applied;
    }
    return absl::OkStatus();  // every préfecture is tried
  }).IgnoreError();
  out.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return out;
}

std::vector<DashboardQuerySpec> DashboardQueries() {
  std::vector<DashboardQuerySpec> out;
  const auto add = [&](std::string name, std::string what) -> nv1::GetNationalDashboardRequest& {
    out.push_back({std::move(name), std::move(what), {}});
    return out.back().request;
  };
  add("unfiltered", "no filter (cached per revision)");
  add("theme", "theme employment").set_theme(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  add("region", "region 32 (Hauts-de-France)").set_region("32");
  {
    auto& r = add("period", "2024, whole months");
    *r.mutable_start_time() = ToProto(Utc(2024, 1, 1));
    *r.mutable_end_time() = ToProto(Utc(2025, 1, 1));
  }
  {
    auto& r = add("period_partial", "2024-03-15 to 2024-09-15 (partial months)");
    *r.mutable_start_time() = ToProto(Utc(2024, 3, 15));
    *r.mutable_end_time() = ToProto(Utc(2024, 9, 15));
  }
  {
    auto& r = add("combined", "education + region 11 + 2024-03-15 to 2024-09-15");
    r.set_theme(cv1::THEME_EDUCATION);
    r.set_region("11");
    *r.mutable_start_time() = ToProto(Utc(2024, 3, 15));
    *r.mutable_end_time() = ToProto(Utc(2024, 9, 15));
  }
  return out;
}

LoadRun RunCalls(const std::string& name, const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                 const std::vector<std::pair<std::string, std::string>>& requests,
                 const EngineOptions& options) {
  FixedCalls scenario(name, requests);
  LoadRun run;
  run.name = name;
  run.concurrency = options.concurrency;
  run.result = RunLoad(scenario, channels, {}, options);
  return run;
}

grpc::Status ListGoodPracticesPage(nv1::NationalAggregationService::Stub& stub,
                                   const nv1::ListGoodPracticesRequest& req,
                                   absl::Duration deadline, nv1::ListGoodPracticesResponse* resp,
                                   absl::Duration* elapsed) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  const absl::Time sent = absl::Now();
  grpc::Status s = stub.ListGoodPractices(&ctx, req, resp);
  if (elapsed) *elapsed = absl::Now() - sent;
  return s;
}

absl::StatusOr<GoodPracticesResult> MeasureGoodPractices(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<std::shared_ptr<grpc::Channel>>& load_channels, const EngineOptions& cached) {
  auto stub = nv1::NationalAggregationService::NewStub(channel);
  GoodPracticesResult out;
  nv1::ListGoodPracticesRequest first_page;
  first_page.set_page_size(50);
  {
    nv1::ListGoodPracticesResponse resp;
    absl::Duration took;
    const grpc::Status s =
        ListGoodPracticesPage(*stub, first_page, absl::Seconds(120), &resp, &took);
    out.first_call_ms = absl::ToDoubleMilliseconds(took);
    if (!s.ok()) return FromGrpc(s);
  }
  out.cached = RunCalls("ListGoodPractices (cached)", load_channels,
                        {{absl::StrCat(kService, "ListGoodPractices"),
                          first_page.SerializeAsString()}},
                        cached)
                   .result;
  // Every page: the whole grouping, as a national team exporting it would.
  nv1::ListGoodPracticesRequest req;
  req.set_page_size(1000);
  const absl::Time start = absl::Now();
  while (true) {
    nv1::ListGoodPracticesResponse resp;
    const grpc::Status s = ListGoodPracticesPage(*stub, req, absl::Seconds(120), &resp);
    if (!s.ok()) return FromGrpc(s);
    ++out.pages;
    out.largest_response_bytes =
        std::max<int64_t>(out.largest_response_bytes, static_cast<int64_t>(resp.ByteSizeLong()));
    for (const auto& g : resp.groups()) {
      ++out.groups;
      out.sources += g.sources_size();
      if (g.prefecture_count() > 1) ++out.multi_prefecture_groups;
      if (g.sources_size() == 1) ++out.singletons;
      if (g.sources_size() > out.largest_sources) {
        out.largest_sources = g.sources_size();
        out.largest_prefectures = g.prefecture_count();
        out.largest_title = g.title();
      }
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  out.walk_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return out;
}

}  // namespace qpv::bench
