// French-looking reproducible actions for the national-scale generator,
// built from phrase templates so that grouping (services/national/
// good_practices.h) has real work to do. Each action belongs to a family of
// practices and is that family's text in its own words:
// - 55% are practices of their own (a family nobody else draws): most
//   groups are single actions, as in real life;
// - 45% come from 25,000 shared families, family k drawn with weight
//   1 / (k + 50): the commonest practice appears a few hundred times across
//   France, a practice of rank 1000 about ten times. The first 160 families
//   are a catalogue of well-known practices (forum de l'emploi, jardin
//   partagé, médiation santé...: kArchetypes types with two core sentences
//   each), the others are composed slot by slot (object, qualifier, place,
//   public, how it works, partners, purposes) from lists of French phrases.
// Members of a family share its title and core, and reword the rest (a slot
// redrawn now and then, their own rhythm, place and figures): most pairs
// pass the grouping threshold, some do not; two families rarely do.
// Titles are 20 to 80 characters, texts 200 to 450; accents, apostrophes
// and ligatures (œ) are those of real French text, so the normalisation is
// exercised too.
#ifndef QPV_BENCH_ACTION_TEXTS_H_
#define QPV_BENCH_ACTION_TEXTS_H_

#include <cstdint>
#include <string>

#include "qpv/common/v1/common.pb.h"

namespace qpv::bench {

// A small deterministic generator (splitmix64): the same seed gives the same
// dataset on every machine and library (std:: distributions do not promise
// that).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n) (n > 0).
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Log-normal with median `median` and shape `sigma`.
  double LogNormal(double median, double sigma);

 private:
  uint64_t state_;
};

// Mixes a seed with a value, for independent streams (one per préfecture).
uint64_t MixSeed(uint64_t seed, uint64_t value);

inline constexpr int kArchetypes = 40;

struct ActionText {
  std::string title;
  std::string text;
  common::v1::Theme theme = common::v1::THEME_UNSPECIFIED;  // the action type's theme
  int family = -1;  // -1: a practice of its own
};

// One action; `shared_share` is the share drawn from the shared families.
ActionText MakeActionText(Rng& rng, double shared_share = 0.45);

}  // namespace qpv::bench

#endif  // QPV_BENCH_ACTION_TEXTS_H_
