// Parsing and building AIP-122 resource names such as
// prefectures/59/workshops/w1/registrations/r2.
#ifndef QPV_COMMON_VALIDATION_RESOURCE_NAME_H_
#define QPV_COMMON_VALIDATION_RESOURCE_NAME_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace qpv {

// Matches `name` against collection ids, e.g. {"prefectures", "workshops"}
// and returns the ids in order ({"59", "w1"}). The préfecture id must be a
// département code, the others resource ids. On mismatch, INVALID_ARGUMENT
// naming `field`, with the expected pattern.
absl::StatusOr<std::vector<std::string>> ParseResourceName(
    absl::string_view field, absl::string_view name,
    const std::vector<absl::string_view>& collections);

// Same, but a wildcard "-" is accepted in place of the last id.
absl::StatusOr<std::vector<std::string>> ParseResourceNameOrWildcard(
    absl::string_view field, absl::string_view name,
    const std::vector<absl::string_view>& collections);

// "prefectures/59"
std::string PrefectureName(absl::string_view prefecture);

}  // namespace qpv

#endif  // QPV_COMMON_VALIDATION_RESOURCE_NAME_H_
