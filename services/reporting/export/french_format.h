// Numbers and dates the French way, for the formats people read: decimal
// comma, non-breaking space before "%" and between thousands, "6 février
// 2018, 09:30" in Paris wall time.
#ifndef QPV_SERVICES_REPORTING_EXPORT_FRENCH_FORMAT_H_
#define QPV_SERVICES_REPORTING_EXPORT_FRENCH_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"

namespace qpv::reporting::report_export {

// U+00A0, the space French typography puts before "%" and between thousands.
inline constexpr absl::string_view kNbsp = "\xC2\xA0";

// True when Europe/Paris could be loaded; dates are otherwise in UTC and
// say so (" UTC" after the time).
bool UsesParisTime();
// "heure de Paris" or "UTC": what the times of a report are in.
absl::string_view TimeZoneNote();

// "6 février 2018, 09:30" ("1er mars 2018, ..." on the first). An unset
// timestamp (0) gives "non précisée".
std::string FormatDateTime(const google::protobuf::Timestamp& ts);
// "6 février 2018".
std::string FormatDate(const google::protobuf::Timestamp& ts);
// "6 février 2018, 09:30 – 12:30" on one day, both dates in full otherwise.
std::string FormatTimeRange(const google::protobuf::Timestamp& start,
                            const google::protobuf::Timestamp& end);

// 0.8237 with 2 digits -> "0,82". Used in CSV too: a French spreadsheet
// reads it as a number.
std::string FormatDecimal(double value, int digits);
// A share in [0, 1] as a percentage: 0.255 -> "25,5 %" (digits=1) or
// "26 %" (digits=0), with a non-breaking space.
std::string FormatPercent(double share, int digits);
// 12345 -> "12 345" with a non-breaking space. Not for CSV (a spreadsheet
// would read it as text).
std::string FormatCount(int64_t value);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_FRENCH_FORMAT_H_
