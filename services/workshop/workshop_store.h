// Storage of workshops, registrations and contributions, behind an interface
// with two implementations: RedisWorkshopStore (production) and
// MemoryWorkshopStore (tests, local runs). Both give the same guarantees,
// checked by one contract suite (workshop_store_test.cc):
//
// - Every method is atomic: the checks it makes (state, etag, capacity, live
//   registration, idempotency key) and the writes it does happen in one step.
// - Creation order: each préfecture has a sequence; every workshop,
//   registration and contribution gets the next number, lists return items in
//   that order, after a given sequence number, so paging while items are added
//   returns every item exactly once.
// - Idempotency: a non-empty request_id seen before (kept 7 days) returns the
//   resource created then, even when both requests race.
//
// Ids are checked by the caller (resource ids, département codes). Errors:
// NOT_FOUND, ALREADY_EXISTS, ABORTED (etag), FAILED_PRECONDITION (state,
// capacity), UNAVAILABLE (store down), DATA_LOSS (unreadable bytes).
#ifndef QPV_SERVICES_WORKSHOP_WORKSHOP_STORE_H_
#define QPV_SERVICES_WORKSHOP_WORKSHOP_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/workshop/v1/workshop.pb.h"

namespace qpv::workshop {

using ::qpv::workshop::v1::Contribution;
using ::qpv::workshop::v1::Registration;
using ::qpv::workshop::v1::Workshop;

// An item of a list with its creation sequence number (the paging cursor).
template <typename T>
struct Listed {
  int64_t seq = 0;
  T item;
};

// How long a request_id is remembered.
inline constexpr absl::Duration kRequestIdTtl = absl::Hours(24 * 7);

class WorkshopStore {
 public:
  virtual ~WorkshopStore() = default;

  // --- Workshops. Counters (registered/waitlisted/attended_count) are kept by
  // the store and merged into the returned Workshop.

  // `workshop` is complete (name, state, times, etag, capacity).
  virtual absl::StatusOr<Workshop> CreateWorkshop(absl::string_view prefecture,
                                                  absl::string_view id,
                                                  const Workshop& workshop,
                                                  absl::string_view request_id) = 0;
  // The workshop as stored now: what a read-modify-write starts from.
  virtual absl::StatusOr<Workshop> GetWorkshop(absl::string_view prefecture,
                                               absl::string_view id) = 0;
  // The same for a plain read (the GetWorkshop call), which a store may serve
  // from a cache: it reflects every write of this process, and another
  // replica's as soon as the cache has heard of it (RedisWorkshopStore).
  virtual absl::StatusOr<Workshop> ReadWorkshop(absl::string_view prefecture,
                                                absl::string_view id) {
    return GetWorkshop(prefecture, id);
  }
  // ReadWorkshop without waiting, as CreateContributionAsync.
  using WorkshopCallback = std::function<void(absl::StatusOr<Workshop>)>;
  virtual void ReadWorkshopAsync(absl::string_view prefecture, absl::string_view id,
                                 WorkshopCallback done) {
    done(ReadWorkshop(prefecture, id));
  }
  // The workshop as ReadWorkshop would give it, if the store holds it in
  // memory now; else null, and never a round trip: for a precheck worth
  // making only when it costs none. This default holds nothing.
  virtual std::shared_ptr<const Workshop> PeekWorkshop(absl::string_view prefecture,
                                                       absl::string_view id) {
    return nullptr;
  }
  // Replaces the workshop's content by `next` (its counters are ignored) if
  // the stored etag is `expected_etag` (else ABORTED) and the stored state is
  // one of `allowed_states` (else FAILED_PRECONDITION with
  // `state_error`). A capacity below the seats taken is FAILED_PRECONDITION;
  // a capacity above promotes waitlisted registrations, first come first
  // served (their update_time becomes `now`).
  virtual absl::StatusOr<Workshop> ReplaceWorkshop(
      absl::string_view prefecture, absl::string_view id, const Workshop& next,
      absl::string_view expected_etag, const std::vector<Workshop::State>& allowed_states,
      absl::string_view state_error, absl::Time now) = 0;
  // Up to `limit` workshops with a sequence number above `after_seq`.
  virtual absl::StatusOr<std::vector<Listed<Workshop>>> ListWorkshops(
      absl::string_view prefecture, int64_t after_seq, int limit) = 0;
  // Every préfecture that ever held a workshop, sorted.
  virtual absl::StatusOr<std::vector<std::string>> ListPrefectures() = 0;

  // --- Registrations.

  // `registration` is complete but for its state. Takes a seat if one is free
  // (REGISTERED), else joins the waitlist (WAITLISTED). The workshop must be
  // DRAFT or SCHEDULED (FAILED_PRECONDITION); the person must not hold a live
  // registration (registered, waitlisted, attended, absent) to it
  // (ALREADY_EXISTS).
  virtual absl::StatusOr<Registration> RegisterParticipant(
      absl::string_view prefecture, absl::string_view workshop_id,
      absl::string_view registration_id, const Registration& registration,
      absl::string_view request_id) = 0;
  // The registration a request_id created (while it is remembered), or
  // NOT_FOUND: lets a retry get its first result even after the workshop or
  // the person changed since.
  virtual absl::StatusOr<Registration> FindRegistrationByRequestId(
      absl::string_view prefecture, absl::string_view workshop_id,
      absl::string_view request_id) = 0;
  using RegistrationCallback = std::function<void(absl::StatusOr<Registration>)>;
  // RegisterParticipant and FindRegistrationByRequestId without waiting, as
  // CreateContributionAsync.
  virtual void RegisterParticipantAsync(absl::string_view prefecture, absl::string_view workshop_id,
                                        absl::string_view registration_id,
                                        const Registration& registration,
                                        absl::string_view request_id, RegistrationCallback done) {
    done(RegisterParticipant(prefecture, workshop_id, registration_id, registration, request_id));
  }
  virtual void FindRegistrationByRequestIdAsync(absl::string_view prefecture,
                                                absl::string_view workshop_id,
                                                absl::string_view request_id,
                                                RegistrationCallback done) {
    done(FindRegistrationByRequestId(prefecture, workshop_id, request_id));
  }
  // REGISTERED or WAITLISTED -> WITHDRAWN while the workshop is DRAFT or
  // SCHEDULED; a freed seat goes to the first waitlisted registration.
  virtual absl::StatusOr<Registration> WithdrawRegistration(absl::string_view prefecture,
                                                            absl::string_view workshop_id,
                                                            absl::string_view registration_id,
                                                            absl::Time now) = 0;
  // REGISTERED, ATTENDED or ABSENT -> ATTENDED or ABSENT, while the workshop
  // is HELD, or SCHEDULED when `scheduled_ok` (the caller checked the time).
  virtual absl::StatusOr<Registration> RecordAttendance(absl::string_view prefecture,
                                                        absl::string_view workshop_id,
                                                        absl::string_view registration_id,
                                                        bool attended, bool scheduled_ok,
                                                        absl::Time now) = 0;
  // Children lists (this one and ListContributionsWire) are empty for an absent
  // workshop: telling NOT_FOUND apart is the caller's job, only when needed.
  virtual absl::StatusOr<std::vector<Listed<Registration>>> ListRegistrations(
      absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
      int limit) = 0;

  // --- Contributions (vote_count kept by the store). Writes need the
  // workshop SCHEDULED or HELD (FAILED_PRECONDITION otherwise).

  virtual absl::StatusOr<Contribution> CreateContribution(
      absl::string_view prefecture, absl::string_view workshop_id,
      absl::string_view contribution_id, const Contribution& contribution,
      absl::string_view request_id) = 0;
  // CreateContribution without waiting, for a handler that must not block:
  // `done` gets the result, on this thread or another. By default it is
  // the blocking call.
  using ContributionCallback = std::function<void(absl::StatusOr<Contribution>)>;
  virtual void CreateContributionAsync(absl::string_view prefecture, absl::string_view workshop_id,
                                       absl::string_view contribution_id,
                                       const Contribution& contribution,
                                       absl::string_view request_id, ContributionCallback done) {
    done(CreateContribution(prefecture, workshop_id, contribution_id, contribution, request_id));
  }
  virtual absl::StatusOr<Contribution> GetContribution(absl::string_view prefecture,
                                                       absl::string_view workshop_id,
                                                       absl::string_view contribution_id) = 0;
  // Compare-and-set on the etag (ABORTED when stale).
  virtual absl::StatusOr<Contribution> ReplaceContribution(
      absl::string_view prefecture, absl::string_view workshop_id,
      absl::string_view contribution_id, const Contribution& next,
      absl::string_view expected_etag) = 0;
  // One vote per person whose registration to the workshop is REGISTERED or
  // ATTENDED (FAILED_PRECONDITION otherwise); a second vote is ALREADY_EXISTS.
  virtual absl::StatusOr<Contribution> VoteContribution(absl::string_view prefecture,
                                                        absl::string_view workshop_id,
                                                        absl::string_view contribution_id,
                                                        absl::string_view person) = 0;
  // VoteContribution without waiting, as CreateContributionAsync.
  virtual void VoteContributionAsync(absl::string_view prefecture, absl::string_view workshop_id,
                                     absl::string_view contribution_id, absl::string_view person,
                                     ContributionCallback done) {
    done(VoteContribution(prefecture, workshop_id, contribution_id, person));
  }
  // Each contribution in wire form (bytes that parse as it, vote count and
  // etag included): ListContributions sends them as they are, and the
  // Redis store builds them from what it stores, without parsing.
  virtual absl::StatusOr<std::vector<Listed<std::string>>> ListContributionsWire(
      absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
      int limit) = 0;
  // ListContributionsWire without waiting, as CreateContributionAsync.
  using WireListCallback = std::function<void(absl::StatusOr<std::vector<Listed<std::string>>>)>;
  virtual void ListContributionsWireAsync(absl::string_view prefecture,
                                          absl::string_view workshop_id, int64_t after_seq,
                                          int limit, WireListCallback done) {
    done(ListContributionsWire(prefecture, workshop_id, after_seq, limit));
  }
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_WORKSHOP_STORE_H_
