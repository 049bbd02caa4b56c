// GrpcPersonDirectory against an in-process fake StakeholderService.
#include "services/workshop/grpc_person_directory.h"

#include <atomic>

#include "common/logging/log.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::workshop {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
namespace shv1 = ::qpv::stakeholder::v1;

class FakeStakeholder : public shv1::StakeholderService::Service {
 public:
  grpc::Status GetPerson(grpc::ServerContext* ctx, const shv1::GetPersonRequest* req,
                         shv1::Person* resp) override {
    ++calls;
    last_deadline = ctx->deadline();
    if (req->name() == "prefectures/59/persons/p1") {
      resp->set_name(req->name());
      resp->set_organization("prefectures/59/organizations/o1");
      resp->mutable_consent_time()->set_seconds(1500000000);
      return grpc::Status::OK;
    }
    if (req->name() == "prefectures/59/persons/erased") {
      resp->set_name(req->name());
      resp->set_organization("prefectures/59/organizations/o1");
      resp->mutable_consent_time()->set_seconds(1500000000);
      resp->mutable_erase_time()->set_seconds(1600000000);
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "person not found");
  }
  grpc::Status GetOrganization(grpc::ServerContext*, const shv1::GetOrganizationRequest* req,
                               shv1::Organization* resp) override {
    ++calls;
    if (req->name() == "prefectures/59/organizations/o1") {
      resp->set_name(req->name());
      resp->set_category(qpv::common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "organization not found");
  }
  std::atomic<int> calls{0};
  std::chrono::system_clock::time_point last_deadline;
};

TEST(GrpcPersonDirectory, LooksUpPersonsAndOrganizations) {
  FakeStakeholder fake;
  grpc::ServerBuilder builder;
  builder.RegisterService(&fake);
  auto server = builder.BuildAndStart();
  GrpcPersonDirectory directory(server->InProcessChannel(grpc::ChannelArguments()),
                                absl::Seconds(2));
  const absl::Time deadline = absl::Now() + absl::Milliseconds(700);
  auto p1 = directory.LookupPerson("prefectures/59/persons/p1", deadline);
  ASSERT_THAT(p1, IsOk());
  EXPECT_TRUE(p1->consent);
  EXPECT_EQ(p1->organization, "prefectures/59/organizations/o1");
  EXPECT_EQ(p1->organization_category, qpv::common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
  // The incoming deadline (sooner than the 2 s timeout) was propagated.
  EXPECT_LE(fake.last_deadline, absl::ToChronoTime(deadline) + std::chrono::milliseconds(5));

  auto erased = directory.LookupPerson("prefectures/59/persons/erased", absl::InfiniteFuture());
  ASSERT_THAT(erased, IsOk());
  EXPECT_FALSE(erased->consent);
  EXPECT_THAT(directory.LookupPerson("prefectures/59/persons/ghost", absl::InfiniteFuture()),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(directory.LookupOrganization("prefectures/59/organizations/ghost",
                                           absl::InfiniteFuture()),
              StatusIs(absl::StatusCode::kNotFound));
  // Categories are cached.
  const int before = fake.calls.load();
  ASSERT_THAT(directory.LookupOrganization("prefectures/59/organizations/o1",
                                           absl::InfiniteFuture()),
              IsOk());
  EXPECT_EQ(fake.calls.load(), before);
  server->Shutdown();
}

TEST(GrpcPersonDirectory, StakeholderDownIsUnavailable) {
  log::SetQuiet(true);
  // Nothing listens on port 1.
  GrpcPersonDirectory directory(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()),
      absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  EXPECT_THAT(directory.LookupPerson("prefectures/59/persons/p1", absl::InfiniteFuture()),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

}  // namespace
}  // namespace qpv::workshop
