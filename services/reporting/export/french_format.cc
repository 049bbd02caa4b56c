#include "services/reporting/export/french_format.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "services/reporting/export/labels.h"

namespace qpv::reporting::report_export {
namespace {

struct Zone {
  absl::TimeZone tz;
  bool paris;
};

// Loaded once: the tz database does not change under a running process.
const Zone& ReportZone() {
  static const Zone zone = [] {
    Zone z{absl::UTCTimeZone(), false};
    if (absl::LoadTimeZone("Europe/Paris", &z.tz)) {
      z.paris = true;
    } else {
      z.tz = absl::UTCTimeZone();
    }
    return z;
  }();
  return zone;
}

bool IsUnset(const google::protobuf::Timestamp& ts) { return ts.seconds() == 0 && ts.nanos() == 0; }

absl::CivilMinute ToCivil(const google::protobuf::Timestamp& ts) {
  const absl::Time t = absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::ToCivilMinute(t, ReportZone().tz);
}

std::string DatePart(const absl::CivilMinute& c) {
  const std::string day = c.day() == 1 ? "1er" : absl::StrCat(c.day());
  return absl::StrCat(day, " ", MonthLabel(c.month()), " ", c.year());
}

std::string ClockPart(const absl::CivilMinute& c) {
  std::string out = absl::StrFormat("%02d:%02d", c.hour(), c.minute());
  if (!ReportZone().paris) out += " UTC";
  return out;
}

}  // namespace

bool UsesParisTime() { return ReportZone().paris; }

absl::string_view TimeZoneNote() { return UsesParisTime() ? "heure de Paris" : "UTC"; }

std::string FormatDateTime(const google::protobuf::Timestamp& ts) {
  if (IsUnset(ts)) return "non précisée";
  const absl::CivilMinute c = ToCivil(ts);
  return absl::StrCat(DatePart(c), ", ", ClockPart(c));
}

std::string FormatDate(const google::protobuf::Timestamp& ts) {
  if (IsUnset(ts)) return "non précisée";
  return DatePart(ToCivil(ts));
}

std::string FormatTimeRange(const google::protobuf::Timestamp& start,
                            const google::protobuf::Timestamp& end) {
  if (IsUnset(start)) return "non précisée";
  if (IsUnset(end)) return FormatDateTime(start);
  const absl::CivilMinute s = ToCivil(start);
  const absl::CivilMinute e = ToCivil(end);
  if (absl::CivilDay(s) == absl::CivilDay(e)) {
    return absl::StrCat(DatePart(s), ", ", ClockPart(s), " – ", ClockPart(e));
  }
  return absl::StrCat(FormatDateTime(start), " – ", FormatDateTime(end));
}

std::string FormatDecimal(double value, int digits) {
  if (!std::isfinite(value)) return "";
  // A value that rounds to zero loses its sign: -0.001 prints "0,00", not "-0,00".
  std::string out = absl::StrFormat("%.*f", digits, value);
  if (out.size() > 1 && out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) {
    out.erase(0, 1);
  }
  return absl::StrReplaceAll(out, {{".", ","}});
}

std::string FormatPercent(double share, int digits) {
  return absl::StrCat(FormatDecimal(share * 100.0, digits), kNbsp, "%");
}

std::string FormatCount(int64_t value) {
  std::string digits =
      absl::StrCat(value < 0 ? -static_cast<uint64_t>(value) : static_cast<uint64_t>(value));
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += std::string(kNbsp);
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace qpv::reporting::report_export
