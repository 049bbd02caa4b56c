// What reporting reads from the préfecture's services, behind an interface:
// the gRPC implementation calls the workshop and stakeholder services with
// deadlines; tests use an in-memory fake.
#ifndef QPV_SERVICES_REPORTING_WORKSHOP_SOURCE_H_
#define QPV_SERVICES_REPORTING_WORKSHOP_SOURCE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/workshop/v1/workshop.pb.h"
#include "services/reporting/call_deadline.h"

namespace qpv::reporting {

class WorkshopSource {
 public:
  virtual ~WorkshopSource() = default;

  // name: prefectures/{p}/workshops/{w}.
  virtual absl::StatusOr<workshop::v1::Workshop> GetWorkshop(absl::string_view name) = 0;
  // GetWorkshop without waiting: `done` gets the workshop, on any thread;
  // the call ends by `deadline` at the latest. By default, GetWorkshop under
  // that deadline (call_deadline.h).
  using WorkshopCallback = std::function<void(absl::StatusOr<workshop::v1::Workshop>)>;
  virtual void GetWorkshopAsync(absl::string_view name, absl::Time deadline,
                                WorkshopCallback done) {
    ScopedCallDeadline scope(deadline);
    done(GetWorkshop(name));
  }
  // Every workshop of a préfecture ("59"), all pages; "-" for every préfecture.
  virtual absl::StatusOr<std::vector<workshop::v1::Workshop>> ListWorkshops(
      absl::string_view prefecture) = 0;
  // Every registration / contribution of a workshop, all pages.
  virtual absl::StatusOr<std::vector<workshop::v1::Registration>> ListRegistrations(
      absl::string_view workshop) = 0;
  virtual absl::StatusOr<std::vector<workshop::v1::Contribution>> ListContributions(
      absl::string_view workshop) = 0;
  // Display names of organizations (resource names); names the stakeholder
  // service does not know are left out.
  virtual absl::StatusOr<absl::flat_hash_map<std::string, std::string>> OrganizationNames(
      const std::vector<std::string>& organizations) = 0;
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_WORKSHOP_SOURCE_H_
