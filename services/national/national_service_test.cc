// The gRPC edge in-process, and WatchNationalDashboard: the first message is
// the current dashboard, one follows each accepted snapshot that changes it,
// a slow watcher gets the latest state only, a hundred watchers at once.
#include "services/national/national_service.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/logging/log.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "qpv/national/v1/national_service.grpc.pb.h"
#include "services/national/memory_national_store.h"
#include "services/national/national_test_util.h"
#include "tests/support/status_matchers.h"

namespace qpv::national {
namespace {

using namespace ::qpv::national::testing;  // NOLINT: builders
using nv1::NationalAggregationService;
using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::THEME_HEALTH;
using ::qpv::testing::IsOk;

constexpr absl::Duration kPatience = absl::Seconds(60);  // never reached when things work

std::set<std::string> BadFields(const grpc::Status& status) {
  std::set<std::string> out;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) out.insert(v.field());
    }
  }
  return out;
}

nv1::PrefectureSnapshot Snapshot(const std::string& p, int64_t version, int attended) {
  auto w = MakeWorkshop(p, "w1", Utc(2018, 2, 6), {THEME_HEALTH});
  AddAttendance(w, ACTOR_CATEGORY_ASSOCIATION, attended);
  return MakeSnapshot(p, version, {w});
}

// Messages a watcher received, for the test thread to wait on.
class Inbox {
 public:
  bool Push(const nv1::NationalDashboard& d) {
    absl::MutexLock lock(&mu_);
    messages_.push_back(d);
    return true;
  }
  // Waits until at least n messages arrived; false after kPatience.
  bool WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    const auto enough = [this, n]()
                            ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return messages_.size() >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kPatience);
  }
  std::vector<nv1::NationalDashboard> messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }

 private:
  absl::Mutex mu_;
  std::vector<nv1::NationalDashboard> messages_ ABSL_GUARDED_BY(mu_);
};

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    NationalLogic::Options options;
    options.small_count_threshold = 0;
    options.watch_wakeup = absl::Milliseconds(20);
    logic_ = std::make_unique<NationalLogic>(&store_, &clock_, options);
    ASSERT_THAT(logic_->Refresh(), IsOk());
  }
  void TearDown() override {
    done_ = true;
    for (auto& t : threads_) t.join();
  }

  void Submit(const nv1::PrefectureSnapshot& s) {
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = s;
    ASSERT_THAT(logic_->SubmitPrefectureSnapshot(req), IsOk());
  }

  void Watch(nv1::GetNationalDashboardRequest req,
             std::function<bool(const nv1::NationalDashboard&)> write) {
    threads_.emplace_back([this, req, write] {
      const absl::Status s = logic_->WatchNationalDashboard(
          req, [this] { return done_.load(); }, write);
      EXPECT_THAT(s, IsOk());
    });
  }

  FakeClock clock_;
  MemoryNationalStore store_;
  std::unique_ptr<NationalLogic> logic_;
  std::atomic<bool> done_{false};
  std::vector<std::thread> threads_;
};

TEST_F(WatchTest, CurrentFirstThenOneAfterEachChange) {
  Submit(Snapshot("59", 1, 10));
  Inbox inbox;
  Watch({}, [&](const auto& d) { return inbox.Push(d); });
  ASSERT_TRUE(inbox.WaitFor(1));
  EXPECT_EQ(inbox.messages()[0].revision(), 1);
  EXPECT_EQ(inbox.messages()[0].attended_count(), 10);
  EXPECT_EQ(logic_->watchers(), 1);
  Submit(Snapshot("59", 2, 25));
  ASSERT_TRUE(inbox.WaitFor(2));
  EXPECT_EQ(inbox.messages()[1].revision(), 2);
  EXPECT_EQ(inbox.messages()[1].attended_count(), 25);
  // A repeated version is no change: nothing is sent for it, the next real
  // change is.
  Submit(Snapshot("59", 2, 99));
  Submit(Snapshot("62", 1, 5));
  ASSERT_TRUE(inbox.WaitFor(3));
  EXPECT_EQ(inbox.messages()[2].revision(), 3);
  EXPECT_EQ(inbox.messages()[2].attended_count(), 30);
  done_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  EXPECT_EQ(inbox.messages().size(), 3u);
  EXPECT_EQ(logic_->watchers(), 0);
}

TEST_F(WatchTest, ChangesOutsideTheFiltersAreNotSent) {
  nv1::GetNationalDashboardRequest req;
  req.set_region("93");
  Inbox inbox;
  Watch(req, [&](const auto& d) { return inbox.Push(d); });
  ASSERT_TRUE(inbox.WaitFor(1));
  Submit(Snapshot("59", 1, 10));  // Hauts-de-France: not this watcher's
  Submit(Snapshot("13", 1, 7));   // Provence-Alpes-Côte d'Azur
  ASSERT_TRUE(inbox.WaitFor(2));
  done_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  const auto messages = inbox.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].attended_count(), 0);
  EXPECT_EQ(messages[1].attended_count(), 7);
  EXPECT_EQ(messages[1].revision(), 2);
}

TEST_F(WatchTest, SlowWatcherGetsTheLatestStateNotABacklog) {
  Inbox inbox;
  absl::Notification blocked, release;
  Watch({}, [&](const nv1::NationalDashboard& d) {
    inbox.Push(d);
    if (inbox.messages().size() == 2) {
      blocked.Notify();
      release.WaitForNotificationWithTimeout(kPatience);  // a slow reader
    }
    return true;
  });
  ASSERT_TRUE(inbox.WaitFor(1));
  Submit(Snapshot("59", 1, 1));
  ASSERT_TRUE(blocked.WaitForNotificationWithTimeout(kPatience));
  // Three more snapshots while the watcher is stuck in its write.
  Submit(Snapshot("59", 2, 2));
  Submit(Snapshot("59", 3, 3));
  Submit(Snapshot("59", 4, 4));
  release.Notify();
  ASSERT_TRUE(inbox.WaitFor(3));
  done_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  const auto messages = inbox.messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1].revision(), 1);
  EXPECT_EQ(messages[2].revision(), 4);  // revisions 2 and 3 were skipped
  EXPECT_EQ(messages[2].attended_count(), 4);
}

TEST_F(WatchTest, BadFiltersRefusedBeforeAnyMessage) {
  nv1::GetNationalDashboardRequest req;
  req.set_region("00");
  int writes = 0;
  const absl::Status s = logic_->WatchNationalDashboard(
      req, [] { return false; }, [&](const auto&) { return ++writes > 0; });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writes, 0);
}

// Through gRPC, in-process, with the production thread budget.
class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    NationalLogic::Options options;
    options.watch_wakeup = absl::Milliseconds(50);
    logic_ = std::make_unique<NationalLogic>(&store_, &clock_, options);
    ASSERT_THAT(logic_->Refresh(), IsOk());
    service_ = std::make_unique<NationalServiceImpl>(logic_.get());
    grpc::ServerBuilder builder;
    grpc::ResourceQuota quota("national-test");
    quota.SetMaxThreads(1024);
    builder.SetResourceQuota(quota);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ =
        NationalAggregationService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::Status Submit(const nv1::PrefectureSnapshot& s,
                      nv1::SubmitPrefectureSnapshotResponse* out) {
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = s;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return stub_->SubmitPrefectureSnapshot(&ctx, req, out);
  }

  FakeClock clock_;
  MemoryNationalStore store_;
  std::unique_ptr<NationalLogic> logic_;
  std::unique_ptr<NationalServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<NationalAggregationService::Stub> stub_;
};

TEST_F(ServiceTest, SubmitThenReadOverGrpc) {
  nv1::SubmitPrefectureSnapshotResponse resp;
  ASSERT_TRUE(Submit(Snapshot("59", 7, 12), &resp).ok());
  EXPECT_EQ(resp.prefecture(), "59");
  EXPECT_EQ(resp.current_version(), 7);
  EXPECT_TRUE(resp.applied());
  ASSERT_TRUE(Submit(Snapshot("59", 6, 99), &resp).ok());
  EXPECT_FALSE(resp.applied());
  EXPECT_EQ(resp.current_version(), 7);

  grpc::ClientContext ctx;
  nv1::NationalDashboard d;
  ASSERT_TRUE(stub_->GetNationalDashboard(&ctx, {}, &d).ok());
  EXPECT_EQ(d.attended_count(), 12);
  EXPECT_EQ(d.revision(), 1);
}

TEST_F(ServiceTest, BadSnapshotNamesTheField) {
  auto s = Snapshot("59", 1, 12);
  s.mutable_workshops(0)->set_attended_count(-4);
  s.mutable_workshops(0)->set_workshop("prefectures/62/workshops/w1");
  nv1::SubmitPrefectureSnapshotResponse resp;
  const grpc::Status status = Submit(s, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), (std::set<std::string>{"snapshot.workshops[0].attended_count",
                                                      "snapshot.workshops[0].workshop"}));
}

TEST_F(ServiceTest, WatchOverGrpc) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto reader = stub_->WatchNationalDashboard(&ctx, {});
  nv1::NationalDashboard d;
  ASSERT_TRUE(reader->Read(&d));
  EXPECT_EQ(d.revision(), 0);
  nv1::SubmitPrefectureSnapshotResponse resp;
  ASSERT_TRUE(Submit(Snapshot("59", 1, 12), &resp).ok());
  ASSERT_TRUE(reader->Read(&d));
  EXPECT_EQ(d.revision(), 1);
  EXPECT_EQ(d.attended_count(), 12);
  ctx.TryCancel();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // Bad filters: the stream ends at once with INVALID_ARGUMENT.
  grpc::ClientContext bad_ctx;
  nv1::GetNationalDashboardRequest bad;
  bad.set_theme(static_cast<Theme>(99));
  auto bad_reader = stub_->WatchNationalDashboard(&bad_ctx, bad);
  EXPECT_FALSE(bad_reader->Read(&d));
  const grpc::Status status = bad_reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), (std::set<std::string>{"theme"}));
}

// A store whose ApplySnapshot waits until released, counting its calls.
class HeldStore : public MemoryNationalStore {
 public:
  absl::StatusOr<ApplyResult> ApplySnapshot(absl::string_view prefecture,
                                            absl::string_view region, int64_t version,
                                            absl::Time receive_time,
                                            const google::protobuf::MessageLite& snapshot,
                                            const CellList& cells) override {
    if (++applies == 1) entered.Notify();
    release.WaitForNotification();
    return MemoryNationalStore::ApplySnapshot(prefecture, region, version, receive_time,
                                              snapshot, cells);
  }
  std::atomic<int> applies{0};
  absl::Notification entered, release;
};

// Through gRPC: with the submit budget taken by a snapshot being stored, the
// next one waits before it is even parsed, and leaves the queue at its
// deadline without reaching the store.
TEST(SubmitBudgetTest, ASubmitWaitsItsTurnAndLeavesAtItsDeadline) {
  log::SetQuiet(true);
  HeldStore store;
  FakeClock clock;
  NationalLogic logic(&store, &clock, {});
  ASSERT_THAT(logic.Refresh(), IsOk());
  NationalServiceImpl service(&logic, /*submit_budget_bytes=*/1);  // one snapshot at a time
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = NationalAggregationService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));
  const auto submit = [&](const nv1::PrefectureSnapshot& s, std::chrono::milliseconds timeout) {
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = s;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + timeout);
    nv1::SubmitPrefectureSnapshotResponse resp;
    return stub->SubmitPrefectureSnapshot(&ctx, req, &resp);
  };
  grpc::Status first;
  std::thread holder([&] { first = submit(Snapshot("59", 1, 12), std::chrono::seconds(30)); });
  store.entered.WaitForNotification();
  const grpc::Status late = submit(Snapshot("62", 1, 5), std::chrono::milliseconds(300));
  EXPECT_EQ(late.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(store.applies.load(), 1);  // the second never reached the store
  store.release.Notify();
  holder.join();
  EXPECT_TRUE(first.ok()) << first.error_message();
  // The one that timed out left the queue: the next goes through.
  EXPECT_TRUE(submit(Snapshot("62", 2, 5), std::chrono::seconds(30)).ok());
  EXPECT_EQ(store.applies.load(), 2);
  server->Shutdown();
}

TEST_F(ServiceTest, AHundredWatchersAtOnce) {
  constexpr int kWatchers = 100;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  for (int i = 0; i < kWatchers; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  }
  absl::Mutex mu;
  int first = 0, second = 0;
  std::vector<int64_t> revisions(kWatchers, -1);
  std::vector<std::thread> clients;
  for (int i = 0; i < kWatchers; ++i) {
    clients.emplace_back([&, i] {
      auto reader = stub_->WatchNationalDashboard(contexts[i].get(), {});
      nv1::NationalDashboard d;
      if (!reader->Read(&d)) return;
      {
        absl::MutexLock lock(&mu);
        ++first;
      }
      if (!reader->Read(&d)) return;
      {
        absl::MutexLock lock(&mu);
        revisions[i] = d.revision();
        ++second;
      }
      reader->Finish();
    });
  }
  {
    absl::MutexLock lock(&mu);
    const auto all_first = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return first == kWatchers; };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&all_first), kPatience)) << first;
  }
  EXPECT_EQ(logic_->watchers(), kWatchers);
  nv1::SubmitPrefectureSnapshotResponse resp;
  ASSERT_TRUE(Submit(Snapshot("59", 1, 12), &resp).ok());
  {
    absl::MutexLock lock(&mu);
    const auto all_second = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return second == kWatchers; };
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&all_second), kPatience)) << second;
  }
  for (auto& c : contexts) c->TryCancel();
  for (auto& t : clients) t.join();
  for (int i = 0; i < kWatchers; ++i) EXPECT_EQ(revisions[i], 1) << i;
}

}  // namespace
}  // namespace qpv::national
