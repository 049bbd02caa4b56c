// Inline SVG charts for the HTML export: plain markup, no script, no
// external resource, sized by viewBox so they scale on screen and print.
// Every chart has role="img", a <title> and a <desc> (screen readers read
// them), and escapes every text it is given.
#ifndef QPV_SERVICES_REPORTING_EXPORT_SVG_CHARTS_H_
#define QPV_SERVICES_REPORTING_EXPORT_SVG_CHARTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace qpv::reporting::report_export {

// The colours the charts use; tests look for kBarColor in rendered pages.
inline constexpr absl::string_view kBarColor = "#1f5fa8";
inline constexpr absl::string_view kHighlightColor = "#d9480f";
inline constexpr absl::string_view kTargetColor = "#1d232a";

// What every chart carries for accessibility. `id` must be unique in the
// page (it prefixes the ids of <title> and <desc>).
struct ChartText {
  std::string id;
  std::string title;
  std::string description;
};

struct BarDatum {
  std::string label;
  // Bar length, in the chart's unit. A zero (or negative) value draws no bar.
  double value = 0;
  // Printed after the bar, e.g. "12 (30 %)".
  std::string value_label;
  // Drawn in kHighlightColor (an under-represented category).
  bool highlight = false;
  // A marker at `target` (same unit as value), e.g. the target share.
  bool has_target = false;
  double target = 0;
};

// One row per datum: label, bar (<rect class="bar">, or "bar highlight"),
// optional target marker (<line class="target">), value label.
// `target_legend` (e.g. "Part
// cible") adds a legend for the marker. `scale_max` > 0 fixes the end of the
// scale (1 for an index), else it is the largest value or target.
std::string HorizontalBarChart(const ChartText& text, const std::vector<BarDatum>& data,
                               absl::string_view target_legend = "", double scale_max = 0);

struct Series {
  std::string name;
  std::string color;
};
struct BarGroup {
  std::string label;
  // One value per series.
  std::vector<double> values;
};

// One group of thin horizontal bars per item (e.g. per workshop: registered,
// attended, contributions), with a legend of the series.
std::string GroupedBarChart(const ChartText& text, const std::vector<Series>& series,
                            const std::vector<BarGroup>& groups);

struct Slice {
  std::string label;
  double value = 0;
  std::string color;
};

// A donut with a legend (label, count, share); `center_caption` goes under
// the total in the hole, e.g. "contributions".
std::string DonutChart(const ChartText& text, const std::vector<Slice>& slices,
                       absl::string_view center_caption);

// A half-circle gauge for a value in [0, 1], filled in green (>= 0.8),
// amber (>= 0.6) or red, with the value and `reading` in the middle.
std::string IndexGauge(const ChartText& text, double value, absl::string_view value_label,
                       absl::string_view reading);

// The palette for categorical series (kinds...), none equal to kBarColor.
const std::vector<std::string>& CategoricalPalette();

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_SVG_CHARTS_H_
