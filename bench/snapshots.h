// Préfecture snapshots as reporting's feed sends them, for the national
// scenarios: a few workshops with their figures and reproducible actions.
// Counts vary with the version, so each accepted snapshot changes the
// national dashboard (and watchers get an update).
#ifndef QPV_BENCH_SNAPSHOTS_H_
#define QPV_BENCH_SNAPSHOTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::bench {

national::v1::PrefectureSnapshot SampleSnapshot(absl::string_view prefecture, int64_t version);

// The 101 préfectures (département codes), in code order.
std::vector<std::string> AllPrefectures();

}  // namespace qpv::bench

#endif  // QPV_BENCH_SNAPSHOTS_H_
