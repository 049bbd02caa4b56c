// An in-memory WorkshopSource for tests (reporting's and the feed's): plain
// setters, per-method call counts, the deadline each call ran under, and a
// switch that makes every call fail with UNAVAILABLE, as when the workshop
// service is down.
#ifndef QPV_SERVICES_REPORTING_FAKE_WORKSHOP_SOURCE_H_
#define QPV_SERVICES_REPORTING_FAKE_WORKSHOP_SOURCE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/reporting/call_deadline.h"
#include "services/reporting/workshop_source.h"

namespace qpv::reporting {

class FakeWorkshopSource : public WorkshopSource {
 public:
  // Adds or replaces a workshop, by name. Tests bump `revision` themselves.
  void SetWorkshop(const workshop::v1::Workshop& w) {
    absl::MutexLock lock(&mu_);
    workshops_[w.name()] = w;
  }
  void AddRegistration(const std::string& workshop, const workshop::v1::Registration& r) {
    absl::MutexLock lock(&mu_);
    registrations_[workshop].push_back(r);
  }
  void SetRegistrations(const std::string& workshop,
                        std::vector<workshop::v1::Registration> registrations) {
    absl::MutexLock lock(&mu_);
    registrations_[workshop] = std::move(registrations);
  }
  void AddContribution(const std::string& workshop, const workshop::v1::Contribution& c) {
    absl::MutexLock lock(&mu_);
    contributions_[workshop].push_back(c);
  }
  void SetContributions(const std::string& workshop,
                        std::vector<workshop::v1::Contribution> contributions) {
    absl::MutexLock lock(&mu_);
    contributions_[workshop] = std::move(contributions);
  }
  void SetOrganizationName(const std::string& organization, const std::string& display_name) {
    absl::MutexLock lock(&mu_);
    organization_names_[organization] = display_name;
  }
  // Every call fails with UNAVAILABLE while set.
  void SetUnavailable(bool unavailable) {
    absl::MutexLock lock(&mu_);
    unavailable_ = unavailable;
  }
  // Only OrganizationNames fails with UNAVAILABLE while set (stakeholder down).
  void SetStakeholderUnavailable(bool unavailable) {
    absl::MutexLock lock(&mu_);
    stakeholder_unavailable_ = unavailable;
  }

  // Calls of one method ("GetWorkshop", "ListWorkshops", "ListRegistrations",
  // "ListContributions", "OrganizationNames"), or of all of them.
  int calls(const std::string& method) {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(method);
    return it == calls_.end() ? 0 : it->second;
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    int total = 0;
    for (const auto& [method, n] : calls_) total += n;
    return total;
  }
  // CurrentCallDeadline() as the last call saw it.
  absl::Time last_deadline() {
    absl::MutexLock lock(&mu_);
    return last_deadline_;
  }

  absl::StatusOr<workshop::v1::Workshop> GetWorkshop(absl::string_view name) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Enter("GetWorkshop"); !s.ok()) return s;
    auto it = workshops_.find(std::string(name));
    if (it == workshops_.end()) return absl::NotFoundError(absl::StrCat(name, " not found"));
    return it->second;
  }
  absl::StatusOr<std::vector<workshop::v1::Workshop>> ListWorkshops(
      absl::string_view prefecture) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Enter("ListWorkshops"); !s.ok()) return s;
    const std::string prefix = absl::StrCat("prefectures/", prefecture, "/");
    std::vector<workshop::v1::Workshop> out;
    for (const auto& [name, w] : workshops_) {
      if (prefecture == "-" || absl::StartsWith(name, prefix)) out.push_back(w);
    }
    return out;
  }
  absl::StatusOr<std::vector<workshop::v1::Registration>> ListRegistrations(
      absl::string_view workshop) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Enter("ListRegistrations"); !s.ok()) return s;
    if (!workshops_.count(std::string(workshop))) {
      return absl::NotFoundError(absl::StrCat(workshop, " not found"));
    }
    auto it = registrations_.find(std::string(workshop));
    if (it == registrations_.end()) return std::vector<workshop::v1::Registration>();
    return it->second;
  }
  absl::StatusOr<std::vector<workshop::v1::Contribution>> ListContributions(
      absl::string_view workshop) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Enter("ListContributions"); !s.ok()) return s;
    if (!workshops_.count(std::string(workshop))) {
      return absl::NotFoundError(absl::StrCat(workshop, " not found"));
    }
    auto it = contributions_.find(std::string(workshop));
    if (it == contributions_.end()) return std::vector<workshop::v1::Contribution>();
    return it->second;
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> OrganizationNames(
      const std::vector<std::string>& organizations) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Enter("OrganizationNames"); !s.ok()) return s;
    if (stakeholder_unavailable_) {
      return absl::UnavailableError("stakeholder service unavailable");
    }
    absl::flat_hash_map<std::string, std::string> out;
    for (const auto& o : organizations) {
      auto it = organization_names_.find(o);
      if (it != organization_names_.end()) out[o] = it->second;
    }
    return out;
  }

 private:
  // Counts the call, records its deadline, fails while unavailable.
  absl::Status Enter(const char* method) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++calls_[method];
    last_deadline_ = CurrentCallDeadline();
    if (unavailable_) return absl::UnavailableError("workshop service unavailable");
    return absl::OkStatus();
  }

  absl::Mutex mu_;
  std::map<std::string, workshop::v1::Workshop> workshops_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<workshop::v1::Registration>> registrations_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<workshop::v1::Contribution>> contributions_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> organization_names_ ABSL_GUARDED_BY(mu_);
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  bool stakeholder_unavailable_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  absl::Time last_deadline_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FAKE_WORKSHOP_SOURCE_H_
