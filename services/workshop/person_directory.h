// What the workshop service needs to know about persons and organizations,
// owned by the stakeholder service. Implemented over gRPC
// (GrpcPersonDirectory) and by a fake for tests (FakePersonDirectory).
#ifndef QPV_SERVICES_WORKSHOP_PERSON_DIRECTORY_H_
#define QPV_SERVICES_WORKSHOP_PERSON_DIRECTORY_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/common/v1/common.pb.h"

namespace qpv::workshop {

struct PersonInfo {
  // Consent given (consent_time set) and the person not erased.
  bool consent = false;
  // The person's organization (resource name, may be empty) and its category.
  std::string organization;
  qpv::common::v1::ActorCategory organization_category =
      qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED;
};

class PersonDirectory {
 public:
  virtual ~PersonDirectory() = default;
  // NOT_FOUND when the person does not exist; UNAVAILABLE when the directory
  // cannot answer before `deadline`.
  virtual absl::StatusOr<PersonInfo> LookupPerson(absl::string_view name,
                                                  absl::Time deadline) = 0;
  // The organization's category. NOT_FOUND when it does not exist;
  // UNAVAILABLE when the directory cannot answer before `deadline`.
  virtual absl::StatusOr<qpv::common::v1::ActorCategory> LookupOrganization(
      absl::string_view name, absl::Time deadline) = 0;

  // LookupOrganization without waiting, for a handler that must not block:
  // `done` gets the result, on this thread or another. By default it is
  // the blocking lookup.
  using CategoryCallback = std::function<void(absl::StatusOr<qpv::common::v1::ActorCategory>)>;
  using PersonCallback = std::function<void(absl::StatusOr<PersonInfo>)>;
  // LookupPerson without waiting, likewise.
  virtual void LookupPersonAsync(absl::string_view name, absl::Time deadline, PersonCallback done) {
    done(LookupPerson(name, deadline));
  }
  virtual void LookupOrganizationAsync(absl::string_view name, absl::Time deadline,
                                       CategoryCallback done) {
    done(LookupOrganization(name, deadline));
  }
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_PERSON_DIRECTORY_H_
