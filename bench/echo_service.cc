#include "bench/echo_service.h"

#include "absl/strings/str_cat.h"

namespace qpv::bench {

EchoServiceImpl::EchoServiceImpl(redis::RedisClient* redis)
    : UnaryService("qpv.bench.v1.EchoService", "bench"),
      redis_(redis),
      key_prefix_(absl::StrCat(redis::KeyPrefix("bench", "echo"), "k:")) {
  Add<v1::EchoRequest, v1::EchoResponse>(
      "Echo", [this](const v1::EchoRequest& req, absl::Time) { return Echo(req); });
}

absl::StatusOr<v1::EchoResponse> EchoServiceImpl::Echo(const v1::EchoRequest& req) {
  if (redis_ != nullptr) {
    const uint64_t n = calls_.fetch_add(1, std::memory_order_relaxed) % kKeySpace;
    auto reply = redis_->Command({"SET", absl::StrCat(key_prefix_, n), req.payload()});
    if (!reply.ok()) return reply.status();
  }
  v1::EchoResponse resp;
  resp.set_payload(req.payload());
  return resp;
}

}  // namespace qpv::bench
