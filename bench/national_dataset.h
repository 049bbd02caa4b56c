// The national-scale dataset of qpv-bench-national-scale: every préfecture's
// snapshot as its reporting feed would send it, generated deterministically
// from a seed (the same seed gives the same bytes on every machine, build_time
// and version aside).
//
// Sizes (defaults: the figures of the national consultation the service is
// sized for): 101 préfectures, 10,452 workshops and 1,930,000 contributions
// in all, each total met exactly (largest-remainder apportionment).
// - Préfectures are weighted by their number of QPV (2024 list, ANCT: 94 in
//   the Nord, 75 in Seine-Saint-Denis, 1 in the Hautes-Alpes) plus 2, so
//   every préfecture holds some workshops and the urban ones most; the
//   contributions per workshop also grow with the QPV count (bigger
//   workshops where the contrat de ville is bigger).
// - Workshops: spread over [period_start, period_end) (three years),
//   6% still scheduled (no attendance, no contribution), 22% held, 72%
//   reported; one theme, or two (40%), the employment theme most often;
//   contributions per workshop log-normal around the average (~185), about
//   4.6 contributions per attendee ("une quarantaine d'acteurs" per
//   workshop); attendance split over the actor categories, associations
//   first.
// - Contributions: kind idea 35%, action 25%, good practice 15%, obstacle
//   15%, recommendation 10%; one theme (a quarter carry a second one).
// - Reproducible actions: only concrete actions are flagged, as the 2018
//   consultation asked ("des actions concrètes et innovantes pouvant être
//   reproduites"): 35% of good practices, 18% of actions, 4% of
//   recommendations, never an idea or an obstacle, i.e. ~10% of all
//   contributions (~193,000), scaled by reproducible_share / 0.10. Texts
//   from action_texts.h.
#ifndef QPV_BENCH_NATIONAL_DATASET_H_
#define QPV_BENCH_NATIONAL_DATASET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::bench {

struct DatasetOptions {
  uint64_t seed = 2018;
  int64_t workshops = 10452;
  int64_t contributions = 1930000;
  double reproducible_share = 0.10;
  absl::Time period_start = absl::FromUnixSeconds(1672531200);  // 2023-01-01 UTC
  absl::Time period_end = absl::FromUnixSeconds(1767225600);    // 2026-01-01 UTC
};

struct PrefecturePlan {
  std::string code;
  int qpv_count = 0;
  int64_t workshops = 0;
  int64_t contributions = 0;
};

struct DatasetPlan {
  DatasetOptions options;
  std::vector<PrefecturePlan> prefectures;  // territory order (101)
};

// Splits `total` in proportion to `weights` (largest remainders): the parts
// sum to `total` exactly.
std::vector<int64_t> Apportion(int64_t total, const std::vector<double>& weights);

DatasetPlan MakePlan(const DatasetOptions& options);

// The snapshot of préfecture `index` of the plan. `salt` 0 is the dataset;
// another salt keeps the préfecture's counts and workshops but redraws the
// details (a later snapshot of the same préfecture, as the soak submits).
national::v1::PrefectureSnapshot BuildSnapshot(const DatasetPlan& plan, int index, int64_t version,
                                               uint64_t salt = 0);

}  // namespace qpv::bench

#endif  // QPV_BENCH_NATIONAL_DATASET_H_
