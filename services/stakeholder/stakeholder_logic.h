// The stakeholder service's behaviour, independent of gRPC wiring: input
// validation (one INVALID_ARGUMENT naming every bad field), the préfectures a
// stack serves, resource names and ids, field masks, etags, filters, paging,
// and the GDPR rights (export, erasure). Atomicity is the store's job.
//
// Choices (documented for callers):
// - Person.organization must be an organization of the person's own
//   préfecture: another préfecture (or a malformed name) is INVALID_ARGUMENT
//   on "person.organization"; an organization that does not exist is
//   NOT_FOUND.
// - A person needs given_name or family_name (violation on
//   "person.family_name" when both are empty).
// - ErasePerson on an already erased person is idempotent: it returns the
//   erased record unchanged (whatever the etag). An erased person cannot be
//   updated (FAILED_PRECONDITION); it can be deleted.
// - A préfecture outside QPV_PREFECTURES (when set) is PERMISSION_DENIED.
// - A replayed request_id returns the resource created first (as it is now);
//   if that resource was deleted since, ALREADY_EXISTS.
#ifndef QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_LOGIC_H_
#define QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_LOGIC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/util/clock.h"
#include "qpv/stakeholder/v1/stakeholder_service.pb.h"
#include "services/stakeholder/stakeholder_store.h"

namespace qpv::stakeholder {

namespace v1 = ::qpv::stakeholder::v1;

class StakeholderLogic {
 public:
  // None of the pointers is owned. `prefectures` empty: every préfecture.
  StakeholderLogic(StakeholderStore* store, Clock* clock, IdGenerator* ids,
                   std::vector<std::string> prefectures = {});

  absl::StatusOr<Organization> CreateOrganization(const v1::CreateOrganizationRequest& request);
  absl::StatusOr<Organization> GetOrganization(const v1::GetOrganizationRequest& request);
  absl::StatusOr<v1::ListOrganizationsResponse> ListOrganizations(
      const v1::ListOrganizationsRequest& request);
  absl::StatusOr<Organization> UpdateOrganization(const v1::UpdateOrganizationRequest& request);
  absl::Status DeleteOrganization(const v1::DeleteOrganizationRequest& request);

  absl::StatusOr<Person> CreatePerson(const v1::CreatePersonRequest& request);
  // The workshop service's lookup of every registration: served without
  // a thread waiting on Redis.
  void GetPersonAsync(const v1::GetPersonRequest& request, absl::Time deadline,
                      StakeholderStore::PersonCallback done);
  absl::StatusOr<v1::ListPersonsResponse> ListPersons(const v1::ListPersonsRequest& request);
  absl::StatusOr<Person> UpdatePerson(const v1::UpdatePersonRequest& request);
  absl::Status DeletePerson(const v1::DeletePersonRequest& request);

  absl::StatusOr<v1::PersonDataExport> ExportPersonData(
      const v1::ExportPersonDataRequest& request);
  absl::StatusOr<Person> ErasePerson(const v1::ErasePersonRequest& request);

 private:
  absl::Status CheckServed(absl::string_view prefecture) const;

  StakeholderStore* const store_;
  Clock* const clock_;
  IdGenerator* const ids_;
  const std::vector<std::string> prefectures_;
};

// Text shown in ExportPersonData.
extern const char kProcessingNotice[];

}  // namespace qpv::stakeholder

#endif  // QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_LOGIC_H_
