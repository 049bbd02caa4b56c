// GrpcWorkshopSource against in-process fake WorkshopService and
// StakeholderService.
#include "services/reporting/grpc_workshop_source.h"

#include <atomic>
#include <chrono>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/logging/log.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/reporting/call_deadline.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
namespace wsv1 = ::qpv::workshop::v1;
namespace shv1 = ::qpv::stakeholder::v1;

// Pages of 3 whatever the page size asked, to make the source page.
constexpr int kServerPage = 3;

class FakeWorkshops : public wsv1::WorkshopService::Service {
 public:
  grpc::Status GetWorkshop(grpc::ServerContext* ctx, const wsv1::GetWorkshopRequest* req,
                           wsv1::Workshop* resp) override {
    Record(ctx);
    const std::string& n = req->name();
    if (n == "prefectures/59/workshops/w1") {
      resp->set_name(n);
      resp->set_revision(9);
      return grpc::Status::OK;
    }
    if (n == "prefectures/59/workshops/bad") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "name: bad");
    }
    if (n == "prefectures/62/workshops/w1") {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not served");
    }
    if (n == "prefectures/59/workshops/down") {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down");
    }
    if (n == "prefectures/59/workshops/slow") {
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "too slow");
    }
    if (n == "prefectures/59/workshops/broken") {
      return grpc::Status(grpc::StatusCode::INTERNAL, "secret internals");
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "workshop not found");
  }
  grpc::Status ListWorkshops(grpc::ServerContext* ctx, const wsv1::ListWorkshopsRequest* req,
                             wsv1::ListWorkshopsResponse* resp) override {
    Record(ctx, req->page_size());
    parents.push_back(req->parent());
    const int total = req->parent() == "prefectures/-" ? 7 : 4;
    return Page(
        req->page_token(), total,
        [&](int i) {
          resp->add_workshops()->set_name(absl::StrCat(req->parent(), "/workshops/w", i));
        },
        resp->mutable_next_page_token());
  }
  grpc::Status ListRegistrations(grpc::ServerContext* ctx,
                                 const wsv1::ListRegistrationsRequest* req,
                                 wsv1::ListRegistrationsResponse* resp) override {
    Record(ctx, req->page_size());
    if (req->parent() != "prefectures/59/workshops/w1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "workshop not found");
    }
    return Page(
        req->page_token(), 7,
        [&](int i) {
          resp->add_registrations()->set_name(absl::StrCat(req->parent(), "/registrations/r", i));
        },
        resp->mutable_next_page_token());
  }
  grpc::Status ListContributions(grpc::ServerContext* ctx,
                                 const wsv1::ListContributionsRequest* req,
                                 wsv1::ListContributionsResponse* resp) override {
    Record(ctx, req->page_size());
    // Exactly one full page: the next token is empty on the first answer.
    return Page(
        req->page_token(), kServerPage,
        [&](int i) {
          resp->add_contributions()->set_name(absl::StrCat(req->parent(), "/contributions/c", i));
        },
        resp->mutable_next_page_token());
  }

  std::atomic<int> calls{0};
  std::atomic<int> last_page_size{0};
  absl::Mutex mu;
  std::chrono::system_clock::time_point last_deadline ABSL_GUARDED_BY(mu);
  std::vector<std::string> parents;

  std::chrono::system_clock::time_point deadline() {
    absl::MutexLock lock(&mu);
    return last_deadline;
  }

 private:
  void Record(grpc::ServerContext* ctx, int page_size = 0) {
    ++calls;
    last_page_size = page_size;
    absl::MutexLock lock(&mu);
    last_deadline = ctx->deadline();
  }
  template <typename Add>
  static grpc::Status Page(const std::string& token, int total, Add add, std::string* next) {
    int start = 0;
    if (!token.empty() && !absl::SimpleAtoi(token, &start)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token");
    }
    const int end = std::min(total, start + kServerPage);
    for (int i = start; i < end; ++i) add(i);
    if (end < total) *next = absl::StrCat(end);
    return grpc::Status::OK;
  }
};

class FakeStakeholders : public shv1::StakeholderService::Service {
 public:
  grpc::Status GetOrganization(grpc::ServerContext*, const shv1::GetOrganizationRequest* req,
                               shv1::Organization* resp) override {
    ++calls;
    if (down) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
    if (req->name() == "prefectures/59/organizations/asso") {
      resp->set_name(req->name());
      resp->set_display_name("Association Lille Sud");
      return grpc::Status::OK;
    }
    if (req->name() == "prefectures/62/organizations/x") {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not served");
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "organization not found");
  }
  std::atomic<int> calls{0};
  std::atomic<bool> down{false};
};

class GrpcSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    grpc::ServerBuilder builder;
    builder.RegisterService(&workshops_);
    builder.RegisterService(&stakeholders_);
    server_ = builder.BuildAndStart();
    auto channel = server_->InProcessChannel(grpc::ChannelArguments());
    source_ = std::make_unique<GrpcWorkshopSource>(channel, channel, absl::Seconds(2), &clock_);
  }
  void TearDown() override { server_->Shutdown(); }

  FakeWorkshops workshops_;
  FakeStakeholders stakeholders_;
  FakeClock clock_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<GrpcWorkshopSource> source_;
};

TEST_F(GrpcSourceTest, GetsAWorkshop) {
  auto w = source_->GetWorkshop("prefectures/59/workshops/w1");
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->revision(), 9);
}

TEST_F(GrpcSourceTest, ListsEveryPageAskingForPagesOf1000) {
  auto regs = source_->ListRegistrations("prefectures/59/workshops/w1");
  ASSERT_THAT(regs, IsOk());
  ASSERT_EQ(regs->size(), 7u);  // 3 + 3 + 1
  EXPECT_EQ(regs->back().name(), "prefectures/59/workshops/w1/registrations/r6");
  EXPECT_EQ(workshops_.calls.load(), 3);
  EXPECT_EQ(workshops_.last_page_size.load(), 1000);

  auto contribs = source_->ListContributions("prefectures/59/workshops/w1");
  ASSERT_THAT(contribs, IsOk());
  EXPECT_EQ(contribs->size(), 3u);

  auto ws = source_->ListWorkshops("59");
  ASSERT_THAT(ws, IsOk());
  EXPECT_EQ(ws->size(), 4u);
  auto all = source_->ListWorkshops("-");
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->size(), 7u);
  EXPECT_EQ(workshops_.parents.front(), "prefectures/59");
  EXPECT_EQ(workshops_.parents.back(), "prefectures/-");
}

TEST_F(GrpcSourceTest, DeadlineIsTheSoonerOfTheCallersAndTheTimeout) {
  {
    const absl::Time caller = absl::Now() + absl::Milliseconds(700);
    ScopedCallDeadline scope(caller);
    ASSERT_THAT(source_->GetWorkshop("prefectures/59/workshops/w1"), IsOk());
    EXPECT_LE(workshops_.deadline(), absl::ToChronoTime(caller) + std::chrono::milliseconds(5));
  }
  // No caller deadline: the 2 s timeout (sent as a deadline a bit under 2 s
  // from now, never none).
  const auto before = std::chrono::system_clock::now();
  ASSERT_THAT(source_->GetWorkshop("prefectures/59/workshops/w1"), IsOk());
  EXPECT_LE(workshops_.deadline(), before + std::chrono::milliseconds(2100));
  EXPECT_GT(workshops_.deadline(), before + std::chrono::milliseconds(1000));
  // A caller deadline later than the timeout does not extend it.
  ScopedCallDeadline late(absl::Now() + absl::Hours(1));
  ASSERT_THAT(source_->ListRegistrations("prefectures/59/workshops/w1"), IsOk());
  EXPECT_LE(workshops_.deadline(),
            std::chrono::system_clock::now() + std::chrono::milliseconds(2100));
}

TEST_F(GrpcSourceTest, PeerErrorsAreMapped) {
  EXPECT_THAT(source_->GetWorkshop("prefectures/59/workshops/ghost"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(source_->ListRegistrations("prefectures/59/workshops/ghost"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(source_->GetWorkshop("prefectures/59/workshops/bad"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(source_->GetWorkshop("prefectures/62/workshops/w1"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(source_->GetWorkshop("prefectures/59/workshops/down"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(source_->GetWorkshop("prefectures/59/workshops/slow"),
              StatusIs(absl::StatusCode::kUnavailable));
  auto broken = source_->GetWorkshop("prefectures/59/workshops/broken");
  EXPECT_THAT(broken, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(broken.status().message().find("secret"), absl::string_view::npos);
}

TEST_F(GrpcSourceTest, OrganizationNamesKnownOnesCachedOthersLeftOut) {
  auto names = source_->OrganizationNames(
      {"prefectures/59/organizations/asso", "prefectures/59/organizations/ghost",
       "prefectures/62/organizations/x", "", "prefectures/59/organizations/asso"});
  ASSERT_THAT(names, IsOk());
  EXPECT_THAT(*names, UnorderedElementsAre(::testing::Pair("prefectures/59/organizations/asso",
                                                           "Association Lille Sud")));
  EXPECT_EQ(stakeholders_.calls.load(), 3);  // distinct, non-empty
  // Known names are kept a while; unknown ones are asked again.
  ASSERT_THAT(source_->OrganizationNames({"prefectures/59/organizations/asso"}), IsOk());
  EXPECT_EQ(stakeholders_.calls.load(), 3);
  clock_.Advance(absl::Minutes(6));
  ASSERT_THAT(source_->OrganizationNames({"prefectures/59/organizations/asso"}), IsOk());
  EXPECT_EQ(stakeholders_.calls.load(), 4);
  // The stakeholder service down is UNAVAILABLE (the logic then goes without).
  stakeholders_.down = true;
  EXPECT_THAT(source_->OrganizationNames({"prefectures/59/organizations/other"}),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(GrpcSourceTest, OrganizationLookupsAreBounded) {
  std::vector<std::string> many;
  for (int i = 0; i < GrpcWorkshopSource::kMaxOrganizationLookups + 50; ++i) {
    many.push_back(absl::StrCat("prefectures/59/organizations/o", i));
  }
  ASSERT_THAT(source_->OrganizationNames(many), IsOk());
  EXPECT_EQ(stakeholders_.calls.load(), GrpcWorkshopSource::kMaxOrganizationLookups);
}

TEST(GrpcWorkshopSource, NobodyListeningIsUnavailableWithinTheTimeout) {
  log::SetQuiet(true);
  // Nothing listens on port 1.
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  GrpcWorkshopSource source(channel, channel, absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  EXPECT_THAT(source.GetWorkshop("prefectures/59/workshops/w1"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(source.ListWorkshops("59"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(source.OrganizationNames({"prefectures/59/organizations/asso"}),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

}  // namespace
}  // namespace qpv::reporting
