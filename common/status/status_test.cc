#include "common/status/status.h"

#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "qpv/common/v1/error_info.pb.h"

namespace qpv {
namespace {

google::rpc::Status Details(const grpc::Status& s) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(s.error_details()));
  return details;
}

TEST(GrpcStatus, BadRequestNamesEveryField) {
  FieldViolations v;
  v.Add("workshop.title", "is required");
  v.Add("workshop.capacity", "must be between 1 and 10000");
  const grpc::Status s = ToGrpcStatus(v.ToStatus(), "workshop");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto details = Details(s);
  EXPECT_EQ(details.code(), 3);
  bool saw_bad_request = false, saw_info = false;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest br;
    if (any.UnpackTo(&br)) {
      saw_bad_request = true;
      ASSERT_EQ(br.field_violations_size(), 2);
      EXPECT_EQ(br.field_violations(0).field(), "workshop.title");
      EXPECT_EQ(br.field_violations(1).field(), "workshop.capacity");
    }
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      saw_info = true;
      qpv::common::v1::ErrorInfo info;
      ASSERT_TRUE(info.ParseFromString(any.value()));
      EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
      EXPECT_EQ(info.domain(), "workshop.qpv.gouv.fr");
    }
  }
  EXPECT_TRUE(saw_bad_request);
  EXPECT_TRUE(saw_info);
}

TEST(GrpcStatus, ReasonAndHiddenInternals) {
  const grpc::Status full = ToGrpcStatus(
      WithReason(absl::ResourceExhaustedError("full"), "WORKSHOP_FULL"), "workshop");
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  qpv::common::v1::ErrorInfo info;
  ASSERT_TRUE(info.ParseFromString(Details(full).details(0).value()));
  EXPECT_EQ(info.reason(), "WORKSHOP_FULL");

  const grpc::Status internal =
      ToGrpcStatus(absl::InternalError("redis error: WRONGTYPE at key ws:{59}:x"), "workshop");
  EXPECT_EQ(internal.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(internal.error_message(), "internal error");
  EXPECT_EQ(Details(internal).message(), "internal error");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "x").ok());
}

TEST(Status, ReasonDefaultsToCodeName) {
  EXPECT_EQ(ReasonOf(absl::FailedPreconditionError("x")), "FAILED_PRECONDITION");
  EXPECT_EQ(ReasonOf(absl::NotFoundError("x")), "NOT_FOUND");
  EXPECT_TRUE(FieldViolationsOf(absl::NotFoundError("x")).empty());
}

}  // namespace
}  // namespace qpv
