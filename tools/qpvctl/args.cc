#include "tools/qpvctl/args.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/validation/validation.h"
#include "common/util/clock.h"

namespace qpv::ctl {
namespace {

const FlagSpec* FindSpec(const std::vector<FlagSpec>& specs, absl::string_view name) {
  for (const auto& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const FlagSpec* FindShort(const std::vector<FlagSpec>& specs, char c) {
  for (const auto& s : specs) {
    if (s.short_name != 0 && s.short_name == c) return &s;
  }
  return nullptr;
}

absl::StatusOr<std::string> ParseSwitchValue(absl::string_view flag, absl::string_view v) {
  const std::string lower = absl::AsciiStrToLower(v);
  if (lower == "true" || lower == "yes" || lower == "1") return std::string("true");
  if (lower == "false" || lower == "no" || lower == "0") return std::string("false");
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, " takes no value, or =true / =false (got \"", v, "\")"));
}

// Lowercase, '_' -> '-'.
std::string Normalize(absl::string_view s) {
  std::string out = absl::AsciiStrToLower(absl::StripAsciiWhitespace(s));
  for (char& c : out) {
    if (c == '_') c = '-';
  }
  return out;
}

// "THEME_" for Theme, "STATE_" for Workshop.State: the name of value 0
// without "UNSPECIFIED".
std::string EnumPrefix(const google::protobuf::EnumDescriptor* type) {
  const auto* zero = type->FindValueByNumber(0);
  if (zero == nullptr) return "";
  absl::string_view name = zero->name();
  if (absl::ConsumeSuffix(&name, "UNSPECIFIED")) return std::string(name);
  return "";
}

struct Alias {
  const char* short_name;
  const char* value;
};

// Short names that are not simply the value name without its prefix.
constexpr Alias kThemeAliases[] = {
    {"employment", "THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT"},
    {"image", "THEME_NEIGHBOURHOOD_IMAGE"},
    {"participation", "THEME_CITIZEN_PARTICIPATION"},
    {"safety", "THEME_SAFETY_PREVENTION"},
    {"housing", "THEME_HOUSING_URBAN_RENEWAL"},
    {"culture", "THEME_CULTURE_SPORT"},
};

const char* AliasFor(const google::protobuf::EnumDescriptor* type, absl::string_view value) {
  if (type->full_name() != "qpv.common.v1.Theme") return nullptr;
  for (const auto& a : kThemeAliases) {
    if (value == a.value) return a.short_name;
  }
  return nullptr;
}

}  // namespace

FlagSpec Switch(std::string name, std::string help) {
  return FlagSpec{std::move(name), false, false, "", std::move(help)};
}
FlagSpec Value(std::string name, std::string metavar, std::string help) {
  return FlagSpec{std::move(name), true, false, std::move(metavar), std::move(help)};
}
FlagSpec Repeated(std::string name, std::string metavar, std::string help) {
  return FlagSpec{std::move(name), true, true, std::move(metavar), std::move(help)};
}
FlagSpec WithShort(FlagSpec spec, char c) {
  spec.short_name = c;
  return spec;
}

bool Args::Has(absl::string_view flag) const { return values_.find(flag) != values_.end(); }

std::optional<std::string> Args::Get(absl::string_view flag) const {
  auto it = values_.find(flag);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Args::GetOr(absl::string_view flag, absl::string_view fallback) const {
  auto v = Get(flag);
  return v ? *v : std::string(fallback);
}

std::vector<std::string> Args::GetAll(absl::string_view flag) const {
  std::vector<std::string> out;
  auto it = values_.find(flag);
  if (it == values_.end()) return out;
  for (const auto& v : it->second) {
    for (absl::string_view part : absl::StrSplit(v, ',', absl::SkipWhitespace())) {
      out.emplace_back(absl::StripAsciiWhitespace(part));
    }
  }
  return out;
}

bool Args::GetBool(absl::string_view flag) const {
  auto v = Get(flag);
  return v.has_value() && *v == "true";
}


absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& tokens,
                               const std::vector<FlagSpec>& specs, bool stop_at_positional,
                               size_t* consumed) {
  Args args;
  bool flags_done = false;
  size_t i = 0;
  for (; i < tokens.size(); ++i) {
    const std::string& tok = tokens[i];
    if (!validation::IsValidUtf8(tok)) {
      return absl::InvalidArgumentError(
          absl::StrCat("argument ", i + 1, " is not valid UTF-8"));
    }
    if (flags_done || tok.size() < 2 || tok[0] != '-' || tok == "-") {
      if (stop_at_positional) break;
      args.AddPositional(tok);
      continue;
    }
    if (tok == "--") {
      if (stop_at_positional) {
        ++i;
        break;
      }
      flags_done = true;
      continue;
    }
    absl::string_view name = tok;
    std::string short_target;
    if (name == "-h") {
      name = "--help";
    } else if (!absl::StartsWith(name, "--")) {
      // "-o FILE" or "-oFILE" is not accepted: only "-o" alone, then its value.
      const FlagSpec* s = tok.size() == 2 ? FindShort(specs, tok[1]) : nullptr;
      if (s == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown flag '", tok, "' (flags are spelt --name)"));
      }
      short_target = "--" + s->name;
      name = short_target;
    }
    name.remove_prefix(2);
    std::optional<std::string> inline_value;
    const size_t eq = name.find('=');
    if (eq != absl::string_view::npos) {
      inline_value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (!spec->repeatable && args.Has(name)) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " given twice"));
    }
    std::string value;
    if (!spec->takes_value) {
      if (inline_value.has_value()) {
        auto v = ParseSwitchValue(name, *inline_value);
        if (!v.ok()) return v.status();
        value = *v;
      } else {
        value = "true";
      }
    } else if (inline_value.has_value()) {
      value = *inline_value;
    } else {
      if (i + 1 >= tokens.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--", name, " needs a value", spec->metavar.empty() ? "" : " (", spec->metavar,
            spec->metavar.empty() ? "" : ")"));
      }
      value = tokens[++i];
      if (!validation::IsValidUtf8(value)) {
        return absl::InvalidArgumentError(absl::StrCat("the value of --", name,
                                                       " is not valid UTF-8"));
      }
    }
    args.Add(spec->name, std::move(value));
  }
  if (consumed != nullptr) *consumed = i;
  return args;
}

absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* type,
                              absl::string_view text, absl::string_view what) {
  const std::string want = Normalize(text);
  const std::string prefix = Normalize(EnumPrefix(type));
  if (!want.empty()) {
    for (int i = 0; i < type->value_count(); ++i) {
      const auto* v = type->value(i);
      if (v->number() == 0) continue;
      const std::string full = Normalize(v->name());
      absl::string_view bare = full;
      absl::ConsumePrefix(&bare, prefix);
      const char* alias = AliasFor(type, v->name());
      if (want == full || want == bare || (alias != nullptr && want == alias)) {
        return v->number();
      }
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("--", what, ": unknown value \"", text,
                                                 "\" (one of: ", EnumChoices(type), ")"));
}

std::string EnumShortName(const google::protobuf::EnumDescriptor* type, int number) {
  const auto* v = type->FindValueByNumber(number);
  if (v == nullptr) return absl::StrCat(number);
  if (const char* alias = AliasFor(type, v->name())) return alias;
  const std::string full = Normalize(v->name());
  absl::string_view bare = full;
  absl::ConsumePrefix(&bare, Normalize(EnumPrefix(type)));
  return std::string(bare);
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == 0) continue;
    names.push_back(EnumShortName(type, type->value(i)->number()));
  }
  return absl::StrJoin(names, ", ");
}

std::string EnumFullName(const google::protobuf::EnumDescriptor* type, int number) {
  const auto* v = type->FindValueByNumber(number);
  return v == nullptr ? absl::StrCat(number) : v->name();
}

absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(absl::string_view text,
                                                           absl::Time now,
                                                           absl::string_view what) {
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  if (absl::AsciiStrToLower(trimmed) == "now") return ToProto(now);
  absl::Time t;
  std::string err;
  // RFC3339_full also accepts fractional seconds; a lowercase 't'/'z' is
  // accepted by RFC 3339 too.
  std::string upper = absl::AsciiStrToUpper(trimmed);
  if (upper.size() < 20 || !absl::ParseTime(absl::RFC3339_full, upper, &t, &err)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", what, ": \"", text,
        "\" is not an RFC 3339 time with an offset, e.g. 2018-02-06T09:00:00+01:00"));
  }
  return ToProto(t);
}

absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text) {
  absl::Duration d;
  double seconds;
  if (absl::SimpleAtod(text, &seconds)) {
    d = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout: \"", text, "\" is not a duration, e.g. 5s, 500ms, 1m"));
  }
  if (d <= absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("--timeout must be positive and finite");
  }
  return d;
}

absl::StatusOr<int> ParseInt(absl::string_view text, absl::string_view what) {
  int v;
  if (!absl::SimpleAtoi(text, &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", what, ": \"", text, "\" is not an integer"));
  }
  return v;
}

absl::StatusOr<std::string> PrefectureParent(absl::string_view code) {
  code = absl::StripAsciiWhitespace(code);
  if (absl::StartsWith(code, "prefectures/")) return std::string(code);
  if (code.empty() || absl::StrContains(code, "/")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--prefecture: \"", code, "\" is not a département code such as 59, 2A or 971"));
  }
  return absl::StrCat("prefectures/", code);
}

std::string QuoteFilterValue(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string JoinFilter(const std::vector<std::string>& terms) {
  std::vector<std::string> kept;
  for (const auto& t : terms) {
    if (!absl::StripAsciiWhitespace(t).empty()) kept.push_back(t);
  }
  return absl::StrJoin(kept, " AND ");
}

}  // namespace qpv::ctl
