// FeedStore on Redis. Every state change is one Lua script; reads are one
// HGETALL or one read-only script.
//
// Keys, with P = qpv::redis::KeyPrefix("rep", prefecture) = "rep:{59}:" (the
// reporting service's hash tag per préfecture, so scripts stay valid on
// Redis Cluster):
//   P feed            hash built, acked, floor (versions), fp (fingerprint),
//                     err, failures, build_us, ack_us, attempt_us, next_us
//                     (times in unix µs)
//   P feed:snapshot   the newest snapshot built, serialized with version 0
//                     (its version is `built`, set on load)
//   P feed:lease      the owner id of the replica running this feed (PX ttl)
// Nothing expires but the lease: a pending snapshot waits as long as national
// is down (Redis persistence keeps it across restarts).
#ifndef QPV_SERVICES_REPORTING_FEED_REDIS_FEED_STORE_H_
#define QPV_SERVICES_REPORTING_FEED_REDIS_FEED_STORE_H_

#include "common/redis/redis_client.h"
#include "services/reporting/feed/feed_store.h"

namespace qpv::reporting {

class RedisFeedStore : public FeedStore {
 public:
  // `redis` must outlive the store.
  explicit RedisFeedStore(redis::RedisClient* redis) : redis_(redis) {}

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
  redis::RedisClient* redis_;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_REDIS_FEED_STORE_H_
