// AIP-158 paging: page sizes and opaque page tokens.
//
// A token carries the list's cursor (the last item returned) and a
// fingerprint of the request it belongs to (parent and filter), sealed with a
// keyed checksum: a token edited by hand, or replayed with another filter, is
// refused with INVALID_ARGUMENT. Tokens do not expire and survive restarts
// (the key is fixed), so paging goes on across a service restart.
#ifndef QPV_COMMON_PAGINATION_PAGE_TOKEN_H_
#define QPV_COMMON_PAGINATION_PAGE_TOKEN_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace qpv::pagination {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 gives the default, above the maximum is capped, negative is
// INVALID_ARGUMENT on field "page_size".
absl::StatusOr<int> EffectivePageSize(int32_t requested);

// Fingerprint of the request fields a token is bound to.
std::string RequestFingerprint(absl::string_view parent, absl::string_view filter);

std::string EncodePageToken(absl::string_view cursor, absl::string_view fingerprint);

// The cursor in `token`; "" for an empty token. INVALID_ARGUMENT on field
// "page_token" when forged, corrupted or from another request.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view fingerprint);

// Stable 64-bit FNV-1a (unlike absl::Hash, the same across processes).
uint64_t StableHash64(absl::string_view data, uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace qpv::pagination

#endif  // QPV_COMMON_PAGINATION_PAGE_TOKEN_H_
