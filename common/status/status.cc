#include "common/status/status.h"

#include <cctype>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace qpv {
namespace {
constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kReasonUrl[] = "type.googleapis.com/qpv.Reason";
}  // namespace

void FieldViolations::Add(std::string field, std::string description) {
  violations_.emplace_back(std::move(field), std::move(description));
}

void FieldViolations::Merge(const absl::Status& status, absl::string_view fallback_field) {
  if (status.ok()) return;
  auto list = FieldViolationsOf(status);
  if (list.empty()) Add(std::string(fallback_field), std::string(status.message()));
  for (auto& [field, description] : list) Add(field, description);
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::string message = "invalid request: ";
  for (size_t i = 0; i < violations_.size(); ++i) {
    auto* v = bad_request.add_field_violations();
    v->set_field(violations_[i].first);
    v->set_description(violations_[i].second);
    if (i > 0) message += "; ";
    message += violations_[i].first + ": " + violations_[i].second;
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

absl::Status FieldError(absl::StatusCode code, absl::string_view field,
                        absl::string_view message, absl::string_view reason) {
  const absl::Status bad = InvalidField(std::string(field), std::string(message));
  absl::Status out(code, absl::StrCat(field, ": ", message));
  bad.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return WithReason(out, reason);
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (!status.ok()) status.SetPayload(kReasonUrl, absl::Cord(reason));
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  if (auto reason = status.GetPayload(kReasonUrl)) return std::string(*reason);
  std::string reason = absl::StatusCodeToString(status.code());
  for (char& c : reason) c = c == ' ' ? '_' : std::toupper(static_cast<unsigned char>(c));
  return reason;
}

std::vector<std::pair<std::string, std::string>> FieldViolationsOf(
    const absl::Status& status) {
  std::vector<std::pair<std::string, std::string>> out;
  auto payload = status.GetPayload(kBadRequestUrl);
  if (!payload) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : bad_request.field_violations()) {
    out.emplace_back(v.field(), v.description());
  }
  return out;
}

}  // namespace qpv
