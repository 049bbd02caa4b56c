#include "common/territory/territory.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/str_split.h"
#include "common/validation/validation.h"
#include "gtest/gtest.h"

namespace qpv::territory {
namespace {

TEST(TerritoryTest, EveryDepartementIsAValidCodeInAKnownRegion) {
  EXPECT_EQ(Departements().size(), 101u);
  EXPECT_EQ(Regions().size(), 18u);
  std::set<std::string> codes;
  for (const Departement& d : Departements()) {
    EXPECT_TRUE(validation::IsDepartementCode(d.code)) << d.code;
    EXPECT_NE(FindRegion(d.region_code), nullptr) << d.code;
    EXPECT_TRUE(codes.insert(std::string(d.code)).second) << "duplicate " << d.code;
  }
}

TEST(TerritoryTest, LooksUp) {
  EXPECT_EQ(RegionOf("59"), "32");
  EXPECT_EQ(RegionOf("2A"), "94");
  EXPECT_EQ(RegionOf("974"), "04");
  EXPECT_EQ(RegionOf("99"), "");
  ASSERT_NE(FindDepartement("13"), nullptr);
  EXPECT_EQ(FindDepartement("13")->name, "Bouches-du-Rhône");
  EXPECT_EQ(FindRegion("32")->name, "Hauts-de-France");
  EXPECT_EQ(FindRegion("00"), nullptr);
}

// The reference data sits beside the repository in CI, not in a fresh clone.
TEST(TerritoryTest, MatchesSharedReferenceDataWhenPresent) {
  std::ifstream in(std::string(QPV_SOURCE_DIR) + "/../shared/data/departements.csv");
  if (!in) GTEST_SKIP() << "../shared/data not present";
  std::string line;
  std::getline(in, line);  // header
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = absl::StrSplit(line, ',');
    ASSERT_GE(f.size(), 4u) << line;
    const Departement* d = FindDepartement(f[0]);
    ASSERT_NE(d, nullptr) << f[0];
    EXPECT_EQ(d->name, f[1]);
    EXPECT_EQ(d->region_code, f[2]);
    ++rows;
  }
  EXPECT_EQ(rows, 101);
}

}  // namespace
}  // namespace qpv::territory
