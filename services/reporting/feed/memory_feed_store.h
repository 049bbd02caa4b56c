// In-memory FeedStore: one mutex, the Redis store's semantics, leases expire
// by the `now` the caller passes. For tests and local runs.
#ifndef QPV_SERVICES_REPORTING_FEED_MEMORY_FEED_STORE_H_
#define QPV_SERVICES_REPORTING_FEED_MEMORY_FEED_STORE_H_

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/reporting/feed/feed_store.h"

namespace qpv::reporting {

class MemoryFeedStore : public FeedStore {
 public:
  absl::StatusOr<v1::FeedStatus> GetStatus(absl::string_view prefecture) override;
  absl::StatusOr<FeedState> GetState(absl::string_view prefecture) override;
  absl::StatusOr<RecordedBuild> RecordBuild(absl::string_view prefecture,
                                            absl::string_view fingerprint,
                                            const national::v1::PrefectureSnapshot& snapshot,
                                            absl::Time now) override;
  absl::StatusOr<std::optional<national::v1::PrefectureSnapshot>> LoadPending(
      absl::string_view prefecture) override;
  absl::Status MarkAcknowledged(absl::string_view prefecture, int64_t version,
                                int64_t national_version, absl::Time now) override;
  absl::StatusOr<int> RecordFailure(absl::string_view prefecture, absl::string_view error,
                                    absl::Time now, absl::Time next_attempt) override;
  absl::StatusOr<bool> AcquireLease(absl::string_view prefecture, absl::string_view owner,
                                    absl::Duration ttl, absl::Time now) override;
  absl::Status ReleaseLease(absl::string_view prefecture, absl::string_view owner) override;

 private:
  struct Entry {
    int64_t built = 0;
    int64_t acked = 0;
    int64_t floor = 0;
    std::string fingerprint;
    std::string snapshot;  // serialized, version 0
    std::string error;
    int failures = 0;
    absl::Time build_time = absl::InfinitePast();
    absl::Time ack_time = absl::InfinitePast();
    absl::Time attempt_time = absl::InfinitePast();
    absl::Time next_attempt = absl::InfinitePast();
    std::string lease_owner;
    absl::Time lease_expiry = absl::InfinitePast();
  };
  static v1::FeedStatus ToStatus(absl::string_view prefecture, const Entry& e);

  absl::Mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_MEMORY_FEED_STORE_H_
