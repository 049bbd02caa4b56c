#include "services/workshop/contribution_wire.h"

#include "qpv/workshop/v1/workshop.pb.h"

namespace qpv::workshop {
namespace {

void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

enum WireType { kVarint = 0, kLengthDelimited = 2 };

}  // namespace

void AppendVarintField(std::string* out, int number, uint64_t value) {
  AppendVarint(out, static_cast<uint64_t>(number) << 3 | kVarint);
  AppendVarint(out, value);
}

void AppendBytesField(std::string* out, int number, absl::string_view bytes) {
  AppendVarint(out, static_cast<uint64_t>(number) << 3 | kLengthDelimited);
  AppendVarint(out, bytes.size());
  out->append(bytes.data(), bytes.size());
}

std::string ContributionWire(absl::string_view stored, const std::string* etag, int32_t votes) {
  std::string out;
  out.reserve(stored.size() + (etag ? etag->size() : 0) + 16);
  out.append(stored.data(), stored.size());
  if (etag != nullptr) AppendBytesField(&out, v1::Contribution::kEtagFieldNumber, *etag);
  // An int32 is a varint of its 64-bit sign extension.
  AppendVarintField(&out, v1::Contribution::kVoteCountFieldNumber,
                    static_cast<uint64_t>(static_cast<int64_t>(votes)));
  return out;
}

}  // namespace qpv::workshop
