// The four export formats of both reports, through the public API.
#include "services/reporting/export/report_export.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/reporting/export/sample_reports.h"
#include "services/reporting/export/svg_charts.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting::report_export {
namespace {

namespace cv1 = ::qpv::common::v1;
using ::qpv::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;
using Req = v1::ExportReportRequest;

constexpr char kBom[] = "\xEF\xBB\xBF";

int Count(absl::string_view haystack, absl::string_view needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != absl::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// The <svg ...>...</svg> whose id is `id`, "" if absent.
std::string Svg(const std::string& html, absl::string_view id) {
  const size_t at = html.find(absl::StrCat("<svg id=\"", id, "\""));
  if (at == std::string::npos) return "";
  const size_t end = html.find("</svg>", at);
  return html.substr(at, end - at);
}

// A report whose user text tries every trick.
v1::WorkshopReport HostileReport() {
  v1::WorkshopReport r = sample::EmploymentWorkshopReport();
  r.set_title("Atelier <script>alert(\"x\")</script> ; emploi | \"jeunes\"");
  r.set_venue("Salle A\nbâtiment B");
  auto* c = r.mutable_top_contributions(0);
  c->set_title("=HYPERLINK(\"http://evil.example\";\"clic\")");
  c->set_text("ligne 1\r\nligne 2 | colonne ; point-virgule \"guillemets\" <img src=x>");
  r.mutable_top_contributions(1)->set_title("@SUM(A1:A9)");
  r.mutable_top_contributions(2)->set_title("-1 pour les freins");
  return r;
}

ExportedFile MustExport(const v1::WorkshopReport& r, Req::Format f) {
  auto file = ExportWorkshopReport(r, f);
  EXPECT_TRUE(file.ok()) << file.status();
  return file.ok() ? *file : ExportedFile{};
}

ExportedFile MustExport(const v1::PrefectureReport& r, Req::Format f) {
  auto file = ExportPrefectureReport(r, f);
  EXPECT_TRUE(file.ok()) << file.status();
  return file.ok() ? *file : ExportedFile{};
}

// --- Validation, names and types ---

TEST(ExportTest, UnspecifiedOrUnknownFormatNamesTheField) {
  const auto w = sample::EmploymentWorkshopReport();
  const auto p = sample::NordPrefectureReport();
  for (auto f : {Req::FORMAT_UNSPECIFIED, static_cast<Req::Format>(99)}) {
    auto a = ExportWorkshopReport(w, f);
    EXPECT_THAT(a, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(FieldViolationsOf(a.status()), ElementsAre(Pair("format", ::testing::_)));
    auto b = ExportPrefectureReport(p, f);
    EXPECT_THAT(b, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(FieldViolationsOf(b.status()), ElementsAre(Pair("format", ::testing::_)));
  }
}

TEST(ExportTest, MalformedReportNamesAreInvalidArguments) {
  auto w = sample::EmploymentWorkshopReport();
  w.set_workshop("workshops/x");
  auto a = ExportWorkshopReport(w, Req::FORMAT_UNSPECIFIED);
  EXPECT_THAT(a, StatusIs(absl::StatusCode::kInvalidArgument));
  // Both bad fields in one answer.
  EXPECT_THAT(FieldViolationsOf(a.status()),
              ElementsAre(Pair("format", ::testing::_), Pair("workshop", ::testing::_)));

  auto p = sample::NordPrefectureReport();
  p.set_prefecture("../../etc");
  auto b = ExportPrefectureReport(p, Req::FORMAT_CSV);
  EXPECT_THAT(FieldViolationsOf(b.status()), ElementsAre(Pair("prefecture", ::testing::_)));
}

TEST(ExportTest, FilenamesAndContentTypes) {
  const auto w = sample::EmploymentWorkshopReport();
  const auto p = sample::NordPrefectureReport();
  struct Case {
    Req::Format format;
    const char* ext;
    const char* type;
  };
  for (const Case& c : {Case{Req::FORMAT_CSV, "csv", "text/csv; charset=utf-8"},
                        Case{Req::FORMAT_JSON, "json", "application/json"},
                        Case{Req::FORMAT_MARKDOWN, "md", "text/markdown; charset=utf-8"},
                        Case{Req::FORMAT_HTML, "html", "text/html; charset=utf-8"}}) {
    const ExportedFile a = MustExport(w, c.format);
    EXPECT_EQ(a.filename, absl::StrCat("rapport-atelier-59-emploi2018.", c.ext));
    EXPECT_EQ(a.content_type, c.type);
    EXPECT_FALSE(a.content.empty());
    const ExportedFile b = MustExport(p, c.format);
    EXPECT_EQ(b.filename, absl::StrCat("rapport-prefecture-59.", c.ext));
    EXPECT_EQ(b.content_type, c.type);
  }
}

// --- CSV ---

// Splits CSV content into records, honouring quotes (a quoted field may hold
// CRLF); checks every record ends with CRLF.
std::vector<std::vector<std::string>> ParseCsv(absl::string_view content) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  rows.back().emplace_back();
  for (size_t i = 0; i < content.size(); ++i) {
    const char c = content[i];
    if (quoted) {
      if (c == '"' && i + 1 < content.size() && content[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';') {
      rows.back().emplace_back();
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < content.size() && content[i + 1] == '\n') << "bare CR at " << i;
      ++i;
      rows.emplace_back();
      rows.back().emplace_back();
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes at " << i;
      rows.back().back() += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_EQ(rows.back(), std::vector<std::string>{""}) << "last record must end with CRLF";
  rows.pop_back();
  return rows;
}

const std::vector<std::string>* FindRow(const std::vector<std::vector<std::string>>& rows,
                                        absl::string_view first) {
  for (const auto& r : rows) {
    if (!r.empty() && r[0] == first) return &r;
  }
  return nullptr;
}

TEST(CsvExportTest, BytesAFrenchSpreadsheetOpens) {
  const std::string csv = MustExport(sample::EmploymentWorkshopReport(), Req::FORMAT_CSV).content;
  ASSERT_THAT(csv, StartsWith(kBom));
  EXPECT_THAT(csv, StartsWith(absl::StrCat(kBom,
                                           "Rapport d'atelier;Emploi et développement "
                                           "économique\r\n")));
  const auto rows = ParseCsv(absl::string_view(csv).substr(3));

  // Accents intact, ';' separators, decimal comma, one row per category.
  const auto* row = FindRow(rows, "Collectivité territoriale");
  ASSERT_NE(row, nullptr);
  EXPECT_THAT(*row,
              ElementsAre("Collectivité territoriale", "9", "9", "2", "25,0", "20,0", "0", "Non"));
  row = FindRow(rows, "Conseil citoyen");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[7], "Oui");  // under-represented
  row = FindRow(rows, "Indice de représentativité (0 à 1)");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[1], "0,84");
  row = FindRow(rows, "Date");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[1], "6 février 2018, 09:30 – 12:30");
  for (absl::string_view section :
       {"Résumé", "Participation par catégorie d'acteur", "Contributions par thème",
        "Contributions par type", "Contributions les plus soutenues", "Actions reproductibles"}) {
    EXPECT_NE(FindRow(rows, section), nullptr) << section;
  }
  EXPECT_NE(FindRow(rows, "Emploi et développement économique"), nullptr);
  EXPECT_NE(FindRow(rows, "Service de l'État"), nullptr);
  EXPECT_NE(FindRow(rows, "Action concrète"), nullptr);
  EXPECT_EQ(FindRow(rows, "ATTENTION"), nullptr);  // fresh report
  // A realistic title that a spreadsheet would take for a formula.
  EXPECT_THAT(csv, HasSubstr(";'+ de stages de 3e dans les entreprises du territoire;"));
}

TEST(CsvExportTest, QuotingAndFormulaGuardOnUserText) {
  const std::string csv = MustExport(HostileReport(), Req::FORMAT_CSV).content;
  // Raw bytes: quoted, quotes doubled, the CRLF inside the text kept inside
  // the quotes.
  EXPECT_THAT(csv, HasSubstr("\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"clic\"\")\""));
  EXPECT_THAT(csv, HasSubstr("\"ligne 1\r\nligne 2 | colonne ; point-virgule "
                             "\"\"guillemets\"\" <img src=x>\""));
  EXPECT_THAT(csv, HasSubstr(";'@SUM(A1:A9);"));
  EXPECT_THAT(csv, HasSubstr(";'-1 pour les freins;"));

  const auto rows = ParseCsv(absl::string_view(csv).substr(3));
  const auto* row = FindRow(rows, "Rapport d'atelier");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[1], "Atelier <script>alert(\"x\")</script> ; emploi | \"jeunes\"");
  row = FindRow(rows, "1");  // first top contribution
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[1], "'=HYPERLINK(\"http://evil.example\";\"clic\")");
  EXPECT_EQ((*row)[2], "ligne 1\r\nligne 2 | colonne ; point-virgule \"guillemets\" <img src=x>");
  // No cell anywhere starts a formula.
  for (const auto& r : rows) {
    for (const auto& cell : r) {
      if (!cell.empty()) {
        EXPECT_EQ(std::string("=+@").find(cell[0]), std::string::npos) << cell;
      }
    }
  }
}

TEST(CsvExportTest, PrefectureOneRowPerWorkshopAndTotals) {
  const v1::PrefectureReport p = sample::NordPrefectureReport();
  const std::string csv = MustExport(p, Req::FORMAT_CSV).content;
  ASSERT_THAT(csv, StartsWith(absl::StrCat(kBom, "Rapport de la préfecture;Nord (59)\r\n")));
  const auto rows = ParseCsv(absl::string_view(csv).substr(3));
  int workshop_rows = 0;
  for (const auto& r : rows)
    workshop_rows += r.size() > 1 && absl::StartsWith(r[1], "prefectures/59/workshops/");
  EXPECT_EQ(workshop_rows, 3);
  const auto* row = FindRow(rows, "Image des quartiers");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[3], "13 février 2018, 09:30 – 12:30");
  const auto* total = FindRow(rows, "Total");
  ASSERT_NE(total, nullptr);
  ASSERT_EQ(total->size(), 13u);
  EXPECT_EQ((*total)[6], std::to_string(p.registered_count()));
  EXPECT_EQ((*total)[7], std::to_string(p.attended_count()));
  EXPECT_EQ((*total)[8], std::to_string(p.contribution_count()));
  EXPECT_EQ((*total)[10].find(','), 1u);  // "0,8x"
  EXPECT_NE(FindRow(rows, "Région"), nullptr);
  EXPECT_EQ((*FindRow(rows, "Région"))[1], "Hauts-de-France");
}

// --- JSON ---

TEST(JsonExportTest, RoundTripsToAnEqualMessage) {
  const v1::WorkshopReport w = HostileReport();
  const std::string json = MustExport(w, Req::FORMAT_JSON).content;
  EXPECT_THAT(json, HasSubstr("\n"));  // pretty-printed
  EXPECT_THAT(json, HasSubstr("\"STATE_REPORTED\""));
  EXPECT_THAT(json, HasSubstr("\"ACTOR_CATEGORY_CITIZEN_COUNCIL\""));
  EXPECT_THAT(json, HasSubstr("\"representativenessIndex\""));
  EXPECT_THAT(json, HasSubstr("\"stale\": false"));  // zero values are written
  v1::WorkshopReport back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(w, back));

  const v1::PrefectureReport p = sample::NordPrefectureReport();
  v1::PrefectureReport p_back;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(MustExport(p, Req::FORMAT_JSON).content, &p_back)
          .ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(p, p_back));
}

// --- Markdown ---

TEST(MarkdownExportTest, HeadingsTablesAndEscapedUserText) {
  const std::string md = MustExport(HostileReport(), Req::FORMAT_MARKDOWN).content;
  EXPECT_THAT(md, StartsWith("# Rapport d'atelier : Atelier \\<script\\>alert(\"x\")\\</script\\> "
                             "; emploi \\| \"jeunes\"\n"));
  EXPECT_THAT(md, HasSubstr("\n## Représentativité\n"));
  EXPECT_THAT(md, HasSubstr("\n## Contributions les plus soutenues\n"));
  EXPECT_THAT(md, HasSubstr("| Lieu | Salle A<br>bâtiment B |\n"));
  EXPECT_THAT(md, HasSubstr("ligne 1<br>ligne 2 \\| colonne ; point-virgule"));
  // No raw HTML but our own line breaks: every other '<' is escaped.
  for (size_t i = md.find('<'); i != std::string::npos; i = md.find('<', i + 1)) {
    EXPECT_TRUE(md.compare(i, 4, "<br>") == 0 || (i > 0 && md[i - 1] == '\\')) << md.substr(i, 20);
  }
  EXPECT_THAT(md, HasSubstr("Indice de représentativité : **0,84** sur 1 (bonne)"));
  EXPECT_THAT(md, HasSubstr("| Date | 6 février 2018, 09:30 – 12:30 |"));
  EXPECT_THAT(md, HasSubstr("**Conseil citoyen** ⚠"));

  // Every table row has as many unescaped pipes as its header.
  std::vector<absl::string_view> lines = absl::StrSplit(md, '\n');
  int expected = -1;
  for (absl::string_view line : lines) {
    if (!absl::StartsWith(line, "|")) {
      expected = -1;
      continue;
    }
    int pipes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    }
    if (expected < 0) expected = pipes;
    EXPECT_EQ(pipes, expected) << line;
  }
}

TEST(MarkdownExportTest, PrefectureTableHasATotalRow) {
  const std::string md = MustExport(sample::NordPrefectureReport(), Req::FORMAT_MARKDOWN).content;
  EXPECT_THAT(md, StartsWith("# Rapport de la préfecture : Nord (59)\n"));
  EXPECT_THAT(md, HasSubstr("\n| **Total** |  |  | 118 | 107 | 18 | 8 | 0,80 |  |\n"));
  EXPECT_THAT(md, HasSubstr("| Lutte contre les discriminations |"));
}

// --- HTML ---

TEST(HtmlExportTest, SelfContainedFrenchPrintablePage) {
  const std::string html = MustExport(sample::EmploymentWorkshopReport(), Req::FORMAT_HTML).content;
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"fr\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("size: A4"));
  EXPECT_THAT(html, HasSubstr("break-before: page"));
  // Nothing to fetch, nothing to run.
  EXPECT_THAT(html, Not(HasSubstr("http")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  // French, with accents as UTF-8.
  for (absl::string_view text :
       {"Emploi et développement économique", "Collectivité territoriale", "Service de l&#39;État",
        "Centre de ressources politique de la ville", "Adulte-relais", "Bonne pratique",
        "Action concrète", "Représentativité des acteurs", "6 février 2018, 09:30 – 12:30",
        "Actions reproductibles"}) {
    EXPECT_THAT(html, HasSubstr(text));
  }
}

TEST(HtmlExportTest, ChartsOneBarPerNonZeroCategoryAndAccessible) {
  const v1::WorkshopReport w = sample::EmploymentWorkshopReport();
  const std::string html = MustExport(w, Req::FORMAT_HTML).content;
  EXPECT_EQ(Count(html, "<svg "), 4);  // gauge, categories, themes, kinds
  EXPECT_EQ(Count(html, "role=\"img\""), 4);
  EXPECT_EQ(Count(html, "<title id=\"chart-"), 4);
  EXPECT_EQ(Count(html, "viewBox=\""), 4);

  const std::string categories = Svg(html, "chart-categories");
  ASSERT_FALSE(categories.empty());
  int non_zero = 0;
  for (const auto& c : w.attendance_by_category()) non_zero += c.count() > 0;
  ASSERT_EQ(non_zero, 7);
  EXPECT_EQ(Count(categories, "<rect class=\"bar"), non_zero);
  // Entreprise (0 attendees) is under-represented: a target, no bar. Conseil
  // citoyen has a highlighted bar.
  EXPECT_EQ(Count(categories, "<rect class=\"bar highlight\""), 1);
  EXPECT_EQ(Count(categories, "<line class=\"target\""), w.representation_size());
  EXPECT_THAT(categories, HasSubstr(">Entreprise</text>"));
  EXPECT_THAT(categories, HasSubstr("font-weight=\"bold\">Conseil citoyen</text>"));

  const std::string themes = Svg(html, "chart-themes");
  EXPECT_EQ(Count(themes, "<rect class=\"bar\""), w.contributions_by_theme_size());
  EXPECT_EQ(Count(Svg(html, "chart-kinds"), "<circle class=\"slice\""),
            w.contributions_by_kind_size());
  EXPECT_THAT(Svg(html, "chart-index"), HasSubstr(">0,84</text>"));

  // The under-represented categories, named in the text too.
  EXPECT_THAT(html, HasSubstr("<tr class=\"under\"><td>Conseil citoyen"));
  EXPECT_THAT(html, HasSubstr("<li><strong>Conseil citoyen</strong>"));
  EXPECT_THAT(html, HasSubstr("<li><strong>Entreprise</strong>"));
}

TEST(HtmlExportTest, UserTextIsEscaped) {
  const std::string html = MustExport(HostileReport(), Req::FORMAT_HTML).content;
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("<h1>Atelier &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ; "
                              "emploi | &quot;jeunes&quot;</h1>"));
  EXPECT_THAT(html, HasSubstr("<title>Rapport d&#39;atelier : Atelier &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x&gt;"));
}

TEST(HtmlExportTest, PrefectureGroupedChartPerWorkshop) {
  const v1::PrefectureReport p = sample::NordPrefectureReport();
  const std::string html = MustExport(p, Req::FORMAT_HTML).content;
  EXPECT_THAT(html, Not(HasSubstr("http")));
  EXPECT_THAT(html, HasSubstr("<h1>Rapport de la préfecture : Nord (59)</h1>"));
  const std::string grouped = Svg(html, "chart-workshops");
  ASSERT_FALSE(grouped.empty());
  EXPECT_EQ(Count(grouped, "<rect class=\"bar\""), 3 * p.workshops_size());  // all non-zero
  EXPECT_THAT(grouped, HasSubstr(">Image des quartiers — 13 février 2018</text>"));
  EXPECT_EQ(Count(Svg(html, "chart-workshop-index"), "<rect class=\"bar"), 3);
  EXPECT_EQ(Count(html, "role=\"img\""), 6);
  EXPECT_THAT(html, HasSubstr("<tr class=\"total\"><td>Total</td>"));
  EXPECT_THAT(html, HasSubstr("Région Hauts-de-France"));
}

// --- Staleness, in every human format ---

TEST(StaleTest, EveryHumanFormatSaysSoWithTheAsOfTime) {
  v1::WorkshopReport w = sample::EmploymentWorkshopReport();
  w.set_stale(true);
  v1::PrefectureReport p = sample::NordPrefectureReport();
  p.set_stale(true);
  const std::string as_of = "20 février 2018, 10:45";
  for (auto f : {Req::FORMAT_CSV, Req::FORMAT_MARKDOWN, Req::FORMAT_HTML}) {
    for (const std::string& content : {MustExport(w, f).content, MustExport(p, f).content}) {
      EXPECT_THAT(content, HasSubstr("non à jour")) << f;
      EXPECT_THAT(content, HasSubstr(absl::StrCat("les chiffres sont ceux du ", as_of))) << f;
    }
  }
  EXPECT_THAT(MustExport(w, Req::FORMAT_CSV).content,
              HasSubstr("\r\nATTENTION;Rapport non à jour"));
  EXPECT_THAT(MustExport(w, Req::FORMAT_HTML).content,
              HasSubstr("<div class=\"stale\" role=\"alert\"><strong>⚠ RAPPORT NON À JOUR"));
  EXPECT_THAT(MustExport(w, Req::FORMAT_MARKDOWN).content,
              HasSubstr("\n> **⚠ RAPPORT NON À JOUR** : "));
  EXPECT_THAT(MustExport(w, Req::FORMAT_JSON).content, HasSubstr("\"stale\": true"));

  // A fresh report shows no banner.
  EXPECT_THAT(MustExport(sample::EmploymentWorkshopReport(), Req::FORMAT_HTML).content,
              Not(HasSubstr("class=\"stale\"")));
}

}  // namespace
}  // namespace qpv::reporting::report_export
