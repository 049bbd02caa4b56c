#include "common/filter/filter.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/validation/validation.h"

namespace qpv::filter {
namespace {

absl::Status Bad(std::string why) { return InvalidField("filter", std::move(why)); }

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == ':' || c == '/' || c == '+';
}

class Lexer {
 public:
  explicit Lexer(absl::string_view s) : s_(s) {}
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= s_.size();
  }
  absl::StatusOr<std::string> Field() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
            s_[pos_] == '.')) {
      ++pos_;
    }
    if (start == pos_) return Bad(absl::StrCat("expected a field name at position ", start));
    return std::string(s_.substr(start, pos_ - start));
  }
  absl::StatusOr<Op> Operator() {
    SkipSpace();
    auto take = [&](absl::string_view tok) {
      if (s_.substr(pos_, tok.size()) == tok) {
        pos_ += tok.size();
        return true;
      }
      return false;
    };
    if (take("!=")) return Op::kNe;
    if (take("<=")) return Op::kLe;
    if (take(">=")) return Op::kGe;
    if (take("=")) return Op::kEq;
    if (take("<")) return Op::kLt;
    if (take(">")) return Op::kGt;
    if (take(":")) return Op::kHas;
    return Bad(absl::StrCat("expected an operator (=, !=, <, <=, >, >=, :) at position ", pos_));
  }
  absl::StatusOr<std::string> Value() {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '"') {
      ++pos_;
      std::string out;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out += s_[pos_++];
      }
      if (pos_ >= s_.size()) return Bad("unterminated quoted string");
      ++pos_;
      return out;
    }
    const size_t start = pos_;
    while (pos_ < s_.size() && IsWordChar(s_[pos_])) ++pos_;
    if (start == pos_) return Bad(absl::StrCat("expected a value at position ", start));
    return std::string(s_.substr(start, pos_ - start));
  }
  bool And() {
    SkipSpace();
    if (s_.substr(pos_, 3) == "AND" &&
        (pos_ + 3 == s_.size() || std::isspace(static_cast<unsigned char>(s_[pos_ + 3])))) {
      pos_ += 3;
      return true;
    }
    return false;
  }
  size_t pos() const { return pos_; }

 private:
  absl::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

const char* OpName(Op op) {
  switch (op) {
    case Op::kEq: return "=";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kHas: return ":";
  }
  return "?";
}

absl::StatusOr<std::vector<Term>> Parse(absl::string_view filter, const Schema& schema) {
  std::vector<Term> terms;
  if (!validation::IsValidUtf8(filter)) return Bad("must be valid UTF-8");
  if (filter.size() > 2000) return Bad("must be at most 2000 bytes");
  Lexer lex(filter);
  if (lex.AtEnd()) return terms;
  while (true) {
    Term term;
    QPV_ASSIGN_OR_RETURN(term.field, lex.Field());
    auto it = schema.find(term.field);
    if (it == schema.end()) {
      std::string known;
      for (const auto& [name, ops] : schema) absl::StrAppend(&known, known.empty() ? "" : ", ", name);
      return Bad(absl::StrCat("unknown field '", term.field, "'; known fields: ", known));
    }
    QPV_ASSIGN_OR_RETURN(term.op, lex.Operator());
    if (!it->second.count(term.op)) {
      return Bad(absl::StrCat("operator '", OpName(term.op), "' is not supported on '",
                              term.field, "'"));
    }
    QPV_ASSIGN_OR_RETURN(term.value, lex.Value());
    terms.push_back(std::move(term));
    if (lex.AtEnd()) break;
    if (!lex.And()) {
      return Bad(absl::StrCat("expected AND at position ", lex.pos(),
                              " (only conjunctions are supported)"));
    }
  }
  return terms;
}

bool Compare(Op op, int64_t lhs, int64_t rhs) {
  switch (op) {
    case Op::kEq: case Op::kHas: return lhs == rhs;
    case Op::kNe: return lhs != rhs;
    case Op::kLt: return lhs < rhs;
    case Op::kLe: return lhs <= rhs;
    case Op::kGt: return lhs > rhs;
    case Op::kGe: return lhs >= rhs;
  }
  return false;
}

bool CompareText(Op op, absl::string_view lhs, absl::string_view rhs) {
  switch (op) {
    case Op::kEq: return lhs == rhs;
    case Op::kNe: return lhs != rhs;
    case Op::kLt: return lhs < rhs;
    case Op::kLe: return lhs <= rhs;
    case Op::kGt: return lhs > rhs;
    case Op::kGe: return lhs >= rhs;
    case Op::kHas: return ContainsFolded(lhs, rhs);
  }
  return false;
}

namespace {
// Lowercases ASCII and maps the Latin-1 accented letters French uses to
// their base letter, so "Équipe" matches "equipe".
std::string Fold(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[i + 1]) | 0x20;  // lower
      char base = 0;
      if (d >= 0xA0 && d <= 0xA5) base = 'a';
      else if (d == 0xA7) base = 'c';
      else if (d >= 0xA8 && d <= 0xAB) base = 'e';
      else if (d >= 0xAC && d <= 0xAF) base = 'i';
      else if (d == 0xB1) base = 'n';
      else if (d >= 0xB2 && d <= 0xB6) base = 'o';
      else if (d >= 0xB9 && d <= 0xBC) base = 'u';
      else if (d == 0xBD || d == 0xBF) base = 'y';
      if (base) {
        out += base;
        ++i;
        continue;
      }
    }
    if (c == 0xC5 && i + 1 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) == 0x93 || static_cast<unsigned char>(s[i + 1]) == 0x92)) {
      out += "oe";
      ++i;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}
}  // namespace

bool ContainsFolded(absl::string_view haystack, absl::string_view needle) {
  return Fold(haystack).find(Fold(needle)) != std::string::npos;
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view value) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(value), &t, &err)) {
    return Bad(absl::StrCat("'", value, "' is not an RFC 3339 time such as 2018-02-06T09:00:00Z"));
  }
  return t;
}

bool ParseEnumValue(const google::protobuf::EnumDescriptor* type, absl::string_view value,
                    int* out) {
  const std::string upper = absl::AsciiStrToUpper(value);
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByName(upper);
  if (v == nullptr && type->value_count() > 0) {
    // The prefix every value shares, e.g. "STATE_" from "STATE_UNSPECIFIED".
    const std::string& first = type->value(0)->name();
    const size_t cut = first.rfind("UNSPECIFIED");
    if (cut != std::string::npos) v = type->FindValueByName(first.substr(0, cut) + upper);
  }
  if (v == nullptr || v->number() == 0) return false;
  *out = v->number();
  return true;
}

absl::StatusOr<bool> ParseBool(absl::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return Bad(absl::StrCat("'", value, "' is not true or false"));
}

}  // namespace qpv::filter
