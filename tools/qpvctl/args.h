// Command-line parsing for qpvctl: flags declared per command, values
// checked here (enums, times, durations) so that usage errors stop the
// command before any RPC is made. Everything here is pure and tested.
#ifndef QPV_TOOLS_QPVCTL_ARGS_H_
#define QPV_TOOLS_QPVCTL_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"

namespace qpv::ctl {

struct FlagSpec {
  std::string name;          // without the leading "--"
  bool takes_value = true;   // false: a switch (--json, --all, --reproducible[=false])
  bool repeatable = false;   // --theme a --theme b
  std::string metavar;       // shown in help: --prefecture CODE
  std::string help;
  char short_name = 0;       // 'o' accepts "-o FILE" for "--output FILE"
};

// A switch with its help text.
FlagSpec Switch(std::string name, std::string help);
// A flag that takes one value.
FlagSpec Value(std::string name, std::string metavar, std::string help);
// A flag that may be given several times (values also split on commas).
FlagSpec Repeated(std::string name, std::string metavar, std::string help);
// The same flag, also accepted as "-c" (one ASCII letter).
FlagSpec WithShort(FlagSpec spec, char c);

class Args {
 public:
  bool Has(absl::string_view flag) const;
  // The value of a flag (for a switch: "true" or "false"), if given.
  std::optional<std::string> Get(absl::string_view flag) const;
  std::string GetOr(absl::string_view flag, absl::string_view fallback) const;
  // Every value of a repeatable flag, in order.
  std::vector<std::string> GetAll(absl::string_view flag) const;
  // A switch: false when absent, its value when given (--x, --x=false).
  bool GetBool(absl::string_view flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

  // Used by the parser, and by main to merge the global flags given before
  // the command.
  void Add(const std::string& flag, std::string value) { values_[flag].push_back(std::move(value)); }
  void AddPositional(std::string value) { positional_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

// Parses tokens (argv without the program, group and verb) against `specs`.
// Accepts "--flag value", "--flag=value", switches "--flag" and
// "--flag=true|false", "-h" for "--help", "-c value" for a flag declared
// WithShort(.., 'c'), and "--" to end the flags.
// Unknown flags, missing values, a non-repeatable flag given twice and
// invalid UTF-8 are INVALID_ARGUMENT with a message for the user.
// If `stop_at_positional`, parsing stops at the first positional token and
// `*consumed` says how many tokens were read.
absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& tokens,
                               const std::vector<FlagSpec>& specs,
                               bool stop_at_positional = false, size_t* consumed = nullptr);


// Enums. Accepted spellings, case-insensitive, '-' and '_' alike: the full
// value name (THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT), the name without the
// enum's prefix (employment-economic-development), and for themes the short
// names (employment, discrimination, image, participation, education,
// safety, housing, health, culture, mobility, other). The UNSPECIFIED value
// is never accepted. `what` names the flag in the error message.
absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* type,
                              absl::string_view text, absl::string_view what);
// The short lowercase name used in tables: "employment", "local-authority",
// "good-practice", "scheduled". Falls back to the number for unknown values.
std::string EnumShortName(const google::protobuf::EnumDescriptor* type, int number);
// The accepted short names, comma-separated, for help and errors.
std::string EnumChoices(const google::protobuf::EnumDescriptor* type);
// The full value name (THEME_HEALTH), for filters.
std::string EnumFullName(const google::protobuf::EnumDescriptor* type, int number);

// RFC 3339 with an offset or Z: 2018-02-06T09:00:00+01:00, 2018-02-06T08:00:00Z.
// "now" gives `now`.
absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(absl::string_view text,
                                                           absl::Time now,
                                                           absl::string_view what);
// "5s", "500ms", "2m", or a plain number of seconds; must be positive.
absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text);
absl::StatusOr<int> ParseInt(absl::string_view text, absl::string_view what);

// "59" -> "prefectures/59"; "prefectures/59" and "-" are accepted too.
absl::StatusOr<std::string> PrefectureParent(absl::string_view code);

// A filter value quoted for AIP-160: "a \"b\"".
std::string QuoteFilterValue(absl::string_view value);
// Joins non-empty filter terms with " AND ".
std::string JoinFilter(const std::vector<std::string>& terms);

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_ARGS_H_
