// French formatting, labels and text escaping.
#include "services/reporting/export/french_format.h"

#include "absl/time/time.h"
#include "common/util/clock.h"
#include "gtest/gtest.h"
#include "services/reporting/export/labels.h"
#include "services/reporting/export/text_escape.h"

namespace qpv::reporting::report_export {
namespace {

namespace cv1 = ::qpv::common::v1;
namespace wv1 = ::qpv::workshop::v1;

google::protobuf::Timestamp Utc(int y, int mo, int d, int h, int mi) {
  return ToProto(absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone()));
}

TEST(FrenchFormatTest, DatesInParisWallTime) {
  // The Debian image ships tzdata; without it dates fall back to UTC and
  // say so, which this test would report.
  ASSERT_TRUE(UsesParisTime());
  EXPECT_EQ(TimeZoneNote(), "heure de Paris");
  EXPECT_EQ(FormatDateTime(Utc(2018, 2, 6, 8, 30)), "6 février 2018, 09:30");   // UTC+1
  EXPECT_EQ(FormatDateTime(Utc(2018, 8, 15, 8, 5)), "15 août 2018, 10:05");     // UTC+2
  EXPECT_EQ(FormatDateTime(Utc(2018, 2, 28, 23, 30)), "1er mars 2018, 00:30");  // next day
  EXPECT_EQ(FormatDate(Utc(2018, 12, 24, 12, 0)), "24 décembre 2018");
  EXPECT_EQ(FormatDateTime(google::protobuf::Timestamp()), "non précisée");
}

TEST(FrenchFormatTest, TimeRanges) {
  EXPECT_EQ(FormatTimeRange(Utc(2018, 2, 6, 8, 30), Utc(2018, 2, 6, 11, 30)),
            "6 février 2018, 09:30 – 12:30");
  EXPECT_EQ(FormatTimeRange(Utc(2018, 2, 6, 8, 30), Utc(2018, 2, 7, 11, 30)),
            "6 février 2018, 09:30 – 7 février 2018, 12:30");
  EXPECT_EQ(FormatTimeRange(Utc(2018, 2, 6, 8, 30), google::protobuf::Timestamp()),
            "6 février 2018, 09:30");
}

TEST(FrenchFormatTest, DecimalCommaPercentAndThousands) {
  EXPECT_EQ(FormatDecimal(0.8237, 2), "0,82");
  EXPECT_EQ(FormatDecimal(12.0, 1), "12,0");
  EXPECT_EQ(FormatDecimal(-0.001, 2), "0,00");
  EXPECT_EQ(FormatDecimal(-1.5, 1), "-1,5");
  EXPECT_EQ(FormatPercent(0.255, 1), "25,5\xC2\xA0%");
  EXPECT_EQ(FormatPercent(1.0 / 3, 0), "33\xC2\xA0%");
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1234567),
            "1\xC2\xA0"
            "234\xC2\xA0"
            "567");
  EXPECT_EQ(FormatCount(-1234),
            "-1\xC2\xA0"
            "234");
}

TEST(LabelsTest, TheWordingPeopleExpect) {
  EXPECT_EQ(ThemeLabel(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT),
            "Emploi et développement économique");
  EXPECT_EQ(ThemeLabel(cv1::THEME_NEIGHBOURHOOD_IMAGE), "Image des quartiers");
  EXPECT_EQ(ActorCategoryLabel(cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY), "Collectivité territoriale");
  EXPECT_EQ(ActorCategoryLabel(cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD), "Bailleur social");
  EXPECT_EQ(ActorCategoryLabel(cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL), "Conseil citoyen");
  EXPECT_EQ(ActorCategoryLabel(cv1::ACTOR_CATEGORY_ADULT_RELAY), "Adulte-relais");
  EXPECT_EQ(ActorCategoryLabel(cv1::ACTOR_CATEGORY_RESOURCE_CENTER),
            "Centre de ressources politique de la ville");
  EXPECT_EQ(ActorCategoryLabel(cv1::ACTOR_CATEGORY_STATE_SERVICE), "Service de l'État");
  EXPECT_EQ(KindLabel(wv1::Contribution::KIND_IDEA), "Idée");
  EXPECT_EQ(KindLabel(wv1::Contribution::KIND_ACTION), "Action concrète");
  EXPECT_EQ(KindLabel(wv1::Contribution::KIND_GOOD_PRACTICE), "Bonne pratique");
  EXPECT_EQ(KindLabel(wv1::Contribution::KIND_OBSTACLE), "Frein");
  EXPECT_EQ(KindLabel(wv1::Contribution::KIND_RECOMMENDATION), "Recommandation");
  EXPECT_EQ(WorkshopStateLabel(wv1::Workshop::STATE_HELD), "Tenu");
  EXPECT_EQ(RegistrationStateLabel(wv1::Registration::STATE_WAITLISTED), "Liste d'attente");
  EXPECT_EQ(MonthLabel(2), "février");
  EXPECT_EQ(MonthLabel(13), "");
}

// A value added to an enum later must get a label, not "Non précisé".
TEST(LabelsTest, EveryEnumValueHasItsOwnLabel) {
  auto check = [](const google::protobuf::EnumDescriptor* e, auto label) {
    for (int i = 0; i < e->value_count(); ++i) {
      const int n = e->value(i)->number();
      if (n == 0) {
        EXPECT_EQ(label(n), "Non précisé") << e->value(i)->name();
      } else {
        EXPECT_NE(label(n), "Non précisé") << e->value(i)->name();
      }
    }
  };
  check(cv1::Theme_descriptor(), [](int n) { return ThemeLabel(static_cast<cv1::Theme>(n)); });
  check(cv1::ActorCategory_descriptor(),
        [](int n) { return ActorCategoryLabel(static_cast<cv1::ActorCategory>(n)); });
  check(wv1::Contribution::Kind_descriptor(),
        [](int n) { return KindLabel(static_cast<wv1::Contribution::Kind>(n)); });
  check(wv1::Workshop::State_descriptor(),
        [](int n) { return WorkshopStateLabel(static_cast<wv1::Workshop::State>(n)); });
  check(wv1::Registration::State_descriptor(),
        [](int n) { return RegistrationStateLabel(static_cast<wv1::Registration::State>(n)); });
  EXPECT_EQ(ThemeLabel(static_cast<cv1::Theme>(999)), "Non précisé");
}

TEST(TextEscapeTest, Html) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"co\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;");
  EXPECT_EQ(HtmlEscape("Idée « reproductible »"), "Idée « reproductible »");
}

TEST(TextEscapeTest, MarkdownKeepsACellOnOneLine) {
  EXPECT_EQ(MarkdownEscape("a | b"), "a \\| b");
  EXPECT_EQ(MarkdownEscape("l1\nl2\r\nl3\rl4"), "l1<br>l2<br>l3<br>l4");
  EXPECT_EQ(MarkdownEscape("*gras* _it_ `code` [lien](x) <b>"),
            "\\*gras\\* \\_it\\_ \\`code\\` \\[lien\\](x) \\<b\\>");
  EXPECT_EQ(MarkdownEscape("a\\b"), "a\\\\b");
  EXPECT_EQ(MarkdownEscape("Service de l'État"), "Service de l'État");
}

TEST(TextEscapeTest, TruncateNeverSplitsACharacter) {
  EXPECT_EQ(TruncateUtf8("Éducation", 20), "Éducation");
  EXPECT_EQ(TruncateUtf8("Éducation", 9), "Éducation");
  EXPECT_EQ(TruncateUtf8("Éducation", 4), "Édu…");
  EXPECT_EQ(TruncateUtf8("aéééé", 3), "aé…");
}

}  // namespace
}  // namespace qpv::reporting::report_export
