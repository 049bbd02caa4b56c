// Per-call Prometheus metrics and one JSON access-log line per call, as a
// gRPC server interceptor, so no handler has to remember either.
#ifndef QPV_COMMON_METRICS_GRPC_METRICS_H_
#define QPV_COMMON_METRICS_GRPC_METRICS_H_

#include <memory>
#include <string>

#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace qpv::metrics {

class CallMetrics {
 public:
  explicit CallMetrics(std::shared_ptr<prometheus::Registry> registry);
  void Record(const std::string& method, const std::string& code, double seconds);
  prometheus::Gauge& in_flight() { return *in_flight_; }
  prometheus::Gauge& store_up() { return *store_up_; }

 private:
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Gauge* in_flight_;
  prometheus::Gauge* store_up_;
};

// Creates the interceptor of each call: counts it, times it, logs it.
class InterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit InterceptorFactory(CallMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallMetrics* metrics_;
};

}  // namespace qpv::metrics

#endif  // QPV_COMMON_METRICS_GRPC_METRICS_H_
