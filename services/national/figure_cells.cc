#include "services/national/figure_cells.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace qpv::national {
namespace {

using ::qpv::workshop::v1::Workshop;

// Adds to the cells of one workshop, keyed by cell index.
class CellSum {
 public:
  void Add(int theme_key, int metric, int64_t value) {
    if (value == 0) return;
    sums_[theme_key * kMetricCount + metric] += value;
  }
  std::vector<Cell> Take() const {
    std::vector<Cell> out;
    out.reserve(sums_.size());
    for (const auto& [index, value] : sums_) {
      // Validation bounds every count of a workshop (1e6, at most a few
      // hundred cells), so the sum fits; clamp anyway rather than wrap.
      if (value == 0) continue;
      const int64_t v = std::min<int64_t>(std::max<int64_t>(value, INT32_MIN), INT32_MAX);
      out.push_back({static_cast<uint16_t>(index), static_cast<int32_t>(v)});
    }
    return out;
  }

 private:
  std::map<int, int64_t> sums_;
};

bool ValidTheme(int t) { return t >= 1 && t <= kThemeCount; }
bool ValidCategory(int c) { return c >= 0 && c < kCategoryCount; }

WorkshopCells CellsOf(const nv1::WorkshopFigures& w) {
  std::set<int> themes;
  for (int t : w.themes()) {
    if (ValidTheme(t)) themes.insert(t);
  }
  std::vector<int> keys = {0};
  keys.insert(keys.end(), themes.begin(), themes.end());

  const bool held = w.state() == Workshop::STATE_HELD || w.state() == Workshop::STATE_REPORTED;
  const bool reported = w.state() == Workshop::STATE_REPORTED;
  CellSum sum;
  for (int key : keys) {
    sum.Add(key, kWorkshops, 1);
    sum.Add(key, kAttended, w.attended_count());
    if (held) sum.Add(key, kHeld, 1);
    if (reported) sum.Add(key, kReported, 1);
    for (const auto& c : w.attendance_by_category()) {
      if (ValidCategory(c.category())) {
        sum.Add(key, kAttendedByCategory + c.category(), c.count());
      }
    }
  }
  for (int t : themes) {
    sum.Add(0, kWorkshopsByTheme + t - 1, 1);
    sum.Add(t, kWorkshopsByTheme + t - 1, 1);
  }
  sum.Add(0, kContributions, w.contribution_count());
  for (const auto& cell : w.contribution_cells()) {
    const int t = cell.theme();
    const int cat = cell.category();
    if (!ValidCategory(cat)) continue;
    if (t == 0) {
      sum.Add(0, kContributionsByCategory + cat, cell.count());
    } else if (ValidTheme(t)) {
      sum.Add(0, kContributionsByTheme + t - 1, cell.count());
      sum.Add(t, kContributions, cell.count());
      sum.Add(t, kContributionsByCategory + cat, cell.count());
      sum.Add(t, kContributionsByTheme + t - 1, cell.count());
    }
  }
  WorkshopCells out;
  out.start =
      absl::FromUnixSeconds(w.start_time().seconds()) + absl::Nanoseconds(w.start_time().nanos());
  out.month = MonthOf(out.start);
  out.cells = sum.Take();
  return out;
}

}  // namespace

int MonthOf(absl::Time t) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  return static_cast<int>(c.year() * 12 + (c.month() - 1));
}

absl::Time MonthStart(int month) {
  // Floor division: months before year 0 never occur (validation), but stay exact.
  const int year = month >= 0 ? month / 12 : -((-month + 11) / 12);
  const int m = month - year * 12 + 1;
  return absl::FromCivil(absl::CivilMonth(year, m), absl::UTCTimeZone());
}

std::string MonthName(int month) {
  const absl::CivilMonth c = absl::ToCivilMonth(MonthStart(month), absl::UTCTimeZone());
  return absl::StrFormat("%04d-%02d", c.year(), c.month());
}

std::string MetricName(int metric) {
  switch (metric) {
    case kWorkshops:
      return "w";
    case kAttended:
      return "a";
    case kContributions:
      return "c";
    case kHeld:
      return "h";
    case kReported:
      return "r";
    default:
      break;
  }
  if (metric >= kWorkshopsByTheme) return absl::StrCat("wt", metric - kWorkshopsByTheme + 1);
  if (metric >= kContributionsByTheme) {
    return absl::StrCat("ct", metric - kContributionsByTheme + 1);
  }
  if (metric >= kContributionsByCategory) {
    return absl::StrCat("cc", metric - kContributionsByCategory);
  }
  return absl::StrCat("ac", metric - kAttendedByCategory);
}

std::string RowField(int month, int theme_key, int metric) {
  return absl::StrCat(MonthName(month), "|",
                      theme_key == 0 ? std::string("*") : absl::StrCat(theme_key), "|",
                      MetricName(metric));
}

std::vector<WorkshopCells> ComputeWorkshopCells(const nv1::PrefectureSnapshot& snapshot) {
  std::vector<WorkshopCells> out;
  out.reserve(snapshot.workshops_size());
  for (const auto& w : snapshot.workshops()) {
    if (w.state() == Workshop::STATE_CANCELLED) continue;
    out.push_back(CellsOf(w));
  }
  std::stable_sort(out.begin(), out.end(), [](const WorkshopCells& a, const WorkshopCells& b) {
    return a.start < b.start;
  });
  return out;
}

std::vector<MonthRow> AggregateByMonth(const std::vector<WorkshopCells>& workshops) {
  std::map<std::pair<int, int>, Row> rows;
  for (const auto& w : workshops) {
    for (const Cell& c : w.cells) {
      Row& row = rows[{w.month, c.index / kMetricCount}];
      row[c.index % kMetricCount] += c.value;
    }
  }
  std::vector<MonthRow> out;
  out.reserve(rows.size());
  for (const auto& [key, values] : rows) {
    if (std::all_of(values.begin(), values.end(), [](int64_t v) { return v == 0; })) continue;
    out.push_back({key.first, key.second, values});
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> CellFields(const std::vector<MonthRow>& rows) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& row : rows) {
    for (int m = 0; m < kMetricCount; ++m) {
      if (row.values[m] != 0)
        out.emplace_back(RowField(row.month, row.theme_key, m), row.values[m]);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace qpv::national
