// The national dashboard, computed from a ViewState: sums over the view's
// cells that match the filters, never a scan of snapshots.
//
// Filters (GetNationalDashboardRequest):
// - theme T: workshops = those carrying T; attendance = at those workshops;
//   contributions = those carrying T, from any workshop in the period;
//   by_theme holds T only; by_category counts attendance at workshops
//   carrying T and contributions carrying T.
// - region: only its préfectures (coverage counts its départements).
// - period: workshops starting in [start_time, end_time), and their
//   contributions. Months fully inside come from the month rows (the
//   region rollups); the partial months at either end from the workshops'
//   own cells, so any boundary is exact.
//
// Small counts: a breakdown cell (by_theme, by_region, by_category) whose
// count of people (attended) or contributions is in (0, threshold) is
// returned with those counts at 0 and suppressed = true; workshop and
// reporting-préfecture counts are not about people and stay. Totals and
// per-préfecture figures (each préfecture's own report) are exact and never
// suppressed, so the totals equal the sum of the préfectures' figures. A
// threshold of 0 or 1 suppresses nothing.
#ifndef QPV_SERVICES_NATIONAL_DASHBOARD_H_
#define QPV_SERVICES_NATIONAL_DASHBOARD_H_

#include <cstdint>

#include "absl/time/time.h"
#include "qpv/national/v1/national.pb.h"
#include "services/national/national_view.h"

namespace qpv::national {

struct DashboardQuery {
  int theme_key = 0;  // 0: every theme
  int region = -1;    // index in territory::Regions(); -1: all
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();

  bool unfiltered() const {
    return theme_key == 0 && region < 0 && start == absl::InfinitePast() &&
           end == absl::InfiniteFuture();
  }
};

// Totals, breakdowns, préfectures, revision and threshold (not coverage nor
// as_of_time, which depend on the time of the read).
nv1::NationalDashboard DashboardFigures(const ViewState& view, const DashboardQuery& query,
                                        int64_t small_count_threshold);

// Coverage of the region (-1: all): préfectures reporting, départements that
// could, those received within `fresh_window` of `now`, oldest and newest
// receive times.
nv1::Coverage CoverageOf(const ViewState& view, int region, absl::Time now,
                         absl::Duration fresh_window);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_DASHBOARD_H_
