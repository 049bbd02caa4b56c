// Prometheus metrics of a TrackedReads cache, read from its counters at each
// scrape (nothing to update on the read path).
#ifndef QPV_COMMON_METRICS_READ_CACHE_METRICS_H_
#define QPV_COMMON_METRICS_READ_CACHE_METRICS_H_

#include <memory>
#include <string>
#include <vector>

#include "common/redis/tracked_reads.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace qpv::metrics {

// qpv_read_cache_{hits,misses,invalidations,resets}_total, qpv_read_cache_entries
// and qpv_read_cache_tracking, labelled cache="<name>". `reads` must outlive
// the registry it is registered with.
class ReadCacheMetrics : public prometheus::Collectable {
 public:
  ReadCacheMetrics(std::string name, const redis::TrackedReads* reads)
      : name_(std::move(name)), reads_(reads) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const std::string name_;
  const redis::TrackedReads* reads_;
};

}  // namespace qpv::metrics

#endif  // QPV_COMMON_METRICS_READ_CACHE_METRICS_H_
