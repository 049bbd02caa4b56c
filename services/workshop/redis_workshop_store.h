// WorkshopStore on Redis. Every write is one Lua script (atomic, one round
// trip); reads are one HGETALL or one script.
//
// Keys, with P = qpv::redis::KeyPrefix("ws", prefecture) = "ws:{59}:" (one
// hash tag per préfecture, so scripts stay valid on Redis Cluster):
//   ws:prefectures                 set of préfectures holding workshops (no hash tag)
//   P seq                          INCR sequence: creation order of everything
//   P workshops                    zset workshop id by seq
//   P w:<w>                        hash pb, etag, state, capacity, registered,
//                                  waitlisted, attended, seq, rev (bumped by every
//                                  write of the workshop or of its children)
//   P w:<w>:regs                   zset registration id by seq
//   P w:<w>:waitlist               zset waitlisted registration id by seq (FIFO)
//   P w:<w>:persons                hash person name -> latest registration id
//   P w:<w>:r:<r>                  hash pb, state, ut (update time, unix µs), seq, person
//   P w:<w>:contribs               zset contribution id by seq
//   P w:<w>:c:<c>                  hash pb, etag, votes, seq
//   P w:<w>:c:<c>:voters           set of person names that voted
//   P req:w:<request_id>           workshop id        (TTL 7 days)
//   P req:r:<w>:<request_id>       registration id    (TTL 7 days)
//   P req:c:<w>:<request_id>       contribution id    (TTL 7 days)
// `pb` holds the serialized resource; the other fields hold what scripts
// change and are merged into it on read (state, counters, votes, etag).
// With a TrackedReads, ReadWorkshop serves workshops from memory; every
// write of a workshop's keys drops that workshop from it once done, so this
// process reads its own writes. With ContributionPages too, pages of
// contributions are served from memory while the workshop's etag and
// revision (which every contribution write bumps) are those they were read
// at.
#ifndef QPV_SERVICES_WORKSHOP_REDIS_WORKSHOP_STORE_H_
#define QPV_SERVICES_WORKSHOP_REDIS_WORKSHOP_STORE_H_

#include <optional>
#include <string>

#include "common/redis/redis_client.h"
#include "common/redis/tracked_reads.h"
#include "services/workshop/contribution_pages.h"
#include "services/workshop/workshop_store.h"

namespace qpv::workshop {

class RedisWorkshopStore : public WorkshopStore {
 public:
  // `redis` (and `cache`, when given) must outlive the store.
  // With `pages` (and `cache`), ListContributionsWire serves a page from
  // memory while its workshop's version, read through `cache`, is the one
  // the page was read at.
  explicit RedisWorkshopStore(redis::RedisClient* redis, redis::TrackedReads* cache = nullptr,
                              ContributionPages* pages = nullptr);

  absl::StatusOr<Workshop> CreateWorkshop(absl::string_view prefecture, absl::string_view id,
                                          const Workshop& workshop,
                                          absl::string_view request_id) override;
  absl::StatusOr<Workshop> GetWorkshop(absl::string_view prefecture,
                                       absl::string_view id) override;
  // Awaits ReadWorkshopAsync.
  absl::StatusOr<Workshop> ReadWorkshop(absl::string_view prefecture,
                                        absl::string_view id) override;
  // From the cache when it holds the workshop, else one HGETALL sent
  // asynchronously.
  void ReadWorkshopAsync(absl::string_view prefecture, absl::string_view id,
                         WorkshopCallback done) override;
  // From the read cache (QPV_WORKSHOP_CACHE) only: null when it is off or
  // does not hold the workshop.
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

  // Awaits FindRegistrationByRequestIdAsync.
  absl::StatusOr<Registration> FindRegistrationByRequestId(
      absl::string_view prefecture, absl::string_view workshop_id,
      absl::string_view request_id) override;
  // One EVALSHA through RedisClient::EvalAsync.
  void FindRegistrationByRequestIdAsync(absl::string_view prefecture, absl::string_view workshop_id,
                                        absl::string_view request_id,
                                        RegistrationCallback done) override;
  // Awaits RegisterParticipantAsync.
  absl::StatusOr<Registration> RegisterParticipant(absl::string_view prefecture,
                                                   absl::string_view workshop_id,
                                                   absl::string_view registration_id,
                                                   const Registration& registration,
                                                   absl::string_view request_id) override;
  // One EVALSHA through RedisClient::EvalAsync.
  void RegisterParticipantAsync(absl::string_view prefecture, absl::string_view workshop_id,
                                absl::string_view registration_id, const Registration& registration,
                                absl::string_view request_id, RegistrationCallback done) override;
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

  // Awaits CreateContributionAsync.
  absl::StatusOr<Contribution> CreateContribution(absl::string_view prefecture,
                                                  absl::string_view workshop_id,
                                                  absl::string_view contribution_id,
                                                  const Contribution& contribution,
                                                  absl::string_view request_id) override;
  // One EVALSHA through RedisClient::EvalAsync.
  void CreateContributionAsync(absl::string_view prefecture, absl::string_view workshop_id,
                               absl::string_view contribution_id, const Contribution& contribution,
                               absl::string_view request_id, ContributionCallback done) override;
  absl::StatusOr<Contribution> GetContribution(absl::string_view prefecture,
                                               absl::string_view workshop_id,
                                               absl::string_view contribution_id) override;
  absl::StatusOr<Contribution> ReplaceContribution(absl::string_view prefecture,
                                                   absl::string_view workshop_id,
                                                   absl::string_view contribution_id,
                                                   const Contribution& next,
                                                   absl::string_view expected_etag) override;
  // Awaits VoteContributionAsync.
  absl::StatusOr<Contribution> VoteContribution(absl::string_view prefecture,
                                                absl::string_view workshop_id,
                                                absl::string_view contribution_id,
                                                absl::string_view person) override;
  void VoteContributionAsync(absl::string_view prefecture, absl::string_view workshop_id,
                             absl::string_view contribution_id, absl::string_view person,
                             ContributionCallback done) override;
  // Awaits ListContributionsWireAsync.
  absl::StatusOr<std::vector<Listed<std::string>>> ListContributionsWire(
      absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
      int limit) override;
  // From the pages, on this thread, when the workshop is in the cache and
  // the page asked for is kept at its version; else one EVALSHA, whose page
  // is then kept (and the workshop, if not cached, read into the cache
  // alongside it).
  void ListContributionsWireAsync(absl::string_view prefecture, absl::string_view workshop_id,
                                  int64_t after_seq, int limit, WireListCallback done) override;

  // The set of préfectures (outside any hash tag).
  static constexpr char kPrefecturesKey[] = "ws:prefectures";

 private:
  // `result`, after dropping the workshop from the cache: called once a
  // write that may have changed its hash is done, whatever came of it.
  template <typename T>
  T Wrote(absl::string_view prefecture, absl::string_view workshop_id, T result);
  // What an asynchronous write of a contribution completes with: its
  // reply decoded (a reply that is not a hash stands for `created`, the
  // contribution the script was given), the workshop's cache entry
  // invalidated, then `done`.
  redis::RedisClient::ReplyCallback WroteContribution(
      absl::string_view prefecture, absl::string_view workshop_id, ContributionCallback done,
      std::optional<Contribution> created = std::nullopt);

  // ListContributionsWireAsync's read of a page from Redis, kept in pages_.
  void ReadContributionPage(const std::string& prefecture, const std::string& workshop_id,
                            int64_t after_seq, int limit, WireListCallback done);

  redis::RedisClient* redis_;
  redis::TrackedReads* cache_;
  ContributionPages* pages_;  // null unless cache_ is set
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_REDIS_WORKSHOP_STORE_H_
