#include "common/metrics/grpc_metrics.h"

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"

namespace qpv::metrics {

CallMetrics::CallMetrics(std::shared_ptr<prometheus::Registry> registry)
    : calls_(prometheus::BuildCounter()
                 .Name("qpv_grpc_server_handled_total")
                 .Help("gRPC calls completed, by method and status code")
                 .Register(*registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("qpv_grpc_server_handling_seconds")
                   .Help("gRPC call latency, by method")
                   .Register(*registry)) {
  in_flight_ = &prometheus::BuildGauge()
                    .Name("qpv_grpc_server_in_flight")
                    .Help("gRPC calls being handled")
                    .Register(*registry)
                    .Add({});
  store_up_ = &prometheus::BuildGauge()
                   .Name("qpv_store_up")
                   .Help("1 when the Redis store answered the last health check")
                   .Register(*registry)
                   .Add({});
}

void CallMetrics::Record(const std::string& method, const std::string& code, double seconds) {
  calls_.Add({{"method", method}, {"code", code}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  latency_.Add({{"method", method}}, kBuckets).Observe(seconds);
}

namespace {

class CallInterceptor : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(CallMetrics* metrics, grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics), info_(info), start_(absl::Now()) {
    method_ = info->method() ? info->method() : "";
    // Probes and reflection are counted but not logged, so logs stay readable.
    quiet_ = absl::StartsWith(method_, "/grpc.health.") ||
             absl::StartsWith(method_, "/grpc.reflection.");
    metrics_->in_flight().Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      code_ = status.error_code();
      message_ = status.error_message();
      sent_status_ = true;
    }
    methods->Proceed();
  }

  ~CallInterceptor() override {
    metrics_->in_flight().Decrement();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    const std::string code = sent_status_ ? StatusCodeName(static_cast<grpc::StatusCode>(code_)) : "CANCELLED";
    metrics_->Record(method_, code, seconds);
    if (quiet_) return;
    std::string peer;
    if (auto* ctx = info_->server_context()) peer = ctx->peer();
    if (code == "OK") {
      log::Info("rpc", {{"method", method_}, {"code", code}, {"latency_ms", seconds * 1000.0},
                        {"peer", peer}});
    } else if (code == "INTERNAL" || code == "UNKNOWN" || code == "DATA_LOSS") {
      log::Error("rpc", {{"method", method_}, {"code", code}, {"latency_ms", seconds * 1000.0},
                         {"peer", peer}, {"message", message_}});
    } else {
      log::Info("rpc", {{"method", method_}, {"code", code}, {"latency_ms", seconds * 1000.0},
                        {"peer", peer}, {"message", message_}});
    }
  }

 private:
  CallMetrics* metrics_;
  grpc::experimental::ServerRpcInfo* info_;
  absl::Time start_;
  std::string method_;
  bool quiet_ = false;
  bool sent_status_ = false;
  int code_ = 0;
  std::string message_;
};

}  // namespace

grpc::experimental::Interceptor* InterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallInterceptor(metrics_, info);
}

}  // namespace qpv::metrics
