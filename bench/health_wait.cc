#include "bench/health_wait.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace qpv::bench {

absl::Status WaitServing(const std::vector<std::string>& addresses, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (const auto& address : addresses) {
    auto stub = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    std::string last = "no answer";
    while (true) {
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      const grpc::Status s = stub->Check(&ctx, req, &resp);
      if (s.ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) break;
      last = s.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status())
                    : s.error_message();
      if (absl::Now() > deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat(address, " is not SERVING (last answer: ", last, ")"));
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  return absl::OkStatus();
}

}  // namespace qpv::bench
