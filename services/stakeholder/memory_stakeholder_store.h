// In-memory StakeholderStore (a fake for tests and for QPV_STAKEHOLDER_STORE=memory),
// with the same semantics as RedisStakeholderStore.
#ifndef QPV_SERVICES_STAKEHOLDER_MEMORY_STAKEHOLDER_STORE_H_
#define QPV_SERVICES_STAKEHOLDER_MEMORY_STAKEHOLDER_STORE_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/util/clock.h"
#include "services/stakeholder/stakeholder_store.h"

namespace qpv::stakeholder {

class MemoryStakeholderStore : public StakeholderStore {
 public:
  // `clock` expires request ids; not owned.
  explicit MemoryStakeholderStore(Clock* clock = Clock::Real()) : clock_(clock) {}

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
  absl::StatusOr<Person> GetPerson(absl::string_view prefecture, absl::string_view id) override;
  absl::StatusOr<ScanResult<Person>> ScanPersons(absl::string_view prefecture, int64_t after_seq,
                                                 int limit) override;
  absl::StatusOr<Person> UpdatePerson(absl::string_view prefecture, absl::string_view id,
                                      const Person& person,
                                      absl::string_view expected_etag) override;
  absl::Status DeletePerson(absl::string_view prefecture, absl::string_view id,
                            absl::string_view expected_etag) override;

 private:
  template <typename T>
  struct Table {
    struct Entry {
      T resource;  // with its etag
      int64_t seq = 0;
    };
    std::map<std::string, Entry> by_id;
    std::map<int64_t, std::string> by_seq;
  };
  struct RequestEntry {
    std::string id;
    absl::Time expire;
  };
  struct Prefecture {
    int64_t seq = 0;
    Table<Organization> orgs;
    Table<Person> persons;
    std::map<std::string, std::set<std::string>> org_persons;
    std::map<std::string, RequestEntry> requests;  // "<kind>:<request_id>"
  };

  Prefecture& Get(absl::string_view prefecture) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The id a live request id points to, or "".
  std::string LookupRequest(Prefecture& p, const std::string& key)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  template <typename T>
  static ScanResult<T> Scan(const Table<T>& table, int64_t after_seq, int limit);

  Clock* const clock_;
  absl::Mutex mu_;
  std::map<std::string, Prefecture, std::less<>> prefectures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::stakeholder

#endif  // QPV_SERVICES_STAKEHOLDER_MEMORY_STAKEHOLDER_STORE_H_
