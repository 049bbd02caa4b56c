// The in-memory view every instance serves reads from: per préfecture its
// figure cells (per workshop and per month), version, receive time and
// reproducible actions; per region the rollup of its préfectures' month
// rows. A ViewState is immutable once published: the refresher builds the
// next one from the previous (sharing unchanged préfectures) and swaps it in,
// so readers never lock against a reload and never touch Redis.
//
// Size at national scale (qpv-bench-national-view and
// qpv-bench-national-scale: 101 préfectures, 10,452 workshops, 1.93 million
// contributions, 195,000 reproducible actions of ~330-byte texts): ~41 MiB
// of heap. Figures: workshop cells 8 MiB, month totals 1 MiB, region
// rollups 3 MiB. Actions: records 7 MiB (36 bytes), names ("w/c", the rest
// rebuilt) and QPV codes 6.5 MiB, titles and texts zlib-compressed by
// blocks 15.4 MiB (86 MiB raw; titles were 12 MiB of the arena before they
// joined the blocks). The service: ~65-70 MiB resident after the ingest,
// plus the good-practice grouping cached (it keeps ~3 MiB; its transient
// shingle sets, ~28 MiB at their peak, are freed and
// trimmed). Before this
// layout (texts, 32 LSH keys and a shingle-set hash per action, 38 metrics
// per préfecture month) the same data took 146 MiB of heap and the process
// 640 MiB after the ingest (glibc kept the snapshots' freed memory:
// main.cc and national_logic.cc now give it back).
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
#include "services/national/text_blocks.h"
#include "services/national/text_similarity.h"

namespace qpv::national {

// A slice of ActionSet::arena.
struct StrRef {
  uint32_t offset = 0;
  uint32_t size = 0;
};

// A reproducible action: its name and QPV codes live in the préfecture's
// arena (no per-string allocation), its title and text in the compressed
// blocks (titles are ~12 MiB at national scale, read only with their text
// or to order a grouping's groups). Nothing of the grouping is kept here: a
// grouping computes shingles and signatures from the texts and drops them
// (good_practices.h).
struct ActionRecord {
  // "<workshop id>/<contribution id>": the rest of the name is the
  // préfecture's (validation checks it), rebuilt by ContributionName.
  StrRef contribution;
  // Its title then its text, in ActionSet::texts: the title is the
  // first title_size bytes (TitleIn, TextIn).
  TextRef text;
  StrRef qpv_codes;  // comma-separated
  int32_t vote_count = 0;  // validation bounds it (kMaxCount)
  uint16_t themes = 0;     // bit t set for Theme t
  uint16_t title_size = 0;  // validation bounds titles to 200 characters
};

// A préfecture's own totals for one month and theme key: all its line of
// the dashboard needs. Its every metric goes to the region rollups, and is
// recomputed from the workshops' cells when it leaves them (a reload), so
// the entry does not keep 38 of them per month (~12 MiB at national scale).
struct MonthTotals {
  int32_t month = 0;
  int32_t theme_key = 0;
  int64_t workshops = 0;
  int64_t attended = 0;
  int64_t contributions = 0;
};

// A préfecture's reproducible actions: what a good-practice grouping reads
// and its pages show. Apart from the entry's figures so that a grouping
// keeps only this alive once its préfecture is resubmitted: at national
// scale records 6.7, strings 6.5 and texts 15.4 MiB, against 7.8 MiB of
// workshop cells and 1.1 of month rows (qpv-bench-national-view).
struct ActionSet {
  std::string code;  // the préfecture's
  std::vector<ActionRecord> actions;
  // The actions' strings but their texts; identical titles are stored once.
  std::string arena;
  // Never null. Shared with the set this one replaced when their titles and
  // texts are the same (votes, themes, QPV codes or names changed): one
  // copy of the texts, most of a set's bytes, for both.
  std::shared_ptr<const TextBlocks> texts = std::make_shared<TextBlocks>();

  absl::string_view Str(StrRef r) const {
    return absl::string_view(arena).substr(r.offset, r.size);
  }
  // An action's title and text within its decompressed block
  // (texts->Block(a.text.block)); "" when the block is not its.
  static absl::string_view TitleIn(absl::string_view block, const ActionRecord& a);
  static absl::string_view TextIn(absl::string_view block, const ActionRecord& a);
  // The title, decompressing its block (a cursor's search, a page's last
  // group).
  std::string Title(const ActionRecord& a) const;
  // prefectures/{code}/workshops/{w}/contributions/{c}
  std::string ContributionName(const ActionRecord& a) const;
  // True when a's name sorts before b's, without building them.
  static bool NameBefore(const ActionSet& pa, const ActionRecord& a, const ActionSet& pb,
                         const ActionRecord& b);
  // The same préfecture's same actions, byte for byte (a set is built
  // deterministically from its snapshot's actions).
  bool SameAs(const ActionSet& o) const;
  // The same préfecture's actions with the same titles and texts, in the
  // same order (their names, votes, themes or QPV codes may differ): what a
  // good-practice grouping compares.
  bool SameTextsAs(const ActionSet& o) const;
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
  std::vector<MonthTotals> rows;
  std::array<uint32_t, kThemeKeys + 1> key_begin{};
  // Over every month, every workshop ('*').
  int64_t workshop_count = 0;
  int64_t held = 0;
  int64_t reported = 0;
  std::shared_ptr<const ActionSet> action_set;  // never null
};

// One region's rollup: the sum of its préfectures' month rows.
struct RegionRollup {
  std::array<std::map<int, Row>, kThemeKeys> by_key;  // theme key -> month -> row
};

// Lazily computed results, valid for one ViewState. (The good-practice
// grouping is the logic's: it outlives its view's turn, see
// national_logic.h.)
// A dashboard in wire form, valid while the view is in sync at `synced`
// and its coverage (which moves with the clock) is `coverage`.
struct SerializedDashboard {
  absl::Time synced;
  std::string coverage;  // serialized nv1::Coverage
  std::shared_ptr<const std::string> bytes;
};

struct ViewCaches {
  absl::Mutex mu;
  std::optional<nv1::NationalDashboard> unfiltered ABSL_GUARDED_BY(mu);
  // By serialized request: GetNationalDashboard answers a repeated query
  // with bytes built once (copying and serializing the message took ~60% of
  // the call's CPU). Cleared when it reaches kMaxSerializedDashboards.
  absl::Mutex serialized_mu;
  std::map<std::string, SerializedDashboard> serialized ABSL_GUARDED_BY(serialized_mu);
};
inline constexpr size_t kMaxSerializedDashboards = 64;

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
// When its actions are those of `previous` (the préfecture's entry it
// replaces, or null), the entry shares previous's action set: a snapshot
// resubmitted for its figures alone (attendance, reports) costs no second
// copy of its actions, and leaves the served good-practice grouping current
// (national_logic.h).
absl::StatusOr<std::shared_ptr<const PrefectureEntry>> BuildEntry(
    const StoredSnapshot& stored, const PrefectureEntry* previous = nullptr);
// The same from a parsed snapshot (a submit's own, so that the instance that
// stored it does not read it back and parse it again).
absl::StatusOr<std::shared_ptr<const PrefectureEntry>> BuildEntry(
    const nv1::PrefectureSnapshot& snapshot, int64_t version, absl::Time receive_time,
    const PrefectureEntry* previous = nullptr);

// The next view: `old` with the préfectures of `changed` replaced and those
// of `removed` (département indexes) dropped, the rollups of their regions
// updated by difference (old rows out, new rows in).
std::shared_ptr<const ViewState> NextView(
    const ViewState& old, int64_t revision,
    const std::vector<std::shared_ptr<const PrefectureEntry>>& changed,
    const std::vector<int>& removed);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_VIEW_H_
