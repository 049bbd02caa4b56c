#include "common/validation/validation.h"

#include <cctype>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace qpv::validation {

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

size_t Utf8Length(absl::string_view s) {
  size_t count = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool IsDepartementCode(absl::string_view code) {
  if (code == "2A" || code == "2B") return true;
  if (code.size() == 2 && std::isdigit(static_cast<unsigned char>(code[0])) &&
      std::isdigit(static_cast<unsigned char>(code[1]))) {
    const int n = (code[0] - '0') * 10 + (code[1] - '0');
    return n >= 1 && n <= 95 && n != 20;
  }
  // 971-976: the five overseas départements and Saint-Pierre-et-Miquelon
  // (975, a collectivité with its own préfet).
  return code.size() == 3 && code.substr(0, 2) == "97" && code[2] >= '1' && code[2] <= '6';
}

namespace {
bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The 3-character département part of a QPV code: 001..095, 02A, 02B,
// 971..976, 978 (Saint-Martin), 987 (Polynésie française).
bool IsQpvDepartementPart(absl::string_view d) {
  if (d.size() != 3) return false;
  if (d == "02A" || d == "02B") return true;
  if (!AllDigits(d)) return false;
  if (d[0] == '0') return IsDepartementCode(d.substr(1));
  return IsDepartementCode(d) || d == "978" || d == "987";
}
}  // namespace

bool IsQpvCode(absl::string_view code) {
  if (code.size() != 8) return false;
  const absl::string_view prefix = code.substr(0, 2);
  if (!IsQpvDepartementPart(code.substr(2, 3))) return false;
  if (prefix == "QP") return AllDigits(code.substr(5, 3));
  if (prefix == "QN") {
    const char status = code[7];
    return AllDigits(code.substr(5, 2)) &&
           (status == 'M' || status == 'I' || status == 'N' || status == 'C');
  }
  return false;
}

std::string QpvDepartement(absl::string_view code) {
  if (!IsQpvCode(code)) return "";
  absl::string_view d = code.substr(2, 3);
  if (d[0] == '0') d.remove_prefix(1);
  return std::string(d);
}

bool IsResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (id[0] == '-') return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsEmail(absl::string_view email) {
  if (email.size() > 254) return false;
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != absl::string_view::npos) return false;
  const absl::string_view domain = email.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  for (char c : email) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

bool IsPhone(absl::string_view phone) {
  int digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c == '+' && i == 0) {
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 6 && digits <= 20;
}

void CheckText(FieldViolations& v, absl::string_view field, absl::string_view value,
               size_t max_chars, bool required, bool multiline) {
  if (!IsValidUtf8(value)) {
    v.Add(std::string(field), "must be valid UTF-8");
    return;
  }
  const size_t len = Utf8Length(value);
  if (len > max_chars) {
    v.Add(std::string(field), absl::StrCat("must be at most ", max_chars,
                                           " characters, got ", len));
    return;
  }
  for (unsigned char c : value) {
    if (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t')) ) {
      v.Add(std::string(field), "must not contain control characters");
      return;
    }
    if (c == 0x7F) {
      v.Add(std::string(field), "must not contain control characters");
      return;
    }
  }
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    v.Add(std::string(field), "is required");
  }
}

void CheckQpvCodes(FieldViolations& v, absl::string_view field,
                   const google::protobuf::RepeatedPtrField<std::string>& codes,
                   int max_count) {
  if (codes.size() > max_count) {
    v.Add(std::string(field), absl::StrCat("at most ", max_count, " codes"));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < codes.size(); ++i) {
    const std::string& code = codes[i];
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (!IsValidUtf8(code) || !IsQpvCode(code)) {
      v.Add(f, "must be an official QPV code such as QN05981M (2024 list) or "
               "QP059001 (2015 list)");
    } else if (!seen.insert(code).second) {
      v.Add(f, absl::StrCat("duplicate QPV code ", code));
    }
  }
}

void CheckTimestamp(FieldViolations& v, absl::string_view field,
                    const google::protobuf::Timestamp& ts, bool required) {
  // 1900-01-01 .. 2200-01-01 in seconds since the epoch.
  constexpr int64_t kMin = -2208988800LL;
  constexpr int64_t kMax = 7258118400LL;
  if (ts.seconds() == 0 && ts.nanos() == 0) {
    if (required) v.Add(std::string(field), "is required");
    return;
  }
  if (ts.seconds() < kMin || ts.seconds() > kMax) {
    v.Add(std::string(field), "must be between 1900 and 2200");
  } else if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    v.Add(std::string(field), "has invalid nanos");
  }
}

void CheckRequestId(FieldViolations& v, absl::string_view request_id) {
  bool ok = request_id.size() <= 128;
  for (char c : request_id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) ok = false;
  }
  if (!ok) {
    v.Add("request_id", "must be at most 128 characters of A-Z, a-z, 0-9, - and _ (a UUID is fine)");
  }
}

std::set<std::string> UpdatePaths(FieldViolations& v, const google::protobuf::FieldMask& mask,
                                  const std::set<std::string>& updatable,
                                  const std::set<std::string>& output_only) {
  if (mask.paths().empty()) return updatable;
  std::set<std::string> out;
  for (const auto& path : mask.paths()) {
    if (path == "*") return updatable;
    if (updatable.count(path)) {
      out.insert(path);
    } else if (!output_only.count(path)) {
      v.Add("update_mask", absl::StrCat("unknown or immutable field '", path,
                                        "'; updatable fields: ", absl::StrJoin(updatable, ", ")));
    }
  }
  return out;
}

}  // namespace qpv::validation
