#include "common/validation/validation.h"

#include "common/validation/resource_name.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace qpv::validation {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

TEST(Utf8, AcceptsFrenchAndRejectsBrokenSequences) {
  EXPECT_TRUE(IsValidUtf8("Préfecture du Nord, cœur d'agglo"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xFF"));
  EXPECT_EQ(Utf8Length("été"), 3u);
}

TEST(Departement, AcceptsRealCodesOnly) {
  for (const char* ok : {"01", "59", "95", "2A", "2B", "971", "972", "973", "974", "975", "976"}) {
    EXPECT_TRUE(IsDepartementCode(ok)) << ok;
  }
  for (const char* bad : {"", "0", "00", "20", "96", "99", "2C", "970", "977", "978", "59 ", "5", "059", "97"}) {
    EXPECT_FALSE(IsDepartementCode(bad)) << bad;
  }
}

TEST(Qpv, AcceptsBothOfficialFormats) {
  for (const char* ok : {"QN05981M", "QN00101M", "QN02A01I", "QN97654C", "QN97801N", "QN98701N",
                         "QP059001", "QP02B002", "QP971003"}) {
    EXPECT_TRUE(IsQpvCode(ok)) << ok;
  }
  for (const char* bad : {"", "QN0598M", "QN05981X", "QX059001", "QP05900", "qn05981m",
                          "QN09681M", "QP020001", "QN05981MM", "QP0590A1"}) {
    EXPECT_FALSE(IsQpvCode(bad)) << bad;
  }
  EXPECT_EQ(QpvDepartement("QN05981M"), "59");
  EXPECT_EQ(QpvDepartement("QP02A001"), "2A");
  EXPECT_EQ(QpvDepartement("QN97654C"), "976");
}

TEST(Text, NamesEachProblem) {
  FieldViolations v;
  CheckText(v, "title", "", 10, /*required=*/true);
  CheckText(v, "venue", "abcdefghijk", 10, false);
  CheckText(v, "text", "a\x01", 10, false);
  CheckText(v, "bad", "\xFF", 10, false);
  CheckText(v, "fine", "Lille\nRoubaix", 20, true, /*multiline=*/true);
  ASSERT_EQ(v.list().size(), 4u);
  EXPECT_EQ(v.list()[0].first, "title");
  EXPECT_EQ(v.list()[1].first, "venue");
  EXPECT_EQ(v.list()[2].first, "text");
  EXPECT_EQ(v.list()[3].first, "bad");
  const absl::Status s = v.ToStatus();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldViolationsOf(s).size(), 4u);
}

TEST(QpvCodes, FlagsBadAndDuplicateCodesByIndex) {
  google::protobuf::RepeatedPtrField<std::string> codes;
  *codes.Add() = "QN05981M";
  *codes.Add() = "nope";
  *codes.Add() = "QN05981M";
  FieldViolations v;
  CheckQpvCodes(v, "workshop.qpv_codes", codes);
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].first, "workshop.qpv_codes[1]");
  EXPECT_EQ(v.list()[1].first, "workshop.qpv_codes[2]");
}

TEST(Contact, EmailAndPhone) {
  EXPECT_TRUE(IsEmail("contact@asso-roubaix.fr"));
  EXPECT_FALSE(IsEmail("contact@"));
  EXPECT_FALSE(IsEmail("a b@c.fr"));
  EXPECT_FALSE(IsEmail("nodomain@fr"));
  EXPECT_TRUE(IsPhone("+33 3 20 00 00 00"));
  EXPECT_TRUE(IsPhone("03.20.00.00.00"));
  EXPECT_FALSE(IsPhone("call me"));
  EXPECT_FALSE(IsPhone("123"));
}

TEST(ResourceName, ParsesAndExplains) {
  auto ids = ParseResourceName("name", "prefectures/59/workshops/w1/registrations/r-2",
                               {"prefectures", "workshops", "registrations"});
  ASSERT_THAT(ids, IsOk());
  EXPECT_EQ(*ids, (std::vector<std::string>{"59", "w1", "r-2"}));
  EXPECT_THAT(ParseResourceName("name", "prefectures/99/workshops/w1", {"prefectures", "workshops"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseResourceName("name", "prefectures/59/persons/w1", {"prefectures", "workshops"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseResourceName("name", "prefectures/59/workshops/W1", {"prefectures", "workshops"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseResourceName("name", "prefectures/59/workshops/w1/", {"prefectures", "workshops"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseResourceName("name", "", {"prefectures"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  auto any = ParseResourceNameOrWildcard("parent", "prefectures/-", {"prefectures"});
  ASSERT_THAT(any, IsOk());
  EXPECT_EQ((*any)[0], "-");
  const auto bad = ParseResourceName("parent", "prefectures/XX", {"prefectures"});
  ASSERT_EQ(FieldViolationsOf(bad.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(bad.status())[0].first, "parent");
}

}  // namespace
}  // namespace qpv::validation
