// Human-readable output: aligned tables for lists, a "key: value" view for
// one resource. Widths count code points (French accents are two bytes in
// UTF-8 but one column), with combining marks counted as zero.
#ifndef QPV_TOOLS_QPVCTL_TABLE_H_
#define QPV_TOOLS_QPVCTL_TABLE_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace qpv::ctl {

// Columns a UTF-8 string takes: code points, combining marks (U+0300..U+036F
// and a few other ranges) excluded.
size_t DisplayWidth(absl::string_view utf8);

// Cuts `utf8` to at most `max_width` columns, ending with "…" when cut;
// never splits a code point. Control characters (newline, tab) become spaces.
std::string FitCell(absl::string_view utf8, size_t max_width);

// Pads with spaces to `width` columns (on the right, or on the left for
// numbers); never cuts.
std::string PadRight(absl::string_view utf8, size_t width);
std::string PadLeft(absl::string_view utf8, size_t width);

// Cells longer than max_cell_width are cut, except resource names
// ("prefectures/..."), which are shown whole.
class Table {
 public:
  explicit Table(std::vector<std::string> headers, size_t max_cell_width = 48)
      : headers_(std::move(headers)), max_cell_width_(max_cell_width) {}
  // Numbers read better aligned on their units.
  void AlignRight(std::vector<size_t> columns) { right_ = std::move(columns); }
  // Each line starts with `indent` (a table inside a report section).
  void set_indent(std::string indent) { indent_ = std::move(indent); }
  void AddRow(std::vector<std::string> cells);
  size_t size() const { return rows_.size(); }
  // Columns separated by two spaces, the last one not padded, one line per
  // row, each ending in '\n'.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  size_t max_cell_width_;
  std::vector<size_t> right_;
  std::string indent_;
};

// "key: value" lines, keys padded to the longest; multi-line values are
// indented under their first line.
std::string RenderDetail(const std::vector<std::pair<std::string, std::string>>& rows);

// A report's key figures: "  label   value" lines, labels padded to the
// longest; multi-line values are indented under their first line.
std::string RenderSummary(const std::vector<std::pair<std::string, std::string>>& rows,
                          absl::string_view indent = "  ");

// Breaks `utf8` into lines of at most `width` columns at spaces (a longer
// word stays whole on its own line), joined by '\n'.
std::string WrapText(absl::string_view utf8, size_t width);

// A section title over a rule of its width ("─", or "═" for a document
// title): "Contributions par thème\n───────────────────────\n".
std::string Heading(absl::string_view title, bool document_title = false);

// Every field of a message, in declaration order, nested messages flattened
// with dotted keys (person.given_name); Timestamps as RFC 3339, enums by
// short name, repeated fields comma-separated, empty values as "-".
std::vector<std::pair<std::string, std::string>> MessageDetailRows(
    const google::protobuf::Message& message);

// One field of a message as text (the same rules; empty stays empty).
std::string FieldText(const google::protobuf::Message& message,
                      const google::protobuf::FieldDescriptor* field);

// A Timestamp as RFC 3339 in UTC, or "" when unset.
std::string TimestampText(const google::protobuf::Message& timestamp);

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_TABLE_H_
