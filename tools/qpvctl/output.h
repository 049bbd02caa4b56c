// What qpvctl prints: the proto JSON mapping for --json, and RPC errors.
#ifndef QPV_TOOLS_QPVCTL_OUTPUT_H_
#define QPV_TOOLS_QPVCTL_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "common/status/grpc_status.h"
#include "grpcpp/support/status.h"

namespace qpv::ctl {

using ::qpv::StatusCodeName;  // common/status/grpc_status.h


// "qpvctl: CODE: message\n", then "  reason: REASON\n" when the status
// carries an ErrorInfo, then "  field: description\n" for each BadRequest
// field violation, decoded from grpc-status-details-bin.
std::string FormatRpcError(const grpc::Status& status);

// The proto JSON mapping of one message (lowerCamelCase names, enums by
// name, Timestamps in RFC 3339), on one line.
std::string MessageJson(const google::protobuf::Message& message);

// {"items":[...],"nextPageToken":"..."} on one line.
std::string ListJson(const std::vector<const google::protobuf::Message*>& items,
                     absl::string_view next_page_token);

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_OUTPUT_H_
