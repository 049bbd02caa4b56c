// An in-memory PersonDirectory for tests.
#ifndef QPV_SERVICES_WORKSHOP_FAKE_PERSON_DIRECTORY_H_
#define QPV_SERVICES_WORKSHOP_FAKE_PERSON_DIRECTORY_H_

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/workshop/person_directory.h"

namespace qpv::workshop {

class FakePersonDirectory : public PersonDirectory {
 public:
  void AddOrganization(const std::string& name, qpv::common::v1::ActorCategory category) {
    absl::MutexLock lock(&mu_);
    organizations_[name] = category;
  }
  // The organization must have been added first for its category to show.
  void AddPerson(const std::string& name, const std::string& organization,
                 bool consent = true) {
    absl::MutexLock lock(&mu_);
    PersonInfo info;
    info.consent = consent;
    info.organization = organization;
    auto it = organizations_.find(organization);
    if (it != organizations_.end()) info.organization_category = it->second;
    persons_[name] = info;
  }
  void SetUnavailable(bool unavailable) {
    absl::MutexLock lock(&mu_);
    unavailable_ = unavailable;
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  absl::StatusOr<PersonInfo> LookupPerson(absl::string_view name, absl::Time) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (unavailable_) return absl::UnavailableError("stakeholder service unavailable");
    auto it = persons_.find(std::string(name));
    if (it == persons_.end()) return absl::NotFoundError("person not found");
    return it->second;
  }
  absl::StatusOr<qpv::common::v1::ActorCategory> LookupOrganization(absl::string_view name,
                                                                    absl::Time) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (unavailable_) return absl::UnavailableError("stakeholder service unavailable");
    auto it = organizations_.find(std::string(name));
    if (it == organizations_.end()) return absl::NotFoundError("organization not found");
    return it->second;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, PersonInfo> persons_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, qpv::common::v1::ActorCategory> organizations_ ABSL_GUARDED_BY(mu_);
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_FAKE_PERSON_DIRECTORY_H_
