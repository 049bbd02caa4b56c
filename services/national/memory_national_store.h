// NationalStore in memory, for tests and local runs: the same contract as
// RedisNationalStore (national_store_test.cc runs against both).
#ifndef QPV_SERVICES_NATIONAL_MEMORY_NATIONAL_STORE_H_
#define QPV_SERVICES_NATIONAL_MEMORY_NATIONAL_STORE_H_

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/national/national_store.h"

namespace qpv::national {

class MemoryNationalStore : public NationalStore {
 public:
  absl::StatusOr<ApplyResult> ApplySnapshot(absl::string_view prefecture, absl::string_view region,
                                            int64_t version, absl::Time receive_time,
                                            const google::protobuf::MessageLite& snapshot,
                                            const CellList& cells) override;
  absl::StatusOr<int64_t> Revision() override;
  absl::StatusOr<StoreIndex> Index() override;
  absl::StatusOr<std::vector<StoredSnapshot>> Load(
      const std::vector<std::string>& prefectures) override;
  absl::StatusOr<CellMap> PrefectureCells(absl::string_view prefecture) override;
  absl::StatusOr<CellMap> Rollup() override;

 private:
  struct Entry {
    StoredSnapshot stored;
    std::string region;
    CellMap cells;
  };
  absl::Mutex mu_;
  int64_t revision_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, Entry, std::less<>> entries_ ABSL_GUARDED_BY(mu_);
  CellMap rollup_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_MEMORY_NATIONAL_STORE_H_
