#include "services/reporting/feed/memory_feed_store.h"

#include <algorithm>

#include "common/util/clock.h"

namespace qpv::reporting {

v1::FeedStatus MemoryFeedStore::ToStatus(absl::string_view prefecture, const Entry& e) {
  v1::FeedStatus s;
  s.set_prefecture(std::string(prefecture));
  s.set_built_version(e.built);
  s.set_acknowledged_version(e.acked);
  s.set_pending(e.built > e.acked);
  s.set_last_error(e.error);
  s.set_consecutive_failures(e.failures);
  if (e.build_time != absl::InfinitePast()) *s.mutable_build_time() = ToProto(e.build_time);
  if (e.ack_time != absl::InfinitePast()) *s.mutable_acknowledge_time() = ToProto(e.ack_time);
  if (e.attempt_time != absl::InfinitePast()) {
    *s.mutable_last_attempt_time() = ToProto(e.attempt_time);
  }
  if (e.next_attempt != absl::InfinitePast()) {
    *s.mutable_next_attempt_time() = ToProto(e.next_attempt);
  }
  return s;
}

absl::StatusOr<v1::FeedStatus> MemoryFeedStore::GetStatus(absl::string_view prefecture) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(prefecture);
  return ToStatus(prefecture, it == entries_.end() ? Entry() : it->second);
}

absl::StatusOr<FeedState> MemoryFeedStore::GetState(absl::string_view prefecture) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(prefecture);
  const Entry e = it == entries_.end() ? Entry() : it->second;
  return FeedState{ToStatus(prefecture, e), e.fingerprint};
}

absl::StatusOr<RecordedBuild> MemoryFeedStore::RecordBuild(
    absl::string_view prefecture, absl::string_view fingerprint,
    const national::v1::PrefectureSnapshot& snapshot, absl::Time now) {
  national::v1::PrefectureSnapshot stored = snapshot;
  stored.set_version(0);
  absl::MutexLock lock(&mu_);
  Entry& e = entries_[std::string(prefecture)];
  if (!e.fingerprint.empty() && e.fingerprint == fingerprint) return RecordedBuild{false, e.built};
  e.built = std::max({e.built + 1, absl::ToUnixMillis(now), e.floor + 1});
  e.fingerprint = std::string(fingerprint);
  e.snapshot = stored.SerializeAsString();
  e.build_time = now;
  return RecordedBuild{true, e.built};
}

absl::StatusOr<std::optional<national::v1::PrefectureSnapshot>> MemoryFeedStore::LoadPending(
    absl::string_view prefecture) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(prefecture);
  if (it == entries_.end() || it->second.built <= it->second.acked) return std::nullopt;
  national::v1::PrefectureSnapshot snapshot;
  if (!snapshot.ParseFromString(it->second.snapshot)) {
    return absl::DataLossError("stored snapshot is unreadable");
  }
  snapshot.set_version(it->second.built);
  return snapshot;
}

absl::Status MemoryFeedStore::MarkAcknowledged(absl::string_view prefecture, int64_t version,
                                               int64_t national_version, absl::Time now) {
  absl::MutexLock lock(&mu_);
  Entry& e = entries_[std::string(prefecture)];
  if (version > e.acked) {
    e.acked = version;
    e.ack_time = now;
  }
  e.error.clear();
  e.failures = 0;
  e.attempt_time = now;
  e.next_attempt = absl::InfinitePast();
  if (national_version > e.built) {
    e.floor = std::max(e.floor, national_version);
    e.fingerprint.clear();
  }
  return absl::OkStatus();
}

absl::StatusOr<int> MemoryFeedStore::RecordFailure(absl::string_view prefecture,
                                                   absl::string_view error, absl::Time now,
                                                   absl::Time next_attempt) {
  absl::MutexLock lock(&mu_);
  Entry& e = entries_[std::string(prefecture)];
  e.error = std::string(error);
  e.attempt_time = now;
  e.next_attempt = next_attempt;
  return ++e.failures;
}

absl::StatusOr<bool> MemoryFeedStore::AcquireLease(absl::string_view prefecture,
                                                   absl::string_view owner, absl::Duration ttl,
                                                   absl::Time now) {
  absl::MutexLock lock(&mu_);
  Entry& e = entries_[std::string(prefecture)];
  const bool free = e.lease_owner.empty() || e.lease_expiry <= now;
  if (!free && e.lease_owner != owner) return false;
  e.lease_owner = std::string(owner);
  e.lease_expiry = now + ttl;
  return true;
}

absl::Status MemoryFeedStore::ReleaseLease(absl::string_view prefecture, absl::string_view owner) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(prefecture);
  if (it != entries_.end() && it->second.lease_owner == owner) {
    it->second.lease_owner.clear();
    it->second.lease_expiry = absl::InfinitePast();
  }
  return absl::OkStatus();
}

}  // namespace qpv::reporting
