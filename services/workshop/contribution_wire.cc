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

enum WireType { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// Reads a varint of at most 10 bytes at `p`; false past `end` or longer.
bool ReadVarint(const char*& p, const char* end, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 70 && p < end; shift += 7) {
    const auto byte = static_cast<uint8_t>(*p++);
    *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return true;
  }
  return false;
}

}  // namespace

bool WireWellFormed(absl::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    uint64_t tag = 0, value = 0;
    if (!ReadVarint(p, end, &tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return false;
    size_t skip = 0;
    switch (tag & 7) {
      case kVarint:
        if (!ReadVarint(p, end, &value)) return false;
        break;
      case kFixed64:
        skip = 8;
        break;
      case kFixed32:
        skip = 4;
        break;
      case kLengthDelimited:
        if (!ReadVarint(p, end, &value)) return false;
        skip = value;
        break;
      default:  // groups (not in proto3) and unknown wire types
        return false;
    }
    if (skip > static_cast<size_t>(end - p)) return false;
    p += skip;
  }
  return true;
}

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
