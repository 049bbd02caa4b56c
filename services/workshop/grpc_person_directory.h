// PersonDirectory over qpv.stakeholder.v1.StakeholderService (GetPerson,
// GetOrganization), through one channel and stub built at start-up and
// reused. Each call's deadline is the earlier of the incoming call's deadline
// and `timeout`. Organization categories are cached for `cache_ttl`.
#ifndef QPV_SERVICES_WORKSHOP_GRPC_PERSON_DIRECTORY_H_
#define QPV_SERVICES_WORKSHOP_GRPC_PERSON_DIRECTORY_H_

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/util/clock.h"
#include "grpcpp/channel.h"
#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"
#include "services/workshop/person_directory.h"

namespace qpv::workshop {

class GrpcPersonDirectory : public PersonDirectory {
 public:
  GrpcPersonDirectory(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout,
                      Clock* clock = Clock::Real(),
                      absl::Duration cache_ttl = absl::Minutes(5));

  // Awaits LookupPersonAsync.
  absl::StatusOr<PersonInfo> LookupPerson(absl::string_view name,
                                          absl::Time deadline) override;
  // Through gRPC's callback API, then LookupOrganizationAsync for the
  // person's organization.
  void LookupPersonAsync(absl::string_view name, absl::Time deadline, PersonCallback done) override;
  // Awaits LookupOrganizationAsync.
  absl::StatusOr<qpv::common::v1::ActorCategory> LookupOrganization(
      absl::string_view name, absl::Time deadline) override;
  // From the cache at once, else through gRPC's callback API.
  void LookupOrganizationAsync(absl::string_view name, absl::Time deadline,
                               CategoryCallback done) override;

 private:
  absl::Time CallDeadline(absl::Time incoming);

  std::unique_ptr<qpv::stakeholder::v1::StakeholderService::Stub> stub_;
  const absl::Duration timeout_;
  Clock* clock_;
  const absl::Duration cache_ttl_;
  struct Cached {
    qpv::common::v1::ActorCategory category;
    absl::Time expires;
  };
  absl::Mutex mu_;
  std::map<std::string, Cached> categories_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_GRPC_PERSON_DIRECTORY_H_
