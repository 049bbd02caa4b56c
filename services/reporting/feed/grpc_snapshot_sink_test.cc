// GrpcSnapshotSink against an in-process fake NationalAggregationService.
#include "services/reporting/feed/grpc_snapshot_sink.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::HasSubstr;
namespace nv1 = ::qpv::national::v1;

class FakeNational : public nv1::NationalAggregationService::Service {
 public:
  grpc::Status SubmitPrefectureSnapshot(grpc::ServerContext* ctx,
                                        const nv1::SubmitPrefectureSnapshotRequest* req,
                                        nv1::SubmitPrefectureSnapshotResponse* resp) override {
    last_deadline = ctx->deadline();
    if (hang) {
      release.WaitForNotification();
      return grpc::Status(grpc::StatusCode::CANCELLED, "late");
    }
    if (req->snapshot().workshops_size() > 0 && req->snapshot().workshops(0).attended_count() < 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "snapshot.workshops[0].attended_count must not be negative");
    }
    const int64_t v = req->snapshot().version();
    resp->set_prefecture(req->snapshot().prefecture());
    resp->set_applied(v > held);
    if (v > held) held = v;
    resp->set_current_version(held);
    return grpc::Status::OK;
  }
  std::atomic<int64_t> held{0};
  std::atomic<bool> hang{false};
  absl::Notification release;
  std::chrono::system_clock::time_point last_deadline;
};

nv1::PrefectureSnapshot Snapshot(int64_t version) {
  nv1::PrefectureSnapshot s;
  s.set_prefecture("59");
  s.set_version(version);
  s.add_workshops()->set_workshop("prefectures/59/workshops/w1");
  return s;
}

TEST(GrpcSnapshotSink, ReturnsTheVersionNationalHolds) {
  FakeNational fake;
  grpc::ServerBuilder builder;
  builder.RegisterService(&fake);
  auto server = builder.BuildAndStart();
  GrpcSnapshotSink sink(server->InProcessChannel(grpc::ChannelArguments()), absl::Seconds(3));

  auto held = [&](int64_t version) -> int64_t {
    auto r = sink.Submit(Snapshot(version));
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : -1;
  };
  const auto before = std::chrono::system_clock::now();
  EXPECT_EQ(held(5), 5);
  // Every call carries a deadline: about now + 3 s.
  EXPECT_LE(fake.last_deadline, before + std::chrono::seconds(4));
  EXPECT_GE(fake.last_deadline, before + std::chrono::seconds(2));
  // Older or repeated: national answers with what it holds.
  EXPECT_EQ(held(3), 5);
  EXPECT_EQ(held(5), 5);
  EXPECT_EQ(held(7), 7);

  nv1::PrefectureSnapshot bad = Snapshot(6);
  bad.mutable_workshops(0)->set_attended_count(-1);
  auto rejected = sink.Submit(bad);
  EXPECT_THAT(rejected, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(rejected.status().message()),
              HasSubstr("national rejected the snapshot (INVALID_ARGUMENT)"));
  EXPECT_THAT(std::string(rejected.status().message()), HasSubstr("attended_count"));
  server->Shutdown();
}

TEST(GrpcSnapshotSink, SlowNationalHitsTheDeadline) {
  FakeNational fake;
  fake.hang = true;
  grpc::ServerBuilder builder;
  builder.RegisterService(&fake);
  auto server = builder.BuildAndStart();
  GrpcSnapshotSink sink(server->InProcessChannel(grpc::ChannelArguments()),
                        absl::Milliseconds(200));
  auto result = sink.Submit(Snapshot(1));
  fake.release.Notify();
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("national did not answer"));
  server->Shutdown();
}

TEST(GrpcSnapshotSink, UnreachableNationalIsUnavailable) {
  // Nobody listens on this socket.
  auto channel = grpc::CreateChannel("unix:/nonexistent-qpv-test/national.sock",
                                     grpc::InsecureChannelCredentials());
  GrpcSnapshotSink sink(channel, absl::Seconds(2));
  auto result = sink.Submit(Snapshot(1));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("national unreachable: "));
  EXPECT_LT(result.status().message().size(), 200u);
}

}  // namespace
}  // namespace qpv::reporting
