#include "services/reporting/feed/grpc_snapshot_sink.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"

namespace qpv::reporting {
namespace {

// Peer messages are kept (they say why: connection refused, which field was
// bad) but cut short: last_error is a status line, not a log.
constexpr size_t kMaxDetail = 160;

std::string Detail(const grpc::Status& status) {
  std::string s = status.error_message();
  if (s.size() > kMaxDetail) {
    // Do not cut a UTF-8 sequence in half.
    size_t cut = kMaxDetail;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = absl::StrCat(s.substr(0, cut), "...");
  }
  return s.empty() ? "no detail" : s;
}

absl::Status MapError(const grpc::Status& status, absl::Duration timeout) {
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return absl::UnavailableError(absl::StrCat("national unreachable: ", Detail(status)));
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::DeadlineExceededError(
          absl::StrCat("national did not answer within ", absl::FormatDuration(timeout)));
    default:
      return absl::Status(
          code, absl::StrCat("national rejected the snapshot (", absl::StatusCodeToString(code),
                             "): ", Detail(status)));
  }
}

}  // namespace

GrpcSnapshotSink::GrpcSnapshotSink(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : stub_(national::v1::NationalAggregationService::NewStub(channel)), timeout_(timeout) {}

absl::StatusOr<int64_t> GrpcSnapshotSink::Submit(const national::v1::PrefectureSnapshot& snapshot) {
  grpc::ClientContext ctx;
  // Real time: gRPC deadlines are wall-clock.
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  national::v1::SubmitPrefectureSnapshotRequest request;
  *request.mutable_snapshot() = snapshot;
  national::v1::SubmitPrefectureSnapshotResponse response;
  const grpc::Status status = stub_->SubmitPrefectureSnapshot(&ctx, request, &response);
  if (!status.ok()) return MapError(status, timeout_);
  return response.current_version();
}

}  // namespace qpv::reporting
