// French territory facts the services need: the 101 départements (the
// préfectures) and the 18 regions they belong to, with their INSEE codes
// (Code officiel géographique). Tests check this table against
// ../shared/data when it is there.
#ifndef QPV_COMMON_TERRITORY_TERRITORY_H_
#define QPV_COMMON_TERRITORY_TERRITORY_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace qpv::territory {

struct Region {
  absl::string_view code;  // "32"
  absl::string_view name;  // "Hauts-de-France"
};

struct Departement {
  absl::string_view code;         // "59", "2A", "971"
  absl::string_view name;         // "Nord"
  absl::string_view region_code;  // "32"
};

// In code order.
const std::vector<Region>& Regions();
const std::vector<Departement>& Departements();

// nullptr when the code is unknown.
const Departement* FindDepartement(absl::string_view code);
const Region* FindRegion(absl::string_view code);

// "" when unknown.
absl::string_view RegionOf(absl::string_view departement);

}  // namespace qpv::territory

#endif  // QPV_COMMON_TERRITORY_TERRITORY_H_
