#include "common/redis/tracked_reads.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"

namespace qpv::redis {
namespace {

constexpr char kChannel[] = "__redis__:invalidate";
// How long the listener waits for a message before checking that it should
// go on, and how often an idle listener makes sure Redis is still there.
constexpr absl::Duration kPoll = absl::Milliseconds(200);
constexpr absl::Duration kKeepAlive = absl::Seconds(2);
constexpr absl::Duration kFirstRetry = absl::Milliseconds(50);
constexpr absl::Duration kLastRetry = absl::Seconds(2);

bool IsString(const Reply& r, absl::string_view s) {
  return (r.type == Reply::Type::kString || r.type == Reply::Type::kStatus) && r.str == s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TrackedReads>> TrackedReads::Create(Options options,
                                                                   size_t max_entries) {
  if (max_entries == 0) return absl::InvalidArgumentError("a cache needs at least one entry");
  std::unique_ptr<TrackedReads> reads(new TrackedReads(options, max_entries));
  // Redis tracks the keys these connections read for the listener; dialled
  // while it is down, they are not tracked (nothing is cached then).
  options.connection_setup = [self = reads.get()] {
    const int64_t id = self->listener_id_.load();
    std::vector<std::vector<std::string>> setup;
    if (id != 0) setup.push_back({"CLIENT", "TRACKING", "on", "REDIRECT", std::to_string(id)});
    return setup;
  };
  auto client = RedisClient::Create(options);  // checks the URL and the pool
  if (!client.ok()) return client.status();
  reads->reads_ = *std::move(client);
  reads->listener_ = std::thread([r = reads.get()] { r->Listen(); });
  return reads;
}

TrackedReads::TrackedReads(Options options, size_t max_entries)
    : options_(std::move(options)), max_entries_(max_entries) {}

TrackedReads::~TrackedReads() {
  stop_.Notify();
  if (listener_.joinable()) listener_.join();
  // Before the map and its mutex: a read completing while the client
  // closes caches its value.
  reads_.reset();
}

size_t TrackedReads::StripeOf(absl::string_view key) {
  return absl::Hash<absl::string_view>()(key) % kStripes;
}

std::shared_ptr<const void> TrackedReads::Find(const std::string& key) {
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second;
}

TrackedReads::Ticket TrackedReads::Begin(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  ++stats_.misses;
  return Ticket{generation_, stripe_seq_[StripeOf(key)], tracking_};
}

void TrackedReads::Insert(const std::string& key, const Ticket& ticket,
                          std::shared_ptr<const void> value) {
  absl::MutexLock lock(&mu_);
  if (!ticket.tracking || !tracking_ || ticket.generation != generation_ ||
      ticket.stripe_seq != stripe_seq_[StripeOf(key)]) {
    return;
  }
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) entries_.erase(entries_.begin());
  entries_[key] = std::move(value);
}

void TrackedReads::Invalidate(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  DropLocked(key);
}

void TrackedReads::DropLocked(absl::string_view key) {
  ++stripe_seq_[StripeOf(key)];  // a read of it in flight is not cached
  ++stats_.invalidations;
  entries_.erase(key);
}

TrackedReads::Stats TrackedReads::stats() const {
  absl::MutexLock lock(&mu_);
  Stats s = stats_;
  s.hits = hits_.load(std::memory_order_relaxed);
  s.tracking = tracking_;
  s.entries = entries_.size();
  return s;
}

bool TrackedReads::WaitTracking(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const auto up = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return tracking_; };
  return mu_.AwaitWithTimeout(absl::Condition(&up), timeout);
}

void TrackedReads::Reset(int64_t id) {
  // The id first: a read connection dialled from now on is tracked for it.
  listener_id_.store(id);
  // Then every read connection dials again before its next batch, so a read
  // that takes its ticket below goes out on a connection tracked for `id`.
  // Reads already sent carry the old generation and are not cached.
  reads_->Redial();
  absl::MutexLock lock(&mu_);
  tracking_ = id != 0;
  DropAllLocked();
}

void TrackedReads::DropAllLocked() {
  ++generation_;  // reads in flight are not cached
  ++stats_.resets;
  entries_.clear();
}

void TrackedReads::OnMessage(const Reply& message) {
  // ["message", "__redis__:invalidate", [key...] or nil (flush everything)]
  if (message.type != Reply::Type::kArray || message.elements.size() != 3 ||
      !IsString(message.elements[0], "message")) {
    return;  // a PING's "pong", SUBSCRIBE's confirmation
  }
  const Reply& keys = message.elements[2];
  absl::MutexLock lock(&mu_);
  if (keys.type != Reply::Type::kArray) return DropAllLocked();
  for (const Reply& key : keys.elements) DropLocked(key.str);
}

void TrackedReads::Listen() {
  absl::Duration retry = kFirstRetry;
  bool warned = false;
  while (!stop_.HasBeenNotified()) {
    auto conn = DedicatedConnection::Dial(options_);
    absl::StatusOr<Reply> id = conn.ok() ? (*conn)->Command({"CLIENT", "ID"}) : conn.status();
    absl::Status subscribed = id.ok() ? (*conn)->Command({"SUBSCRIBE", kChannel}).status()
                                      : id.status();
    if (!subscribed.ok() || id->type != Reply::Type::kInteger) {
      if (!warned) {
        log::Warn("redis_tracking_unavailable",
                  {{"error", subscribed.ok() ? "CLIENT ID gave no integer"
                                             : std::string(subscribed.message())}});
        warned = true;
      }
      stop_.WaitForNotificationWithTimeout(retry);
      retry = std::min(retry * 2, kLastRetry);
      continue;
    }
    warned = false;
    retry = kFirstRetry;
    Reset(id->integer);
    log::Info("redis_tracking_on", {{"listener_id", static_cast<int64_t>(id->integer)}});
    absl::Time last_heard = absl::Now();
    bool pinged = false;
    while (!stop_.HasBeenNotified()) {
      auto next = (*conn)->Next(kPoll);
      if (!next.ok()) break;
      const absl::Time now = absl::Now();
      if (next->has_value()) {
        last_heard = now;
        pinged = false;
        OnMessage(**next);
        continue;
      }
      if (now - last_heard < kKeepAlive) continue;
      // Silent for a while: a PING must come back (as a "pong" message)
      // within the command timeout, or the connection is given up.
      if (!pinged) {
        if (!(*conn)->Send({"PING"}).ok()) break;
        pinged = true;
      } else if (now - last_heard > kKeepAlive + options_.command_timeout) {
        break;
      }
    }
    Reset(0);
    if (!stop_.HasBeenNotified()) log::Warn("redis_tracking_lost", {});
  }
}

}  // namespace qpv::redis
