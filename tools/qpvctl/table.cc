#include "tools/qpvctl/table.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/qpvctl/args.h"

namespace qpv::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Decodes the code point at s[*i] and advances *i; invalid bytes count as
// one code point each (U+FFFD).
uint32_t NextCodePoint(absl::string_view s, size_t* i) {
  const unsigned char c = s[*i];
  size_t len = 1;
  uint32_t cp = c;
  if (c >= 0xC0 && c < 0xE0) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c < 0xF0) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c < 0xF8) {
    len = 4;
    cp = c & 0x07;
  } else if (c >= 0x80) {
    ++*i;
    return 0xFFFD;
  }
  if (*i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = s[*i + k];
    if ((cc & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += len;
  return cp;
}

bool IsZeroWidth(uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) ||  // combining diacritical marks
         (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
         cp == 0x200B || cp == 0x200D || cp == 0xFEFF;
}

std::string SingleValueText(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "yes" : "no";
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumShortName(f->enum_type(),
                           rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f));
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      if (sub.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
        return TimestampText(sub);
      }
      return sub.ShortDebugString();
    }
  }
  return "";
}

void AppendRows(const Message& m, const std::string& prefix,
                std::vector<std::pair<std::string, std::string>>* out) {
  const auto* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string key = prefix + f->name();
    if (!f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        f->message_type()->full_name() != "google.protobuf.Timestamp") {
      if (r->HasField(m, f)) {
        AppendRows(r->GetMessage(m, f), key + ".", out);
      } else {
        out->emplace_back(key, "-");
      }
      continue;
    }
    std::string text = FieldText(m, f);
    out->emplace_back(key, text.empty() ? "-" : std::move(text));
  }
}

}  // namespace

std::string PadRight(absl::string_view utf8, size_t width) {
  const size_t w = DisplayWidth(utf8);
  std::string out(utf8);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string PadLeft(absl::string_view utf8, size_t width) {
  const size_t w = DisplayWidth(utf8);
  std::string out = w < width ? std::string(width - w, ' ') : std::string();
  out.append(utf8.data(), utf8.size());
  return out;
}

size_t DisplayWidth(absl::string_view utf8) {
  size_t width = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    if (!IsZeroWidth(NextCodePoint(utf8, &i))) ++width;
  }
  return width;
}

std::string FitCell(absl::string_view utf8, size_t max_width) {
  std::string clean;
  clean.reserve(utf8.size());
  for (char c : utf8) {
    const unsigned char u = c;
    clean.push_back(u < 0x20 || u == 0x7F ? ' ' : c);
  }
  if (DisplayWidth(clean) <= max_width) return clean;
  if (max_width == 0) return "";
  // Keep max_width - 1 columns and add "…".
  std::string out;
  size_t width = 0;
  size_t i = 0;
  while (i < clean.size()) {
    const size_t start = i;
    const uint32_t cp = NextCodePoint(clean, &i);
    const size_t w = IsZeroWidth(cp) ? 0 : 1;
    if (width + w > max_width - 1) break;
    width += w;
    out.append(clean, start, i - start);
  }
  out += "\u2026";
  return out;
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& c : cells) {
    // Resource names are never cut: they are what the next command needs.
    const bool resource_name = absl::StartsWith(c, "prefectures/");
    c = FitCell(c, resource_name ? std::string::npos : max_cell_width_);
  }
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  const size_t n = headers_.size();
  std::vector<size_t> widths(n, 0);
  for (size_t c = 0; c < n; ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < n; ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  auto right = [&](size_t c) { return std::find(right_.begin(), right_.end(), c) != right_.end(); };
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l = indent_;
    for (size_t c = 0; c < n; ++c) {
      if (right(c)) {
        l += PadLeft(cells[c], widths[c]);
        if (c + 1 < n) l += "  ";
      } else if (c + 1 < n) {
        l += PadRight(cells[c], widths[c]);
        l += "  ";
      } else {
        l += cells[c];
      }
    }
    // No trailing blanks when the last cells are empty.
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l;
    out += '\n';
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
  return out;
}

std::string RenderDetail(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [k, v] : rows) width = std::max(width, DisplayWidth(k) + 1);
  std::string out;
  const std::string indent(width + 1, ' ');
  for (const auto& [k, v] : rows) {
    out += PadRight(k + ":", width);
    out += ' ';
    std::vector<absl::string_view> lines = absl::StrSplit(v, '\n');
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) out += indent;
      out.append(lines[i].data(), lines[i].size());
      out += '\n';
    }
  }
  return out;
}

std::string RenderSummary(const std::vector<std::pair<std::string, std::string>>& rows,
                          absl::string_view indent) {
  size_t width = 0;
  for (const auto& [k, v] : rows) width = std::max(width, DisplayWidth(k));
  std::string out;
  const std::string under = absl::StrCat(indent, std::string(width + 2, ' '));
  for (const auto& [k, v] : rows) {
    absl::StrAppend(&out, indent, PadRight(k, width), "  ");
    std::vector<absl::string_view> lines = absl::StrSplit(v, '\n');
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) out += under;
      out.append(lines[i].data(), lines[i].size());
      out += '\n';
    }
  }
  return out;
}

std::string WrapText(absl::string_view utf8, size_t width) {
  std::string out;
  size_t line = 0;
  for (absl::string_view word : absl::StrSplit(utf8, absl::ByAnyChar(" \n\t"), absl::SkipEmpty())) {
    const size_t w = DisplayWidth(word);
    if (line > 0 && line + 1 + w > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out.append(word.data(), word.size());
    line += w;
  }
  return out;
}

std::string Heading(absl::string_view title, bool document_title) {
  std::string out(title);
  out += '\n';
  const char* rule = document_title ? "\u2550" : "\u2500";
  for (size_t i = 0; i < DisplayWidth(title); ++i) out += rule;
  out += '\n';
  return out;
}

std::vector<std::pair<std::string, std::string>> MessageDetailRows(const Message& message) {
  std::vector<std::pair<std::string, std::string>> out;
  AppendRows(message, "", &out);
  return out;
}

std::string FieldText(const Message& message, const FieldDescriptor* field) {
  const Reflection* r = message.GetReflection();
  if (field->is_repeated()) {
    std::vector<std::string> parts;
    const int n = r->FieldSize(message, field);
    for (int i = 0; i < n; ++i) parts.push_back(SingleValueText(message, field, i));
    return absl::StrJoin(parts, ", ");
  }
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !r->HasField(message, field)) {
    return "";
  }
  return SingleValueText(message, field, 0);
}

std::string TimestampText(const Message& timestamp) {
  google::protobuf::Timestamp ts;
  ts.CopyFrom(timestamp);
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  // Like FormatTime, without the fraction when it is zero: copy-pasteable
  // into --start / --end.
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", FromProto(ts), absl::UTCTimeZone());
}

}  // namespace qpv::ctl
