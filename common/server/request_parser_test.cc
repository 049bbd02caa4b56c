#include "common/server/request_parser.h"

#include <string>
#include <vector>

#include "common/status/status.h"
#include "gtest/gtest.h"
#include "qpv/stakeholder/v1/stakeholder_service.pb.h"
#include "tests/support/status_matchers.h"

namespace qpv::server {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

// Wire bytes of a length-delimited field.
std::string Field(int number, const std::string& payload) {
  return std::string(1, static_cast<char>((number << 3) | 2)) +
         static_cast<char>(payload.size()) + payload;
}

TEST(ParseRequest, NamesEachInvalidUtf8FieldWithItsPath) {
  // CreateOrganizationRequest{parent: "\xff", organization: {display_name: "ok",
  //   qpv_codes: ["QN05981M", "\xfe"]}}
  const std::string org =
      Field(2, "ok") + Field(4, "QN05981M") + Field(4, std::string("\xfe", 1));
  const std::string bytes = Field(1, std::string("\xff", 1)) + Field(2, org);
  qpv::stakeholder::v1::CreateOrganizationRequest req;
  const absl::Status s = ParseRequest(bytes, &req);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  const auto fields = FieldViolationsOf(s);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].first, "parent");
  EXPECT_EQ(fields[1].first, "organization.qpv_codes[1]");
}

TEST(ParseRequest, AcceptsGoodBytesAndRejectsGarbage) {
  qpv::stakeholder::v1::CreateOrganizationRequest req;
  ASSERT_THAT(ParseRequest(Field(1, "prefectures/59"), &req), IsOk());
  EXPECT_EQ(req.parent(), "prefectures/59");
  const absl::Status garbage = ParseRequest("\xff\xff\xff", &req);
  EXPECT_THAT(garbage, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(FieldViolationsOf(garbage).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(garbage)[0].first, "request");
}

// `bytes` as gRPC may hand them over: cut into slices of `cut` bytes.
grpc::ByteBuffer Sliced(const std::string& bytes, size_t cut) {
  std::vector<grpc::Slice> slices;
  for (size_t at = 0; at < bytes.size(); at += cut) slices.emplace_back(bytes.substr(at, cut));
  return grpc::ByteBuffer(slices.data(), slices.size());
}

TEST(ParseRequest, ParsesAByteBufferOfOneOrManySlices) {
  const std::string org = Field(2, "Centre social Lazare-Garreau") + Field(4, "QN05981M");
  const std::string bytes = Field(1, "prefectures/59") + Field(2, org);
  for (size_t cut : {bytes.size(), size_t{7}, size_t{1}}) {
    qpv::stakeholder::v1::CreateOrganizationRequest req;
    ASSERT_THAT(ParseRequest(Sliced(bytes, cut), &req), IsOk()) << "slices of " << cut;
    EXPECT_EQ(req.parent(), "prefectures/59");
    EXPECT_EQ(req.organization().display_name(), "Centre social Lazare-Garreau");
    ASSERT_EQ(req.organization().qpv_codes_size(), 1);
    EXPECT_EQ(req.organization().qpv_codes(0), "QN05981M");
  }
}

TEST(ParseRequest, NamesInvalidUtf8FieldsOfASlicedByteBuffer) {
  const std::string bytes =
      Field(1, "prefectures/59") + Field(2, Field(2, std::string("ok\xfe", 3)));
  for (size_t cut : {bytes.size(), size_t{3}}) {
    qpv::stakeholder::v1::CreateOrganizationRequest req;
    const absl::Status s = ParseRequest(Sliced(bytes, cut), &req);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
    const auto fields = FieldViolationsOf(s);
    ASSERT_EQ(fields.size(), 1u) << "slices of " << cut;
    EXPECT_EQ(fields[0].first, "organization.display_name");
  }
  qpv::stakeholder::v1::CreateOrganizationRequest req;
  EXPECT_THAT(ParseRequest(Sliced("\xff\xff\xff", 1), &req),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseRequest, AnEmptyByteBufferIsTheEmptyMessage) {
  qpv::stakeholder::v1::CreateOrganizationRequest req;
  req.set_parent("left over");
  ASSERT_THAT(ParseRequest(grpc::ByteBuffer(), &req), IsOk());  // never filled
  EXPECT_EQ(req.parent(), "");
  req.set_parent("left over");
  ASSERT_THAT(ParseRequest(Sliced("", 1), &req), IsOk());  // no slice
  EXPECT_EQ(req.parent(), "");
}

}  // namespace
}  // namespace qpv::server
