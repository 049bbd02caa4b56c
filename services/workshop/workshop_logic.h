// The workshop service's logic, free of any gRPC wiring (userver's
// GreeterService idea): validates each request (every bad field named in one
// INVALID_ARGUMENT), checks the préfecture is served, asks the person
// directory, and calls the store, which makes every change atomically.
// Time and ids are injected.
//
// Decisions worth knowing:
// - Registrations are taken while the workshop is DRAFT or SCHEDULED, not once
//   it is HELD (walk-ins are registered before the workshop is marked held).
// - Workshops can be updated while DRAFT or SCHEDULED.
// - Attendance: SCHEDULED from 12 hours before start_time, or HELD.
// - QPV codes of a workshop or contribution must belong to its préfecture.
// - Without an etag in the request, read-modify-write updates retry a few
//   times on a concurrent change instead of returning ABORTED.
#ifndef QPV_SERVICES_WORKSHOP_WORKSHOP_LOGIC_H_
#define QPV_SERVICES_WORKSHOP_WORKSHOP_LOGIC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "qpv/workshop/v1/workshop_service.pb.h"
#include "services/workshop/person_directory.h"
#include "services/workshop/workshop_store.h"

namespace qpv::workshop {

namespace wsv1 = ::qpv::workshop::v1;

class WorkshopLogic {
 public:
  struct Options {
    // Préfectures served (QPV_PREFECTURES); empty: every préfecture.
    std::vector<std::string> prefectures;
    // Attendance can be recorded this long before a scheduled workshop starts.
    absl::Duration attendance_window = absl::Hours(12);
  };

  // None of the pointers is owned; all must outlive the logic.
  WorkshopLogic(WorkshopStore* store, PersonDirectory* directory, Clock* clock,
                IdGenerator* ids, Options options);

  // `deadline` is the incoming call's, for calls to the person directory.
  absl::StatusOr<Workshop> CreateWorkshop(const wsv1::CreateWorkshopRequest& req,
                                          absl::Time deadline);
  // The hot paths, without blocking (the directory and the store called
  // asynchronously): `done` gets the result, on this thread or another;
  // `req` is read before they return.
  void GetWorkshopAsync(const wsv1::GetWorkshopRequest& req, absl::Time deadline,
                        WorkshopStore::WorkshopCallback done);
  absl::StatusOr<wsv1::ListWorkshopsResponse> ListWorkshops(
      const wsv1::ListWorkshopsRequest& req, absl::Time deadline);
  absl::StatusOr<Workshop> UpdateWorkshop(const wsv1::UpdateWorkshopRequest& req,
                                          absl::Time deadline);
  absl::StatusOr<Workshop> ScheduleWorkshop(const wsv1::ScheduleWorkshopRequest& req,
                                            absl::Time deadline);
  absl::StatusOr<Workshop> MarkWorkshopHeld(const wsv1::MarkWorkshopHeldRequest& req,
                                            absl::Time deadline);
  absl::StatusOr<Workshop> MarkWorkshopReported(const wsv1::MarkWorkshopReportedRequest& req,
                                                absl::Time deadline);
  absl::StatusOr<Workshop> CancelWorkshop(const wsv1::CancelWorkshopRequest& req,
                                          absl::Time deadline);

  void RegisterParticipantAsync(const wsv1::RegisterParticipantRequest& req, absl::Time deadline,
                                WorkshopStore::RegistrationCallback done);
  absl::StatusOr<wsv1::ListRegistrationsResponse> ListRegistrations(
      const wsv1::ListRegistrationsRequest& req, absl::Time deadline);
  absl::StatusOr<Registration> WithdrawRegistration(const wsv1::WithdrawRegistrationRequest& req,
                                                    absl::Time deadline);
  absl::StatusOr<Registration> RecordAttendance(const wsv1::RecordAttendanceRequest& req,
                                                absl::Time deadline);

  void CreateContributionAsync(const wsv1::CreateContributionRequest& req, absl::Time deadline,
                               WorkshopStore::ContributionCallback done);
  absl::StatusOr<Contribution> GetContribution(const wsv1::GetContributionRequest& req,
                                               absl::Time deadline);
  // The ListContributionsResponse in wire form: unfiltered, no
  // contribution is parsed or serialized again (contribution_wire.h).
  // Answered at once when the store keeps the pages in memory.
  void ListContributionsAsync(const wsv1::ListContributionsRequest& req, absl::Time deadline,
                              std::function<void(absl::StatusOr<std::string>)> done);
  absl::StatusOr<Contribution> UpdateContribution(const wsv1::UpdateContributionRequest& req,
                                                  absl::Time deadline);
  void VoteContributionAsync(const wsv1::VoteContributionRequest& req, absl::Time deadline,
                             WorkshopStore::ContributionCallback done);

 private:
  absl::Status CheckServed(absl::string_view prefecture) const;
  absl::StatusOr<Workshop> Transition(absl::string_view name, absl::string_view etag,
                                      const std::vector<Workshop::State>& from,
                                      Workshop::State to, absl::string_view error);
  std::string NewEtag(absl::string_view name, absl::Time now);

  WorkshopStore* store_;
  PersonDirectory* directory_;
  Clock* clock_;
  IdGenerator* ids_;
  Options options_;
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_WORKSHOP_LOGIC_H_
