// Groups the reproducible actions of every préfecture whose texts are alike
// (see text_similarity.h for the method and threshold): candidate pairs from
// the LSH band keys, confirmed by the exact Jaccard similarity of their
// shingle sets, joined with union-find (so A~B and B~C put A, B, C in one
// group). Exact duplicates (same shingle set) are joined first and only one
// of them goes through LSH; within one bucket of a band, each action is
// compared with the next kBucketWindow ones only, which bounds the work when
// many actions share a common phrase.
//
// A group: title and text of its most voted action (ties: smallest
// contribution name), prefecture_count = distinct préfectures, sources =
// every contribution name, prefectures, themes and qpv_codes = unions (all
// sorted), vote_count = sum. An action like no other is a group of one.
// Order: prefecture_count desc, then number of sources desc, then title,
// then first source.
#ifndef QPV_SERVICES_NATIONAL_GOOD_PRACTICES_H_
#define QPV_SERVICES_NATIONAL_GOOD_PRACTICES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "qpv/national/v1/national.pb.h"
#include "services/national/national_view.h"

namespace qpv::national {

inline constexpr int kBucketWindow = 64;

struct PracticeSource {
  const PrefectureEntry* entry = nullptr;
  const ActionRecord* action = nullptr;
};

// A group by index, so that the cached grouping of a view costs a few bytes
// per action; only the groups of a returned page become messages.
struct PracticeGroup {
  std::vector<uint32_t> members;  // into PracticeIndex::sources, by contribution name
  uint32_t best = 0;              // the most voted member
  int prefecture_count = 0;
  uint32_t themes = 0;  // bit t for Theme t
};

// The order of groups, also the page cursor of ListGoodPractices.
struct GroupKey {
  int prefecture_count = 0;
  int source_count = 0;
  absl::string_view title;
  absl::string_view first_source;
};
// True when a group with key `a` comes before one with key `b`.
bool KeyBefore(const GroupKey& a, const GroupKey& b);

struct PracticeIndex {
  std::vector<PracticeSource> sources;
  std::vector<PracticeGroup> groups;  // in order (KeyBefore)

  // Views into the préfectures' arenas: valid while the view lives.
  GroupKey KeyOf(const PracticeGroup& g) const;
  nv1::GoodPracticeGroup Materialize(const PracticeGroup& g) const;
};

PracticeIndex IndexPractices(std::vector<PracticeSource> sources,
                             double threshold = kSimilarityThreshold);
// Every action of the view (whose entries must outlive the index).
PracticeIndex IndexPractices(const ViewState& view);

// Every group as a message, in order (for tests and tools).
std::vector<nv1::GoodPracticeGroup> GroupPractices(std::vector<PracticeSource> sources,
                                                   double threshold = kSimilarityThreshold);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_GOOD_PRACTICES_H_
