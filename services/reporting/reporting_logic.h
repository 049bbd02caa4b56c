// The reporting service's logic, free of gRPC wiring: validates each request
// (every bad field named in one INVALID_ARGUMENT), checks the préfecture is
// served, reads the workshop and stakeholder services through WorkshopSource
// (under the incoming call's deadline, see call_deadline.h) and keeps
// reports in a ReportCache.
//
// Caching: a workshop's report is served from the cache while the cached
// report's workshop_revision equals the workshop's revision (read first, with
// one GetWorkshop) and it was computed for the same target mix; otherwise it
// is rebuilt and stored. Revision 0 means the workshop service does not
// maintain revisions: never served from the cache, always rebuilt.
// If the workshop service is UNAVAILABLE, the last cached report is served
// with stale = true and its as_of_time; without one, UNAVAILABLE. A cache
// (Redis) failure only costs a rebuild. When the stakeholder service cannot
// give display names, the report is built without them and not cached.
#ifndef QPV_SERVICES_REPORTING_REPORTING_LOGIC_H_
#define QPV_SERVICES_REPORTING_REPORTING_LOGIC_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "common/util/versioned_cache.h"
#include "common/util/worker_pool.h"
#include "qpv/reporting/v1/reporting_service.pb.h"
#include "qpv/workshop/v1/workshop.pb.h"
#include "services/reporting/feed/feed_store.h"
#include "services/reporting/report_cache.h"
#include "services/reporting/target_mix.h"
#include "services/reporting/workshop_source.h"

namespace qpv::reporting {

class ReportingLogic {
 public:
  struct Options {
    // Préfectures served (QPV_PREFECTURES); empty: every préfecture.
    std::vector<std::string> prefectures;
    // Representativeness targets (QPV_TARGET_MIX).
    TargetMixes target_mixes;
    // Threads that build the reports GetWorkshopReportAsync cannot answer
    // from the cache (they wait on the workshop and stakeholder services).
    size_t build_threads = 16;
    // Bytes of current reports kept in memory, so a report still current
    // is answered without reading the report cache in Redis (0: none).
    size_t recent_report_bytes = 16 << 20;
  };

  // None of the pointers is owned; all must outlive the logic. `feed` may be
  // null (GetFeedStatus is then UNIMPLEMENTED).
  ReportingLogic(WorkshopSource* source, ReportCache* cache, FeedStore* feed, Clock* clock,
                 Options options);

  // The report in wire form (a serialized v1::WorkshopReport): a current
  // cached report is sent as stored (report_wire.h). The workshop and the
  // cache entry are read without waiting, and a current entry is answered
  // on the thread that read it; a report to build (or to serve stale) is
  // built on one of the build threads.
  void GetWorkshopReportAsync(const v1::GetWorkshopReportRequest& req, absl::Time deadline,
                              std::function<void(absl::StatusOr<std::string>)> done);
  absl::StatusOr<v1::PrefectureReport> GetPrefectureReport(
      const v1::GetPrefectureReportRequest& req, absl::Time deadline);
  absl::StatusOr<v1::ExportReportResponse> ExportReport(const v1::ExportReportRequest& req,
                                                        absl::Time deadline);
  absl::StatusOr<v1::FeedStatus> GetFeedStatus(const v1::GetFeedStatusRequest& req,
                                               absl::Time deadline);

  // The (cached) report of a workshop the caller already holds, e.g. the
  // feed after listing a préfecture's workshops: no GetWorkshop. Served
  // stale from the cache if the workshop service fails while building it.
  absl::StatusOr<v1::WorkshopReport> ReportFor(const workshop::v1::Workshop& w,
                                               absl::Time deadline);

  // Reports waiting for a build thread (a metric: builds falling behind).
  size_t builds_queued() const { return builds_.queued(); }
  // The current reports kept in memory.
  util::VersionedCache<WireReport>::Stats recent_reports() const { return recent_.stats(); }

 private:
  absl::Status CheckServed(absl::string_view prefecture) const;
  // Report of a validated workshop name.
  absl::StatusOr<v1::WorkshopReport> WorkshopReport(const std::string& name);
  // The report of `name` once the workshop and its cache entry were read
  // and the entry found not current (`wire` is not read when `w` failed):
  // built, or the entry served stale. Blocks: run on the build threads.
  absl::StatusOr<std::string> ReportAfterReads(const std::string& name,
                                               const absl::StatusOr<workshop::v1::Workshop>& w,
                                               absl::StatusOr<std::optional<WireReport>> wire);
  // The report of a workshop that could not be read (`status`): the cached
  // one, stale, when the workshop service is unavailable.
  absl::StatusOr<v1::WorkshopReport> WithoutWorkshop(const std::string& name,
                                                     const absl::Status& status);
  // Report of a validated, served préfecture.
  absl::StatusOr<v1::PrefectureReport> PrefectureReport(const std::string& prefecture);
  // ReportFor with the cache entry already read (nullopt: none or unknown),
  // taken by value: a current entry is moved out, not copied.
  absl::StatusOr<v1::WorkshopReport> ReportWithCached(
      const workshop::v1::Workshop& w, std::optional<v1::WorkshopReport> cached);
  std::optional<v1::WorkshopReport> CachedReport(const std::string& workshop);
  const TargetMix& TargetFor(absl::string_view workshop_name) const;

  WorkshopSource* source_;
  ReportCache* cache_;
  FeedStore* feed_;
  Clock* clock_;
  Options options_;
  // Wire forms of reports found current, by workshop name, at the version
  // RecentVersion gives (GetWorkshopReportAsync).
  util::VersionedCache<WireReport> recent_;
  util::WorkerPool builds_;  // last: its threads stop before the rest goes
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_REPORTING_LOGIC_H_
