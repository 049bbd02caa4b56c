#include "common/validation/resource_name.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/status.h"
#include "common/validation/validation.h"

namespace qpv {
namespace {

std::string Pattern(const std::vector<absl::string_view>& collections) {
  std::vector<std::string> parts;
  for (auto c : collections) {
    parts.push_back(std::string(c));
    parts.push_back(c == "prefectures" ? "{code}" : "{id}");
  }
  return absl::StrJoin(parts, "/");
}

absl::StatusOr<std::vector<std::string>> Parse(
    absl::string_view field, absl::string_view name,
    const std::vector<absl::string_view>& collections, bool wildcard_last) {
  const std::string expected = absl::StrCat("must be a resource name of the form ",
                                            Pattern(collections));
  if (name.empty()) return InvalidField(std::string(field), "is required");
  if (!validation::IsValidUtf8(name) || name.size() > 512) {
    return InvalidField(std::string(field), expected);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != collections.size() * 2) {
    return InvalidField(std::string(field), expected);
  }
  std::vector<std::string> ids;
  for (size_t i = 0; i < collections.size(); ++i) {
    const absl::string_view collection = parts[2 * i];
    const absl::string_view id = parts[2 * i + 1];
    if (collection != collections[i]) return InvalidField(std::string(field), expected);
    const bool last = i + 1 == collections.size();
    if (wildcard_last && last && id == "-") {
      ids.emplace_back(id);
      continue;
    }
    if (collection == "prefectures") {
      if (!validation::IsDepartementCode(id)) {
        return InvalidField(std::string(field),
                            absl::StrCat("unknown préfecture '", id,
                                         "': use a département code such as 59, 2A or 971"));
      }
    } else if (!validation::IsResourceId(id)) {
      return InvalidField(std::string(field), expected);
    }
    ids.emplace_back(id);
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseResourceName(
    absl::string_view field, absl::string_view name,
    const std::vector<absl::string_view>& collections) {
  return Parse(field, name, collections, /*wildcard_last=*/false);
}

absl::StatusOr<std::vector<std::string>> ParseResourceNameOrWildcard(
    absl::string_view field, absl::string_view name,
    const std::vector<absl::string_view>& collections) {
  return Parse(field, name, collections, /*wildcard_last=*/true);
}

std::string PrefectureName(absl::string_view prefecture) {
  return absl::StrCat("prefectures/", prefecture);
}

}  // namespace qpv
