#include "services/reporting/export/svg_charts.h"

#include <cmath>
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qpv::reporting::report_export {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(absl::string_view haystack, absl::string_view needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != absl::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

TEST(HorizontalBarChartTest, OneBarPerNonZeroValueAndATargetPerTarget) {
  std::vector<BarDatum> data(3);
  data[0] = {"Association", 30, "12 (30 %)", false, true, 25};
  data[1] = {"Conseil citoyen", 5, "2 (5 %)", true, true, 15};
  data[2] = {"Entreprise", 0, "0 (0 %)", true, true, 5};
  const std::string svg =
      HorizontalBarChart({"c1", "Présents par catégorie", "Association : 12"}, data, "Part cible");
  EXPECT_EQ(Count(svg, "<rect class=\"bar"), 2);
  EXPECT_EQ(Count(svg, "<rect class=\"bar highlight\""), 1);
  EXPECT_EQ(Count(svg, "<line class=\"target\""), 3);
  EXPECT_THAT(svg, HasSubstr("role=\"img\""));
  EXPECT_THAT(svg, HasSubstr("<title id=\"c1-title\">Présents par catégorie</title>"));
  EXPECT_THAT(svg, HasSubstr("aria-labelledby=\"c1-title c1-desc\""));
  EXPECT_THAT(svg, HasSubstr("viewBox=\"0 0 760 "));
  EXPECT_THAT(svg, HasSubstr(std::string("fill=\"") + std::string(kBarColor) + "\""));
  EXPECT_THAT(svg, HasSubstr(std::string("fill=\"") + std::string(kHighlightColor) + "\""));
  EXPECT_THAT(svg, HasSubstr(">Entreprise</text>"));
  // No namespace URL: inline SVG in HTML needs none, and the page must hold
  // no "http" at all.
  EXPECT_THAT(svg, Not(HasSubstr("http")));
}

TEST(HorizontalBarChartTest, LongestBarFillsTheScaleAndScaleMaxFixesIt) {
  std::vector<BarDatum> data = {{"A", 2, "2"}, {"B", 4, "4"}};
  EXPECT_THAT(HorizontalBarChart({"c", "t", "d"}, data), HasSubstr("width=\"360.0\""));
  EXPECT_THAT(HorizontalBarChart({"c", "t", "d"}, data), HasSubstr("width=\"180.0\""));
  const std::string fixed = HorizontalBarChart({"c", "t", "d"}, {{"A", 0.5, "0,50"}}, "", 1.0);
  EXPECT_THAT(fixed, HasSubstr("width=\"180.0\""));
}

TEST(HorizontalBarChartTest, EscapesEveryText) {
  const std::string svg =
      HorizontalBarChart({"c", "<b>t</b>", "d & \"e\""}, {{"<script>x</script>", 1, "<i>1</i>"}});
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_THAT(svg, Not(HasSubstr("<i>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;x&lt;/script&gt;"));
  EXPECT_THAT(svg, HasSubstr("d &amp; &quot;e&quot;"));
}

TEST(HorizontalBarChartTest, EmptyAndNonFiniteDataDrawNoBar) {
  EXPECT_THAT(HorizontalBarChart({"c", "t", "d"}, {}), HasSubstr("Aucune donnée"));
  const std::string svg =
      HorizontalBarChart({"c", "t", "d"}, {{"A", std::nan(""), "?"}, {"B", -1, "-1"}});
  EXPECT_EQ(Count(svg, "<rect class=\"bar"), 0);
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
}

TEST(GroupedBarChartTest, BarsPerSeriesAndLegend) {
  const std::string svg =
      GroupedBarChart({"w", "Par atelier", "d"}, {{"Inscrits", "#9dbbe0"}, {"Présents", "#1f5fa8"}},
                      {{"Emploi — 6 février 2018", {40, 36}}, {"Image", {0, 3}}});
  EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 3);
  EXPECT_EQ(Count(svg, "<rect class=\"legend\""), 2);
  EXPECT_THAT(svg, HasSubstr(">Emploi — 6 février 2018</text>"));
  EXPECT_THAT(svg, HasSubstr("role=\"img\""));
}

TEST(DonutChartTest, SlicesShareTheCircle) {
  const std::string svg = DonutChart(
      {"k", "Par type", "d"}, {{"Idée", 1, "#f2a900"}, {"Frein", 3, "#2a9d8f"}, {"X", 0, "#000"}},
      "contributions");
  EXPECT_EQ(Count(svg, "<circle class=\"slice\""), 2);
  EXPECT_THAT(svg, HasSubstr(">Frein : 3 (75\xC2\xA0%)</text>"));
  EXPECT_THAT(svg, HasSubstr(">4</text>"));
}

TEST(IndexGaugeTest, ColourFollowsTheReading) {
  EXPECT_THAT(IndexGauge({"g", "t", "d"}, 0.85, "0,85", "bonne"), HasSubstr("#2b8a3e"));
  EXPECT_THAT(IndexGauge({"g", "t", "d"}, 0.65, "0,65", "moyenne"), HasSubstr("#e0a000"));
  EXPECT_THAT(IndexGauge({"g", "t", "d"}, 0.2, "0,20", "faible"), HasSubstr("#c92a2a"));
  EXPECT_THAT(IndexGauge({"g", "t", "d"}, 0, "0,00", "faible"),
              Not(HasSubstr("class=\"gauge-value\"")));
}

TEST(PaletteTest, NeverTheBarColour) {
  for (const auto& c : CategoricalPalette()) EXPECT_NE(c, kBarColor);
}

}  // namespace
}  // namespace qpv::reporting::report_export
