#include "services/reporting/export/svg_charts.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/reporting/export/text_escape.h"

namespace qpv::reporting::report_export {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kWidth = 760;
// Bar charts: labels right-aligned against the bars.
constexpr double kLabelRight = 300;
constexpr double kBarLeft = 310;
constexpr double kBarMaxWidth = 360;

// Coordinates with a '.' whatever the locale, one decimal is plenty.
std::string N(double v) { return absl::StrFormat("%.1f", v); }

std::string Open(const ChartText& text, double height) {
  const std::string id = HtmlEscape(text.id);
  return absl::StrCat("<svg id=\"", id, "\" class=\"chart\" role=\"img\" aria-labelledby=\"", id,
                      "-title ", id, "-desc\" viewBox=\"0 0 ",
                      absl::StrFormat("%.0f %.0f", kWidth, height),
                      "\" preserveAspectRatio=\"xMinYMin meet\">\n<title id=\"", id, "-title\">",
                      HtmlEscape(text.title), "</title>\n<desc id=\"", id, "-desc\">",
                      HtmlEscape(text.description), "</desc>\n");
}

std::string Text(double x, double y, absl::string_view text, absl::string_view attrs = "") {
  return absl::StrCat("<text x=\"", N(x), "\" y=\"", N(y), "\"", attrs.empty() ? "" : " ", attrs,
                      ">", HtmlEscape(text), "</text>\n");
}

std::string Rect(double x, double y, double w, double h, absl::string_view fill,
                 absl::string_view cls) {
  return absl::StrCat("<rect class=\"", cls, "\" x=\"", N(x), "\" y=\"", N(y), "\" width=\"", N(w),
                      "\" height=\"", N(h), "\" fill=\"", fill, "\"/>\n");
}

// Room a label needs at font-size 13: a rough average glyph width, enough to
// keep a value label inside the viewBox.
double TextWidth(absl::string_view text) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return 7.2 * static_cast<double>(chars);
}

}  // namespace

std::string HorizontalBarChart(const ChartText& text, const std::vector<BarDatum>& data,
                               absl::string_view target_legend, double scale_max) {
  constexpr double kRow = 30;
  constexpr double kBar = 18;
  const double top = target_legend.empty() ? 8 : 34;
  const double height = top + kRow * static_cast<double>(std::max<size_t>(data.size(), 1)) + 8;

  double max = scale_max;
  if (max <= 0) {
    for (const BarDatum& d : data) {
      if (std::isfinite(d.value)) max = std::max(max, d.value);
      if (d.has_target && std::isfinite(d.target)) max = std::max(max, d.target);
    }
  }
  const double scale = max > 0 ? kBarMaxWidth / max : 0;

  std::string out = Open(text, height);
  out += "<g font-size=\"13\" fill=\"#1d232a\">\n";
  if (!target_legend.empty()) {
    absl::StrAppend(&out, Rect(kBarLeft, 8, 14, 14, kBarColor, "legend"),
                    Text(kBarLeft + 20, 20, "Part réelle"),
                    Rect(kBarLeft + 130, 8, 14, 14, kHighlightColor, "legend"),
                    Text(kBarLeft + 150, 20, "Sous-représentée"), "<line x1=\"", N(kBarLeft + 300),
                    "\" y1=\"6\" x2=\"", N(kBarLeft + 300), "\" y2=\"24\" stroke=\"", kTargetColor,
                    "\" stroke-width=\"3\"/>\n", Text(kBarLeft + 308, 20, target_legend));
  }
  if (data.empty()) out += Text(kBarLeft, top + 20, "Aucune donnée");
  for (size_t i = 0; i < data.size(); ++i) {
    const BarDatum& d = data[i];
    const double y = top + kRow * static_cast<double>(i);
    const double bar_y = y + (kRow - kBar) / 2;
    const std::string weight = d.highlight ? "font-weight=\"bold\"" : "";
    out += Text(kLabelRight, bar_y + 13, TruncateUtf8(d.label, 42),
                absl::StrCat("text-anchor=\"end\" ", weight));
    double end = kBarLeft;
    if (d.value > 0 && std::isfinite(d.value)) {
      const double w = std::clamp(d.value * scale, 1.0, kBarMaxWidth);
      out += Rect(kBarLeft, bar_y, w, kBar, d.highlight ? kHighlightColor : kBarColor,
                  d.highlight ? "bar highlight" : "bar");
      end = kBarLeft + w;
    }
    if (d.has_target && std::isfinite(d.target)) {
      const double x = kBarLeft + std::clamp(d.target * scale, 0.0, kBarMaxWidth);
      absl::StrAppend(&out, "<line class=\"target\" x1=\"", N(x), "\" y1=\"", N(y + 3), "\" x2=\"",
                      N(x), "\" y2=\"", N(y + kRow - 3), "\" stroke=\"", kTargetColor,
                      "\" stroke-width=\"3\"/>\n");
      end = std::max(end, x);
    }
    const double label_x = std::min(end + 8, kWidth - TextWidth(d.value_label) - 2);
    out += Text(label_x, bar_y + 13, d.value_label, weight);
  }
  out += "</g>\n</svg>\n";
  return out;
}

std::string GroupedBarChart(const ChartText& text, const std::vector<Series>& series,
                            const std::vector<BarGroup>& groups) {
  constexpr double kLegend = 30;
  constexpr double kLabel = 22;
  constexpr double kBar = 14;
  constexpr double kGap = 4;
  constexpr double kLeft = 20;
  constexpr double kMaxWidth = 600;
  const double group_height = kLabel + static_cast<double>(series.size()) * (kBar + kGap) + 12;
  const double height =
      kLegend + group_height * static_cast<double>(std::max<size_t>(groups.size(), 1)) + 4;

  double max = 0;
  for (const BarGroup& g : groups) {
    for (double v : g.values) max = std::max(max, v);
  }
  const double scale = max > 0 ? kMaxWidth / max : 0;

  std::string out = Open(text, height);
  out += "<g font-size=\"13\" fill=\"#1d232a\">\n";
  double lx = kLeft;
  for (const Series& s : series) {
    absl::StrAppend(&out, Rect(lx, 8, 14, 14, s.color, "legend"), Text(lx + 20, 20, s.name));
    lx += 40 + TextWidth(s.name);
  }
  if (groups.empty()) out += Text(kLeft, kLegend + 20, "Aucun atelier");
  for (size_t g = 0; g < groups.size(); ++g) {
    const BarGroup& group = groups[g];
    double y = kLegend + group_height * static_cast<double>(g);
    out += Text(0, y + 15, TruncateUtf8(group.label, 90), "font-weight=\"bold\"");
    y += kLabel;
    for (size_t s = 0; s < series.size(); ++s) {
      const double v = s < group.values.size() ? group.values[s] : 0;
      double end = kLeft;
      if (v > 0) {
        const double w = std::max(1.0, v * scale);
        out += Rect(kLeft, y, w, kBar, series[s].color, "bar");
        end += w;
      }
      out += Text(end + 6, y + 11.5, absl::StrFormat("%.0f", v), "font-size=\"12\"");
      y += kBar + kGap;
    }
  }
  out += "</g>\n</svg>\n";
  return out;
}

std::string DonutChart(const ChartText& text, const std::vector<Slice>& slices,
                       absl::string_view center_caption) {
  constexpr double kCx = 120, kCy = 115, kR = 78, kStroke = 34;
  const double height = std::max(230.0, 40.0 + 26.0 * static_cast<double>(slices.size()));
  double total = 0;
  for (const Slice& s : slices) total += std::max(0.0, s.value);
  const double circumference = 2 * kPi * kR;

  std::string out = Open(text, height);
  absl::StrAppend(&out, "<g font-size=\"13\" fill=\"#1d232a\">\n", "<circle cx=\"", N(kCx),
                  "\" cy=\"", N(kCy), "\" r=\"", N(kR), "\" fill=\"none\" stroke=\"#e3e6ea\" ",
                  "stroke-width=\"", N(kStroke), "\"/>\n");
  double offset = 0;
  double ly = 40;
  for (const Slice& s : slices) {
    const double v = std::max(0.0, s.value);
    if (v > 0 && total > 0) {
      const double len = circumference * v / total;
      // Dashes start at 3 o'clock; rotating by -90 starts them at noon.
      absl::StrAppend(&out, "<circle class=\"slice\" cx=\"", N(kCx), "\" cy=\"", N(kCy), "\" r=\"",
                      N(kR), "\" fill=\"none\" stroke=\"", s.color, "\" stroke-width=\"",
                      N(kStroke), "\" stroke-dasharray=\"",
                      absl::StrFormat("%.2f %.2f", len, circumference - len),
                      "\" stroke-dashoffset=\"", absl::StrFormat("%.2f", -offset),
                      "\" transform=\"rotate(-90 ", N(kCx), " ", N(kCy), ")\"/>\n");
      offset += len;
    }
    const std::string share =
        total > 0 ? absl::StrFormat("%.0f", 100.0 * v / total) : std::string("0");
    absl::StrAppend(
        &out, Rect(260, ly - 12, 14, 14, s.color, "legend"),
        Text(282, ly,
             absl::StrCat(s.label, " : ", absl::StrFormat("%.0f", v), " (", share, "\xC2\xA0%)")));
    ly += 26;
  }
  absl::StrAppend(&out,
                  Text(kCx, kCy + 4, absl::StrFormat("%.0f", total),
                       "text-anchor=\"middle\" font-size=\"26\" font-weight=\"bold\""),
                  Text(kCx, kCy + 24, center_caption, "text-anchor=\"middle\""), "</g>\n</svg>\n");
  return out;
}

std::string IndexGauge(const ChartText& text, double value, absl::string_view value_label,
                       absl::string_view reading) {
  constexpr double kCx = 150, kCy = 150, kR = 110, kStroke = 30;
  const double v = std::clamp(std::isfinite(value) ? value : 0.0, 0.0, 1.0);
  const char* color = v >= 0.8 ? "#2b8a3e" : v >= 0.6 ? "#e0a000" : "#c92a2a";
  const double angle = kPi * (1 - v);
  const double x = kCx + kR * std::cos(angle);
  const double y = kCy - kR * std::sin(angle);

  // A narrower viewBox than the other charts: the gauge sits beside text.
  std::string out = absl::StrCat(
      "<svg id=\"", HtmlEscape(text.id), "\" class=\"gauge\" role=\"img\" aria-labelledby=\"",
      HtmlEscape(text.id), "-title ", HtmlEscape(text.id),
      "-desc\" viewBox=\"0 0 300 190\" preserveAspectRatio=\"xMinYMin meet\">\n<title id=\"",
      HtmlEscape(text.id), "-title\">", HtmlEscape(text.title), "</title>\n<desc id=\"",
      HtmlEscape(text.id), "-desc\">", HtmlEscape(text.description), "</desc>\n");
  absl::StrAppend(&out, "<path d=\"M ", N(kCx - kR), " ", N(kCy), " A ", N(kR), " ", N(kR),
                  " 0 0 1 ", N(kCx + kR), " ", N(kCy),
                  "\" fill=\"none\" stroke=\"#e3e6ea\" stroke-width=\"", N(kStroke), "\"/>\n");
  if (v > 0) {
    absl::StrAppend(&out, "<path class=\"gauge-value\" d=\"M ", N(kCx - kR), " ", N(kCy), " A ",
                    N(kR), " ", N(kR), " 0 0 1 ", N(x), " ", N(y), "\" fill=\"none\" stroke=\"",
                    color, "\" stroke-width=\"", N(kStroke), "\"/>\n");
  }
  absl::StrAppend(&out, "<g fill=\"#1d232a\" text-anchor=\"middle\">\n",
                  Text(kCx, kCy - 14, value_label, "font-size=\"40\" font-weight=\"bold\""),
                  Text(kCx, kCy + 12, reading, "font-size=\"16\""),
                  Text(kCx - kR, kCy + 32, "0", "font-size=\"13\""),
                  Text(kCx + kR, kCy + 32, "1", "font-size=\"13\""), "</g>\n</svg>\n");
  return out;
}

const std::vector<std::string>& CategoricalPalette() {
  static const std::vector<std::string> palette = {"#f2a900", "#2a9d8f", "#7b4ea3", "#e76f51",
                                                   "#5c7080", "#8ab17d", "#c9184a"};
  return palette;
}

}  // namespace qpv::reporting::report_export
