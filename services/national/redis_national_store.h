// NationalStore on Redis. The one write is one Lua script; reads are one
// command or one pipeline.
//
// Keys, all under P = qpv::redis::KeyPrefix("nat", "national") =
// "nat:{national}:" (one hash tag, so the script stays valid on Redis Cluster):
//   P rev            national revision, INCR on every accepted snapshot
//   P versions       hash préfecture -> version (what a view diffs against)
//   P p:<code>       hash version, recv (receive time, unix µs), pb (snapshot bytes)
//   P cells:<code>   hash cell field ("2018-02|*|w") -> value
//   P rollup         hash "<region>|<cell field>" -> value; fields at 0 are deleted
// Versions are compared as decimal strings in Lua (no float rounding).
#ifndef QPV_SERVICES_NATIONAL_REDIS_NATIONAL_STORE_H_
#define QPV_SERVICES_NATIONAL_REDIS_NATIONAL_STORE_H_

#include <string>

#include "common/redis/redis_client.h"
#include "services/national/national_store.h"

namespace qpv::national {

class RedisNationalStore : public NationalStore {
 public:
  // `redis` must outlive the store.
  explicit RedisNationalStore(redis::RedisClient* redis);

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
  std::string Key(absl::string_view suffix) const;

  redis::RedisClient* redis_;
  const std::string prefix_;
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_REDIS_NATIONAL_STORE_H_
