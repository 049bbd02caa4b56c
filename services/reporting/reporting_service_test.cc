// ReportingService through its real gRPC adapter, in-process, with the fake
// workshop source and the in-memory report cache.
#include "services/reporting/reporting_service.h"

#include <memory>
#include <set>
#include <string>

#include "common/logging/log.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "qpv/common/v1/error_info.pb.h"
#include "qpv/reporting/v1/reporting_service.grpc.pb.h"
#include "services/reporting/fake_workshop_source.h"
#include "services/reporting/memory_report_cache.h"

namespace qpv::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using v1::ReportingService;

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

std::string Reason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      qpv::common::v1::ErrorInfo info;
      if (info.ParseFromString(any.value())) return info.reason();
    }
  }
  return "";
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    workshop::v1::Workshop w;
    w.set_name("prefectures/59/workshops/emploi");
    w.set_title("Emploi");
    w.set_state(workshop::v1::Workshop::STATE_HELD);
    w.set_revision(1);
    source_.SetWorkshop(w);
    ReportingLogic::Options options;
    options.prefectures = {"59", "62"};
    logic_ = std::make_unique<ReportingLogic>(&source_, &cache_, nullptr, &clock_, options);
    service_ = std::make_unique<ReportingServiceImpl>(logic_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = ReportingService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (ReportingService::Stub::*method)(grpc::ClientContext*, const Req&,
                                                                   Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return (stub_.get()->*method)(&ctx, req, resp);
  }

  FakeWorkshopSource source_;
  MemoryReportCache cache_;
  FakeClock clock_;
  std::unique_ptr<ReportingLogic> logic_;
  std::unique_ptr<ReportingServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ReportingService::Stub> stub_;
};

TEST_F(ServiceTest, GetWorkshopReport) {
  v1::GetWorkshopReportRequest req;
  req.set_workshop("prefectures/59/workshops/emploi");
  v1::WorkshopReport report;
  grpc::Status s = Call(&ReportingService::Stub::GetWorkshopReport, req, &report);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(report.title(), "Emploi");
  EXPECT_EQ(report.representativeness_basis(), v1::REPRESENTATIVENESS_BASIS_ATTENDANCE);
  // The call's deadline reached the source.
  EXPECT_LT(source_.last_deadline(), absl::InfiniteFuture());
}

TEST_F(ServiceTest, BadFieldsAreInvalidArgumentWithFieldViolations) {
  v1::GetWorkshopReportRequest bad_workshop;
  bad_workshop.set_workshop("prefectures/59/workshop/emploi");
  v1::WorkshopReport report;
  grpc::Status s = Call(&ReportingService::Stub::GetWorkshopReport, bad_workshop, &report);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), ElementsAre("workshop"));

  v1::GetPrefectureReportRequest bad_prefecture;
  bad_prefecture.set_prefecture("596");
  v1::PrefectureReport prefecture;
  s = Call(&ReportingService::Stub::GetPrefectureReport, bad_prefecture, &prefecture);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), ElementsAre("prefecture"));

  v1::ExportReportRequest bad_export;
  v1::ExportReportResponse file;
  s = Call(&ReportingService::Stub::ExportReport, bad_export, &file);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("workshop", "format"));

  v1::GetFeedStatusRequest bad_feed;
  v1::FeedStatus status;
  s = Call(&ReportingService::Stub::GetFeedStatus, bad_feed, &status);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), ElementsAre("prefecture"));
  EXPECT_EQ(source_.calls(), 0);
}

TEST_F(ServiceTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  v1::GetWorkshopReportRequest req;
  req.set_workshop("prefectures/59/workshops/\xff");
  v1::WorkshopReport report;
  grpc::Status s = Call(&ReportingService::Stub::GetWorkshopReport, req, &report);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), ElementsAre("workshop"));
}

TEST_F(ServiceTest, ErrorsKeepTheirCodeAndReason) {
  v1::GetWorkshopReportRequest req;
  req.set_workshop("prefectures/2A/workshops/emploi");
  v1::WorkshopReport report;
  grpc::Status s = Call(&ReportingService::Stub::GetWorkshopReport, req, &report);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(s), "PREFECTURE_NOT_SERVED");

  req.set_workshop("prefectures/59/workshops/ghost");
  s = Call(&ReportingService::Stub::GetWorkshopReport, req, &report);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);

  source_.SetUnavailable(true);
  req.set_workshop("prefectures/59/workshops/emploi");
  s = Call(&ReportingService::Stub::GetWorkshopReport, req, &report);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Reason(s), "WORKSHOP_SERVICE_UNAVAILABLE");

  v1::GetFeedStatusRequest feed;
  feed.set_prefecture("59");
  v1::FeedStatus status;
  s = Call(&ReportingService::Stub::GetFeedStatus, feed, &status);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);  // no feed wired here
}

TEST_F(ServiceTest, ExportReportOverGrpc) {
  v1::ExportReportRequest req;
  req.set_workshop("prefectures/59/workshops/emploi");
  req.set_format(v1::ExportReportRequest::FORMAT_MARKDOWN);
  v1::ExportReportResponse file;
  grpc::Status s = Call(&ReportingService::Stub::ExportReport, req, &file);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(file.content_type(), ::testing::HasSubstr("markdown"));
  EXPECT_THAT(file.content(), ::testing::HasSubstr("Emploi"));
  EXPECT_FALSE(file.stale());
}

}  // namespace
}  // namespace qpv::reporting
