// In-memory WorkshopStore (LevelDB's NewMemEnv idea): one mutex, same
// semantics as the Redis store. For tests and local runs; nothing expires.
#ifndef QPV_SERVICES_WORKSHOP_MEMORY_WORKSHOP_STORE_H_
#define QPV_SERVICES_WORKSHOP_MEMORY_WORKSHOP_STORE_H_

#include <map>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/workshop/workshop_store.h"

namespace qpv::workshop {

class MemoryWorkshopStore : public WorkshopStore {
 public:
  absl::StatusOr<Workshop> CreateWorkshop(absl::string_view prefecture, absl::string_view id,
                                          const Workshop& workshop,
                                          absl::string_view request_id) override;
  absl::StatusOr<Workshop> GetWorkshop(absl::string_view prefecture,
                                       absl::string_view id) override;
  // Everything is in memory: the workshop, or null when there is none.
  std::shared_ptr<const Workshop> PeekWorkshop(absl::string_view prefecture,
                                               absl::string_view id) override;
  absl::StatusOr<Workshop> ReplaceWorkshop(absl::string_view prefecture, absl::string_view id,
                                           const Workshop& next,
                                           absl::string_view expected_etag,
                                           const std::vector<Workshop::State>& allowed_states,
                                           absl::string_view state_error,
                                           absl::Time now) override;
  absl::StatusOr<std::vector<Listed<Workshop>>> ListWorkshops(absl::string_view prefecture,
                                                              int64_t after_seq,
                                                              int limit) override;
  absl::StatusOr<std::vector<std::string>> ListPrefectures() override;

  absl::StatusOr<Registration> FindRegistrationByRequestId(
      absl::string_view prefecture, absl::string_view workshop_id,
      absl::string_view request_id) override;
  absl::StatusOr<Registration> RegisterParticipant(absl::string_view prefecture,
                                                   absl::string_view workshop_id,
                                                   absl::string_view registration_id,
                                                   const Registration& registration,
                                                   absl::string_view request_id) override;
  absl::StatusOr<Registration> WithdrawRegistration(absl::string_view prefecture,
                                                    absl::string_view workshop_id,
                                                    absl::string_view registration_id,
                                                    absl::Time now) override;
  absl::StatusOr<Registration> RecordAttendance(absl::string_view prefecture,
                                                absl::string_view workshop_id,
                                                absl::string_view registration_id,
                                                bool attended, bool scheduled_ok,
                                                absl::Time now) override;
  absl::StatusOr<std::vector<Listed<Registration>>> ListRegistrations(
      absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
      int limit) override;

  absl::StatusOr<Contribution> CreateContribution(absl::string_view prefecture,
                                                  absl::string_view workshop_id,
                                                  absl::string_view contribution_id,
                                                  const Contribution& contribution,
                                                  absl::string_view request_id) override;
  absl::StatusOr<Contribution> GetContribution(absl::string_view prefecture,
                                               absl::string_view workshop_id,
                                               absl::string_view contribution_id) override;
  absl::StatusOr<Contribution> ReplaceContribution(absl::string_view prefecture,
                                                   absl::string_view workshop_id,
                                                   absl::string_view contribution_id,
                                                   const Contribution& next,
                                                   absl::string_view expected_etag) override;
  absl::StatusOr<Contribution> VoteContribution(absl::string_view prefecture,
                                                absl::string_view workshop_id,
                                                absl::string_view contribution_id,
                                                absl::string_view person) override;
  absl::StatusOr<std::vector<Listed<std::string>>> ListContributionsWire(
      absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
      int limit) override;

 private:
  struct RegRec {
    Registration reg;
    int64_t seq = 0;
  };
  struct ContribRec {
    Contribution contribution;
    int64_t seq = 0;
    std::set<std::string> voters;
  };
  struct WorkshopRec {
    Workshop workshop;  // counters kept in the proto
    int64_t seq = 0;
    std::map<std::string, RegRec> regs;
    std::map<int64_t, std::string> reg_order;
    std::map<int64_t, std::string> waitlist;   // seq -> registration id
    std::map<std::string, std::string> by_person;  // person -> registration id
    std::map<std::string, ContribRec> contribs;
    std::map<int64_t, std::string> contrib_order;
    absl::Time last_registration_time = absl::InfinitePast();
  };
  struct Prefecture {
    int64_t seq = 0;
    std::map<std::string, WorkshopRec> workshops;
    std::map<int64_t, std::string> order;
    std::map<std::string, std::string> request_ids;  // "kind:parent:request_id" -> id
  };

  absl::StatusOr<WorkshopRec*> FindWorkshop(absl::string_view prefecture, absl::string_view id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void Bump(WorkshopRec& rec);
  void Promote(WorkshopRec& rec, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::map<std::string, Prefecture, std::less<>> prefectures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_MEMORY_WORKSHOP_STORE_H_
