#include "services/reporting/feed/redis_feed_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/util/clock.h"

namespace qpv::reporting {
namespace {

using redis::Reply;
using redis::Script;

// Versions are compared as Lua numbers (doubles): exact below 2^53, far
// beyond unix milliseconds. They are written back with '%.0f' so no
// exponent notation ever reaches Redis.

// KEYS: feed, snapshot. ARGV: fingerprint, blob, now ms, now µs.
// Returns {recorded 0/1, version}.
Script& RecordBuildScript() {
  static auto* s = new Script(R"lua(
local cur = redis.call('HMGET', KEYS[1], 'fp', 'built', 'floor')
if cur[1] and cur[1] ~= '' and cur[1] == ARGV[1] then return {0, cur[2] or '0'} end
local v = tonumber(ARGV[3])
local after_built = (tonumber(cur[2]) or 0) + 1
if after_built > v then v = after_built end
local after_floor = (tonumber(cur[3]) or 0) + 1
if after_floor > v then v = after_floor end
local vs = string.format('%.0f', v)
redis.call('SET', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[1], 'built', vs, 'fp', ARGV[1], 'build_us', ARGV[4])
return {1, vs}
)lua");
  return *s;
}

// KEYS: feed, snapshot. Returns {} when nothing is pending, else {version, blob}.
Script& LoadPendingScript() {
  static auto* s = new Script(R"lua(
local cur = redis.call('HMGET', KEYS[1], 'built', 'acked')
if (tonumber(cur[1]) or 0) <= (tonumber(cur[2]) or 0) then return {} end
return {cur[1], redis.call('GET', KEYS[2]) or ''}
)lua");
  return *s;
}

// KEYS: feed. ARGV: version sent, version national holds, now µs.
Script& MarkAcknowledgedScript() {
  static auto* s = new Script(R"lua(
local sent = tonumber(ARGV[1])
local held = tonumber(ARGV[2])
if sent > tonumber(redis.call('HGET', KEYS[1], 'acked') or '0') then
  redis.call('HSET', KEYS[1], 'acked', ARGV[1], 'ack_us', ARGV[3])
end
redis.call('HSET', KEYS[1], 'failures', 0, 'attempt_us', ARGV[3])
redis.call('HDEL', KEYS[1], 'err', 'next_us')
if held > tonumber(redis.call('HGET', KEYS[1], 'built') or '0') then
  if held > tonumber(redis.call('HGET', KEYS[1], 'floor') or '0') then
    redis.call('HSET', KEYS[1], 'floor', ARGV[2])
  end
  redis.call('HDEL', KEYS[1], 'fp')
end
return 1
)lua");
  return *s;
}

// KEYS: feed. ARGV: error, now µs, next attempt µs. Returns the failure count.
Script& RecordFailureScript() {
  static auto* s = new Script(R"lua(
redis.call('HSET', KEYS[1], 'err', ARGV[1], 'attempt_us', ARGV[2], 'next_us', ARGV[3])
return redis.call('HINCRBY', KEYS[1], 'failures', 1)
)lua");
  return *s;
}

// KEYS: lease. ARGV: owner, ttl ms. Returns 1 when `owner` holds the lease.
Script& AcquireLeaseScript() {
  static auto* s = new Script(R"lua(
local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua");
  return *s;
}

// KEYS: lease. ARGV: owner.
Script& ReleaseLeaseScript() {
  static auto* s = new Script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
)lua");
  return *s;
}

std::string FeedKey(absl::string_view p) { return redis::KeyPrefix("rep", p) + "feed"; }
std::string SnapshotKey(absl::string_view p) {
  return redis::KeyPrefix("rep", p) + "feed:snapshot";
}
std::string LeaseKey(absl::string_view p) { return redis::KeyPrefix("rep", p) + "feed:lease"; }

absl::Status Unexpected() { return absl::InternalError("unexpected reply shape from Redis"); }

int64_t Int(const std::map<std::string, std::string>& h, const std::string& field) {
  auto it = h.find(field);
  int64_t v = 0;
  if (it == h.end() || !absl::SimpleAtoi(it->second, &v)) return 0;
  return v;
}

// A time field (unix µs), nullopt when absent.
std::optional<google::protobuf::Timestamp> Time(const std::map<std::string, std::string>& h,
                                                const std::string& field) {
  const int64_t us = Int(h, field);
  if (us == 0) return std::nullopt;
  return ToProto(absl::FromUnixMicros(us));
}

}  // namespace

absl::StatusOr<FeedState> RedisFeedStore::GetState(absl::string_view prefecture) {
  auto reply = redis_->Command({"HGETALL", FeedKey(prefecture)});
  if (!reply.ok()) return reply.status();
  if (reply->type != Reply::Type::kArray || reply->elements.size() % 2 != 0) return Unexpected();
  std::map<std::string, std::string> h;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    h[reply->elements[i].str] = reply->elements[i + 1].str;
  }
  FeedState state;
  v1::FeedStatus& s = state.status;
  s.set_prefecture(std::string(prefecture));
  s.set_built_version(Int(h, "built"));
  s.set_acknowledged_version(Int(h, "acked"));
  s.set_pending(s.built_version() > s.acknowledged_version());
  if (auto it = h.find("err"); it != h.end()) s.set_last_error(it->second);
  s.set_consecutive_failures(static_cast<int32_t>(Int(h, "failures")));
  if (auto t = Time(h, "build_us")) *s.mutable_build_time() = *t;
  if (auto t = Time(h, "ack_us")) *s.mutable_acknowledge_time() = *t;
  if (auto t = Time(h, "attempt_us")) *s.mutable_last_attempt_time() = *t;
  if (auto t = Time(h, "next_us")) *s.mutable_next_attempt_time() = *t;
  if (auto it = h.find("fp"); it != h.end()) state.fingerprint = it->second;
  return state;
}

absl::StatusOr<v1::FeedStatus> RedisFeedStore::GetStatus(absl::string_view prefecture) {
  auto state = GetState(prefecture);
  if (!state.ok()) return state.status();
  return std::move(state->status);
}

absl::StatusOr<RecordedBuild> RedisFeedStore::RecordBuild(
    absl::string_view prefecture, absl::string_view fingerprint,
    const national::v1::PrefectureSnapshot& snapshot, absl::Time now) {
  national::v1::PrefectureSnapshot stored = snapshot;
  stored.set_version(0);
  auto reply =
      redis_->Eval(RecordBuildScript(), {FeedKey(prefecture), SnapshotKey(prefecture)},
                   {std::string(fingerprint), stored.SerializeAsString(),
                    absl::StrCat(absl::ToUnixMillis(now)), absl::StrCat(absl::ToUnixMicros(now))});
  if (!reply.ok()) return reply.status();
  RecordedBuild out;
  if (reply->type != Reply::Type::kArray || reply->elements.size() != 2 ||
      !absl::SimpleAtoi(reply->elements[1].str, &out.version)) {
    return Unexpected();
  }
  out.recorded = reply->elements[0].integer == 1;
  return out;
}

absl::StatusOr<std::optional<national::v1::PrefectureSnapshot>> RedisFeedStore::LoadPending(
    absl::string_view prefecture) {
  auto reply =
      redis_->Eval(LoadPendingScript(), {FeedKey(prefecture), SnapshotKey(prefecture)}, {});
  if (!reply.ok()) return reply.status();
  if (reply->type != Reply::Type::kArray) return Unexpected();
  if (reply->elements.empty()) return std::nullopt;
  int64_t version = 0;
  if (reply->elements.size() != 2 || !absl::SimpleAtoi(reply->elements[0].str, &version)) {
    return Unexpected();
  }
  national::v1::PrefectureSnapshot snapshot;
  if (reply->elements[1].str.empty() || !snapshot.ParseFromString(reply->elements[1].str)) {
    return absl::DataLossError("stored snapshot is unreadable");
  }
  snapshot.set_version(version);
  return snapshot;
}

absl::Status RedisFeedStore::MarkAcknowledged(absl::string_view prefecture, int64_t version,
                                              int64_t national_version, absl::Time now) {
  return redis_
      ->Eval(MarkAcknowledgedScript(), {FeedKey(prefecture)},
             {absl::StrCat(version), absl::StrCat(national_version),
              absl::StrCat(absl::ToUnixMicros(now))})
      .status();
}

absl::StatusOr<int> RedisFeedStore::RecordFailure(absl::string_view prefecture,
                                                  absl::string_view error, absl::Time now,
                                                  absl::Time next_attempt) {
  auto reply = redis_->Eval(RecordFailureScript(), {FeedKey(prefecture)},
                            {std::string(error), absl::StrCat(absl::ToUnixMicros(now)),
                             absl::StrCat(absl::ToUnixMicros(next_attempt))});
  if (!reply.ok()) return reply.status();
  if (reply->type != Reply::Type::kInteger) return Unexpected();
  return static_cast<int>(reply->integer);
}

absl::StatusOr<bool> RedisFeedStore::AcquireLease(absl::string_view prefecture,
                                                  absl::string_view owner, absl::Duration ttl,
                                                  absl::Time /*now*/) {
  const int64_t ttl_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(ttl));
  auto reply = redis_->Eval(AcquireLeaseScript(), {LeaseKey(prefecture)},
                            {std::string(owner), absl::StrCat(ttl_ms)});
  if (!reply.ok()) return reply.status();
  if (reply->type != Reply::Type::kInteger) return Unexpected();
  return reply->integer == 1;
}

absl::Status RedisFeedStore::ReleaseLease(absl::string_view prefecture, absl::string_view owner) {
  return redis_->Eval(ReleaseLeaseScript(), {LeaseKey(prefecture)}, {std::string(owner)}).status();
}

}  // namespace qpv::reporting
