// Decoding requests ourselves instead of letting gRPC do it: protobuf refuses
// to parse a proto3 string holding invalid UTF-8, and gRPC answers that with a
// bare INTERNAL before any handler runs. ParseRequest answers INVALID_ARGUMENT
// with a BadRequest naming each offending field instead.
#ifndef QPV_COMMON_SERVER_REQUEST_PARSER_H_
#define QPV_COMMON_SERVER_REQUEST_PARSER_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace qpv::server {

// Parses `bytes` as `msg`. Strings with invalid UTF-8 are reported one
// violation per field, with paths such as "workshop.title" or
// "workshop.qpv_codes[1]"; bytes that are no message at all are
// INVALID_ARGUMENT on "request".
absl::Status ParseRequest(const std::string& bytes, google::protobuf::Message* msg);

// The same from the bytes as gRPC received them, parsed slice after slice
// where they are: at national scale copying a snapshot into one string
// first was 8 of national's ~140 MiB peak. The copy is made only to name
// the fields of a request that does not parse.
absl::Status ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message* msg);

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_REQUEST_PARSER_H_
