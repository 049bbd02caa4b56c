#include "common/metrics/read_cache_metrics.h"

#include <utility>

#include "prometheus/client_metric.h"
#include "prometheus/metric_type.h"

namespace qpv::metrics {

std::vector<prometheus::MetricFamily> ReadCacheMetrics::Collect() const {
  const redis::TrackedReads::Stats s = reads_->stats();
  std::vector<prometheus::MetricFamily> out;
  const auto add = [&](const char* name, const char* help, prometheus::MetricType type,
                       double value) {
    prometheus::ClientMetric m;
    m.label.push_back({"cache", name_});
    if (type == prometheus::MetricType::Counter) {
      m.counter.value = value;
    } else {
      m.gauge.value = value;
    }
    out.push_back({name, help, type, {std::move(m)}});
  };
  using prometheus::MetricType;
  add("qpv_read_cache_hits_total", "reads served from memory", MetricType::Counter,
      static_cast<double>(s.hits));
  add("qpv_read_cache_misses_total", "reads that went to Redis", MetricType::Counter,
      static_cast<double>(s.misses));
  add("qpv_read_cache_invalidations_total", "keys dropped because they changed",
      MetricType::Counter, static_cast<double>(s.invalidations));
  add("qpv_read_cache_resets_total",
      "times the whole cache was emptied (listener connected or lost, FLUSHALL)",
      MetricType::Counter, static_cast<double>(s.resets));
  add("qpv_read_cache_entries", "values held", MetricType::Gauge,
      static_cast<double>(s.entries));
  add("qpv_read_cache_tracking",
      "1 while Redis tells the cache what changes; 0: every read goes to Redis",
      MetricType::Gauge, s.tracking ? 1 : 0);
  return out;
}

}  // namespace qpv::metrics
