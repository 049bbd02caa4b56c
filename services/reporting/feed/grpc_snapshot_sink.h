// SnapshotSink over qpv.national.v1.NationalAggregationService, through one
// channel and stub built at start-up and reused (the channel reconnects by
// itself). Every call has the deadline now + `timeout` (QPV_NATIONAL_TIMEOUT,
// 5 s by default).
#ifndef QPV_SERVICES_REPORTING_FEED_GRPC_SNAPSHOT_SINK_H_
#define QPV_SERVICES_REPORTING_FEED_GRPC_SNAPSHOT_SINK_H_

#include <memory>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "qpv/national/v1/national_service.grpc.pb.h"
#include "services/reporting/feed/snapshot_sink.h"

namespace qpv::reporting {

inline constexpr absl::Duration kDefaultNationalTimeout = absl::Seconds(5);

class GrpcSnapshotSink : public SnapshotSink {
 public:
  GrpcSnapshotSink(std::shared_ptr<grpc::Channel> channel,
                   absl::Duration timeout = kDefaultNationalTimeout);

  // Errors: UNAVAILABLE "national unreachable: ...", DEADLINE_EXCEEDED
  // "national did not answer within ...", otherwise national's code with
  // "national rejected the snapshot: ...".
  absl::StatusOr<int64_t> Submit(const national::v1::PrefectureSnapshot& snapshot) override;

 private:
  std::unique_ptr<national::v1::NationalAggregationService::Stub> stub_;
  const absl::Duration timeout_;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_GRPC_SNAPSHOT_SINK_H_
