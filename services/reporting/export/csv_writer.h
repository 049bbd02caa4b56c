// Builds a CSV file a French spreadsheet (LibreOffice, Excel set to French)
// opens as is: UTF-8 with a byte order mark (else Excel guesses a Windows
// code page and breaks the accents), ';' between cells (',' is the decimal
// separator), CRLF line ends, RFC 4180 quoting.
#ifndef QPV_SERVICES_REPORTING_EXPORT_CSV_WRITER_H_
#define QPV_SERVICES_REPORTING_EXPORT_CSV_WRITER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace qpv::reporting::report_export {

// One cell, already rendered: text cells are guarded against formula
// injection, number cells are not (a negative number must stay a number).
class CsvCell {
 public:
  // User or label text.
  static CsvCell Text(absl::string_view text);
  // An integer, no thousands separator so it stays a number.
  static CsvCell Int(int64_t value);
  // A decimal with a decimal comma, e.g. 0.8237 -> "0,82".
  static CsvCell Decimal(double value, int digits);

  const std::string& value() const { return value_; }

 private:
  explicit CsvCell(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

class CsvWriter {
 public:
  CsvWriter();

  void Row(const std::vector<CsvCell>& cells);
  // A row of text cells: a section title, a header.
  void TextRow(const std::vector<absl::string_view>& cells);
  void BlankRow();

  // The whole file: BOM then the rows.
  const std::string& content() const { return out_; }

 private:
  std::string out_;
};

// RFC 4180: a field holding ';', '"', CR or LF is quoted, quotes doubled.
std::string CsvQuote(absl::string_view field);

// A spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula,
// and contribution texts are user input: such a cell gets a leading
// apostrophe, which spreadsheets show as text (OWASP "CSV injection").
std::string GuardFormula(absl::string_view text);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_CSV_WRITER_H_
