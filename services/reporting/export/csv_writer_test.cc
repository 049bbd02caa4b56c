#include "services/reporting/export/csv_writer.h"

#include "gtest/gtest.h"

namespace qpv::reporting::report_export {
namespace {

TEST(CsvQuoteTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvQuote("Bailleur social"), "Bailleur social");
  EXPECT_EQ(CsvQuote("a, b"), "a, b");  // ',' is not our separator
  EXPECT_EQ(CsvQuote("a;b"), "\"a;b\"");
  EXPECT_EQ(CsvQuote("dit \"CV anonyme\""), "\"dit \"\"CV anonyme\"\"\"");
  EXPECT_EQ(CsvQuote("ligne 1\nligne 2"), "\"ligne 1\nligne 2\"");
  EXPECT_EQ(CsvQuote("a\rb"), "\"a\rb\"");
  EXPECT_EQ(CsvQuote(""), "");
}

TEST(GuardFormulaTest, PrefixesCellsASpreadsheetWouldEvaluate) {
  EXPECT_EQ(GuardFormula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(GuardFormula("+ de stages"), "'+ de stages");
  EXPECT_EQ(GuardFormula("-20 %"), "'-20 %");
  EXPECT_EQ(GuardFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(GuardFormula("\t=1"), "'\t=1");
  EXPECT_EQ(GuardFormula("a=b"), "a=b");
  EXPECT_EQ(GuardFormula("Idée"), "Idée");
  EXPECT_EQ(GuardFormula(""), "");
}

TEST(CsvWriterTest, BomSemicolonsCrlfAndUnguardedNumbers) {
  CsvWriter csv;
  csv.TextRow({"Catégorie", "Texte"});
  csv.Row({CsvCell::Text("=1+1"), CsvCell::Int(-3), CsvCell::Decimal(0.5, 2),
           CsvCell::Text("a;\"b\"")});
  csv.BlankRow();
  EXPECT_EQ(csv.content(),
            "\xEF\xBB\xBF"
            "Catégorie;Texte\r\n"
            "'=1+1;-3;0,50;\"a;\"\"b\"\"\"\r\n"
            "\r\n");
}

}  // namespace
}  // namespace qpv::reporting::report_export
