// echo: the baseline call, against qpv-bench-echo or qpv-bench-echo-redis.
#include <string>

#include "bench/fixtures.h"
#include "bench/proto/echo.pb.h"
#include "bench/scenarios.h"

namespace qpv::bench {
namespace {

class EchoScenario : public SingleScenario {
 public:
  explicit EchoScenario(const ScenarioOptions& o) : SingleScenario("Echo") {
    v1::EchoRequest req;
    req.set_payload(std::string(std::max(0, o.payload_bytes), 'q'));
    payload_ = req.SerializeAsString();
  }
  absl::Status Setup(Fixtures&, int, int64_t) override { return absl::OkStatus(); }
  Call Next(int) override { return {"/qpv.bench.v1.EchoService/Echo", payload_}; }

 private:
  std::string payload_;
};

}  // namespace

std::unique_ptr<Scenario> NewEchoScenario(const ScenarioOptions& o) {
  return std::make_unique<EchoScenario>(o);
}

}  // namespace qpv::bench
