#include "common/metrics/read_cache_metrics.h"

#include "common/metrics/scraped_metrics.h"

namespace qpv::metrics {

std::vector<prometheus::MetricFamily> ReadCacheMetrics::Collect() const {
  const redis::TrackedReads::Stats s = reads_->stats();
  using prometheus::MetricType;
  return ToFamilies(
      {{"cache", name_}},
      {{"qpv_read_cache_hits_total", "reads served from memory", MetricType::Counter,
        static_cast<double>(s.hits)},
       {"qpv_read_cache_misses_total", "reads that went to Redis", MetricType::Counter,
        static_cast<double>(s.misses)},
       {"qpv_read_cache_invalidations_total", "keys dropped because they changed",
        MetricType::Counter, static_cast<double>(s.invalidations)},
       {"qpv_read_cache_resets_total",
        "times the whole cache was emptied (listener connected or lost, FLUSHALL)",
        MetricType::Counter, static_cast<double>(s.resets)},
       {"qpv_read_cache_entries", "values held", MetricType::Gauge, static_cast<double>(s.entries)},
       {"qpv_read_cache_tracking",
        "1 while Redis tells the cache what changes; 0: every read goes to Redis",
        MetricType::Gauge, s.tracking ? 1.0 : 0.0}});
}

}  // namespace qpv::metrics
