// The representativeness target: the mix of actor categories a workshop
// should gather, as weights normalised to shares. One default mix, which each
// préfecture may override (QPV_TARGET_MIX):
//
//   ASSOCIATION=30,LOCAL_AUTHORITY=20;59:ASSOCIATION=40,CITIZEN_COUNCIL=20
//
// Entries are separated by ';'. An entry without a prefix replaces the
// built-in default mix; an entry prefixed with a département code and ':'
// is the whole mix of that préfecture (it replaces the default, it does not
// patch it). Category names are accepted with or without ACTOR_CATEGORY_, in
// any case; weights are non-negative numbers, at least one positive per entry.
// A category left out, or weighted 0, is not part of the target.
#ifndef QPV_SERVICES_REPORTING_TARGET_MIX_H_
#define QPV_SERVICES_REPORTING_TARGET_MIX_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "qpv/common/v1/common.pb.h"

namespace qpv::reporting {

using ::qpv::common::v1::ActorCategory;

class TargetMix {
 public:
  // Weights must be finite and non-negative with at least one positive;
  // ACTOR_CATEGORY_UNSPECIFIED is refused.
  static absl::StatusOr<TargetMix> FromWeights(const std::map<ActorCategory, double>& weights);

  // The built-in mix: local authorities 20, associations 25, social landlords
  // 10, citizen councils 15, adult relays 10, resource centres 5, State
  // services 10, businesses 5 (residents and others 0).
  static const TargetMix& Default();

  // Share of `category` in the target, 0..1 (0 when not part of it).
  double Share(ActorCategory category) const;
  // ceil(Share(category) * total), computed from the weights so that
  // 0.15 * 40 is 6 and not 7.
  int64_t Seats(ActorCategory category, int64_t total) const;
  // The categories of the target (positive weight) with their shares, by
  // category.
  std::vector<std::pair<ActorCategory, double>> Shares() const;
  // TargetFingerprint(Shares()) (report_wire.h), computed once: every
  // cached report served is checked against it.
  const std::string& Fingerprint() const { return fingerprint_; }

  bool operator==(const TargetMix& other) const { return weights_ == other.weights_; }

 private:
  std::map<ActorCategory, double> weights_;  // positive weights only
  double total_ = 0;
  std::string fingerprint_;
};

// The default mix and the préfectures' overrides.
class TargetMixes {
 public:
  // Every préfecture on the built-in default.
  TargetMixes();
  // Parses QPV_TARGET_MIX; "" (or blanks) keeps the built-in default. The
  // error message names the entry at fault.
  static absl::StatusOr<TargetMixes> Parse(absl::string_view spec);

  const TargetMix& For(absl::string_view prefecture) const;
  const TargetMix& default_mix() const { return default_; }

 private:
  TargetMix default_;
  std::map<std::string, TargetMix, std::less<>> overrides_;
};

// The built-in default written as a QPV_TARGET_MIX value (for --help).
extern const char kDefaultTargetMixSpec[];

// "association", "ACTOR_CATEGORY_ASSOCIATION"... -> the category; false when
// unknown or UNSPECIFIED.
bool ParseActorCategory(absl::string_view name, ActorCategory* category);

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_TARGET_MIX_H_
