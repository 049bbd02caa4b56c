// Checks a préfecture snapshot at the API edge, before anything is stored:
// every bad field is named with its path ("snapshot.workshops[3].attended_count")
// in one INVALID_ARGUMENT.
//
// - prefecture: a département code of the territory table (101 départements);
// - version > 0; build_time, when set, a valid timestamp;
// - workshops: at most kMaxWorkshops, each named prefectures/{that code}/
//   workshops/{id}, no name twice, a known state, themes known and not
//   repeated, start_time set (it places the workshop in a month), counts in
//   [0, kMaxCount], representativeness_index in [0, 1], categories and cell
//   enums known, no category or (theme, kind, category) cell twice;
// - reproducible_actions: at most kMaxActions, each a contribution of the
//   same préfecture, no name twice, title 1..200 characters, text up to
//   10,000, themes and enums known, QPV codes of that département,
//   vote_count in [0, kMaxCount].
#ifndef QPV_SERVICES_NATIONAL_SNAPSHOT_VALIDATION_H_
#define QPV_SERVICES_NATIONAL_SNAPSHOT_VALIDATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::national {

inline constexpr int kMaxWorkshops = 20000;
inline constexpr int kMaxActions = 100000;
inline constexpr int64_t kMaxCount = 1000000;
inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxTextChars = 10000;

// `field` is the path of the snapshot in the request ("snapshot").
absl::Status ValidateSnapshot(const ::qpv::national::v1::PrefectureSnapshot& snapshot,
                              absl::string_view field);

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_SNAPSHOT_VALIDATION_H_
