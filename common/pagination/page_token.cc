#include "common/pagination/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/status.h"

namespace qpv::pagination {
namespace {
constexpr char kVersion = '1';
// Fixed so tokens survive restarts and are valid on every replica.
constexpr absl::string_view kSealKey = "qpv-page-token-v1/7f3c9a2e51d84b06";

std::string Seal(absl::string_view body) {
  const uint64_t h = StableHash64(absl::StrCat(kSealKey, body, kSealKey));
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}
}  // namespace

uint64_t StableHash64(absl::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  // Final avalanche (from MurmurHash3's fmix64) so nearby inputs differ widely.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

absl::StatusOr<int> EffectivePageSize(int32_t requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string RequestFingerprint(absl::string_view parent, absl::string_view filter) {
  return absl::StrCat(absl::Hex(StableHash64(absl::StrCat(parent, "\n", filter)),
                                absl::kZeroPad16));
}

std::string EncodePageToken(absl::string_view cursor, absl::string_view fingerprint) {
  const std::string body = absl::StrCat(std::string(1, kVersion), fingerprint, cursor);
  std::string out;
  absl::WebSafeBase64Escape(absl::StrCat(body, Seal(body)), &out);
  return out;
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view fingerprint) {
  if (token.empty()) return std::string();
  const auto bad = [] {
    return InvalidField("page_token",
                        "is not a token returned by this list with the same parent and "
                        "filter");
  };
  if (token.size() > 4096) return bad();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return bad();
  if (raw.size() < 1 + fingerprint.size() + 16) return bad();
  const std::string body = raw.substr(0, raw.size() - 16);
  if (Seal(body) != raw.substr(raw.size() - 16)) return bad();
  if (body[0] != kVersion) return bad();
  if (body.substr(1, fingerprint.size()) != fingerprint) return bad();
  return body.substr(1 + fingerprint.size());
}

}  // namespace qpv::pagination
