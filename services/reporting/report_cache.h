// Where reporting keeps the last report computed for each workshop: a
// report is served from it while the workshop's revision has not moved, and
// served stale from it when the workshop service cannot be reached. The
// report carries its revision (workshop_revision) and as-of time.
// Implemented on Redis (RedisReportCache) and in memory (MemoryReportCache).
#ifndef QPV_SERVICES_REPORTING_REPORT_CACHE_H_
#define QPV_SERVICES_REPORTING_REPORT_CACHE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "qpv/reporting/v1/reporting.pb.h"
#include "services/reporting/report_wire.h"

namespace qpv::reporting {

class ReportCache {
 public:
  virtual ~ReportCache() = default;

  // The report cached for a workshop (prefectures/{p}/workshops/{w}) in
  // wire form (report_wire.h), or nullopt. An entry that cannot be read
  // counts as absent (it is rebuilt), as does one written before wire forms
  // were kept (rebuilt once, then kept with its wire form).
  virtual absl::StatusOr<std::optional<WireReport>> GetWire(absl::string_view workshop) = 0;
  // GetWire without waiting: `done` gets the entry, on any thread.
  using WireCallback = std::function<void(absl::StatusOr<std::optional<WireReport>>)>;
  virtual void GetWireAsync(absl::string_view workshop, WireCallback done) {
    done(GetWire(workshop));
  }
  // The same, parsed.
  absl::StatusOr<std::optional<v1::WorkshopReport>> Get(absl::string_view workshop) {
    auto wire = GetWire(workshop);
    if (!wire.ok()) return wire.status();
    if (!*wire) return std::nullopt;
    return ParseWire(**wire);
  }
  // Several at once (one round trip), in the order asked.
  virtual absl::StatusOr<std::vector<std::optional<v1::WorkshopReport>>> GetMany(
      const std::vector<std::string>& workshops) = 0;
  // Stores `report` (keyed by report.workshop()) unless a report of a higher
  // workshop_revision is already there: a slow build never overwrites a
  // newer one.
  virtual absl::Status Put(const v1::WorkshopReport& report) = 0;
  // Every report cached for a préfecture ("59"), in no particular order.
  virtual absl::StatusOr<std::vector<v1::WorkshopReport>> List(absl::string_view prefecture) = 0;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_REPORT_CACHE_H_
