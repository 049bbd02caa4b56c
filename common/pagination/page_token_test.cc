#include "common/pagination/page_token.h"

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::pagination {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

TEST(PageSize, DefaultsCapsAndRejectsNegative) {
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(1000), 1000);
  EXPECT_EQ(*EffectivePageSize(5000), 1000);
  EXPECT_THAT(EffectivePageSize(-1), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageToken, RoundTripsAndIsBoundToTheRequest) {
  const std::string fp = RequestFingerprint("prefectures/59", "state = STATE_HELD");
  const std::string token = EncodePageToken("00000000000042", fp);
  auto cursor = DecodePageToken(token, fp);
  ASSERT_THAT(cursor, IsOk());
  EXPECT_EQ(*cursor, "00000000000042");
  EXPECT_EQ(*DecodePageToken("", fp), "");
  const std::string other = RequestFingerprint("prefectures/59", "");
  EXPECT_THAT(DecodePageToken(token, other), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageToken, RejectsForgeries) {
  const std::string fp = RequestFingerprint("prefectures/59", "");
  std::string token = EncodePageToken("17", fp);
  for (size_t i = 0; i < token.size(); ++i) {
    std::string forged = token;
    forged[i] = forged[i] == 'A' ? 'B' : 'A';
    EXPECT_THAT(DecodePageToken(forged, fp), StatusIs(absl::StatusCode::kInvalidArgument)) << i;
  }
  EXPECT_THAT(DecodePageToken("not a token!", fp), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken("MTc", fp), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(std::string(5000, 'A'), fp),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(StableHash, IsPinned) {
  // Tokens handed out must stay valid across builds, restarts and replicas:
  // these values (FNV-1a 64 then MurmurHash3's fmix64, computed independently)
  // must never change.
  EXPECT_EQ(StableHash64(""), 0xefd01f60ba992926ULL);
  EXPECT_EQ(StableHash64("prefectures/59"), 0xa4801d75307eef72ULL);
  EXPECT_EQ(RequestFingerprint("p", "f"), "ac27f968d6febfb7");
}

}  // namespace
}  // namespace qpv::pagination
