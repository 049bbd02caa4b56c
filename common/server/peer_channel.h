// The one way a service builds its client channel to a peer service.
#ifndef QPV_COMMON_SERVER_PEER_CHANNEL_H_
#define QPV_COMMON_SERVER_PEER_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"

namespace qpv::server {

// An insecure channel to `address`, built once at start and shared by every
// call. gRPC's default reconnect backoff grows to 2 minutes, so a peer back
// from an outage would be ignored long after it recovered: this one retries
// the connection at least every second. `max_receive_bytes` > 0 raises the
// 4 MiB default limit on a received message.
std::shared_ptr<grpc::Channel> NewPeerChannel(const std::string& address,
                                              int max_receive_bytes = 0);

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_PEER_CHANNEL_H_
