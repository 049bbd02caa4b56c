#include "tools/qpvctl/output.h"

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "qpv/common/v1/error_info.pb.h"

#include "common/status/grpc_status.h"

namespace qpv::ctl {

std::string FormatRpcError(const grpc::Status& status) {
  std::string out = absl::StrCat("qpvctl: ", StatusCodeName(status.error_code()), ": ",
                                 status.error_message(), "\n");
  if (status.error_details().empty()) return out;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return out;
  std::string violations;
  for (const auto& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      qpv::common::v1::ErrorInfo info;
      if (info.ParseFromString(any.value()) && !info.reason().empty()) {
        absl::StrAppend(&out, "  reason: ", info.reason(), "\n");
      }
    } else if (any.Is<google::rpc::BadRequest>()) {
      google::rpc::BadRequest bad;
      if (any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) {
          absl::StrAppend(&violations, "  ", v.field(), ": ", v.description(), "\n");
        }
      }
    }
  }
  return out + violations;
}

std::string MessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return "{}";
  }
  return json;
}

std::string ListJson(const std::vector<const google::protobuf::Message*>& items,
                     absl::string_view next_page_token) {
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += MessageJson(*items[i]);
  }
  absl::StrAppend(&out, "],\"nextPageToken\":\"", qpv::log::JsonEscape(next_page_token), "\"}");
  return out;
}

}  // namespace qpv::ctl
