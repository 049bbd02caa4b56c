// A small subset of AIP-160 filters: a conjunction of comparisons.
//
//   filter := term { "AND" term }
//   term   := field op value
//   op     := "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"   (":" is "has")
//   value  := bare word (letters, digits, _ - . :) | "double-quoted string"
//
// e.g.  state = STATE_SCHEDULED AND themes:THEME_HEALTH
//       AND start_time >= "2018-02-01T00:00:00Z"
// Each service says which fields and operators it accepts.
#ifndef QPV_COMMON_FILTER_FILTER_H_
#define QPV_COMMON_FILTER_FILTER_H_

#include <map>
#include <set>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace qpv::filter {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kHas };

struct Term {
  std::string field;
  Op op;
  std::string value;
};

// Which operators each field accepts.
using Schema = std::map<std::string, std::set<Op>, std::less<>>;

// Parses `filter` and checks it against `schema`. INVALID_ARGUMENT on field
// "filter" naming what is wrong. An empty filter gives no terms.
absl::StatusOr<std::vector<Term>> Parse(absl::string_view filter, const Schema& schema);

// Helpers to evaluate a term against a value.
bool Compare(Op op, int64_t lhs, int64_t rhs);
bool CompareText(Op op, absl::string_view lhs, absl::string_view rhs);
// Case- and accent-insensitive substring match, for ":" on free text.
bool ContainsFolded(absl::string_view haystack, absl::string_view needle);
// Parses an RFC 3339 time, for filters on time fields.
absl::StatusOr<absl::Time> ParseTime(absl::string_view value);
// An enum value named in a filter: the full name (STATE_SCHEDULED) or, as
// people also write it, without the enum's prefix and in any case
// (SCHEDULED, scheduled). False for unknown names and for *_UNSPECIFIED.
bool ParseEnumValue(const google::protobuf::EnumDescriptor* type, absl::string_view value,
                    int* out);

template <typename E>
bool ParseEnum(const google::protobuf::EnumDescriptor* type, absl::string_view value, E* out) {
  int n = 0;
  if (!ParseEnumValue(type, value, &n)) return false;
  *out = static_cast<E>(n);
  return true;
}

// Parses true/false.
absl::StatusOr<bool> ParseBool(absl::string_view value);

const char* OpName(Op op);

}  // namespace qpv::filter

#endif  // QPV_COMMON_FILTER_FILTER_H_
