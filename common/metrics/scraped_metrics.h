// Prometheus metrics read from a component's own counters at each scrape,
// so nothing is updated on the path they describe (cache hits, a queue's
// length).
#ifndef QPV_COMMON_METRICS_SCRAPED_METRICS_H_
#define QPV_COMMON_METRICS_SCRAPED_METRICS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"
#include "prometheus/metric_type.h"

namespace qpv::metrics {

struct Scraped {
  const char* name;
  const char* help;
  prometheus::MetricType type;  // Counter or Gauge
  double value;
};

using Labels = std::vector<std::pair<std::string, std::string>>;

// One family per sample, each sample carrying `labels`.
std::vector<prometheus::MetricFamily> ToFamilies(const Labels& labels,
                                                 const std::vector<Scraped>& samples);

class ScrapedMetrics : public prometheus::Collectable {
 public:
  // `read` is called at each scrape, from the metrics server's thread.
  ScrapedMetrics(Labels labels, std::function<std::vector<Scraped>()> read)
      : labels_(std::move(labels)), read_(std::move(read)) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    return ToFamilies(labels_, read_());
  }

 private:
  const Labels labels_;
  const std::function<std::vector<Scraped>()> read_;
};

}  // namespace qpv::metrics

#endif  // QPV_COMMON_METRICS_SCRAPED_METRICS_H_
