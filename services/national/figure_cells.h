// The figure cells of a préfecture snapshot: every number the national
// dashboard and the préfecture statuses need, cut by (month of the workshop's
// start in UTC, theme key, metric). Computed once per accepted snapshot, in
// C++, by the submit path (for the Redis rollup) and by every instance's
// in-memory view (from the stored snapshot), so both always agree.
//
// Theme keys: 0 ('*') holds every workshop; key t (a Theme, 1..11) holds the
// workshops carrying t and the contributions carrying t. Metrics per key:
//   w    workshops               (key t: workshops carrying t)
//   a    attended                (key t: attendance at workshops carrying t)
//   c    contributions           ('*': WorkshopFigures.contribution_count;
//                                 key t: contributions carrying t, from any
//                                 workshop, i.e. the cells with theme t)
//   h    workshops held (HELD or REPORTED); r  workshops REPORTED
//   ac<k> attended of category k (0..10), as the workshops' attendance lists
//   cc<k> contributions of category k ('*': the cells with no theme, which
//         count each contribution once; key t: cells with theme t)
//   ct<t> contributions carrying theme t ('*': all themes; key t: only t)
//   wt<t> workshops carrying theme t ('*': all themes; key t: only t)
// Cancelled workshops count nowhere.
#ifndef QPV_SERVICES_NATIONAL_FIGURE_CELLS_H_
#define QPV_SERVICES_NATIONAL_FIGURE_CELLS_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::national {

namespace nv1 = ::qpv::national::v1;

inline constexpr int kThemeCount = 11;     // Theme 1..11
inline constexpr int kCategoryCount = 11;  // ActorCategory 0..10
inline constexpr int kThemeKeys = 1 + kThemeCount;

enum Metric : int {
  kWorkshops = 0,
  kAttended = 1,
  kContributions = 2,
  kHeld = 3,
  kReported = 4,
  kAttendedByCategory = 5,                                            // + category
  kContributionsByCategory = kAttendedByCategory + kCategoryCount,    // + category
  kContributionsByTheme = kContributionsByCategory + kCategoryCount,  // + theme - 1
  kWorkshopsByTheme = kContributionsByTheme + kThemeCount,            // + theme - 1
  kMetricCount = kWorkshopsByTheme + kThemeCount,
};

// All metrics of one theme key.
using Row = std::array<int64_t, kMetricCount>;

// Months are numbered year * 12 + (month - 1), in UTC.
int MonthOf(absl::Time t);
absl::Time MonthStart(int month);
std::string MonthName(int month);  // "2018-02"

// "w", "a", "c", "h", "r", "ac3", "cc3", "ct5", "wt5".
std::string MetricName(int metric);

// One cell of one workshop: index = theme_key * kMetricCount + metric. Counts
// of one workshop are bounded by validation, so 32 bits hold them. Packed:
// 6 bytes instead of 8 for the ~125 cells of each workshop the view keeps
// (~2.5 MiB at national scale); x86 reads the unaligned value at no cost.
struct __attribute__((packed)) Cell {
  uint16_t index = 0;
  int32_t value = 0;
};
static_assert(sizeof(Cell) == 6);

struct WorkshopCells {
  absl::Time start;
  int month = 0;
  std::vector<Cell> cells;  // sorted by index, no zeros
};

// The sum of a préfecture's workshops that start in one month, for one key.
struct MonthRow {
  int month = 0;
  int theme_key = 0;
  Row values{};
};

// The cells of every workshop of a (validated) snapshot that is not
// cancelled, sorted by start time.
std::vector<WorkshopCells> ComputeWorkshopCells(const nv1::PrefectureSnapshot& snapshot);

// Sums the workshops by (month, theme key); rows sorted, all-zero rows left out.
std::vector<MonthRow> AggregateByMonth(const std::vector<WorkshopCells>& workshops);

// The rows as Redis hash fields "2018-02|*|w" (key '*' or the theme number)
// with their non-zero values, sorted by field.
std::vector<std::pair<std::string, int64_t>> CellFields(const std::vector<MonthRow>& rows);

// The field of one cell: "2018-02|*|w", "2018-02|8|cc2".
std::string RowField(int month, int theme_key, int metric);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_FIGURE_CELLS_H_
