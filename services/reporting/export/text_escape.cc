#include "services/reporting/export/text_escape.h"

namespace qpv::reporting::report_export {

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MarkdownEscape(absl::string_view text) {
  // CommonMark lets any ASCII punctuation be backslash-escaped; these are the
  // ones that change meaning inline or inside a GFM table. '#', '-', '+' and
  // digits only matter at a line start, which a cell never is.
  static constexpr absl::string_view kSpecial = "\\`*_[]<>|~&";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "<br>";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      if (kSpecial.find(c) != absl::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string TruncateUtf8(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // A byte that is not a continuation byte (10xxxxxx) starts a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) {
        // Leave room for the ellipsis within max_chars.
        absl::string_view kept = text.substr(0, i);
        size_t cut = kept.size();
        while (cut > 0 && (static_cast<unsigned char>(kept[cut - 1]) & 0xC0) == 0x80) --cut;
        if (cut > 0) --cut;  // drop the last code point's lead byte
        return std::string(kept.substr(0, cut)) + "…";
      }
      ++chars;
    }
  }
  return std::string(text);
}

}  // namespace qpv::reporting::report_export
