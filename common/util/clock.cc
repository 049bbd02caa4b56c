#include "common/util/clock.h"

#include <random>

namespace qpv {
namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

class RandomIdGenerator : public IdGenerator {
 public:
  std::string NewId() override {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string id(16, 'a');
    uint64_t bits = rng();
    id[0] = kAlphabet[bits % 26];  // a letter first
    bits /= 26;
    for (size_t i = 1; i < id.size(); ++i) {
      if (i == 12) bits = rng();
      id[i] = kAlphabet[bits & 31];
      bits >>= 5;
    }
    return id;
  }
};

}  // namespace

Clock* Clock::Real() {
  static RealClock clock;
  return &clock;
}

IdGenerator* IdGenerator::Random() {
  static RandomIdGenerator generator;
  return &generator;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t nanos = absl::ToUnixNanos(t);
  int64_t seconds = nanos / 1000000000;
  int64_t rem = nanos % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem));
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string FormatTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

}  // namespace qpv
