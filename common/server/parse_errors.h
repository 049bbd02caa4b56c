// Requests that protobuf cannot parse never reach a handler: gRPC answers a
// bare INTERNAL. The common case is a string field holding invalid UTF-8,
// which protobuf reports only through its log ("String field 'pkg.Msg.f'
// contains invalid UTF-8 data..."). We capture that line on the parsing thread
// and turn the answer into INVALID_ARGUMENT with a BadRequest naming the field.
#ifndef QPV_COMMON_SERVER_PARSE_ERRORS_H_
#define QPV_COMMON_SERVER_PARSE_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace qpv::server {

// Installs the protobuf log handler (once per process; other protobuf log
// lines still go to stderr).
void InstallParseErrorCapture();

// Forgets what this thread captured (at the start of each call).
void ResetParseError();

// For a call to `method` ("/pkg.Service/Method") that failed with a bare
// INTERNAL before reaching its handler: INVALID_ARGUMENT naming the field path
// from the request root (e.g. "workshop.title"). Leaves other statuses alone.
grpc::Status RewriteParseFailure(absl::string_view method, const grpc::Status& status);

// "workshop.title" for field "qpv.workshop.v1.Workshop.title" inside the input
// of "/qpv.workshop.v1.WorkshopService/CreateWorkshop"; the field's own name
// when no path is found.
std::string FieldPath(absl::string_view method, absl::string_view full_field_name);

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_PARSE_ERRORS_H_
