#include "services/national/dashboard.h"

#include <algorithm>
#include <climits>
#include <utility>
#include <vector>

#include "common/territory/territory.h"
#include "common/util/clock.h"

namespace qpv::national {
namespace {

using ::qpv::common::v1::ActorCategory;
using ::qpv::common::v1::Theme;

// Which months are wholly inside the period, and the time ranges of the
// partial months left over.
struct Period {
  int lo = INT_MIN;
  int hi = INT_MAX;
  std::vector<std::pair<absl::Time, absl::Time>> partial;
};

Period PeriodOf(const DashboardQuery& q) {
  Period p;
  if (q.start != absl::InfinitePast()) {
    const int m = MonthOf(q.start);
    p.lo = MonthStart(m) == q.start ? m : m + 1;
  }
  if (q.end != absl::InfiniteFuture()) p.hi = MonthOf(q.end) - 1;
  if (p.lo > p.hi) {
    if (q.start < q.end) p.partial.push_back({q.start, q.end});
    p.lo = INT_MAX;  // no whole month
    p.hi = INT_MIN;
    return p;
  }
  if (p.lo != INT_MIN && q.start < MonthStart(p.lo))
    p.partial.push_back({q.start, MonthStart(p.lo)});
  if (p.hi != INT_MAX && MonthStart(p.hi + 1) < q.end) {
    p.partial.push_back({MonthStart(p.hi + 1), q.end});
  }
  return p;
}

// Adds the cells of key `k` of the workshops of `e` starting in the
// partial ranges of `p`, to `row` (all metrics).
void AddPartial(const PrefectureEntry& e, const Period& p, int k, Row& row) {
  const int lo = k * kMetricCount;
  const int hi = lo + kMetricCount;
  for (const auto& [from, to] : p.partial) {
    auto it = std::lower_bound(e.workshops.begin(), e.workshops.end(), from,
                               [](const WorkshopCells& w, absl::Time t) { return w.start < t; });
    for (; it != e.workshops.end() && it->start < to; ++it) {
      for (const Cell& c : it->cells) {
        if (c.index >= lo && c.index < hi) row[c.index - lo] += c.value;
      }
    }
  }
}

void Add(Row& to, const Row& from) {
  for (int m = 0; m < kMetricCount; ++m) to[m] += from[m];
}

bool Small(int64_t count, int64_t threshold) { return count > 0 && count < threshold; }

}  // namespace

nv1::NationalDashboard DashboardFigures(const ViewState& view, const DashboardQuery& query,
                                        int64_t threshold) {
  nv1::NationalDashboard out;
  out.set_revision(view.revision);
  out.set_small_count_threshold(threshold);
  const Period period = PeriodOf(query);
  const int k = query.theme_key;
  const auto& regions = territory::Regions();
  const auto& departements = territory::Departements();

  // Per region: the rollup's whole months plus its préfectures' partial
  // months. Per préfecture: its own rows, the same way.
  std::vector<Row> region_rows(regions.size(), Row{});
  std::vector<int> reporting(regions.size(), 0);
  for (size_t r = 0; r < regions.size(); ++r) {
    if (query.region >= 0 && static_cast<int>(r) != query.region) continue;
    const auto& rows = view.regions[r]->by_key[k];
    for (auto it = rows.lower_bound(period.lo); it != rows.end() && it->first <= period.hi; ++it) {
      Add(region_rows[r], it->second);
    }
  }
  Row total{};
  for (size_t i = 0; i < departements.size(); ++i) {
    const auto& e = view.prefectures[i];
    if (!e || (query.region >= 0 && e->region != query.region)) continue;
    ++reporting[e->region];
    // Only three figures per préfecture: no need to add whole rows.
    int64_t own[3] = {0, 0, 0};
    const auto first = e->rows.begin() + e->key_begin[k];
    const auto last = e->rows.begin() + e->key_begin[k + 1];
    auto it = std::lower_bound(first, last, period.lo,
                               [](const MonthTotals& row, int month) { return row.month < month; });
    for (; it != last && it->month <= period.hi; ++it) {
      own[0] += it->workshops;
      own[1] += it->attended;
      own[2] += it->contributions;
    }
    if (!period.partial.empty()) {
      Row partial{};
      AddPartial(*e, period, k, partial);
      Add(region_rows[e->region], partial);
      own[0] += partial[kWorkshops];
      own[1] += partial[kAttended];
      own[2] += partial[kContributions];
    }
    nv1::PrefectureFigures* f = out.add_prefectures();
    f->set_prefecture(e->code);
    f->set_prefecture_name(std::string(departements[i].name));
    f->set_region(std::string(departements[i].region_code));
    f->set_workshop_count(own[0]);
    f->set_attended_count(own[1]);
    f->set_contribution_count(own[2]);
    f->set_version(e->version);
    *f->mutable_receive_time() = ToProto(e->receive_time);
  }
  int reporting_total = 0;
  for (size_t r = 0; r < regions.size(); ++r) {
    if (reporting[r] == 0) continue;
    reporting_total += reporting[r];
    Add(total, region_rows[r]);
    nv1::RegionFigures* f = out.add_by_region();
    f->set_region(std::string(regions[r].code));
    f->set_region_name(std::string(regions[r].name));
    f->set_workshop_count(region_rows[r][kWorkshops]);
    f->set_reporting_prefecture_count(reporting[r]);
    const int64_t attended = region_rows[r][kAttended];
    const int64_t contributions = region_rows[r][kContributions];
    if (Small(attended, threshold) || Small(contributions, threshold)) {
      f->set_suppressed(true);
    } else {
      f->set_attended_count(attended);
      f->set_contribution_count(contributions);
    }
  }
  out.set_workshop_count(total[kWorkshops]);
  out.set_attended_count(total[kAttended]);
  out.set_contribution_count(total[kContributions]);
  out.set_reporting_prefecture_count(reporting_total);

  for (int t = 1; t <= kThemeCount; ++t) {
    const int64_t workshops = total[kWorkshopsByTheme + t - 1];
    const int64_t contributions = total[kContributionsByTheme + t - 1];
    if (workshops == 0 && contributions == 0) continue;
    nv1::ThemeFigures* f = out.add_by_theme();
    f->set_theme(static_cast<Theme>(t));
    f->set_workshop_count(workshops);
    if (Small(contributions, threshold)) {
      f->set_suppressed(true);
    } else {
      f->set_contribution_count(contributions);
    }
  }
  for (int c = 0; c < kCategoryCount; ++c) {
    const int64_t attended = total[kAttendedByCategory + c];
    const int64_t contributions = total[kContributionsByCategory + c];
    if (attended == 0 && contributions == 0) continue;
    nv1::CategoryFigures* f = out.add_by_category();
    f->set_category(static_cast<ActorCategory>(c));
    if (Small(attended, threshold) || Small(contributions, threshold)) {
      f->set_suppressed(true);
    } else {
      f->set_attended_count(attended);
      f->set_contribution_count(contributions);
    }
  }
  return out;
}

nv1::Coverage CoverageOf(const ViewState& view, int region, absl::Time now,
                         absl::Duration fresh_window) {
  nv1::Coverage out;
  const auto& departements = territory::Departements();
  const std::string region_code =
      region >= 0 ? std::string(territory::Regions()[region].code) : std::string();
  absl::Time oldest = absl::InfiniteFuture();
  absl::Time newest = absl::InfinitePast();
  for (size_t i = 0; i < departements.size(); ++i) {
    if (region >= 0 && departements[i].region_code != region_code) continue;
    out.set_known_prefecture_count(out.known_prefecture_count() + 1);
    const auto& e = view.prefectures[i];
    if (!e) continue;
    out.set_reporting_prefecture_count(out.reporting_prefecture_count() + 1);
    if (e->receive_time >= now - fresh_window) {
      out.set_fresh_prefecture_count(out.fresh_prefecture_count() + 1);
    }
    oldest = std::min(oldest, e->receive_time);
    newest = std::max(newest, e->receive_time);
  }
  if (out.reporting_prefecture_count() > 0) {
    *out.mutable_oldest_receive_time() = ToProto(oldest);
    *out.mutable_newest_receive_time() = ToProto(newest);
  }
  return out;
}

}  // namespace qpv::national
