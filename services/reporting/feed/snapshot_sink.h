// Where snapshots go: national's SubmitPrefectureSnapshot, behind an
// interface so the feed loop is tested with a fake.
#ifndef QPV_SERVICES_REPORTING_FEED_SNAPSHOT_SINK_H_
#define QPV_SERVICES_REPORTING_FEED_SNAPSHOT_SINK_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::reporting {

class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  // Submits `snapshot` and returns the version national holds afterwards
  // (>= snapshot.version() when it was applied or already superseded).
  // Errors carry a short message saying what failed, safe to show in
  // FeedStatus.last_error.
  virtual absl::StatusOr<int64_t> Submit(const national::v1::PrefectureSnapshot& snapshot) = 0;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_SNAPSHOT_SINK_H_
