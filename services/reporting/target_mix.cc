#include "services/reporting/target_mix.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/validation/validation.h"
#include "services/reporting/report_wire.h"

namespace qpv::reporting {
namespace {

using ::qpv::common::v1::ActorCategory_Parse;

// Ratios such as 15 * 40 / 100 come out a hair above the integer they
// stand for; a ceiling must not count that hair as one more seat.
constexpr double kEpsilon = 1e-9;

absl::StatusOr<TargetMix> ParseMix(absl::string_view body, absl::string_view entry) {
  std::map<ActorCategory, double> weights;
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(why, " in '", entry, "'"));
  };
  for (absl::string_view item : absl::StrSplit(body, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) return bad("empty category=weight item");
    std::vector<absl::string_view> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    if (kv.size() != 2) return bad(absl::StrCat("'", item, "' is not CATEGORY=weight"));
    ActorCategory category;
    if (!ParseActorCategory(kv[0], &category)) {
      return bad(absl::StrCat("unknown actor category '", absl::StripAsciiWhitespace(kv[0]), "'"));
    }
    double weight = 0;
    const absl::string_view raw = absl::StripAsciiWhitespace(kv[1]);
    if (!absl::SimpleAtod(raw, &weight) || !std::isfinite(weight) || weight < 0) {
      return bad(absl::StrCat("weight '", raw, "' is not a non-negative number"));
    }
    if (!weights.emplace(category, weight).second) {
      return bad(absl::StrCat(ActorCategory_Name(category), " given twice"));
    }
  }
  auto mix = TargetMix::FromWeights(weights);
  if (!mix.ok()) return bad(mix.status().message());
  return mix;
}

}  // namespace

const char kDefaultTargetMixSpec[] =
    "LOCAL_AUTHORITY=20,ASSOCIATION=25,SOCIAL_LANDLORD=10,CITIZEN_COUNCIL=15,ADULT_RELAY=10,"
    "RESOURCE_CENTER=5,STATE_SERVICE=10,BUSINESS=5";

bool ParseActorCategory(absl::string_view name, ActorCategory* category) {
  std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(name));
  if (!absl::StartsWith(upper, "ACTOR_CATEGORY_")) upper = "ACTOR_CATEGORY_" + upper;
  ActorCategory parsed;
  if (!ActorCategory_Parse(upper, &parsed) ||
      parsed == qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED) {
    return false;
  }
  *category = parsed;
  return true;
}

absl::StatusOr<TargetMix> TargetMix::FromWeights(const std::map<ActorCategory, double>& weights) {
  TargetMix mix;
  for (const auto& [category, weight] : weights) {
    if (category == qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED ||
        !qpv::common::v1::ActorCategory_IsValid(category)) {
      return absl::InvalidArgumentError(
          absl::StrCat("actor category ", static_cast<int>(category), " cannot be weighted"));
    }
    if (!std::isfinite(weight) || weight < 0) {
      return absl::InvalidArgumentError("weights must be non-negative numbers");
    }
    if (weight > 0) {
      mix.weights_[category] = weight;
      mix.total_ += weight;
    }
  }
  if (mix.weights_.empty() || !std::isfinite(mix.total_)) {
    return absl::InvalidArgumentError("at least one weight must be positive");
  }
  mix.fingerprint_ = TargetFingerprint(mix.Shares());
  return mix;
}

const TargetMix& TargetMix::Default() {
  static const TargetMix* mix = [] {
    using namespace ::qpv::common::v1;  // NOLINT: the enum values read better bare
    return new TargetMix(*FromWeights({{ACTOR_CATEGORY_LOCAL_AUTHORITY, 20},
                                       {ACTOR_CATEGORY_ASSOCIATION, 25},
                                       {ACTOR_CATEGORY_SOCIAL_LANDLORD, 10},
                                       {ACTOR_CATEGORY_CITIZEN_COUNCIL, 15},
                                       {ACTOR_CATEGORY_ADULT_RELAY, 10},
                                       {ACTOR_CATEGORY_RESOURCE_CENTER, 5},
                                       {ACTOR_CATEGORY_STATE_SERVICE, 10},
                                       {ACTOR_CATEGORY_BUSINESS, 5}}));
  }();
  return *mix;
}

double TargetMix::Share(ActorCategory category) const {
  auto it = weights_.find(category);
  return it == weights_.end() ? 0.0 : it->second / total_;
}

int64_t TargetMix::Seats(ActorCategory category, int64_t total) const {
  auto it = weights_.find(category);
  if (it == weights_.end() || total <= 0) return 0;
  return static_cast<int64_t>(
      std::ceil(it->second * static_cast<double>(total) / total_ - kEpsilon));
}

std::vector<std::pair<ActorCategory, double>> TargetMix::Shares() const {
  std::vector<std::pair<ActorCategory, double>> out;
  out.reserve(weights_.size());
  for (const auto& [category, weight] : weights_) out.emplace_back(category, weight / total_);
  return out;
}

TargetMixes::TargetMixes() : default_(TargetMix::Default()) {}

absl::StatusOr<TargetMixes> TargetMixes::Parse(absl::string_view spec) {
  TargetMixes mixes;
  bool default_seen = false;
  for (absl::string_view entry : absl::StrSplit(spec, ';')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) continue;  // "a;b;" and blank values are fine
    std::string prefecture;
    absl::string_view body = entry;
    const size_t colon = entry.find(':');
    if (colon != absl::string_view::npos) {
      prefecture = std::string(absl::StripAsciiWhitespace(entry.substr(0, colon)));
      body = entry.substr(colon + 1);
      if (!validation::IsDepartementCode(prefecture)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "'", prefecture, "' is not a département code (59, 2A, 971...) in '", entry, "'"));
      }
    }
    auto mix = ParseMix(body, entry);
    if (!mix.ok()) return mix.status();
    if (prefecture.empty()) {
      if (default_seen) {
        return absl::InvalidArgumentError(
            absl::StrCat("more than one default mix (entry without a département): '", entry, "'"));
      }
      default_seen = true;
      mixes.default_ = *std::move(mix);
    } else if (!mixes.overrides_.emplace(prefecture, *std::move(mix)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("préfecture ", prefecture, " given twice: '", entry, "'"));
    }
  }
  return mixes;
}

const TargetMix& TargetMixes::For(absl::string_view prefecture) const {
  auto it = overrides_.find(prefecture);
  return it == overrides_.end() ? default_ : it->second;
}

}  // namespace qpv::reporting
