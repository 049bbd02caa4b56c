// Escaping user text (contribution titles and texts, workshop titles, venues)
// for each output format, so that what a participant typed is shown as typed
// and never runs or breaks the layout.
#ifndef QPV_SERVICES_REPORTING_EXPORT_TEXT_ESCAPE_H_
#define QPV_SERVICES_REPORTING_EXPORT_TEXT_ESCAPE_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace qpv::reporting::report_export {

// & < > " ' as character references: safe in element content and in quoted
// attribute values (HTML and inline SVG).
std::string HtmlEscape(absl::string_view text);

// For one Markdown table cell or inline run: backslash-escapes the characters
// that would start emphasis, code, links, raw HTML or a column (| included),
// and turns line breaks (CRLF, CR, LF) into <br> so a cell stays on one line.
std::string MarkdownEscape(absl::string_view text);

// At most `max_chars` code points of UTF-8 text, "…" replacing the end when
// cut. Never splits a multi-byte character.
std::string TruncateUtf8(absl::string_view text, size_t max_chars);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_TEXT_ESCAPE_H_
