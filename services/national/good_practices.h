// Groups the reproducible actions of every préfecture whose texts are alike
// (see text_similarity.h for the method and threshold): candidate pairs from
// the LSH band keys, confirmed by the exact Jaccard similarity of their
// shingle sets, joined with union-find (so A~B and B~C put A, B, C in one
// group). Exact duplicates (same shingle set) are joined first and only one
// of them goes through LSH; within one bucket of a band, each action is
// compared with the next kBucketWindow ones only, which bounds the work when
// many actions share a common phrase. In a bucket of more than
// kCrowdedBucket actions, a pair must share a second band before its exact
// comparison, and is compared only in the first band where it meets: at
// national scale crowded buckets come from phrasing that many
// texts share, and comparing every pair in them took most of the grouping
// time (a pair at Jaccard 0.4 shares two bands or more with probability
// 97%, at 0.5 with 99.9%; within a family of rewordings the others catch
// the rare miss).
//
// Memory: the grouping reads each préfecture's texts once (in order, a
// compressed block at a time) and keeps, until its joins end, their
// shingle sets (shingle_pool.h: ~1.2 bytes per shingle, one array per
// préfecture) and each préfecture's common shingles (8 KiB). Band keys are
// not kept: those that make a band's buckets are computed from the sets two
// bands at a time (MinHash is a few % of the grouping's CPU), and those
// that tell whether a pair of a crowded bucket met before or shares another
// band are computed, all 32 at once, for the members of crowded buckets
// that meet a pair (~550,000 of the ~6 million band places at national
// scale). Exact duplicates are found by sorting the sets'
// hashes. The groups are then ordered by counts, their best member's title
// (the titles gathered into one string, a text block decompressed once) and
// their first member's name, compared in place.
// At national scale (195,000 actions, qpv-bench-national-view) the
// grouping's peak is ~28 MiB above the view (VmHWM) and it takes ~10 s,
// against ~40 MiB and ~9 s when the low 16 bits of every action's 32 band
// keys were kept (12.5 MiB; one pair in 65,536 wrongly seen as met before:
// 1 join of ~72,800 was lost) and glibc kept the freed sets' pages through
// the ordering (IndexPractices gives them back); ~44 MiB with the
// encoder's map, the largest préfecture's sets and each band's positions
// kept to the end, ~56 MiB with sets of 16-bit ids and a hash map for the
// duplicates, ~68 MiB when every band key was kept whole and ~105 MiB when
// every set was 32-bit and in one array grown by doubling. The view keeps
// none of it, and the cached result costs 4 bytes per action and 20 per
// group (PracticeIndex).
//
// When only votes, themes, QPV codes or names changed since the previous
// grouping (the same texts in the same sets: SameTexts), its joins are
// kept (IndexActionSets' `previous`): what groups actions is their texts
// alone.
//
// A group: title and text of its most voted action (ties: smallest
// contribution name), prefecture_count = distinct préfectures, sources =
// every contribution name, prefectures, themes and qpv_codes = unions (all
// sorted), vote_count = sum. An action like no other is a group of one.
// Order: prefecture_count desc, then number of sources desc, then title,
// then first source.
#ifndef QPV_SERVICES_NATIONAL_GOOD_PRACTICES_H_
#define QPV_SERVICES_NATIONAL_GOOD_PRACTICES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "qpv/national/v1/national.pb.h"
#include "services/national/national_view.h"

namespace qpv::national {

inline constexpr int kBucketWindow = 64;
inline constexpr size_t kCrowdedBucket = 64;

struct PracticeSource {
  const ActionSet* set = nullptr;  // its préfecture's
  const ActionRecord* action = nullptr;
};

// A group by index, so that the cached grouping of a view costs a few bytes
// per action; only the groups of a returned page become messages.
struct PracticeGroup {
  uint32_t first = 0;  // its members are PracticeIndex::members[first, first + count)
  uint32_t count = 0;
  uint32_t best = 0;  // the most voted member (its id, see PracticeIndex)
  int32_t prefecture_count = 0;
  uint32_t themes = 0;  // bit t for Theme t
};

// The order of groups, also the page cursor of ListGoodPractices.
struct GroupKey {
  int prefecture_count = 0;
  int source_count = 0;
  std::string title;
  std::string first_source;
};
// True when a group with key `a` comes before one with key `b`.
bool KeyBefore(const GroupKey& a, const GroupKey& b);

// What a grouping keeps: 4 bytes per action plus 20 per group (3.1 MiB at
// national scale, held by the served grouping until the next replaces it;
// 6.2 MiB when it also kept every action's 16-byte source). A member is an
// id: set_base[s] + the action's index in sets[s]->actions.
struct PracticeIndex {
  // The action sets the sources came from, in order of first appearance,
  // and where each one's ids start (sets.size() + 1 values).
  std::vector<const ActionSet*> sets;
  std::vector<uint32_t> set_base;
  // Ids, group after group, each group's by contribution name.
  std::vector<uint32_t> members;
  std::vector<PracticeGroup> groups;  // in order (KeyBefore)
  // The joins were a previous grouping's (IndexActionSets), no text compared.
  bool joins_kept = false;

  // The place in `sets` of the set an id belongs to, and that action.
  size_t SetOf(uint32_t id) const;
  PracticeSource SourceOf(uint32_t id) const;

  // Both read the sources' action sets (which must outlive the index) and
  // decompress the best member's text block.
  GroupKey KeyOf(const PracticeGroup& g) const;
  // KeyBefore(k, KeyOf(g)), reading g's title only when the counts tie
  // (a cursor's search among the groups).
  bool Before(const GroupKey& k, const PracticeGroup& g) const;
  nv1::GoodPracticeGroup Materialize(const PracticeGroup& g) const;
};

PracticeIndex IndexPractices(std::vector<PracticeSource> sources,
                             double threshold = kSimilarityThreshold);
// The action sets of the view's préfectures, in territory order.
using ActionSets = std::vector<std::shared_ptr<const ActionSet>>;
ActionSets ActionSetsOf(const ViewState& view);
// True when `sets` are those ActionSetsOf(view) gives (the same objects).
bool SameActionSets(const ActionSets& sets, const ViewState& view);
// A grouping done before: the action sets it grouped and its index.
struct PreviousGrouping {
  const ActionSets* sets = nullptr;
  const PracticeIndex* index = nullptr;
};
// True when `a` and `b` are as many sets, each with the texts of the one at
// the same place in the other (ActionSet::SameTextsAs).
bool SameTexts(const ActionSets& a, const ActionSets& b);
// Every action of `sets`, in order (the sets must outlive the index). When
// `previous` grouped sets with the same texts (SameTexts: only votes,
// themes, QPV codes or names changed, as while préfectures vote), its
// groups are taken as they are, no text compared; each group's best
// member, counts and place are computed anew.
PracticeIndex IndexActionSets(const ActionSets& sets, const PreviousGrouping& previous = {});

// Every group as a message, in order (for tests and tools).
std::vector<nv1::GoodPracticeGroup> GroupPractices(std::vector<PracticeSource> sources,
                                                   double threshold = kSimilarityThreshold);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_GOOD_PRACTICES_H_
