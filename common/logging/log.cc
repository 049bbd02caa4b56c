#include "common/logging/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/util/clock.h"

namespace qpv::log {
namespace {
std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}
std::string& Service() {
  static std::string service = "qpv";
  return service;
}
std::atomic<bool> quiet{false};

void Emit(absl::string_view level, absl::string_view event, std::initializer_list<Field> fields) {
  std::string line = absl::StrCat(
      "{\"time\":\"", qpv::FormatTime(absl::Now()),
      "\",\"level\":\"", level, "\",\"service\":\"", JsonEscape(Service()), "\",\"event\":\"",
      JsonEscape(event), "\"");
  for (const Field& f : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(f.key), "\":");
    if (f.raw) {
      absl::StrAppend(&line, f.value);
    } else {
      absl::StrAppend(&line, "\"", JsonEscape(f.value), "\"");
    }
  }
  line += "}\n";
  std::lock_guard<std::mutex> lock(Mu());
  std::fwrite(line.data(), 1, line.size(), stderr);
}
}  // namespace

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
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace qpv::log
