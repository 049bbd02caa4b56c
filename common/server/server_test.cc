#include "common/server/server.h"

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::server {
namespace {

using ::qpv::testing::StatusIs;

TEST(MetricsAddress, IsTheGrpcPortPlus1000OnTheSameHost) {
  EXPECT_EQ(*MetricsAddressFor("0.0.0.0:50052"), "0.0.0.0:51052");
  EXPECT_EQ(*MetricsAddressFor("127.0.0.1:6000"), "127.0.0.1:7000");
  EXPECT_EQ(*MetricsAddressFor("[::]:50051"), "[::]:51051");
  EXPECT_EQ(*MetricsAddressFor("127.0.0.1:0"), "off");
  EXPECT_THAT(MetricsAddressFor("0.0.0.0:65000"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MetricsAddressFor("nohostport"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace qpv::server
