#include "bench/echo_service.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace qpv::bench {

EchoServiceImpl::EchoServiceImpl(redis::RedisClient* redis, Api api)
    : UnaryService("qpv.bench.v1.EchoService", "bench"),
      redis_(redis),
      key_prefix_(absl::StrCat(redis::KeyPrefix("bench", "echo"), "k:")) {
  if (api == Api::kSync) {
    Add<v1::EchoRequest, v1::EchoResponse>(
        "Echo", [this](const v1::EchoRequest& req, absl::Time) { return Echo(req); });
  } else {
    AddAsync<v1::EchoRequest, v1::EchoResponse>(
        "Echo", [this](const v1::EchoRequest& req, absl::Time, Reply<v1::EchoResponse> reply) {
          EchoAsync(req, std::move(reply));
        });
  }
}

absl::StatusOr<EchoServiceImpl::Api> EchoServiceImpl::ParseApi(absl::string_view name) {
  if (name == "sync") return Api::kSync;
  if (name == "callback") return Api::kCallback;
  return absl::InvalidArgumentError(
      absl::StrCat("QPV_ECHO_API='", name, "' must be sync or callback"));
}

config::Setting EchoServiceImpl::ApiSetting(const std::string& default_api) {
  return {"QPV_ECHO_API", default_api,
          "how Echo is served: sync (a thread per call, as most methods) or callback (gRPC's "
          "callback API, as the workshop's hot paths; a Redis echo's SET is then sent "
          "asynchronously)"};
}

EchoServiceImpl::Api EchoServiceImpl::ApiOrExit(const config::Config& config) {
  auto api = ParseApi(config.Get("QPV_ECHO_API"));
  if (!api.ok()) {
    std::cerr << api.status().message() << "\n";
    std::exit(2);
  }
  return *api;
}

std::vector<std::string> EchoServiceImpl::SetCommand(const v1::EchoRequest& req) {
  const uint64_t n = calls_.fetch_add(1, std::memory_order_relaxed) % kKeySpace;
  return {"SET", absl::StrCat(key_prefix_, n), req.payload()};
}

absl::StatusOr<v1::EchoResponse> EchoServiceImpl::Echo(const v1::EchoRequest& req) {
  if (redis_ != nullptr) {
    auto reply = redis_->Command(SetCommand(req));
    if (!reply.ok()) return reply.status();
  }
  v1::EchoResponse resp;
  resp.set_payload(req.payload());
  return resp;
}

void EchoServiceImpl::EchoAsync(const v1::EchoRequest& req, Reply<v1::EchoResponse> reply) {
  v1::EchoResponse resp;
  resp.set_payload(req.payload());
  if (redis_ == nullptr) return reply(std::move(resp));
  redis_->CommandAsync(SetCommand(req), [resp = std::move(resp), reply = std::move(reply)](
                                            absl::StatusOr<redis::Reply> r) mutable {
    if (!r.ok()) return reply(r.status());
    reply(std::move(resp));
  });
}

}  // namespace qpv::bench
