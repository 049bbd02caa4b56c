// ReportCache on Redis. Keys, with P = redis::KeyPrefix("rep", prefecture)
// = "rep:{59}:" (one hash tag per préfecture, for Redis Cluster):
//   P wr:<workshop id>   hash  wire (EncodeWire: revision, as-of time,
//                              target and the report in wire form), rev (the
//                              same revision, for Put's check)
//   P wrs                set   ids of the workshops with a cached report
// Nothing expires: there is one entry per workshop, and the last one is what
// is served while the workshop service is down. Put is one Lua script (the
// revision check and the write together).
#ifndef QPV_SERVICES_REPORTING_REDIS_REPORT_CACHE_H_
#define QPV_SERVICES_REPORTING_REDIS_REPORT_CACHE_H_

#include "common/redis/redis_client.h"
#include "services/reporting/report_cache.h"

namespace qpv::reporting {

class RedisReportCache : public ReportCache {
 public:
  // `redis` must outlive the cache.
  explicit RedisReportCache(redis::RedisClient* redis);

  absl::StatusOr<std::optional<WireReport>> GetWire(absl::string_view workshop) override;
  // One HGET sent with RedisClient::CommandAsync.
  void GetWireAsync(absl::string_view workshop, WireCallback done) override;
  absl::StatusOr<std::vector<std::optional<v1::WorkshopReport>>> GetMany(
      const std::vector<std::string>& workshops) override;
  absl::Status Put(const v1::WorkshopReport& report) override;
  absl::StatusOr<std::vector<v1::WorkshopReport>> List(absl::string_view prefecture) override;

 private:
  redis::RedisClient* redis_;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_REDIS_REPORT_CACHE_H_
