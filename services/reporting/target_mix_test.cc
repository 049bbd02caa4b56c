#include "services/reporting/target_mix.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::common::v1::ACTOR_CATEGORY_ADULT_RELAY;
using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::ACTOR_CATEGORY_BUSINESS;
using ::qpv::common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL;
using ::qpv::common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY;
using ::qpv::common::v1::ACTOR_CATEGORY_OTHER;
using ::qpv::common::v1::ACTOR_CATEGORY_RESIDENT;
using ::qpv::common::v1::ACTOR_CATEGORY_RESOURCE_CENTER;
using ::qpv::common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
using ::qpv::common::v1::ACTOR_CATEGORY_STATE_SERVICE;
using ::qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED;
using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::DoubleEq;
using ::testing::HasSubstr;

TEST(TargetMix, DefaultSharesAreTheBriefsWeightsNormalised) {
  const TargetMix& mix = TargetMix::Default();
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_LOCAL_AUTHORITY), DoubleEq(0.20));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_ASSOCIATION), DoubleEq(0.25));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_SOCIAL_LANDLORD), DoubleEq(0.10));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_CITIZEN_COUNCIL), DoubleEq(0.15));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_ADULT_RELAY), DoubleEq(0.10));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_RESOURCE_CENTER), DoubleEq(0.05));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_STATE_SERVICE), DoubleEq(0.10));
  EXPECT_THAT(mix.Share(ACTOR_CATEGORY_BUSINESS), DoubleEq(0.05));
  EXPECT_EQ(mix.Share(ACTOR_CATEGORY_RESIDENT), 0.0);
  EXPECT_EQ(mix.Share(ACTOR_CATEGORY_OTHER), 0.0);
  // Residents and others weigh 0: not part of the target.
  EXPECT_EQ(mix.Shares().size(), 8u);
  EXPECT_EQ(mix.Shares().front().first, ACTOR_CATEGORY_LOCAL_AUTHORITY);
  EXPECT_EQ(mix.Shares().back().first, ACTOR_CATEGORY_BUSINESS);
}

TEST(TargetMix, SeatsRoundUpWithoutFloatingPointNoise) {
  const TargetMix& mix = TargetMix::Default();
  EXPECT_EQ(mix.Seats(ACTOR_CATEGORY_CITIZEN_COUNCIL, 40), 6);  // 0.15 * 40 = 6 exactly
  EXPECT_EQ(mix.Seats(ACTOR_CATEGORY_CITIZEN_COUNCIL, 10), 2);  // 1.5 -> 2
  EXPECT_EQ(mix.Seats(ACTOR_CATEGORY_BUSINESS, 1), 1);          // 0.05 -> 1
  EXPECT_EQ(mix.Seats(ACTOR_CATEGORY_LOCAL_AUTHORITY, 0), 0);
  EXPECT_EQ(mix.Seats(ACTOR_CATEGORY_RESIDENT, 40), 0);
  // Thirds: 1/3 * 30 = 10, not 11.
  auto thirds = TargetMix::FromWeights(
      {{ACTOR_CATEGORY_ASSOCIATION, 1}, {ACTOR_CATEGORY_RESIDENT, 1}, {ACTOR_CATEGORY_OTHER, 1}});
  ASSERT_THAT(thirds, IsOk());
  EXPECT_EQ(thirds->Seats(ACTOR_CATEGORY_ASSOCIATION, 30), 10);
}

TEST(TargetMix, FromWeightsRefusesNonsense) {
  EXPECT_THAT(TargetMix::FromWeights({}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TargetMix::FromWeights({{ACTOR_CATEGORY_ASSOCIATION, 0}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TargetMix::FromWeights({{ACTOR_CATEGORY_ASSOCIATION, -1}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TargetMix::FromWeights({{ACTOR_CATEGORY_UNSPECIFIED, 1}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TargetMixes, EmptySpecKeepsTheDefaultEverywhere) {
  auto mixes = TargetMixes::Parse("  ");
  ASSERT_THAT(mixes, IsOk());
  EXPECT_TRUE(mixes->For("59") == TargetMix::Default());
  EXPECT_TRUE(mixes->default_mix() == TargetMix::Default());
}

TEST(TargetMixes, TheDefaultSpecParsesToTheDefaultMix) {
  auto mixes = TargetMixes::Parse(kDefaultTargetMixSpec);
  ASSERT_THAT(mixes, IsOk());
  EXPECT_TRUE(mixes->default_mix() == TargetMix::Default());
}

TEST(TargetMixes, DefaultAndPrefectureOverrides) {
  auto mixes = TargetMixes::Parse(
      "ASSOCIATION=30,LOCAL_AUTHORITY=20;59:ASSOCIATION=40,CITIZEN_COUNCIL=20; 2A : resident=1");
  ASSERT_THAT(mixes, IsOk()) << mixes.status();
  // The unprefixed entry replaces the built-in default.
  EXPECT_THAT(mixes->For("62").Share(ACTOR_CATEGORY_ASSOCIATION), DoubleEq(0.6));
  EXPECT_THAT(mixes->For("62").Share(ACTOR_CATEGORY_LOCAL_AUTHORITY), DoubleEq(0.4));
  EXPECT_EQ(mixes->For("62").Share(ACTOR_CATEGORY_SOCIAL_LANDLORD), 0.0);
  // A préfecture entry is that préfecture's whole mix.
  EXPECT_THAT(mixes->For("59").Share(ACTOR_CATEGORY_ASSOCIATION), DoubleEq(2.0 / 3));
  EXPECT_THAT(mixes->For("59").Share(ACTOR_CATEGORY_CITIZEN_COUNCIL), DoubleEq(1.0 / 3));
  EXPECT_EQ(mixes->For("59").Share(ACTOR_CATEGORY_LOCAL_AUTHORITY), 0.0);
  EXPECT_THAT(mixes->For("2A").Share(ACTOR_CATEGORY_RESIDENT), DoubleEq(1.0));
}

TEST(TargetMixes, PrefectureOverrideAloneKeepsTheBuiltInDefault) {
  auto mixes = TargetMixes::Parse("971:Actor_Category_Association=1.5;");
  ASSERT_THAT(mixes, IsOk()) << mixes.status();
  EXPECT_THAT(mixes->For("971").Share(ACTOR_CATEGORY_ASSOCIATION), DoubleEq(1.0));
  EXPECT_TRUE(mixes->For("59") == TargetMix::Default());
}

TEST(TargetMixes, BadValuesAreRefusedWithTheEntryNamed) {
  const struct {
    const char* spec;
    const char* says;
  } cases[] = {
      {"ASSOCIATION=abc", "'abc' is not a non-negative number"},
      {"ASSOCIATION=-1", "'-1' is not a non-negative number"},
      {"ASSOCIATION=inf", "not a non-negative number"},
      {"ASSOCIATION=0,BUSINESS=0", "at least one weight must be positive"},
      {"MAYOR=3", "unknown actor category 'MAYOR'"},
      {"UNSPECIFIED=3", "unknown actor category"},
      {"ASSOCIATION", "is not CATEGORY=weight"},
      {"ASSOCIATION=1,,BUSINESS=1", "empty category=weight item"},
      {"ASSOCIATION=1,association=2", "ACTOR_CATEGORY_ASSOCIATION given twice"},
      {"20:ASSOCIATION=1", "'20' is not a département code"},
      {"2a:ASSOCIATION=1", "'2a' is not a département code"},
      {"59:", "empty category=weight item"},
      {"59:ASSOCIATION=1;59:BUSINESS=1", "préfecture 59 given twice"},
      {"ASSOCIATION=1;BUSINESS=1", "more than one default mix"},
  };
  for (const auto& c : cases) {
    auto mixes = TargetMixes::Parse(c.spec);
    EXPECT_THAT(mixes, StatusIs(absl::StatusCode::kInvalidArgument)) << c.spec;
    EXPECT_THAT(std::string(mixes.status().message()), HasSubstr(c.says)) << c.spec;
    // One line: it ends up in config::Die.
    EXPECT_FALSE(absl::StrContains(mixes.status().message(), "\n")) << c.spec;
  }
}

TEST(ParseActorCategory, AcceptsShortAndLongNamesInAnyCase) {
  ActorCategory c = ACTOR_CATEGORY_UNSPECIFIED;
  EXPECT_TRUE(ParseActorCategory("social_landlord", &c));
  EXPECT_EQ(c, ACTOR_CATEGORY_SOCIAL_LANDLORD);
  EXPECT_TRUE(ParseActorCategory(" ACTOR_CATEGORY_STATE_SERVICE ", &c));
  EXPECT_EQ(c, ACTOR_CATEGORY_STATE_SERVICE);
  EXPECT_FALSE(ParseActorCategory("unspecified", &c));
  EXPECT_FALSE(ParseActorCategory("", &c));
}

}  // namespace
}  // namespace qpv::reporting
