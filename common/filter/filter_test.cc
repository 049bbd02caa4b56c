#include "common/filter/filter.h"

#include "gtest/gtest.h"
#include "qpv/common/v1/common.pb.h"
#include "tests/support/status_matchers.h"

namespace qpv::filter {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

const Schema& TestSchema() {
  static const Schema* schema = new Schema{
      {"state", {Op::kEq, Op::kNe}},
      {"themes", {Op::kHas}},
      {"start_time", {Op::kLt, Op::kLe, Op::kGt, Op::kGe}},
      {"display_name", {Op::kHas, Op::kEq}},
  };
  return *schema;
}

TEST(Filter, ParsesConjunctions) {
  auto terms = Parse(
      "state = STATE_SCHEDULED AND themes:THEME_HEALTH AND start_time >= \"2018-02-01T00:00:00Z\" "
      "AND display_name:\"centre \\\"social\\\"\"",
      TestSchema());
  ASSERT_THAT(terms, IsOk());
  ASSERT_EQ(terms->size(), 4u);
  EXPECT_EQ((*terms)[0].field, "state");
  EXPECT_EQ((*terms)[0].op, Op::kEq);
  EXPECT_EQ((*terms)[0].value, "STATE_SCHEDULED");
  EXPECT_EQ((*terms)[1].op, Op::kHas);
  EXPECT_EQ((*terms)[2].op, Op::kGe);
  EXPECT_EQ((*terms)[2].value, "2018-02-01T00:00:00Z");
  EXPECT_EQ((*terms)[3].value, "centre \"social\"");
  EXPECT_TRUE(Parse("", TestSchema())->empty());
  EXPECT_TRUE(Parse("   ", TestSchema())->empty());
}

TEST(Filter, RejectsWithReasons) {
  for (const char* bad : {"colour = red", "state < STATE_HELD", "state =", "state = A OR state = B",
                          "state = A AND", "display_name:\"open", "= x"}) {
    EXPECT_THAT(Parse(bad, TestSchema()), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(Filter, FoldedContainsIgnoresCaseAndAccents) {
  EXPECT_TRUE(ContainsFolded("Régie de Quartier de Roubaix", "regie"));
  EXPECT_TRUE(ContainsFolded("CENTRE SOCIAL", "Centre"));
  EXPECT_TRUE(ContainsFolded("Cœur d'agglo", "coeur"));
  EXPECT_FALSE(ContainsFolded("Lille", "Roubaix"));
}

TEST(Filter, EnumValuesByFullOrShortName) {
  int v = -1;
  const auto* theme = qpv::common::v1::Theme_descriptor();
  EXPECT_TRUE(ParseEnumValue(theme, "THEME_HEALTH", &v));
  EXPECT_EQ(v, qpv::common::v1::THEME_HEALTH);
  EXPECT_TRUE(ParseEnumValue(theme, "health", &v));
  EXPECT_EQ(v, qpv::common::v1::THEME_HEALTH);
  EXPECT_TRUE(ParseEnumValue(theme, "Neighbourhood_Image", &v));
  EXPECT_EQ(v, qpv::common::v1::THEME_NEIGHBOURHOOD_IMAGE);
  EXPECT_FALSE(ParseEnumValue(theme, "THEME_UNSPECIFIED", &v));
  EXPECT_FALSE(ParseEnumValue(theme, "UNSPECIFIED", &v));
  EXPECT_FALSE(ParseEnumValue(theme, "weather", &v));
  qpv::common::v1::ActorCategory category;
  EXPECT_TRUE(ParseEnum(qpv::common::v1::ActorCategory_descriptor(), "ASSOCIATION", &category));
  EXPECT_EQ(category, qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION);
}

TEST(Filter, TimesAndBools) {
  EXPECT_THAT(ParseTime("2018-02-06T09:00:00Z"), IsOk());
  EXPECT_THAT(ParseTime("2018-02-06T09:00:00+01:00"), IsOk());
  EXPECT_THAT(ParseTime("6 Feb 2018"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(*ParseBool("true"));
  EXPECT_THAT(ParseBool("yes"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(Compare(Op::kGe, 5, 5));
  EXPECT_FALSE(Compare(Op::kLt, 5, 5));
}

}  // namespace
}  // namespace qpv::filter
