// VersionedCache: values kept in memory with the version of their source
// they were read at, within a byte budget. A reader that knows the source's
// current version (a workshop's revision, read through a tracked cache or
// asked of its service) gets the value only if it was read at that version,
// so nothing has to be invalidated: a value of an older version is never
// served, and is replaced by the next read. Used for pages of contributions
// (workshop) and for current reports (reporting).
#ifndef QPV_COMMON_UTIL_VERSIONED_CACHE_H_
#define QPV_COMMON_UTIL_VERSIONED_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace qpv::util {

template <typename T>
class VersionedCache {
 public:
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;  // absent, or kept at another version
    size_t entries = 0;
    size_t bytes = 0;
  };

  // Holds values of at most `max_bytes` in all, as their Put counted them
  // (plus their keys and versions); past that, values are dropped.
  explicit VersionedCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The value kept under `key`, if it was read at `version`.
  std::shared_ptr<const T> Find(absl::string_view key, absl::string_view version) {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second.value;
  }

  // Keeps `value`, read at `version` and costing `bytes`, in place of what
  // was kept under `key`. A value larger than the whole budget is not kept.
  void Put(std::string key, std::string version, std::shared_ptr<const T> value, size_t bytes) {
    bytes += kEntryOverhead + key.size() + version.size();
    absl::MutexLock lock(&mu_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      bytes_ -= it->second.bytes;
      entries_.erase(it);
    }
    if (bytes > max_bytes_) return;
    // Any entry makes room: which one matters less than a lookup that
    // costs nothing on the read path.
    while (bytes_ + bytes > max_bytes_ && !entries_.empty()) {
      auto victim = entries_.begin();
      bytes_ -= victim->second.bytes;
      entries_.erase(victim);
    }
    bytes_ += bytes;
    entries_.emplace(std::move(key), Entry{std::move(version), std::move(value), bytes});
  }

  Stats stats() const {
    absl::MutexLock lock(&mu_);
    return Stats{hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed),
                 entries_.size(), bytes_};
  }

 private:
  // The map's slot, the strings' and the shared pointer's headers.
  static constexpr size_t kEntryOverhead = 160;
  struct Entry {
    std::string version;
    std::shared_ptr<const T> value;
    size_t bytes = 0;
  };

  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // Counted under the reader lock.
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace qpv::util

#endif  // QPV_COMMON_UTIL_VERSIONED_CACHE_H_
