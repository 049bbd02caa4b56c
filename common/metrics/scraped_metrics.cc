#include "common/metrics/scraped_metrics.h"

#include "prometheus/client_metric.h"

namespace qpv::metrics {

std::vector<prometheus::MetricFamily> ToFamilies(const Labels& labels,
                                                 const std::vector<Scraped>& samples) {
  std::vector<prometheus::MetricFamily> out;
  out.reserve(samples.size());
  for (const Scraped& s : samples) {
    prometheus::ClientMetric m;
    for (const auto& [key, value] : labels) m.label.push_back({key, value});
    if (s.type == prometheus::MetricType::Counter) {
      m.counter.value = s.value;
    } else {
      m.gauge.value = s.value;
    }
    out.push_back({s.name, s.help, s.type, {std::move(m)}});
  }
  return out;
}

}  // namespace qpv::metrics
