// A cached workshop report in wire form. The hottest reporting call serves a
// report that is still current (the workshop's revision has not moved): it
// used to parse the cached report, stamp it and serialize it again, about
// half of reporting's CPU for that call (perf; paired bench runs: 230 to
// 125 µs per call once skipped). The cache now keeps the report
// serialized without its as-of time, beside what decides whether it is
// current, so a current report is sent as stored, with only its as-of time
// appended (a field that the stored form does not carry, so the appended
// bytes set it: they do not merge into an earlier one).
#ifndef QPV_SERVICES_REPORTING_REPORT_WIRE_H_
#define QPV_SERVICES_REPORTING_REPORT_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "qpv/common/v1/common.pb.h"
#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting {

struct WireReport {
  std::string bytes;      // WireForm(report)
  int64_t revision = 0;   // the report's workshop_revision
  std::string target;     // TargetFingerprint(report)
  absl::Time as_of;       // the report's as_of_time
};

// The report serialized without as_of_time and with stale false.
std::string WireForm(const v1::WorkshopReport& report);

// A cache entry as one string: "<revision> <as-of unix µs> <target>\n" then
// WireForm(report). One string, so that what says whether the bytes are
// current always describes those bytes: a writer that rewrote the revision
// beside them (an older replica during an upgrade) cannot make stale bytes
// look current.
std::string EncodeWire(const v1::WorkshopReport& report);
// nullopt when `entry` is not such a string.
std::optional<WireReport> DecodeWire(std::string entry);

// The target a report was computed against, as a string: the categories and
// exact shares of its representation, in order. Equal for a report and a
// target exactly when IsCurrent's comparison of the two would find them equal.
std::string TargetFingerprint(const v1::WorkshopReport& report);
std::string TargetFingerprint(
    const std::vector<std::pair<::qpv::common::v1::ActorCategory, double>>& shares);

// `wire` as a current report: its bytes with as_of_time `as_of` appended.
std::string CurrentAsOf(const WireReport& wire, absl::Time as_of);

// `wire` parsed back, with its as_of_time; nullopt when the bytes do not parse.
std::optional<v1::WorkshopReport> ParseWire(const WireReport& wire);

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_REPORT_WIRE_H_
