// Reads served from memory, kept right by Redis itself (server-assisted
// client-side caching, Redis >= 6: CLIENT TRACKING with REDIRECT).
//
// - A miss reads through connections of its own whose keys Redis tracks;
//   when any client later changes, expires or evicts such a key, Redis
//   sends its name on __redis__:invalidate to our listener connection, and
//   the entry goes. FLUSHALL, or Redis dropping its tracking table, empties
//   the cache.
// - While the listener is not connected (Redis down or restarting) nothing
//   is cached or served from the cache: reads go to Redis. On reconnection
//   the cache starts empty and the read connections dial again, tracked for
//   the new listener.
// - A read that met an invalidation of its key (or a reconnection) while in
//   flight returns its value but does not cache it: what Redis sent may be
//   older than the change.
// - Invalidate(key) after a write of this process makes the next read of
//   that key go to Redis, so a caller always reads its own writes. Another
//   replica's write is seen once our listener has its message: Redis sends it
//   as it runs the write, so about the time the writer hears back.
// - At most `max_entries` values; past that an arbitrary one makes room.
// One value type per key: Read<T> of a key must always use the same T.
#ifndef QPV_COMMON_REDIS_TRACKED_READS_H_
#define QPV_COMMON_REDIS_TRACKED_READS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/redis/redis_client.h"
#include "common/util/await.h"

namespace qpv::redis {

class TrackedReads {
 public:
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t invalidations = 0;  // keys named by Redis or by Invalidate
    int64_t resets = 0;         // listener (re)connections and losses, flushes
    size_t entries = 0;
    bool tracking = false;      // the listener is connected and subscribed
  };

  // `options` are the service's Redis options (URL, timeouts); the reads use
  // `pool_size` connections of their own. Starts the listener, which keeps
  // reconnecting in the background until destruction.
  static absl::StatusOr<std::unique_ptr<TrackedReads>> Create(Options options,
                                                              size_t max_entries);
  ~TrackedReads();

  // The value of `key`: from memory when cached, else `command` (a read of
  // that key alone, e.g. HGETALL key) through the tracked connections, then
  // `decode` of its reply; an OK value is cached. Redis errors and decode
  // errors are returned as they are.
  template <typename T>
  absl::StatusOr<T> Read(const std::string& key, const std::vector<std::string>& command,
                         std::function<absl::StatusOr<T>(const Reply&)> decode) {
    return util::Await<T>([&](std::function<void(absl::StatusOr<T>)> done) {
      ReadAsync<T>(key, command, std::move(decode), std::move(done));
    });
  }
  // The same without waiting (RedisClient::CommandAsync on a miss): `done`
  // gets the value, on this thread when it is cached.
  template <typename T>
  void ReadAsync(const std::string& key, const std::vector<std::string>& command,
                 std::function<absl::StatusOr<T>(const Reply&)> decode,
                 std::function<void(absl::StatusOr<T>)> done) {
    if (std::shared_ptr<const void> hit = Find(key)) return done(*static_cast<const T*>(hit.get()));
    const Ticket ticket = Begin(key);
    reads_->CommandAsync(command, [this, key, ticket, decode = std::move(decode),
                                   done = std::move(done)](absl::StatusOr<Reply> reply) {
      if (!reply.ok()) return done(reply.status());
      absl::StatusOr<T> value = decode(*reply);
      if (value.ok()) Insert(key, ticket, std::make_shared<const T>(*value));
      done(std::move(value));
    });
  }

  // The value of `key` if it is in memory, else null: never reads Redis
  // (a hit counts as one; an absent key is not a miss).
  template <typename T>
  std::shared_ptr<const T> Cached(const std::string& key) {
    return std::static_pointer_cast<const T>(Find(key));
  }

  // Drops `key` and fails the caching of reads of it in flight.
  void Invalidate(absl::string_view key);

  Stats stats() const;

  // Waits until the listener is subscribed (tests); false after `timeout`.
  bool WaitTracking(absl::Duration timeout) const;

 private:
  // What a read saw before going to Redis; its value is cached only if
  // neither changed meanwhile.
  struct Ticket {
    uint64_t generation;
    uint64_t stripe_seq;
    bool tracking;
  };
  static constexpr size_t kStripes = 64;

  TrackedReads(Options options, size_t max_entries);
  std::shared_ptr<const void> Find(const std::string& key);
  Ticket Begin(absl::string_view key);
  void Insert(const std::string& key, const Ticket& ticket, std::shared_ptr<const void> value);
  static size_t StripeOf(absl::string_view key);

  void Listen();
  // The listener subscribed as client `id` (0: it lost its connection).
  void Reset(int64_t id);
  // Drops `key`; a read of it in flight is not cached.
  void DropLocked(absl::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Empties the cache; reads in flight are not cached.
  void DropAllLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnMessage(const Reply& message);

  const Options options_;
  const size_t max_entries_;
  std::unique_ptr<RedisClient> reads_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const void>> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by every Reset
  bool tracking_ ABSL_GUARDED_BY(mu_) = false;
  // Bumped when a key of the stripe is invalidated.
  std::array<uint64_t, kStripes> stripe_seq_ ABSL_GUARDED_BY(mu_) = {};
  Stats stats_ ABSL_GUARDED_BY(mu_);  // all but hits
  std::atomic<int64_t> hits_{0};        // counted under the reader lock

  // The listener's client id, for the read connections' CLIENT TRACKING.
  std::atomic<int64_t> listener_id_{0};
  absl::Notification stop_;
  std::thread listener_;
};

}  // namespace qpv::redis

#endif  // QPV_COMMON_REDIS_TRACKED_READS_H_
