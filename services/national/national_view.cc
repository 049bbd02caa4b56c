#include "services/national/national_view.h"

#include <algorithm>
#include <climits>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/territory/territory.h"
#include "google/protobuf/arena.h"

namespace qpv::national {
namespace {

void AddRows(RegionRollup& rollup, const std::vector<MonthRow>& rows, int sign) {
  for (const MonthRow& r : rows) {
    Row& target = rollup.by_key[r.theme_key][r.month];
    for (int m = 0; m < kMetricCount; ++m) target[m] += sign * r.values[m];
  }
}

void DropZeroRows(RegionRollup& rollup) {
  for (auto& rows : rollup.by_key) {
    for (auto it = rows.begin(); it != rows.end();) {
      if (std::all_of(it->second.begin(), it->second.end(), [](int64_t v) { return v == 0; })) {
        it = rows.erase(it);
      } else {
        ++it;
      }
    }
  }
}

// Appends strings to an arena, storing each distinct one once.
class ArenaWriter {
 public:
  explicit ArenaWriter(std::string* arena) : arena_(arena) {}
  StrRef Add(absl::string_view s, bool dedupe) {
    if (dedupe) {
      auto it = seen_.find(s);
      if (it != seen_.end()) return it->second;
    }
    const StrRef ref{static_cast<uint32_t>(arena_->size()), static_cast<uint32_t>(s.size())};
    arena_->append(s.data(), s.size());
    if (dedupe) seen_.emplace(std::string(s), ref);
    return ref;
  }

 private:
  std::string* arena_;
  absl::flat_hash_map<std::string, StrRef> seen_;
};

// "prefectures/59/workshops/w/contributions/c" -> "w/c" (a validated name).
std::string ShortName(absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 6) return std::string(name);  // never after validation
  return absl::StrCat(parts[3], "/", parts[5]);
}

}  // namespace

std::string ActionSet::ContributionName(const ActionRecord& a) const {
  const absl::string_view short_name = Str(a.contribution);
  const size_t slash = short_name.find('/');
  return absl::StrCat("prefectures/", code, "/workshops/", short_name.substr(0, slash),
                      "/contributions/", short_name.substr(slash + 1));
}

namespace {

absl::string_view BothIn(absl::string_view block, const ActionRecord& a) {
  if (a.text.offset + a.text.size > block.size() || a.title_size > a.text.size) return "";
  return block.substr(a.text.offset, a.text.size);
}

}  // namespace

absl::string_view ActionSet::TitleIn(absl::string_view block, const ActionRecord& a) {
  return BothIn(block, a).substr(0, a.title_size);
}

absl::string_view ActionSet::TextIn(absl::string_view block, const ActionRecord& a) {
  const absl::string_view both = BothIn(block, a);
  return both.empty() ? both : both.substr(a.title_size);
}

std::string ActionSet::Title(const ActionRecord& a) const {
  return std::string(TitleIn(texts->Block(a.text.block), a));
}

bool ActionSet::NameBefore(const ActionSet& pa, const ActionRecord& a, const ActionSet& pb,
                           const ActionRecord& b) {
  // The full names share "prefectures/"; then "<code>/workshops/" orders
  // them by code + "/" (no code is another's prefix), then "w/contributions/c"
  // orders as "w/c" does (the same separator at the same place).
  if (&pa != &pb && pa.code != pb.code) return pa.code + "/" < pb.code + "/";
  return pa.Str(a.contribution) < pb.Str(b.contribution);
}

bool ActionSet::SameTextsAs(const ActionSet& o) const {
  return code == o.code && (texts == o.texts || *texts == *o.texts) &&
         std::equal(actions.begin(), actions.end(), o.actions.begin(), o.actions.end(),
                    [](const ActionRecord& a, const ActionRecord& b) {
                      return std::tie(a.text.block, a.text.offset, a.text.size, a.title_size) ==
                             std::tie(b.text.block, b.text.offset, b.text.size, b.title_size);
                    });
}

bool ActionSet::SameAs(const ActionSet& o) const {
  static_assert(sizeof(ActionRecord) == 36, "a field added to ActionRecord is compared here too");
  const auto rest = [](const ActionRecord& a) {  // what SameTextsAs does not compare
    return std::tie(a.contribution.offset, a.contribution.size, a.qpv_codes.offset,
                    a.qpv_codes.size, a.vote_count, a.themes);
  };
  return SameTextsAs(o) && arena == o.arena &&
         std::equal(
             actions.begin(), actions.end(), o.actions.begin(), o.actions.end(),
             [&](const ActionRecord& a, const ActionRecord& b) { return rest(a) == rest(b); });
}

std::shared_ptr<const ViewState> ViewState::Empty() {
  auto view = std::make_shared<ViewState>();
  view->prefectures.resize(territory::Departements().size());
  view->regions.reserve(territory::Regions().size());
  for (size_t i = 0; i < territory::Regions().size(); ++i) {
    view->regions.push_back(std::make_shared<RegionRollup>());
  }
  return view;
}

int DepartementIndex(absl::string_view code) {
  static const auto* index = [] {
    auto* m = new absl::flat_hash_map<std::string, int>();
    const auto& all = territory::Departements();
    for (size_t i = 0; i < all.size(); ++i) (*m)[std::string(all[i].code)] = static_cast<int>(i);
    return m;
  }();
  auto it = index->find(code);
  return it == index->end() ? -1 : it->second;
}

int RegionIndex(absl::string_view code) {
  const auto& all = territory::Regions();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// The entry of a parsed snapshot stored under `code`.
absl::StatusOr<std::shared_ptr<const PrefectureEntry>> EntryOf(
    const nv1::PrefectureSnapshot& snapshot, const std::string& code, int64_t version,
    absl::Time receive_time, const PrefectureEntry* previous) {
  const int index = DepartementIndex(code);
  const territory::Departement* d = territory::FindDepartement(code);
  if (index < 0 || d == nullptr) return absl::DataLossError("a stored préfecture is unknown");
  auto entry = std::make_shared<PrefectureEntry>();
  entry->index = index;
  entry->region = RegionIndex(d->region_code);
  entry->code = code;
  entry->version = version;
  entry->receive_time = receive_time;
  entry->workshops = ComputeWorkshopCells(snapshot);
  std::vector<MonthRow> rows = AggregateByMonth(entry->workshops);
  std::sort(rows.begin(), rows.end(), [](const MonthRow& a, const MonthRow& b) {
    return std::tie(a.theme_key, a.month) < std::tie(b.theme_key, b.month);
  });
  entry->rows.reserve(rows.size());
  for (const MonthRow& r : rows) {
    entry->rows.push_back({r.month, r.theme_key, r.values[kWorkshops], r.values[kAttended],
                           r.values[kContributions]});
    if (r.theme_key == 0) {
      entry->workshop_count += r.values[kWorkshops];
      entry->held += r.values[kHeld];
      entry->reported += r.values[kReported];
    }
  }
  for (int k = 0, i = 0; k <= kThemeKeys; ++k) {
    while (i < static_cast<int>(rows.size()) && rows[i].theme_key < k) ++i;
    entry->key_begin[k] = i;
  }
  size_t bytes = 0;
  for (const auto& a : snapshot.reproducible_actions()) {
    bytes += a.contribution().size() + 10 * a.qpv_codes_size();
  }
  auto set = std::make_shared<ActionSet>();
  set->code = code;
  set->arena.reserve(bytes);
  ArenaWriter arena(&set->arena);
  set->actions.reserve(snapshot.reproducible_actions_size());
  auto blocks = std::make_shared<TextBlocks>();
  TextBlocks::Builder texts(blocks.get());
  for (const auto& a : snapshot.reproducible_actions()) {
    ActionRecord rec;
    rec.contribution = arena.Add(ShortName(a.contribution()), /*dedupe=*/false);
    rec.title_size = static_cast<uint16_t>(std::min<size_t>(a.title().size(), UINT16_MAX));
    rec.text = texts.Add(absl::string_view(a.title()).substr(0, rec.title_size), a.text());
    rec.qpv_codes = arena.Add(absl::StrJoin(a.qpv_codes(), ","), /*dedupe=*/true);
    for (int t : a.themes()) {
      if (t > 0 && t < 16) rec.themes |= static_cast<uint16_t>(1u << t);
    }
    rec.vote_count = static_cast<int32_t>(std::min<int64_t>(a.vote_count(), INT32_MAX));
    set->actions.push_back(rec);
  }
  texts.Finish();
  set->texts = std::move(blocks);
  set->arena.shrink_to_fit();
  // What did not change is kept once: the texts, then maybe the whole set
  // (SameAs then finds the texts shared, and compares them no more).
  if (previous != nullptr && *previous->action_set->texts == *set->texts) {
    set->texts = previous->action_set->texts;
  }
  if (previous != nullptr && previous->action_set->SameAs(*set)) {
    entry->action_set = previous->action_set;
  } else {
    entry->action_set = std::move(set);
  }
  return std::shared_ptr<const PrefectureEntry>(std::move(entry));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PrefectureEntry>> BuildEntry(const StoredSnapshot& stored,
                                                                  const PrefectureEntry* previous) {
  // The parse (tens of thousands of small strings at national scale) goes
  // to a protobuf arena of large blocks, mmapped and given back whole when
  // it ends, instead of the heap between the entry's long-lived allocations
  // (where it left free memory that could not be returned).
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = 1 << 20;
  arena_options.max_block_size = 8 << 20;
  google::protobuf::Arena parse_arena(arena_options);
  nv1::PrefectureSnapshot& snapshot =
      *google::protobuf::Arena::CreateMessage<nv1::PrefectureSnapshot>(&parse_arena);
  if (!snapshot.ParseFromString(stored.snapshot)) {
    return absl::DataLossError("a stored snapshot is unreadable");
  }
  return EntryOf(snapshot, stored.prefecture, stored.version, stored.receive_time, previous);
}

absl::StatusOr<std::shared_ptr<const PrefectureEntry>> BuildEntry(
    const nv1::PrefectureSnapshot& snapshot, int64_t version, absl::Time receive_time,
    const PrefectureEntry* previous) {
  return EntryOf(snapshot, snapshot.prefecture(), version, receive_time, previous);
}

std::shared_ptr<const ViewState> NextView(
    const ViewState& old, int64_t revision,
    const std::vector<std::shared_ptr<const PrefectureEntry>>& changed,
    const std::vector<int>& removed) {
  auto next = std::make_shared<ViewState>();
  next->revision = revision;
  next->prefectures = old.prefectures;
  next->regions = old.regions;
  // Regions touched get a private copy, updated by difference.
  std::map<int, std::shared_ptr<RegionRollup>> copies;
  const auto region_copy = [&](int region) -> RegionRollup& {
    auto& copy = copies[region];
    if (!copy) copy = std::make_shared<RegionRollup>(*old.regions[region]);
    return *copy;
  };
  const auto take_out = [&](int index) {
    const auto& previous = next->prefectures[index];
    if (previous) {
      AddRows(region_copy(previous->region), AggregateByMonth(previous->workshops), -1);
    }
    next->prefectures[index] = nullptr;
  };
  for (int index : removed) take_out(index);
  for (const auto& entry : changed) {
    take_out(entry->index);
    AddRows(region_copy(entry->region), AggregateByMonth(entry->workshops), +1);
    next->prefectures[entry->index] = entry;
  }
  for (auto& [region, copy] : copies) {
    DropZeroRows(*copy);
    next->regions[region] = std::move(copy);
  }
  return next;
}

}  // namespace qpv::national
