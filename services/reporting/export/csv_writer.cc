#include "services/reporting/export/csv_writer.h"

#include "absl/strings/str_cat.h"
#include "services/reporting/export/french_format.h"

namespace qpv::reporting::report_export {

CsvCell CsvCell::Text(absl::string_view text) { return CsvCell(GuardFormula(text)); }

CsvCell CsvCell::Int(int64_t value) { return CsvCell(absl::StrCat(value)); }

CsvCell CsvCell::Decimal(double value, int digits) { return CsvCell(FormatDecimal(value, digits)); }

CsvWriter::CsvWriter() : out_("\xEF\xBB\xBF") {}

void CsvWriter::Row(const std::vector<CsvCell>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out_ += ';';
    out_ += CsvQuote(cells[i].value());
  }
  out_ += "\r\n";
}

void CsvWriter::TextRow(const std::vector<absl::string_view>& cells) {
  std::vector<CsvCell> row;
  row.reserve(cells.size());
  for (absl::string_view c : cells) row.push_back(CsvCell::Text(c));
  Row(row);
}

void CsvWriter::BlankRow() { out_ += "\r\n"; }

std::string CsvQuote(absl::string_view field) {
  if (field.find_first_of(";\"\r\n") == absl::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string GuardFormula(absl::string_view text) {
  if (!text.empty() && absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    return absl::StrCat("'", text);
  }
  return std::string(text);
}

}  // namespace qpv::reporting::report_export
