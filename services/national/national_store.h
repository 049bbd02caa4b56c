// Storage of the préfectures' snapshots and of the national rollup, behind an
// interface with two implementations: RedisNationalStore (production) and
// MemoryNationalStore (tests), held to one contract (national_store_test.cc).
//
// ApplySnapshot is the only write and is atomic: when `version` is newer than
// the stored one, the préfecture's old cells are taken out of the rollup
// (each rollup field "<region>|<cell field>" decremented), the new cells put
// in, the cells, snapshot bytes, version and receive time replaced, and the
// national revision incremented; otherwise nothing changes. So the rollup is
// always the sum of the préfectures' current cells, and a retried or stale
// snapshot never counts twice.
#ifndef QPV_SERVICES_NATIONAL_NATIONAL_STORE_H_
#define QPV_SERVICES_NATIONAL_NATIONAL_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message_lite.h"

namespace qpv::national {

// Hash fields and their values.
using CellMap = std::map<std::string, int64_t>;
using CellList = std::vector<std::pair<std::string, int64_t>>;

struct ApplyResult {
  bool applied = false;
  // The version the store holds after the call.
  int64_t current_version = 0;
  // The national revision after the call.
  int64_t revision = 0;
};

// What changed since a view was built: the revision (read first) and every
// préfecture's version.
struct StoreIndex {
  int64_t revision = 0;
  std::map<std::string, int64_t> versions;
};

struct StoredSnapshot {
  std::string prefecture;
  int64_t version = 0;
  absl::Time receive_time;
  std::string snapshot;  // serialized PrefectureSnapshot
};

class NationalStore {
 public:
  virtual ~NationalStore() = default;

  // `cells` are the snapshot's figure cells (CellFields), `region` the
  // préfecture's region code. The store serializes `snapshot` where it
  // keeps it (at national scale it is MiBs: Redis writes it straight into
  // its command, with no copy beside it).
  virtual absl::StatusOr<ApplyResult> ApplySnapshot(absl::string_view prefecture,
                                                    absl::string_view region, int64_t version,
                                                    absl::Time receive_time,
                                                    const google::protobuf::MessageLite& snapshot,
                                                    const CellList& cells) = 0;

  // The national revision (0 before the first snapshot). One cheap read.
  virtual absl::StatusOr<int64_t> Revision() = 0;
  virtual absl::StatusOr<StoreIndex> Index() = 0;
  // The stored snapshots of these préfectures (those without one are left
  // out), each read atomically with its version and receive time.
  virtual absl::StatusOr<std::vector<StoredSnapshot>> Load(
      const std::vector<std::string>& prefectures) = 0;

  // For checks and operators: one préfecture's cells, and the rollup.
  virtual absl::StatusOr<CellMap> PrefectureCells(absl::string_view prefecture) = 0;
  virtual absl::StatusOr<CellMap> Rollup() = 0;
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_STORE_H_
