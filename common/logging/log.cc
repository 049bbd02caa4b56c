#include "common/logging/log.h"

#include <errno.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace qpv::log {
namespace {

std::string& Service() {
  static std::string service = "qpv";
  return service;
}
std::atomic<bool> quiet{false};

// Lines go to stderr through one background thread: a caller appends its
// line to a buffer under a mutex and goes on, the thread writes whatever has
// gathered with one write(2). Under load that is a few hundred writes a
// second instead of one per call (the access log writes a line per call),
// and a slow stderr (a full pipe) no longer stalls a handler mid-call unless
// the buffer is full. Every line is kept: a caller waits for room rather than
// dropping its line.
class Writer {
 public:
  static Writer& Get() {
    static Writer* writer = [] {
      auto* w = new Writer();  // never destroyed: threads may log during exit
      std::atexit([] { Writer::Get().Flush(); });
      return w;
    }();
    return *writer;
  }

  void Append(absl::string_view line) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](Writer* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
          return w->pending_.size() < kMaxPending;
        },
        this));
    pending_.append(line.data(), line.size());
    appended_ += line.size();
  }

  // Returns once every line appended so far is written.
  void Flush() {
    absl::MutexLock lock(&mu_);
    const uint64_t target = appended_;
    const auto written = [this, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return written_ >= target;
    };
    mu_.Await(absl::Condition(&written));
  }

 private:
  static constexpr size_t kMaxPending = 4 << 20;

  Writer() { std::thread([this] { Loop(); }).detach(); }

  void Loop() {
    std::string chunk;
    for (;;) {
      uint64_t upto;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](Writer* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) { return !w->pending_.empty(); },
            this));
        chunk.swap(pending_);
        upto = appended_;
      }
      WriteAll(chunk);
      chunk.clear();
      {
        absl::MutexLock lock(&mu_);
        written_ = upto;
      }
      // Lets the lines of concurrent calls gather into the next write.
      absl::SleepFor(absl::Milliseconds(1));
    }
  }

  static void WriteAll(absl::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(STDERR_FILENO, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // stderr is gone: nowhere to report it
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  absl::Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  uint64_t appended_ ABSL_GUARDED_BY(mu_) = 0;  // bytes, for Flush
  uint64_t written_ ABSL_GUARDED_BY(mu_) = 0;
};

// "2026-11-26T13:10:04.037Z", as qpv::FormatTime, with the part up to the
// seconds formatted once a second per thread.
void AppendTime(std::string* out, absl::Time now) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached;  // "2026-11-26T13:10:04."
  const int64_t ms = absl::ToUnixMillis(now);
  const int64_t second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  if (second != cached_second) {
    cached = absl::FormatTime("%Y-%m-%dT%H:%M:%S.", absl::FromUnixSeconds(second),
                              absl::UTCTimeZone());
    cached_second = second;
  }
  const int millis = static_cast<int>(ms - second * 1000);
  absl::StrAppend(out, cached, absl::Dec(millis, absl::kZeroPad3), "Z");
}

void AppendEscaped(std::string* out, absl::string_view s);

void Emit(absl::string_view level, absl::string_view event, std::initializer_list<Field> fields) {
  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  AppendTime(&line, absl::Now());
  absl::StrAppend(&line, "\",\"level\":\"", level, "\",\"service\":\"");
  AppendEscaped(&line, Service());
  line += "\",\"event\":\"";
  AppendEscaped(&line, event);
  line += '"';
  for (const Field& f : fields) {
    line += ",\"";
    AppendEscaped(&line, f.key);
    line += "\":";
    if (f.raw) {
      line += f.value;
    } else {
      line += '"';
      AppendEscaped(&line, f.value);
      line += '"';
    }
  }
  line += "}\n";
  Writer::Get().Append(line);
}

void AppendEscaped(std::string* out, absl::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          absl::StrAppend(out, absl::StrFormat("\\u%04x", c));
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace

void Flush() { Writer::Get().Flush(); }

Field::Field(absl::string_view k, double v) : key(k), value(absl::StrFormat("%.3f", v)), raw(true) {}

void SetService(absl::string_view service) { Service() = std::string(service); }
void SetQuiet(bool q) { quiet = q; }

void Info(absl::string_view event, std::initializer_list<Field> fields) {
  if (!quiet) Emit("info", event, fields);
}
void Warn(absl::string_view event, std::initializer_list<Field> fields) {
  Emit("warn", event, fields);
}
void Error(absl::string_view event, std::initializer_list<Field> fields) {
  Emit("error", event, fields);
}

std::string JsonEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendEscaped(&out, s);
  return out;
}

}  // namespace qpv::log
