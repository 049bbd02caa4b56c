// StakeholderStore on Redis. Keys of préfecture 59 (all under one hash tag):
//   stk:{59}:seq                     INCR counter: creation order of both kinds
//   stk:{59}:org:<id>                hash {pb, etag}: pb is the Organization
//                                    without its etag, etag a separate field
//                                    so Lua can compare-and-set it
//   stk:{59}:org:<id>:persons        set of the ids of its persons
//   stk:{59}:orgs                    sorted set id -> seq (list index)
//   stk:{59}:person:<id>             hash {pb, etag, org}: org is the id of its
//                                    organization (for the membership sets)
//   stk:{59}:persons                 sorted set id -> seq
//   stk:{59}:req:<kind>:<request_id> resource id, expires after 7 days
// Each change is one Lua script (idempotency check + write, etag CAS +
// write, membership moves), each list page one script per batch.
#ifndef QPV_SERVICES_STAKEHOLDER_REDIS_STAKEHOLDER_STORE_H_
#define QPV_SERVICES_STAKEHOLDER_REDIS_STAKEHOLDER_STORE_H_

#include "common/redis/redis_client.h"
#include "services/stakeholder/stakeholder_store.h"

namespace qpv::stakeholder {

class RedisStakeholderStore : public StakeholderStore {
 public:
  // `redis` is not owned and must outlive the store.
  explicit RedisStakeholderStore(redis::RedisClient* redis) : redis_(redis) {}

  absl::StatusOr<Organization> CreateOrganization(absl::string_view prefecture,
                                                  absl::string_view id, const Organization& org,
                                                  absl::string_view request_id) override;
  absl::StatusOr<Organization> GetOrganization(absl::string_view prefecture,
                                               absl::string_view id) override;
  absl::StatusOr<ScanResult<Organization>> ScanOrganizations(absl::string_view prefecture,
                                                             int64_t after_seq,
                                                             int limit) override;
  absl::StatusOr<Organization> UpdateOrganization(absl::string_view prefecture,
                                                  absl::string_view id, const Organization& org,
                                                  absl::string_view expected_etag) override;
  absl::Status DeleteOrganization(absl::string_view prefecture, absl::string_view id,
                                  absl::string_view expected_etag) override;

  absl::StatusOr<Person> CreatePerson(absl::string_view prefecture, absl::string_view id,
                                      const Person& person,
                                      absl::string_view request_id) override;
  // Awaits GetPersonAsync.
  absl::StatusOr<Person> GetPerson(absl::string_view prefecture, absl::string_view id) override;
  // One HMGET through RedisClient::CommandAsync.
  void GetPersonAsync(absl::string_view prefecture, absl::string_view id,
                      PersonCallback done) override;
  absl::StatusOr<ScanResult<Person>> ScanPersons(absl::string_view prefecture, int64_t after_seq,
                                                 int limit) override;
  absl::StatusOr<Person> UpdatePerson(absl::string_view prefecture, absl::string_view id,
                                      const Person& person,
                                      absl::string_view expected_etag) override;
  absl::Status DeletePerson(absl::string_view prefecture, absl::string_view id,
                            absl::string_view expected_etag) override;

 private:
  template <typename T>
  absl::StatusOr<T> Create(absl::string_view kind, absl::string_view prefecture,
                           absl::string_view id, const T& resource, absl::string_view org_id,
                           absl::string_view request_id);
  template <typename T>
  absl::StatusOr<T> GetResource(absl::string_view kind, absl::string_view prefecture,
                                absl::string_view id);
  // GetResource without waiting.
  template <typename T>
  void GetResourceAsync(absl::string_view kind, absl::string_view prefecture, absl::string_view id,
                        std::function<void(absl::StatusOr<T>)> done);
  template <typename T>
  absl::StatusOr<ScanResult<T>> Scan(absl::string_view kind, absl::string_view prefecture,
                                     int64_t after_seq, int limit);
  template <typename T>
  absl::StatusOr<T> Update(absl::string_view kind, absl::string_view prefecture,
                           absl::string_view id, const T& resource, absl::string_view org_id,
                           absl::string_view expected_etag);
  absl::Status Delete(absl::string_view kind, absl::string_view prefecture, absl::string_view id,
                      absl::string_view expected_etag);

  redis::RedisClient* const redis_;
};

}  // namespace qpv::stakeholder

#endif  // QPV_SERVICES_STAKEHOLDER_REDIS_STAKEHOLDER_STORE_H_
