// Scenarios of qpv.national.v1.NationalAggregationService, with the 101
// préfectures loaded at setup (one snapshot each):
// - SubmitPrefectureSnapshot: each call a newer version of one préfecture's
//   snapshot, the préfectures in turn (so every call changes the rollups);
// - GetNationalDashboard: the unfiltered dashboard;
// - WatchNationalDashboard: `watchers` streams stay open while snapshots are
//   submitted as above; the measured calls are the submissions, and the
//   updates the watchers receive (and their lag) are reported beside them.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/fixtures.h"
#include "bench/json.h"
#include "bench/scenarios.h"
#include "bench/snapshots.h"
#include "bench/stream_watchers.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "qpv/national/v1/national_service.pb.h"

namespace qpv::bench {
namespace {

namespace nv1 = ::qpv::national::v1;

constexpr char kService[] = "/qpv.national.v1.NationalAggregationService/";

// Loads every préfecture's first snapshot at `version`.
absl::Status LoadPrefectures(Fixtures& f, const std::vector<std::string>& prefectures,
                             int64_t version, int threads) {
  return Fixtures::ParallelFor(static_cast<int>(prefectures.size()), threads, [&](int i) {
    return f.SubmitSnapshot(SampleSnapshot(prefectures[i], version));
  });
}

class SubmitSnapshotScenario : public SingleScenario {
 public:
  SubmitSnapshotScenario(const ScenarioOptions& o, std::string label)
      : SingleScenario(std::move(label)),
        method_(absl::StrCat(kService, "SubmitPrefectureSnapshot")),
        threads_(o.setup_threads) {}

  absl::Status Setup(Fixtures& f, int, int64_t) override {
    prefectures_ = AllPrefectures();
    // Versions above any earlier run's: microseconds since the epoch.
    base_version_ = absl::ToUnixMicros(absl::Now());
    return LoadPrefectures(f, prefectures_, base_version_, threads_);
  }

  Call Next(int) override {
    const uint64_t k = next_.fetch_add(1);
    const int64_t version = base_version_ + 1 + static_cast<int64_t>(k / prefectures_.size());
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = SampleSnapshot(prefectures_[k % prefectures_.size()], version);
    return {method_, req.SerializeAsString()};
  }

 private:
  const std::string method_;
  const int threads_;
  std::vector<std::string> prefectures_;
  int64_t base_version_ = 0;
  std::atomic<uint64_t> next_{0};
};

class NationalDashboardScenario : public SingleScenario {
 public:
  explicit NationalDashboardScenario(const ScenarioOptions& o)
      : SingleScenario("GetNationalDashboard"),
        method_(absl::StrCat(kService, "GetNationalDashboard")),
        threads_(o.setup_threads) {}

  absl::Status Setup(Fixtures& f, int, int64_t) override {
    payload_ = nv1::GetNationalDashboardRequest().SerializeAsString();
    return LoadPrefectures(f, AllPrefectures(), absl::ToUnixMicros(absl::Now()), threads_);
  }

  Call Next(int) override { return {method_, payload_}; }

 private:
  const std::string method_;
  const int threads_;
  std::string payload_;
};

class WatchDashboardScenario : public SubmitSnapshotScenario {
 public:
  explicit WatchDashboardScenario(const ScenarioOptions& o)
      : SubmitSnapshotScenario(o, "SubmitPrefectureSnapshot (with watchers)"),
        watchers_count_(o.watchers) {}

  absl::Status Setup(Fixtures& f, int slots, int64_t hint) override {
    if (absl::Status s = SubmitSnapshotScenario::Setup(f, slots, hint); !s.ok()) return s;
    watchers_ = std::make_unique<StreamWatchers>(
        grpc::CreateChannel(f.addresses().national, grpc::InsecureChannelCredentials()),
        absl::StrCat(kService, "WatchNationalDashboard"),
        nv1::GetNationalDashboardRequest().SerializeAsString(), watchers_count_);
    return watchers_->Start(absl::Seconds(20));
  }

  void OnMeasureStart() override { watchers_->BeginWindow(); }
  void OnMeasureEnd() override { watchers_->EndWindow(); }
  void Stop() override {
    if (watchers_) watchers_->Stop();
  }

  std::string ExtraJson() const override {
    const double secs = watchers_->window_seconds();
    const int64_t updates = watchers_->updates();
    return absl::StrCat("\"watchers\":", watchers_->count(), ",\"watch_updates\":", updates,
                        ",\"watch_updates_per_s\":", secs > 0 ? updates / secs : 0,
                        ",\"watch_failures\":", watchers_->failures(),
                        ",\"watch_lag_us\":", PercentilesJson(watchers_->lag_us()));
  }

 private:
  const int watchers_count_;
  std::unique_ptr<StreamWatchers> watchers_;
};

}  // namespace

std::unique_ptr<Scenario> NewSubmitSnapshotScenario(const ScenarioOptions& o) {
  return std::make_unique<SubmitSnapshotScenario>(o, "SubmitPrefectureSnapshot");
}
std::unique_ptr<Scenario> NewNationalDashboardScenario(const ScenarioOptions& o) {
  return std::make_unique<NationalDashboardScenario>(o);
}
std::unique_ptr<Scenario> NewWatchDashboardScenario(const ScenarioOptions& o) {
  return std::make_unique<WatchDashboardScenario>(o);
}

}  // namespace qpv::bench
