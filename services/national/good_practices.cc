#include "services/national/good_practices.h"

#include <malloc.h>

#include <algorithm>
#include <array>
#include <climits>
#include <numeric>
#include <set>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "services/national/shingle_pool.h"

namespace qpv::national {
namespace {

using ::qpv::common::v1::Theme;

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Unite(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

std::string NameOf(const PracticeSource& s) { return s.set->ContributionName(*s.action); }

bool NameBefore(const PracticeSource& a, const PracticeSource& b) {
  return ActionSet::NameBefore(*a.set, *a.action, *b.set, *b.action);
}

// Appends the 32-bit shingle set of a text, sorted and unique, to `sets`.
void AppendShingleSet(absl::string_view title, absl::string_view text, FlatSets& sets) {
  const size_t first = sets.values.size();
  for (uint64_t x : Shingles(title, text)) {
    sets.values.push_back(static_cast<uint32_t>(x ^ (x >> 32)));
  }
  std::sort(sets.values.begin() + first, sets.values.end());
  sets.values.erase(std::unique(sets.values.begin() + first, sets.values.end()),
                    sets.values.end());
  sets.begin.push_back(static_cast<uint32_t>(sets.values.size()));
}

// The sources of each préfecture, in source order, préfectures in order of
// first appearance.
std::vector<std::vector<uint32_t>> ByPrefecture(const std::vector<PracticeSource>& sources) {
  std::vector<std::vector<uint32_t>> out;
  absl::flat_hash_map<const ActionSet*, size_t> slot;
  for (uint32_t i = 0; i < sources.size(); ++i) {
    auto [it, inserted] = slot.emplace(sources[i].set, out.size());
    if (inserted) out.emplace_back();
    out[it->second].push_back(i);
  }
  return out;
}

// The shingle sets of one préfecture's sources (its texts read in order, a
// compressed block decompressed at a time), into `sets` (whose buffers are
// reused from one préfecture to the next).
void ReadShingles(const std::vector<PracticeSource>& sources, const std::vector<uint32_t>& indexes,
                  FlatSets& sets) {
  sets.values.clear();
  sets.begin.assign(1, 0);
  uint32_t block = UINT32_MAX;
  std::string texts;
  for (uint32_t i : indexes) {
    const PracticeSource& s = sources[i];
    const TextRef& t = s.action->text;
    if (t.block != block) {
      block = t.block;
      texts = s.set->texts->Block(block);
    }
    AppendShingleSet(ActionSet::TitleIn(texts, *s.action), ActionSet::TextIn(texts, *s.action),
                     sets);
  }
}

// The shingles common among one préfecture's actions, left out of their
// signatures (text_similarity.h, step 3), as the pool stores them.
class CommonShingles {
 public:
  // `sets` as the pool encoded them (a shingle keeps one value throughout).
  explicit CommonShingles(const FlatSets& sets) {
    int actions = 0;
    absl::flat_hash_map<uint32_t, int> df;
    for (size_t k = 0; k < sets.size(); ++k) {
      if (sets.count(k) == 0) continue;
      ++actions;
      for (uint32_t j = 0; j < sets.count(k); ++j) ++df[sets.data(k)[j]];
    }
    const double limit = std::max<double>(kCommonMin, kCommonShare * actions);
    for (const auto& [v, n] : df) {
      if (n <= limit) continue;
      if (v < ids_.size()) {
        ids_[v] = true;
      } else {
        others_.insert(v);
      }
    }
  }
  bool contains(uint32_t v) const { return v < ids_.size() ? ids_[v] : others_.contains(v); }

 private:
  std::vector<bool> ids_ = std::vector<bool>(1 << 16);  // 8 KiB
  absl::flat_hash_set<uint32_t> others_;
};

// The shingles that make a set's signature: those not common in its
// préfecture, or every one when all are. each(f) calls f(value, shingle)
// for each of the set's (ShinglePool::ForEach).
template <typename Each>
void SignatureOf(Each&& each, const CommonShingles& common, std::vector<uint64_t>& out) {
  out.clear();
  each([&](uint32_t v, uint32_t x) {
    if (!common.contains(v)) out.push_back(x);
  });
  if (out.empty()) each([&](uint32_t, uint32_t x) { out.push_back(x); });
}

void SignatureShingles(const ShinglePool& pool, uint32_t i, const CommonShingles& common,
                       std::vector<uint64_t>& out) {
  SignatureOf([&](auto&& f) { pool.ForEach(i, f); }, common, out);
}

// A member of the band's bucket window: its set decoded and, once a pair
// of a crowded bucket asks, its band keys. Keys were kept for every action
// instead (their low 16 bits, 64 bytes an action, 12.5 MiB at national
// scale at the grouping's peak); here they are computed for the ~550,000
// (band, member) places of crowded buckets that meet a pair, all at once
// (such a member needs ~30 of its 32 keys), and "met in an earlier band" is
// exact.
class WindowSlot {
 public:
  void Load(const ShinglePool& pool, uint32_t i, const CommonShingles& common) {
    pool.Decode(i, values_);
    pool_ = &pool;
    common_ = &common;
    keyed_ = false;
  }
  const std::vector<uint32_t>& values() const { return values_; }
  uint32_t Key(int band) {
    if (!keyed_) {
      SignatureOf(
          [&](auto&& f) {
            for (uint32_t v : values_) f(v, pool_->Shingle(v));
          },
          *common_, signature_);
      keys_ = Bands(MinHash(signature_));
      keyed_ = true;
    }
    return keys_[band];
  }

 private:
  const ShinglePool* pool_ = nullptr;
  const CommonShingles* common_ = nullptr;
  std::vector<uint32_t> values_;
  std::vector<uint64_t> signature_;  // Key's, reused
  BandKeys keys_{};
  bool keyed_ = false;
};

// True when the pair met in an earlier band's bucket.
bool MetBefore(WindowSlot& a, WindowSlot& b, int band) {
  for (int k = 0; k < band; ++k) {
    if (a.Key(k) == b.Key(k)) return true;
  }
  return false;
}

// True when the pair shares a band after `band` (it shares `band`).
bool SharesLaterBand(WindowSlot& a, WindowSlot& b, int band) {
  for (int k = band + 1; k < kBands; ++k) {
    if (a.Key(k) == b.Key(k)) return true;
  }
  return false;
}

// The members of a band's bucket positions [x, x + kBucketWindow], loaded:
// each member of a bucket is decoded once, not once per pair it is in
// (which made the grouping ~30% slower than with 16-bit arrays).
class DecodedWindow {
 public:
  // Positions restart at each band.
  void Reset() { std::fill(position_.begin(), position_.end(), SIZE_MAX); }
  WindowSlot& Get(const ShinglePool& pool, size_t position, uint32_t i,
                  const CommonShingles& common) {
    const size_t slot = position % slots_.size();
    if (position_[slot] != position) {
      slots_[slot].Load(pool, i, common);
      position_[slot] = position;
    }
    return slots_[slot];
  }

 private:
  std::vector<WindowSlot> slots_{kBucketWindow + 1};
  std::vector<size_t> position_ = std::vector<size_t>(kBucketWindow + 1, SIZE_MAX);
};

// Joins the sources whose texts are alike in `uf`. Each préfecture is read
// once: its shingle sets go to the pool (kept for the exact comparisons)
// and the shingles common among its actions are noted.
void JoinSimilar(const std::vector<PracticeSource>& sources, double threshold, UnionFind& uf) {
  const size_t n = sources.size();
  ShinglePool pool(n);
  std::vector<CommonShingles> commons;
  std::vector<uint32_t> prefecture_of(n);  // an index into commons
  std::vector<uint64_t> shingles;
  {
    FlatSets sets;  // the largest préfecture's, ~3 MiB: gone before the joins
    for (const std::vector<uint32_t>& indexes : ByPrefecture(sources)) {
      ReadShingles(sources, indexes, sets);
      pool.Add(indexes, sets);
      commons.emplace_back(sets);
      for (uint32_t i : indexes) prefecture_of[i] = static_cast<uint32_t>(commons.size() - 1);
    }
  }
  pool.Seal();
  // Exact duplicates join at once; one of each (the first) goes on to LSH.
  // Found by sorting the sets' hashes: 12 bytes per action, where a hash
  // map took ~6 MiB at national scale, at the grouping's peak.
  std::vector<uint32_t> distinct;
  {
    std::vector<uint64_t> hash(n);
    std::vector<uint32_t> by_hash;
    by_hash.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (pool.empty(i)) continue;  // no word: never grouped
      hash[i] = pool.SetHash(i);
      by_hash.push_back(i);
    }
    std::sort(by_hash.begin(), by_hash.end(), [&](uint32_t a, uint32_t b) {
      return std::tie(hash[a], a) < std::tie(hash[b], b);
    });
    std::vector<bool> duplicate(n);
    for (size_t lo = 0; lo < by_hash.size();) {
      size_t hi = lo + 1;
      for (; hi < by_hash.size() && hash[by_hash[hi]] == hash[by_hash[lo]]; ++hi) {
        duplicate[by_hash[hi]] = true;
        uf.Unite(by_hash[lo], by_hash[hi]);
      }
      lo = hi;
    }
    for (uint32_t i = 0; i < n; ++i) {
      if (!pool.empty(i) && !duplicate[i]) distinct.push_back(i);
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> bucket;  // (band key, position in distinct)
  bucket.reserve(distinct.size());
  DecodedWindow window;
  // Two bands' keys from each walk over the sets (a walk decodes a set);
  // the second band's keys wait without their positions (4 bytes an action).
  std::vector<uint32_t> next_keys(distinct.size());
  static_assert(kBands % 2 == 0);
  for (int b = 0; b < kBands; ++b) {
    window.Reset();
    bucket.clear();
    if (b % 2 == 0) {
      for (uint32_t k = 0; k < distinct.size(); ++k) {
        const uint32_t i = distinct[k];
        SignatureShingles(pool, i, commons[prefecture_of[i]], shingles);
        bucket.push_back({BandKey(b, shingles), k});
        next_keys[k] = BandKey(b + 1, shingles);
      }
    } else {
      for (uint32_t k = 0; k < distinct.size(); ++k) bucket.push_back({next_keys[k], k});
    }
    std::sort(bucket.begin(), bucket.end());
    for (size_t lo = 0; lo < bucket.size();) {
      size_t hi = lo + 1;
      while (hi < bucket.size() && bucket[hi].first == bucket[lo].first) ++hi;
      const bool crowded = hi - lo > kCrowdedBucket;
      for (size_t x = lo; x < hi; ++x) {
        const size_t end = std::min(hi, x + 1 + kBucketWindow);
        for (size_t y = x + 1; y < end; ++y) {
          const uint32_t a = distinct[bucket[x].second], c = distinct[bucket[y].second];
          if (uf.Find(a) == uf.Find(c)) continue;
          if (!pool.SizesAllow(a, c, threshold)) continue;
          WindowSlot& sa = window.Get(pool, x, a, commons[prefecture_of[a]]);
          WindowSlot& sc = window.Get(pool, y, c, commons[prefecture_of[c]]);
          // In a crowded bucket, a pair is compared only the first time it
          // meets, and when it shares another band. In the others every pair
          // is compared, even one already compared in an earlier band (with
          // the same answer): cheaper than computing the keys that tell.
          if (crowded && (MetBefore(sa, sc, b) || !SharesLaterBand(sa, sc, b))) continue;
          if (ShinglePool::Alike(sa.values(), sc.values(), threshold)) uf.Unite(a, c);
        }
      }
      lo = hi;
    }
  }
}

// The first part of the groups' order: more préfectures first, then more
// sources. Negative when a's counts come first, 0 when they tie.
int CompareCounts(int prefectures_a, int sources_a, int prefectures_b, int sources_b) {
  if (prefectures_a != prefectures_b) return prefectures_a > prefectures_b ? -1 : 1;
  if (sources_a != sources_b) return sources_a > sources_b ? -1 : 1;
  return 0;
}

// The title of each group's best member, back to back in one string (~7 MiB
// at national scale: a key of two strings per group, its title copied out
// of the blocks, added ~12 MiB to qpv-bench-national-view's resident
// memory), each text block decompressed once (groups in the order of their
// best's block, not one block per group).
class BestTitles {
 public:
  BestTitles(const std::vector<PracticeSource>& sources,
             const std::vector<PracticeGroup>& groups);
  absl::string_view operator[](size_t group) const {
    return absl::string_view(bytes_).substr(begin_[group], begin_[group + 1] - begin_[group]);
  }

 private:
  std::string bytes_;
  std::vector<uint32_t> begin_;
};

BestTitles::BestTitles(const std::vector<PracticeSource>& sources,
                       const std::vector<PracticeGroup>& groups) {
  std::vector<uint32_t> by_block(groups.size());
  for (uint32_t i = 0; i < by_block.size(); ++i) by_block[i] = i;
  const auto place = [&](uint32_t i) {
    const PracticeSource& s = sources[groups[i].best];
    return std::make_pair(s.set, s.action->text.block);
  };
  std::sort(by_block.begin(), by_block.end(),
            [&](uint32_t a, uint32_t b) { return place(a) < place(b); });
  // Sizes first, then the bytes in place: no string grows by doubling.
  std::vector<uint32_t> size(groups.size());
  for (size_t i = 0; i < groups.size(); ++i) size[i] = sources[groups[i].best].action->title_size;
  begin_.assign(groups.size() + 1, 0);
  for (size_t i = 0; i < groups.size(); ++i) begin_[i + 1] = begin_[i] + size[i];
  bytes_.resize(begin_.back());
  std::pair<const ActionSet*, uint32_t> current{nullptr, 0};
  std::string block;
  for (uint32_t i : by_block) {
    const PracticeSource& s = sources[groups[i].best];
    if (place(i) != current) {
      current = place(i);
      block = s.set->texts->Block(current.second);
    }
    const absl::string_view title = ActionSet::TitleIn(block, *s.action);
    // An unreadable block gives ""; the slot keeps its size, zero-filled.
    std::copy(title.begin(), title.end(), bytes_.begin() + begin_[i]);
  }
}

}  // namespace

bool KeyBefore(const GroupKey& a, const GroupKey& b) {
  if (const int c = CompareCounts(a.prefecture_count, a.source_count, b.prefecture_count,
                                  b.source_count)) {
    return c < 0;
  }
  return std::tie(a.title, a.first_source) < std::tie(b.title, b.first_source);
}

bool PracticeIndex::Before(const GroupKey& k, const PracticeGroup& g) const {
  if (const int c = CompareCounts(k.prefecture_count, k.source_count, g.prefecture_count,
                                  static_cast<int>(g.count))) {
    return c < 0;
  }
  return KeyBefore(k, KeyOf(g));
}

size_t PracticeIndex::SetOf(uint32_t id) const {
  return std::upper_bound(set_base.begin(), set_base.end(), id) - set_base.begin() - 1;
}

PracticeSource PracticeIndex::SourceOf(uint32_t id) const {
  const size_t s = SetOf(id);
  return {sets[s], &sets[s]->actions[id - set_base[s]]};
}

GroupKey PracticeIndex::KeyOf(const PracticeGroup& g) const {
  const PracticeSource best = SourceOf(g.best);
  return {g.prefecture_count, static_cast<int>(g.count), best.set->Title(*best.action),
          NameOf(SourceOf(members[g.first]))};
}

nv1::GoodPracticeGroup PracticeIndex::Materialize(const PracticeGroup& group) const {
  std::set<absl::string_view> prefectures, codes;
  int64_t votes = 0;
  nv1::GoodPracticeGroup g;
  for (uint32_t k = group.first; k < group.first + group.count; ++k) {
    const PracticeSource s = SourceOf(members[k]);
    g.add_sources(NameOf(s));
    prefectures.insert(s.set->code);
    for (absl::string_view c :
         absl::StrSplit(s.set->Str(s.action->qpv_codes), ',', absl::SkipEmpty())) {
      codes.insert(c);
    }
    votes += s.action->vote_count;
  }
  const PracticeSource best = SourceOf(group.best);
  const std::string block = best.set->texts->Block(best.action->text.block);
  g.set_title(std::string(ActionSet::TitleIn(block, *best.action)));
  g.set_text(std::string(ActionSet::TextIn(block, *best.action)));
  g.set_prefecture_count(group.prefecture_count);
  for (const auto& p : prefectures) g.add_prefectures(std::string(p));
  for (int t = 1; t < 32; ++t) {
    if (group.themes & (1u << t)) g.add_themes(static_cast<Theme>(t));
  }
  g.set_vote_count(votes);
  for (const auto& c : codes) g.add_qpv_codes(std::string(c));
  return g;
}

namespace {

// The index of `sources` grouped as `uf` joined them.
PracticeIndex IndexJoined(const std::vector<PracticeSource>& sources, UnionFind& uf) {
  PracticeIndex index;
  const size_t n = sources.size();
  // Members by root, in one array: count per root, then place.
  std::vector<uint32_t> root(n), begin(n + 1, 0);
  for (uint32_t i = 0; i < n; ++i) ++begin[(root[i] = uf.Find(i)) + 1];
  for (size_t r = 0; r < n; ++r) begin[r + 1] += begin[r];
  std::vector<uint32_t> members(n);
  {
    std::vector<uint32_t> next(begin.begin(), begin.end() - 1);
    for (uint32_t i = 0; i < n; ++i) members[next[root[i]]++] = i;
  }
  std::vector<PracticeGroup> groups;
  for (uint32_t r = 0; r < n; ++r) {
    if (begin[r] == begin[r + 1]) continue;
    PracticeGroup g;
    g.first = begin[r];
    g.count = begin[r + 1] - begin[r];
    const auto first = members.begin() + g.first;
    std::sort(first, first + g.count,
              [&](uint32_t a, uint32_t b) { return NameBefore(sources[a], sources[b]); });
    // Most voted; ties: the smallest name (members are sorted by name).
    g.best = *first;
    std::set<const ActionSet*> prefectures;
    for (auto it = first; it != first + g.count; ++it) {
      if (sources[*it].action->vote_count > sources[g.best].action->vote_count) g.best = *it;
      prefectures.insert(sources[*it].set);
      g.themes |= sources[*it].action->themes;
    }
    g.prefecture_count = static_cast<int32_t>(prefectures.size());
    groups.push_back(g);
  }
  // Groups in order, their members copied along so each group's stay together.
  index.members = std::move(members);
  // In KeyBefore's order, without a GroupKey (two strings) per group.
  std::vector<uint32_t> order(groups.size());
  {
    const BestTitles titles(sources, groups);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const PracticeGroup& ga = groups[a];
      const PracticeGroup& gb = groups[b];
      if (const int c = CompareCounts(ga.prefecture_count, static_cast<int>(ga.count),
                                      gb.prefecture_count, static_cast<int>(gb.count))) {
        return c < 0;
      }
      if (titles[a] != titles[b]) return titles[a] < titles[b];
      return NameBefore(sources[index.members[ga.first]], sources[index.members[gb.first]]);
    });
  }
  std::vector<uint32_t> sorted_members;
  sorted_members.reserve(n);
  index.groups.reserve(groups.size());
  for (uint32_t i : order) {
    PracticeGroup g = groups[i];
    const uint32_t from = g.first;
    g.first = static_cast<uint32_t>(sorted_members.size());
    sorted_members.insert(sorted_members.end(), index.members.begin() + from,
                          index.members.begin() + from + g.count);
    index.groups.push_back(g);
  }
  // Sources become ids, so that the index does not keep them.
  absl::flat_hash_map<const ActionSet*, uint32_t> base;
  index.set_base.push_back(0);
  for (const PracticeSource& s : sources) {
    if (base.emplace(s.set, index.set_base.back()).second) {
      index.sets.push_back(s.set);
      index.set_base.push_back(index.set_base.back() +
                               static_cast<uint32_t>(s.set->actions.size()));
    }
  }
  const auto id = [&](uint32_t i) {
    return base[sources[i].set] +
           static_cast<uint32_t>(sources[i].action - sources[i].set->actions.data());
  };
  for (uint32_t& m : sorted_members) m = id(m);
  for (PracticeGroup& g : index.groups) g.best = id(g.best);
  index.members = std::move(sorted_members);
  return index;
}

// Joins in `uf` (over every action of `sets`, in order) the members of each
// group of `previous`, which grouped sets with the same texts; false (and
// `uf` untouched) when previous's index names a set it does not hold.
bool JoinAsBefore(const ActionSets& sets, const PreviousGrouping& previous, UnionFind& uf) {
  absl::flat_hash_map<const ActionSet*, uint32_t> start;  // a previous set -> its new start
  uint32_t next = 0;
  for (size_t k = 0; k < sets.size(); ++k) {
    start[(*previous.sets)[k].get()] = next;
    next += static_cast<uint32_t>(sets[k]->actions.size());
  }
  const PracticeIndex& index = *previous.index;
  std::vector<uint32_t> new_base;  // per index.sets
  for (const ActionSet* set : index.sets) {
    auto it = start.find(set);
    if (it == start.end()) return false;
    new_base.push_back(it->second);
  }
  const auto position = [&](uint32_t id) {
    const size_t s = index.SetOf(id);
    return new_base[s] + (id - index.set_base[s]);
  };
  for (const PracticeGroup& g : index.groups) {
    const uint32_t first = position(index.members[g.first]);
    for (uint32_t k = g.first + 1; k < g.first + g.count; ++k) {
      uf.Unite(first, position(index.members[k]));
    }
  }
  return true;
}

}  // namespace

PracticeIndex IndexPractices(std::vector<PracticeSource> sources, double threshold) {
  UnionFind uf(sources.size());
  JoinSimilar(sources, threshold, uf);
  // Its shingle sets are freed, but glibc keeps their pages (they lie below
  // the heap's top): the ordering would then add ~9 MiB of new pages to the
  // grouping's peak at national scale (qpv-bench-national-view).
  malloc_trim(0);
  return IndexJoined(sources, uf);
}

ActionSets ActionSetsOf(const ViewState& view) {
  ActionSets sets;
  for (const auto& e : view.prefectures) {
    if (e) sets.push_back(e->action_set);
  }
  return sets;
}

bool SameActionSets(const ActionSets& sets, const ViewState& view) {
  size_t i = 0;
  for (const auto& e : view.prefectures) {
    if (!e) continue;
    if (i == sets.size() || sets[i] != e->action_set) return false;
    ++i;
  }
  return i == sets.size();
}

bool SameTexts(const ActionSets& a, const ActionSets& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x == y || x->SameTextsAs(*y); });
}

PracticeIndex IndexActionSets(const ActionSets& sets, const PreviousGrouping& previous) {
  std::vector<PracticeSource> sources;
  size_t n = 0;
  for (const auto& set : sets) n += set->actions.size();
  sources.reserve(n);
  for (const auto& set : sets) {
    for (const ActionRecord& a : set->actions) sources.push_back({set.get(), &a});
  }
  if (previous.sets != nullptr && previous.index != nullptr && SameTexts(sets, *previous.sets)) {
    UnionFind uf(n);
    if (JoinAsBefore(sets, previous, uf)) {
      PracticeIndex index = IndexJoined(sources, uf);
      index.joins_kept = true;
      return index;
    }
  }
  return IndexPractices(std::move(sources));
}

std::vector<nv1::GoodPracticeGroup> GroupPractices(std::vector<PracticeSource> sources,
                                                   double threshold) {
  const PracticeIndex index = IndexPractices(std::move(sources), threshold);
  std::vector<nv1::GoodPracticeGroup> out;
  for (const auto& g : index.groups) out.push_back(index.Materialize(g));
  return out;
}

}  // namespace qpv::national
