// How national tells that two reproducible actions say the same thing.
//
// Method (documented for the national team):
// 1. Normalise title and text: UTF-8 decoded, lower case, accents folded
//    (é->e, ç->c, œ->oe, æ->ae, ß->ss...), apostrophes and punctuation ->
//    spaces, a short French stop-word list dropped, then a light stemmer so
//    that the plural or feminine of a word is the same word ("locaux",
//    "locale", "locales" -> "local"; "jeunes" -> "jeun").
// 2. Shingles: the words (1-grams) and word 2-grams of the title's words
//    followed by the text's, each hashed to 64 bits; a set. The brief asked
//    for 2-grams alone: on rewordings they fall apart as soon as two phrases
//    swap places ("Pôle emploi, la mission locale" / "la mission locale,
//    Pôle emploi"); adding the words keeps rewordings above the threshold
//    while different actions stay below it (numbers below).
// 3. MinHash: kMinHashes hash functions with a fixed seed (the same
//    signature in every process), cut into kBands bands of kRows; two
//    actions sharing any band key are candidates (LSH). With 32 bands of 2
//    rows a pair at Jaccard 0.4 is a candidate with probability
//    1 - (1 - 0.4^2)^32 = 99.6%. The signature leaves out the shingles
//    common in the action's préfecture (kCommonShare: "mise en place",
//    "habitants du quartier"): shared by thousands of actions, they would
//    be the minimum of one hash in ten and put those thousands in one
//    bucket, each compared with the next kBucketWindow (on the bench's
//    national dataset, 195,000 actions, the grouping took over 90 s; with
//    this and the measures of good_practices.h, about 10 s of CPU).
//    Step 4 still uses every shingle.
// 4. A candidate pair is confirmed when the exact Jaccard similarity of the
//    two shingle sets is >= kSimilarityThreshold = 0.4.
// Tuning (good_practices_test.cc, TextSimilarityTest: French rewordings of one action against
// different actions on the same theme): rewordings (plural/singular,
// accents and case, words added, phrases swapped) score 0.41 to 1.0;
// different actions 0.03 to 0.26, and 0.36 for two template-like texts
// that differ in one key word ("permanence emploi / santé au centre
// social"). With 2-grams alone rewordings scored 0.21 to 1.0 against 0 to
// 0.23 for different actions: no threshold separated them.
#ifndef QPV_SERVICES_NATIONAL_TEXT_SIMILARITY_H_
#define QPV_SERVICES_NATIONAL_TEXT_SIMILARITY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace qpv::national {

inline constexpr int kBands = 32;
inline constexpr int kRows = 2;
inline constexpr int kMinHashes = kBands * kRows;
inline constexpr double kSimilarityThreshold = 0.4;

using Signature = std::array<uint64_t, kMinHashes>;
using BandKeys = std::array<uint32_t, kBands>;

// The normalised words of a text (step 1).
std::vector<std::string> NormalizedWords(absl::string_view text);

// The shingle set of an action, sorted and unique (step 2). Empty when the
// title and text hold no word (such an action is never grouped).
std::vector<uint64_t> Shingles(absl::string_view title, absl::string_view text);

Signature MinHash(const std::vector<uint64_t>& shingles);
// A shingle found in more than kCommonShare of a préfecture's actions (and
// in more than kCommonMin of them) is common there: left out of its
// actions' signatures (step 3).
inline constexpr double kCommonShare = 0.02;
inline constexpr int kCommonMin = 10;
BandKeys Bands(const Signature& signature);
// Bands(MinHash(shingles))[band] alone, from the kRows hash functions of
// that band: a grouping that keeps every band key of every action at once
// would hold 128 bytes per action.
uint32_t BandKey(int band, const std::vector<uint64_t>& shingles);

// |a ∩ b| / |a ∪ b| of two sorted unique sets; 0 when both are empty.
double Jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_TEXT_SIMILARITY_H_
