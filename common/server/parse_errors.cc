#include "common/server/parse_errors.h"

#include <cstdio>
#include <deque>
#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "common/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"

namespace qpv::server {
namespace {

thread_local std::string captured_field;

void CaptureHandler(google::protobuf::LogLevel level, const char* filename, int line,
                    const std::string& message) {
  static constexpr absl::string_view kPrefix = "String field '";
  const size_t at = message.find(std::string(kPrefix));
  if (at != std::string::npos && message.find("invalid UTF-8") != std::string::npos) {
    const size_t start = at + kPrefix.size();
    const size_t end = message.find('\'', start);
    if (end != std::string::npos) {
      captured_field = message.substr(start, end - start);
      return;
    }
  }
  static const char* kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n", kLevels[level], filename, line,
               message.c_str());
}

const google::protobuf::MethodDescriptor* FindMethod(absl::string_view method) {
  // "/pkg.Service/Method" -> "pkg.Service.Method"
  std::string name(method);
  if (absl::StartsWith(name, "/")) name.erase(0, 1);
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return nullptr;
  name[slash] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
}

}  // namespace

void InstallParseErrorCapture() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&CaptureHandler); });
}

void ResetParseError() { captured_field.clear(); }

std::string FieldPath(absl::string_view method, absl::string_view full_field_name) {
  const size_t dot = full_field_name.rfind('.');
  const std::string field_name(dot == absl::string_view::npos ? full_field_name
                                                              : full_field_name.substr(dot + 1));
  const std::string owner(dot == absl::string_view::npos ? "" : full_field_name.substr(0, dot));
  const auto* m = FindMethod(method);
  if (!m) return field_name;
  // Breadth-first from the request type to the message that owns the field.
  std::deque<std::pair<const google::protobuf::Descriptor*, std::string>> queue;
  queue.emplace_back(m->input_type(), "");
  int visited = 0;
  while (!queue.empty() && ++visited < 200) {
    auto [type, path] = queue.front();
    queue.pop_front();
    if (type->full_name() == owner) return path.empty() ? field_name : path + "." + field_name;
    for (int i = 0; i < type->field_count(); ++i) {
      const auto* f = type->field(i);
      if (f->message_type() && !f->is_map()) {
        queue.emplace_back(f->message_type(), path.empty() ? f->name() : path + "." + f->name());
      }
    }
  }
  return field_name;
}

grpc::Status RewriteParseFailure(absl::string_view method, const grpc::Status& status) {
  if (status.error_code() != grpc::StatusCode::INTERNAL || !status.error_details().empty()) {
    return status;
  }
  if (captured_field.empty()) return status;
  const std::string field = FieldPath(method, captured_field);
  captured_field.clear();
  const std::string service =
      absl::StrContains(method, "Stakeholder") ? "stakeholder"
      : absl::StrContains(method, "Workshop")  ? "workshop"
                                               : "qpv";
  return ToGrpcStatus(InvalidField(field, "must be valid UTF-8"), service);
}

}  // namespace qpv::server
