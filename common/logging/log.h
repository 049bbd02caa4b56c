// One JSON object per line on stderr: {"time":..,"level":..,"service":..,"event":..,...}.
// Lines are written by a background thread (one write for many lines under
// load), in the order they were logged, none dropped; at exit the lines
// still buffered are written (Flush). A crash may lose the last millisecond.
#ifndef QPV_COMMON_LOGGING_LOG_H_
#define QPV_COMMON_LOGGING_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include "absl/strings/string_view.h"

namespace qpv::log {

struct Field {
  Field(absl::string_view k, absl::string_view v) : key(k), value(v) {}
  Field(absl::string_view k, const std::string& v) : key(k), value(v) {}
  Field(absl::string_view k, const char* v) : key(k), value(v ? v : "") {}
  Field(absl::string_view k, int64_t v) : key(k), value(std::to_string(v)), raw(true) {}
  Field(absl::string_view k, int v) : key(k), value(std::to_string(v)), raw(true) {}
  Field(absl::string_view k, double v);
  std::string key;
  std::string value;
  bool raw = false;  // emitted as a JSON number
};

// Name of the process in every line (e.g. "stakeholder").
void SetService(absl::string_view service);
// Silences Info lines (tests).
void SetQuiet(bool quiet);

void Info(absl::string_view event, std::initializer_list<Field> fields = {});
void Warn(absl::string_view event, std::initializer_list<Field> fields = {});
void Error(absl::string_view event, std::initializer_list<Field> fields = {});

// Waits until every line logged so far is written to stderr (also run at
// exit).
void Flush();

// JSON string escaping (also used by qpvctl --json).
std::string JsonEscape(absl::string_view s);

}  // namespace qpv::log

#endif  // QPV_COMMON_LOGGING_LOG_H_
