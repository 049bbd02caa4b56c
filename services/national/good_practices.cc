#include "services/national/good_practices.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"

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

absl::string_view NameOf(const PracticeSource& s) { return s.entry->Str(s.action->contribution); }

}  // namespace

bool KeyBefore(const GroupKey& a, const GroupKey& b) {
  return std::forward_as_tuple(-a.prefecture_count, -a.source_count, a.title, a.first_source) <
         std::forward_as_tuple(-b.prefecture_count, -b.source_count, b.title, b.first_source);
}

GroupKey PracticeIndex::KeyOf(const PracticeGroup& g) const {
  const PracticeSource& best = sources[g.best];
  return {g.prefecture_count, static_cast<int>(g.members.size()),
          best.entry->Str(best.action->title), NameOf(sources[g.members.front()])};
}

nv1::GoodPracticeGroup PracticeIndex::Materialize(const PracticeGroup& group) const {
  std::set<absl::string_view> prefectures, codes;
  int64_t votes = 0;
  nv1::GoodPracticeGroup g;
  for (uint32_t i : group.members) {
    const PracticeSource& s = sources[i];
    g.add_sources(std::string(NameOf(s)));
    prefectures.insert(s.entry->code);
    for (absl::string_view c :
         absl::StrSplit(s.entry->Str(s.action->qpv_codes), ',', absl::SkipEmpty())) {
      codes.insert(c);
    }
    votes += s.action->vote_count;
  }
  const PracticeSource& best = sources[group.best];
  g.set_title(std::string(best.entry->Str(best.action->title)));
  g.set_text(std::string(best.entry->Str(best.action->text)));
  g.set_prefecture_count(group.prefecture_count);
  for (const auto& p : prefectures) g.add_prefectures(std::string(p));
  for (int t = 1; t < 32; ++t) {
    if (group.themes & (1u << t)) g.add_themes(static_cast<Theme>(t));
  }
  g.set_vote_count(votes);
  for (const auto& c : codes) g.add_qpv_codes(std::string(c));
  return g;
}

PracticeIndex IndexPractices(std::vector<PracticeSource> input, double threshold) {
  PracticeIndex index;
  index.sources = std::move(input);
  const std::vector<PracticeSource>& sources = index.sources;
  const size_t n = sources.size();
  UnionFind uf(n);
  // Exact duplicates join at once; one of each goes on to LSH.
  std::vector<uint32_t> distinct;
  {
    absl::flat_hash_map<uint64_t, uint32_t> first;
    for (uint32_t i = 0; i < n; ++i) {
      const ActionRecord& a = *sources[i].action;
      if (!a.groupable) continue;
      auto [it, inserted] = first.emplace(a.set_hash, i);
      if (inserted) {
        distinct.push_back(i);
      } else {
        uf.Unite(it->second, i);
      }
    }
  }
  // Shingle sets are recomputed for candidates only, once each.
  // unordered_map: references stay valid while it grows.
  std::unordered_map<uint32_t, std::vector<uint64_t>> shingles;
  const auto shingles_of = [&](uint32_t i) -> const std::vector<uint64_t>& {
    auto it = shingles.find(i);
    if (it == shingles.end()) {
      const PracticeSource& s = sources[i];
      it =
          shingles.emplace(i, Shingles(s.entry->Str(s.action->title), s.entry->Str(s.action->text)))
              .first;
    }
    return it->second;
  };
  std::vector<std::pair<uint32_t, uint32_t>> bucket;  // (band key, source)
  bucket.reserve(distinct.size());
  for (int b = 0; b < kBands; ++b) {
    bucket.clear();
    for (uint32_t i : distinct) bucket.push_back({sources[i].action->bands[b], i});
    std::sort(bucket.begin(), bucket.end());
    for (size_t lo = 0; lo < bucket.size();) {
      size_t hi = lo + 1;
      while (hi < bucket.size() && bucket[hi].first == bucket[lo].first) ++hi;
      for (size_t x = lo; x < hi; ++x) {
        const size_t end = std::min(hi, x + 1 + kBucketWindow);
        for (size_t y = x + 1; y < end; ++y) {
          const uint32_t a = bucket[x].second;
          const uint32_t c = bucket[y].second;
          if (uf.Find(a) == uf.Find(c)) continue;
          if (Jaccard(shingles_of(a), shingles_of(c)) >= threshold) uf.Unite(a, c);
        }
      }
      lo = hi;
    }
  }
  std::vector<std::vector<uint32_t>> members(n);
  for (uint32_t i = 0; i < n; ++i) members[uf.Find(i)].push_back(i);
  for (uint32_t root = 0; root < n; ++root) {
    if (members[root].empty()) continue;
    PracticeGroup g;
    g.members = std::move(members[root]);
    std::sort(g.members.begin(), g.members.end(),
              [&](uint32_t a, uint32_t b) { return NameOf(sources[a]) < NameOf(sources[b]); });
    // Most voted; ties: the smallest name (members are sorted by name).
    g.best = g.members.front();
    std::set<const PrefectureEntry*> prefectures;
    for (uint32_t i : g.members) {
      if (sources[i].action->vote_count > sources[g.best].action->vote_count) g.best = i;
      prefectures.insert(sources[i].entry);
      g.themes |= sources[i].action->themes;
    }
    g.prefecture_count = static_cast<int>(prefectures.size());
    index.groups.push_back(std::move(g));
  }
  std::vector<std::pair<GroupKey, size_t>> order;
  order.reserve(index.groups.size());
  for (size_t i = 0; i < index.groups.size(); ++i)
    order.push_back({index.KeyOf(index.groups[i]), i});
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return KeyBefore(a.first, b.first); });
  std::vector<PracticeGroup> sorted;
  sorted.reserve(order.size());
  for (const auto& [key, i] : order) sorted.push_back(std::move(index.groups[i]));
  index.groups = std::move(sorted);
  return index;
}

PracticeIndex IndexPractices(const ViewState& view) {
  std::vector<PracticeSource> sources;
  for (const auto& e : view.prefectures) {
    if (!e) continue;
    for (const ActionRecord& a : e->actions) sources.push_back({e.get(), &a});
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
