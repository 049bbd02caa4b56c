// How the scenarios create their data: the services' normal APIs through
// generated stubs (so setup exercises what a real client does, and knows
// nothing of Redis keys), each call with a deadline. Everything is created
// in one préfecture (59 unless told) with names and request_ids unique to
// the run (`nonce`), so several runs can share one Redis.
#ifndef QPV_BENCH_FIXTURES_H_
#define QPV_BENCH_FIXTURES_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "qpv/common/v1/common.pb.h"
#include "qpv/national/v1/national_service.grpc.pb.h"
#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"
#include "qpv/workshop/v1/workshop_service.grpc.pb.h"

namespace qpv::bench {

struct Addresses {
  std::string echo = "127.0.0.1:50090";
  std::string stakeholder = "127.0.0.1:50051";
  std::string workshop = "127.0.0.1:50052";
  std::string reporting = "127.0.0.1:50053";
  std::string national = "127.0.0.1:50054";
};

class Fixtures {
 public:
  Fixtures(Addresses addresses, std::string nonce, std::string prefecture = "59",
           absl::Duration deadline = absl::Seconds(10));

  const Addresses& addresses() const { return addresses_; }
  const std::string& prefecture() const { return prefecture_; }
  // A request_id no other call of any run uses.
  std::string NewRequestId();

  // Each returns the created resource's name.
  absl::StatusOr<std::string> CreateOrganization(common::v1::ActorCategory category);
  // A person of `organization` who gave consent (so they can register).
  absl::StatusOr<std::string> CreatePerson(const std::string& organization);
  // A workshop starting in an hour (attendance can be recorded), scheduled.
  absl::StatusOr<std::string> CreateScheduledWorkshop(int capacity);
  absl::StatusOr<std::string> RegisterParticipant(const std::string& workshop,
                                                  const std::string& person);
  absl::Status RecordAttendance(const std::string& registration);
  // Contribution `n` of a workshop (title and text vary with n).
  absl::StatusOr<std::string> CreateContribution(const std::string& workshop, int n,
                                                 const std::string& organization = "");
  absl::Status VoteContribution(const std::string& contribution, const std::string& person);
  absl::Status SubmitSnapshot(const national::v1::PrefectureSnapshot& snapshot);

  // Persons of `count` (several organizations of different categories), for
  // scenarios that need many: created `threads` at a time.
  absl::StatusOr<std::vector<std::string>> CreatePersons(int count, int threads = 8);

  // Runs fn(0..n-1) on `threads` threads; returns the first error.
  static absl::Status ParallelFor(int n, int threads, const std::function<absl::Status(int)>& fn);

 private:
  std::unique_ptr<grpc::ClientContext> Context() const;

  const Addresses addresses_;
  const std::string nonce_;
  const absl::Duration deadline_;
  const std::string prefecture_;
  std::atomic<uint64_t> counter_{0};
  std::unique_ptr<stakeholder::v1::StakeholderService::Stub> stakeholder_;
  std::unique_ptr<workshop::v1::WorkshopService::Stub> workshop_;
  std::unique_ptr<national::v1::NationalAggregationService::Stub> national_;
};

// The contribution every write scenario sends (title and text vary with n):
// a realistic size, about 300 bytes of text.
workshop::v1::Contribution SampleContribution(uint64_t n);

}  // namespace qpv::bench

#endif  // QPV_BENCH_FIXTURES_H_
