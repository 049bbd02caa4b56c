// Storage of organizations and persons, one préfecture at a time.
//
// Every operation is atomic at the store level (a Lua script in Redis, one
// mutex in the fake): creates check the idempotency key and write the
// resource in one step, updates and deletes compare the etag and change the
// resource (and the organization -> persons membership) in one step.
//
// The store owns etags: it sets a new etag on every create and update (the
// etag field of the proto passed in is ignored) and returns the stored
// resource with its etag. Everything else in the protos (name, times...) is
// stored as given: the caller (StakeholderLogic) validated and built it.
//
// Lists are creation-ordered: each resource gets a per-préfecture sequence
// number at creation; Scan* returns the resources whose sequence number is
// above a cursor, in order, so paging sees every item exactly once even while
// items are added.
#ifndef QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_STORE_H_
#define QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "qpv/stakeholder/v1/stakeholder.pb.h"

namespace qpv::stakeholder {

using Organization = ::qpv::stakeholder::v1::Organization;
using Person = ::qpv::stakeholder::v1::Person;

// How long a request_id is remembered (AIP-155).
inline constexpr absl::Duration kRequestIdTtl = absl::Hours(24 * 7);

template <typename T>
struct Sequenced {
  int64_t seq = 0;
  T resource;
};

template <typename T>
struct ScanResult {
  std::vector<Sequenced<T>> items;  // ascending seq, all > after_seq
  bool exhausted = false;           // true: nothing after the last item
};

class StakeholderStore {
 public:
  virtual ~StakeholderStore() = default;

  // Stores `org` under `id`. With a non-empty request_id, a replay returns
  // the resource created by the first call (ALREADY_EXISTS if it was deleted
  // since) and writes nothing. ALREADY_EXISTS if `id` is taken.
  virtual absl::StatusOr<Organization> CreateOrganization(absl::string_view prefecture,
                                                          absl::string_view id,
                                                          const Organization& org,
                                                          absl::string_view request_id) = 0;
  // NOT_FOUND, DATA_LOSS when the stored bytes do not parse.
  virtual absl::StatusOr<Organization> GetOrganization(absl::string_view prefecture,
                                                       absl::string_view id) = 0;
  // Up to `limit` organizations created after `after_seq` (0: from the start).
  virtual absl::StatusOr<ScanResult<Organization>> ScanOrganizations(
      absl::string_view prefecture, int64_t after_seq, int limit) = 0;
  // Replaces the stored organization if its etag is `expected_etag` (empty:
  // any). NOT_FOUND, ABORTED on a stale etag.
  virtual absl::StatusOr<Organization> UpdateOrganization(absl::string_view prefecture,
                                                          absl::string_view id,
                                                          const Organization& org,
                                                          absl::string_view expected_etag) = 0;
  // NOT_FOUND, ABORTED on a stale etag (empty: any), FAILED_PRECONDITION
  // while persons belong to it.
  virtual absl::Status DeleteOrganization(absl::string_view prefecture, absl::string_view id,
                                          absl::string_view expected_etag) = 0;

  // person.organization must name an organization of the same préfecture
  // (the caller checked its shape); NOT_FOUND if that organization does not
  // exist. Otherwise as CreateOrganization.
  virtual absl::StatusOr<Person> CreatePerson(absl::string_view prefecture, absl::string_view id,
                                              const Person& person,
                                              absl::string_view request_id) = 0;
  virtual absl::StatusOr<Person> GetPerson(absl::string_view prefecture,
                                           absl::string_view id) = 0;
  // GetPerson without waiting: `done` gets the person, on any thread. By
  // default, the blocking GetPerson.
  using PersonCallback = std::function<void(absl::StatusOr<Person>)>;
  virtual void GetPersonAsync(absl::string_view prefecture, absl::string_view id,
                              PersonCallback done) {
    done(GetPerson(prefecture, id));
  }
  virtual absl::StatusOr<ScanResult<Person>> ScanPersons(absl::string_view prefecture,
                                                         int64_t after_seq, int limit) = 0;
  // As UpdateOrganization; moves the person to its new organization when
  // person.organization changed (NOT_FOUND if that one does not exist). Also
  // used for erasure: the erased record replaces the old one for good.
  virtual absl::StatusOr<Person> UpdatePerson(absl::string_view prefecture, absl::string_view id,
                                              const Person& person,
                                              absl::string_view expected_etag) = 0;
  virtual absl::Status DeletePerson(absl::string_view prefecture, absl::string_view id,
                                    absl::string_view expected_etag) = 0;
};

// The id in "prefectures/59/organizations/{id}" (the part after the last '/').
inline std::string LastSegment(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace qpv::stakeholder

#endif  // QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_STORE_H_
