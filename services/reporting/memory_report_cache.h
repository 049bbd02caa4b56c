// In-memory ReportCache: one mutex, same semantics as the Redis one. For
// tests and for the feed's tests.
#ifndef QPV_SERVICES_REPORTING_MEMORY_REPORT_CACHE_H_
#define QPV_SERVICES_REPORTING_MEMORY_REPORT_CACHE_H_

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/reporting/report_cache.h"

namespace qpv::reporting {

class MemoryReportCache : public ReportCache {
 public:
  absl::StatusOr<std::optional<WireReport>> GetWire(absl::string_view workshop) override;
  absl::StatusOr<std::vector<std::optional<v1::WorkshopReport>>> GetMany(
      const std::vector<std::string>& workshops) override;
  absl::Status Put(const v1::WorkshopReport& report) override;
  absl::StatusOr<std::vector<v1::WorkshopReport>> List(absl::string_view prefecture) override;

  // Every call fails with UNAVAILABLE while set, as when Redis is down.
  void SetUnavailable(bool unavailable);
  int puts();

 private:
  absl::Mutex mu_;
  std::map<std::string, v1::WorkshopReport, std::less<>> reports_ ABSL_GUARDED_BY(mu_);
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  int puts_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_MEMORY_REPORT_CACHE_H_
