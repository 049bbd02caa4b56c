// Where the feed of each préfecture to national stands, behind an interface
// with two implementations: RedisFeedStore (production) and MemoryFeedStore
// (tests, local runs), held to one contract suite (feed_store_test.cc).
//
// Per préfecture the store keeps: the newest snapshot built (the pending one
// until national acknowledges it), its version and content fingerprint, the
// acknowledged version, the submission bookkeeping (last error, last and
// next attempt, consecutive failures), and a lease naming the one reporting
// replica that runs this préfecture's feed.
//
// Guarantees (each method is one atomic step):
// - Versions only grow: a build gets max(built + 1, now in ms, floor + 1),
//   where floor is the newest version national said it holds. So versions
//   keep increasing even if this store was wiped.
// - A build is recorded only when its fingerprint differs from the stored one.
// - The acknowledged version only moves forward.
// Préfecture codes are checked by the caller.
#ifndef QPV_SERVICES_REPORTING_FEED_FEED_STORE_H_
#define QPV_SERVICES_REPORTING_FEED_FEED_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/national/v1/national.pb.h"
#include "qpv/reporting/v1/reporting.pb.h"

namespace qpv::reporting {

// What the feed loop reads each round: the public status plus the
// fingerprint of the newest build ("" when none).
struct FeedState {
  v1::FeedStatus status;
  std::string fingerprint;
};

struct RecordedBuild {
  // False when the fingerprint was the stored one: nothing changed.
  bool recorded = false;
  // The newest built version (the new one when recorded).
  int64_t version = 0;
};

class FeedStore {
 public:
  virtual ~FeedStore() = default;

  // For GetFeedStatus. A préfecture with no feed yet: only `prefecture` set.
  virtual absl::StatusOr<v1::FeedStatus> GetStatus(absl::string_view prefecture) = 0;
  virtual absl::StatusOr<FeedState> GetState(absl::string_view prefecture) = 0;

  // Stores `snapshot` (its version is ignored) as the newest build with a new
  // version, unless `fingerprint` is the stored one. build_time = now.
  virtual absl::StatusOr<RecordedBuild> RecordBuild(
      absl::string_view prefecture, absl::string_view fingerprint,
      const national::v1::PrefectureSnapshot& snapshot, absl::Time now) = 0;

  // The newest build with its version set, when national has not yet
  // acknowledged it; nullopt otherwise.
  virtual absl::StatusOr<std::optional<national::v1::PrefectureSnapshot>> LoadPending(
      absl::string_view prefecture) = 0;

  // National answered a submission of `version` by holding `national_version`.
  // acknowledged = max(acknowledged, version); the failure bookkeeping is
  // cleared; last_attempt_time = now. If national holds a version newer than
  // any built here (this store lost its history: national may hold other
  // content), the floor rises to it and the fingerprint is cleared, so the
  // next round rebuilds above it.
  virtual absl::Status MarkAcknowledged(absl::string_view prefecture, int64_t version,
                                        int64_t national_version, absl::Time now) = 0;

  // A submission failed: last_error = error, last_attempt_time = now,
  // next_attempt_time = next_attempt, consecutive_failures + 1 (returned).
  virtual absl::StatusOr<int> RecordFailure(absl::string_view prefecture, absl::string_view error,
                                            absl::Time now, absl::Time next_attempt) = 0;

  // Takes the préfecture's lease for `owner`, or renews it if `owner` holds it
  // (SET NX PX, then PEXPIRE by the holder). False when another owner holds a
  // lease that has not expired. `now` is used by the in-memory store only
  // (Redis expires keys by its own clock).
  virtual absl::StatusOr<bool> AcquireLease(absl::string_view prefecture, absl::string_view owner,
                                            absl::Duration ttl, absl::Time now) = 0;
  // Gives the lease up if `owner` holds it, so another replica takes over now.
  virtual absl::Status ReleaseLease(absl::string_view prefecture, absl::string_view owner) = 0;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_FEED_STORE_H_
