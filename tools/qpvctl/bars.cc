#include "tools/qpvctl/bars.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "tools/qpvctl/table.h"

namespace qpv::ctl {
namespace {

constexpr const char* kFull = "\u2588";
// kEighths[n] is a block n eighths wide, n in 1..7.
constexpr const char* kEighths[8] = {"",         "\u258F", "\u258E", "\u258D",
                                     "\u258C", "\u258B", "\u258A", "\u2589"};
constexpr size_t kMaxLabelWidth = 36;

}  // namespace

std::string Bar(double value, double max, size_t width) {
  if (!(max > 0) || !(value > 0) || width == 0) return "";
  const double fraction = std::min(value, max) / max;
  int64_t eighths = std::llround(fraction * static_cast<double>(width) * 8.0);
  if (eighths == 0) eighths = 1;
  std::string out;
  for (int64_t i = 0; i < eighths / 8; ++i) out += kFull;
  out += kEighths[eighths % 8];
  return out;
}

std::string BarChart(const std::vector<BarRow>& rows, absl::string_view suppressed_text,
                     absl::string_view empty_text, size_t width, absl::string_view indent) {
  if (rows.empty()) return absl::StrCat(indent, empty_text, "\n");
  size_t label_width = 0;
  size_t value_width = 0;
  int64_t max = 0;
  std::vector<std::string> labels;
  std::vector<std::string> values;
  for (const auto& r : rows) {
    labels.push_back(FitCell(r.label, kMaxLabelWidth));
    values.push_back(r.suppressed ? std::string(suppressed_text) : absl::StrCat(r.value));
    label_width = std::max(label_width, DisplayWidth(labels.back()));
    value_width = std::max(value_width, DisplayWidth(values.back()));
    if (!r.suppressed) max = std::max(max, r.value);
  }
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string line = absl::StrCat(indent, PadRight(labels[i], label_width), "  ",
                                    PadLeft(values[i], value_width));
    const std::string bar =
        rows[i].suppressed ? "" : Bar(static_cast<double>(rows[i].value), max, width);
    if (!bar.empty()) absl::StrAppend(&line, "  ", bar);
    if (!rows[i].note.empty()) {
      // Notes line up whatever the bar length.
      if (bar.empty()) absl::StrAppend(&line, "  ");
      absl::StrAppend(&line, std::string(width - std::min(width, DisplayWidth(bar)), ' '), " ",
                      rows[i].note);
    }
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace qpv::ctl
