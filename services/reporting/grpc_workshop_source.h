// WorkshopSource over gRPC: qpv.workshop.v1.WorkshopService (GetWorkshop,
// ListWorkshops, ListRegistrations, ListContributions) and
// qpv.stakeholder.v1.StakeholderService (GetOrganization), through channels
// and stubs built once at start-up and reused.
//
// Every call has a deadline: the sooner of the incoming call's
// (CurrentCallDeadline) and now + `timeout`. Lists are read in pages of 1000
// until the last. Errors of a peer: UNAVAILABLE and DEADLINE_EXCEEDED (and
// anything unexpected, logged) become UNAVAILABLE naming the service;
// NOT_FOUND and INVALID_ARGUMENT stay; PERMISSION_DENIED (the peer does not
// serve the préfecture) becomes FAILED_PRECONDITION.
//
// Organization display names are looked up one GetOrganization each (at most
// kMaxOrganizationLookups per call, the rest left out) and kept `name_ttl`.
#ifndef QPV_SERVICES_REPORTING_GRPC_WORKSHOP_SOURCE_H_
#define QPV_SERVICES_REPORTING_GRPC_WORKSHOP_SOURCE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "grpcpp/channel.h"
#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"
#include "qpv/workshop/v1/workshop_service.grpc.pb.h"
#include "services/reporting/workshop_source.h"

namespace qpv::reporting {

class GrpcWorkshopSource : public WorkshopSource {
 public:
  static constexpr int kPageSize = 1000;
  static constexpr int kMaxOrganizationLookups = 200;

  GrpcWorkshopSource(std::shared_ptr<grpc::Channel> workshop_channel,
                     std::shared_ptr<grpc::Channel> stakeholder_channel, absl::Duration timeout,
                     Clock* clock = Clock::Real(), absl::Duration name_ttl = absl::Minutes(5));

  // Awaits GetWorkshopAsync, by the call's deadline (call_deadline.h).
  absl::StatusOr<workshop::v1::Workshop> GetWorkshop(absl::string_view name) override;
  // Through gRPC's callback client: no thread waits for the answer.
  void GetWorkshopAsync(absl::string_view name, absl::Time deadline,
                        WorkshopCallback done) override;
  absl::StatusOr<std::vector<workshop::v1::Workshop>> ListWorkshops(
      absl::string_view prefecture) override;
  absl::StatusOr<std::vector<workshop::v1::Registration>> ListRegistrations(
      absl::string_view workshop) override;
  absl::StatusOr<std::vector<workshop::v1::Contribution>> ListContributions(
      absl::string_view workshop) override;
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> OrganizationNames(
      const std::vector<std::string>& organizations) override;

 private:
  // Sets the deadline of one outgoing call.
  void Prepare(grpc::ClientContext* ctx) const;

  std::unique_ptr<workshop::v1::WorkshopService::Stub> workshops_;
  std::unique_ptr<stakeholder::v1::StakeholderService::Stub> stakeholders_;
  const absl::Duration timeout_;
  Clock* clock_;
  const absl::Duration name_ttl_;

  struct CachedName {
    std::string display_name;
    absl::Time expires;
  };
  absl::Mutex mu_;
  std::map<std::string, CachedName> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_GRPC_WORKSHOP_SOURCE_H_
