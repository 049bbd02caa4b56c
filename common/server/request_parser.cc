#include "common/server/request_parser.h"

#include <deque>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/validation/validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/unknown_field_set.h"

namespace qpv::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

// Walks `data` (a message of type `desc`) at the wire level, recording a
// violation for every string field with invalid UTF-8. False if `data` is
// not a well-formed message.
bool FindBadStrings(const std::string& data, const Descriptor* desc, const std::string& path,
                    FieldViolations& v, int depth) {
  UnknownFieldSet set;
  if (depth > 32 || !set.ParseFromString(data)) return false;
  std::map<int, int> seen;
  for (int i = 0; i < set.field_count(); ++i) {
    const UnknownField& f = set.field(i);
    const int index = seen[f.number()]++;
    const FieldDescriptor* fd = desc->FindFieldByNumber(f.number());
    if (fd == nullptr || f.type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
    std::string field_path = path + fd->name();
    if (fd->is_repeated() && !fd->is_map()) absl::StrAppend(&field_path, "[", index, "]");
    if (fd->type() == FieldDescriptor::TYPE_STRING) {
      if (!validation::IsValidUtf8(f.length_delimited())) v.Add(field_path, "must be valid UTF-8");
    } else if (fd->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!FindBadStrings(f.length_delimited(), fd->message_type(), field_path + ".", v,
                          depth + 1)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

absl::Status ParseRequest(const std::string& bytes, google::protobuf::Message* msg) {
  if (msg->ParseFromString(bytes)) return absl::OkStatus();
  FieldViolations v;
  if (FindBadStrings(bytes, msg->GetDescriptor(), "", v, 0) && !v.empty()) return v.ToStatus();
  return InvalidField("request", "is not a valid encoded message");
}

absl::Status ParseRequest(const grpc::ByteBuffer& buffer, google::protobuf::Message* msg) {
  std::vector<grpc::Slice> slices;
  // A buffer gRPC left empty (no bytes at all) is the empty message, as
  // before.
  if (!buffer.Dump(&slices).ok()) return ParseRequest(std::string(), msg);
  // One slice (every small request): parsed in place, without the two
  // small allocations the stream of streams below costs.
  if (slices.size() == 1) {
    if (msg->ParseFromArray(slices[0].begin(), static_cast<int>(slices[0].size()))) {
      return absl::OkStatus();
    }
  } else {
    std::deque<google::protobuf::io::ArrayInputStream> parts;  // not movable
    std::vector<google::protobuf::io::ZeroCopyInputStream*> streams;
    for (const grpc::Slice& s : slices) {
      streams.push_back(&parts.emplace_back(s.begin(), static_cast<int>(s.size())));
    }
    google::protobuf::io::ConcatenatingInputStream in(streams.data(),
                                                      static_cast<int>(streams.size()));
    if (msg->ParseFromZeroCopyStream(&in)) return absl::OkStatus();
  }
  msg->Clear();
  std::string flat;
  for (const grpc::Slice& s : slices) flat.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return ParseRequest(flat, msg);
}

}  // namespace qpv::server
