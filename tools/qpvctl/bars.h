// Horizontal bar charts for terminals, drawn with block characters in
// eighths of a column (█ ▉ ▊ ▋ ▌ ▍ ▎ ▏), so that small differences still
// show on a 30-column bar.
#ifndef QPV_TOOLS_QPVCTL_BARS_H_
#define QPV_TOOLS_QPVCTL_BARS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace qpv::ctl {

// A bar `value / max` of `width` columns. A positive value always shows at
// least "▏" (one eighth), so that 1 is not mistaken for 0; a value over
// max is drawn as max; max <= 0 or value <= 0 gives "".
std::string Bar(double value, double max, size_t width);

struct BarRow {
  std::string label;
  int64_t value = 0;
  // A cell hidden by the small-count rule: no value, no bar.
  bool suppressed = false;
  // Shown after the bar: "(3 ateliers)".
  std::string note;
};

// One line per row: indent, the label padded to the longest (cut at 36
// columns), the value right-aligned, the bar scaled to the largest value,
// then the note. Suppressed rows print `suppressed_text` in place of the
// value. No rows gives `empty_text` on one indented line.
std::string BarChart(const std::vector<BarRow>& rows, absl::string_view suppressed_text,
                     absl::string_view empty_text, size_t width = 30,
                     absl::string_view indent = "  ");

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_BARS_H_
