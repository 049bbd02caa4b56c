// The in-memory view every instance serves reads from: per préfecture its
// figure cells (per workshop and per month), version, receive time and
// reproducible actions; per region the rollup of its préfectures' month
// rows. A ViewState is immutable once published: the refresher builds the
// next one from the previous (sharing unchanged préfectures) and swaps it in,
// so readers never lock against a reload and never touch Redis.
//
// Size at national scale, measured with a generator (101 préfectures,
// 10,452 workshops, 1.93 million contributions over three years): the
// figures take ~14 MiB (workshop cells ~4 MiB, month rows ~6 MiB, region
// rollups), the process 20 MiB, a cold load 0.1 s, GetNationalDashboard
// p99 < 0.5 ms filtered. Reproducible actions cost 176 bytes each (string
// slices, 32 LSH band keys) plus their strings in the préfecture's arena: at
// 15% reproducible (282k actions of ~300 bytes) that is ~47 + ~70 MiB, and
// the process ~150 MiB. Meeting < 100 MiB there means moving the texts out
// of the view (e.g. fetched from Redis for the page of groups returned).
#ifndef QPV_SERVICES_NATIONAL_NATIONAL_VIEW_H_
#define QPV_SERVICES_NATIONAL_NATIONAL_VIEW_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "qpv/national/v1/national.pb.h"
#include "services/national/figure_cells.h"
#include "services/national/national_store.h"
#include "services/national/text_similarity.h"

namespace qpv::national {

// A slice of PrefectureEntry::arena.
struct StrRef {
  uint32_t offset = 0;
  uint32_t size = 0;
};

// A reproducible action, with what grouping needs precomputed. Its strings
// live in the préfecture's arena (no per-string allocation).
struct ActionRecord {
  StrRef contribution;
  StrRef title;
  StrRef text;
  StrRef qpv_codes;  // comma-separated
  // Hash of the shingle set: actions with the same set are exact duplicates.
  uint64_t set_hash = 0;
  int32_t vote_count = 0;  // validation bounds it (kMaxCount)
  uint16_t themes = 0;     // bit t set for Theme t
  bool groupable = false;  // has at least one shingle
  BandKeys bands{};
};

struct PrefectureEntry {
  int index = 0;   // in territory::Departements()
  int region = 0;  // in territory::Regions()
  std::string code;
  int64_t version = 0;
  absl::Time receive_time;
  std::vector<WorkshopCells> workshops;  // sorted by start
  // Sorted by (theme key, month); the rows of key k are
  // [key_begin[k], key_begin[k + 1]).
  std::vector<MonthRow> rows;
  std::array<uint32_t, kThemeKeys + 1> key_begin{};
  // Over every month, every workshop ('*').
  int64_t workshop_count = 0;
  int64_t held = 0;
  int64_t reported = 0;
  std::vector<ActionRecord> actions;
  // The actions' strings; identical titles and texts are stored once.
  std::string arena;

  absl::string_view Str(StrRef r) const {
    return absl::string_view(arena).substr(r.offset, r.size);
  }
};

// One region's rollup: the sum of its préfectures' month rows.
struct RegionRollup {
  std::array<std::map<int, Row>, kThemeKeys> by_key;  // theme key -> month -> row
};

struct PracticeIndex;  // good_practices.h

// Lazily computed results, valid for one ViewState. Two locks: a grouping
// taking a second at national scale must not hold up dashboard reads.
struct ViewCaches {
  absl::Mutex mu;
  std::optional<nv1::NationalDashboard> unfiltered ABSL_GUARDED_BY(mu);
  absl::Mutex groups_mu;
  std::shared_ptr<const PracticeIndex> groups ABSL_GUARDED_BY(groups_mu);
};

struct ViewState {
  int64_t revision = 0;
  // By département index; null for a préfecture without a snapshot.
  std::vector<std::shared_ptr<const PrefectureEntry>> prefectures;
  // By region index, never null.
  std::vector<std::shared_ptr<const RegionRollup>> regions;
  std::unique_ptr<ViewCaches> caches = std::make_unique<ViewCaches>();

  // An empty view at revision 0.
  static std::shared_ptr<const ViewState> Empty();
};

// Index of a département / region code in the territory tables, or -1.
int DepartementIndex(absl::string_view code);
int RegionIndex(absl::string_view code);

// Decodes a stored snapshot into a view entry (DATA_LOSS when unreadable).
absl::StatusOr<std::shared_ptr<const PrefectureEntry>> BuildEntry(const StoredSnapshot& stored);

// The next view: `old` with the préfectures of `changed` replaced and those
// of `removed` (département indexes) dropped, the rollups of their regions
// updated by difference (old rows out, new rows in).
std::shared_ptr<const ViewState> NextView(
    const ViewState& old, int64_t revision,
    const std::vector<std::shared_ptr<const PrefectureEntry>>& changed,
    const std::vector<int>& removed);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_VIEW_H_
