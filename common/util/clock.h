// Time and ids are injected so tests are deterministic.
#ifndef QPV_COMMON_UTIL_CLOCK_H_
#define QPV_COMMON_UTIL_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace qpv {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
  // The process-wide real clock.
  static Clock* Real();
};

// A clock tests set and advance by hand.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1517900400))
      : now_(start) {}
  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new resource id: lowercase letters and digits, starting with a letter.
  virtual std::string NewId() = 0;
  // 16 random lowercase base32 characters.
  static IdGenerator* Random();
};

// "id1", "id2", ... with a prefix, for tests.
class SequentialIdGenerator : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::string prefix = "id") : prefix_(std::move(prefix)) {}
  std::string NewId() override { return prefix_ + std::to_string(++next_); }

 private:
  std::string prefix_;
  std::atomic<int64_t> next_{0};
};

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& ts);
// RFC 3339 in UTC, for logs and tables.
std::string FormatTime(absl::Time t);

}  // namespace qpv

#endif  // QPV_COMMON_UTIL_CLOCK_H_
