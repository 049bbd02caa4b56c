#include "services/stakeholder/memory_stakeholder_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/pagination/page_token.h"
#include "common/status/status.h"

namespace qpv::stakeholder {
namespace {

template <typename T>
std::string NextEtag(absl::string_view previous, const T& resource) {
  T copy = resource;
  copy.clear_etag();
  const uint64_t seed = pagination::StableHash64(previous);
  return absl::StrFormat("%016x", pagination::StableHash64(copy.SerializeAsString(), seed));
}

absl::Status CheckEtag(absl::string_view current, absl::string_view expected) {
  if (!expected.empty() && expected != current) {
    return absl::AbortedError("etag mismatch: the resource changed, read it again");
  }
  return absl::OkStatus();
}

}  // namespace

MemoryStakeholderStore::Prefecture& MemoryStakeholderStore::Get(absl::string_view prefecture) {
  auto it = prefectures_.find(prefecture);
  if (it == prefectures_.end()) it = prefectures_.emplace(std::string(prefecture), Prefecture()).first;
  return it->second;
}

std::string MemoryStakeholderStore::LookupRequest(Prefecture& p, const std::string& key) {
  auto it = p.requests.find(key);
  if (it == p.requests.end()) return "";
  if (it->second.expire <= clock_->Now()) {
    p.requests.erase(it);
    return "";
  }
  return it->second.id;
}

template <typename T>
ScanResult<T> MemoryStakeholderStore::Scan(const Table<T>& table, int64_t after_seq, int limit) {
  ScanResult<T> result;
  auto it = table.by_seq.upper_bound(after_seq);
  for (; it != table.by_seq.end() && static_cast<int>(result.items.size()) < limit; ++it) {
    result.items.push_back({it->first, table.by_id.at(it->second).resource});
  }
  result.exhausted = it == table.by_seq.end();
  return result;
}

absl::StatusOr<Organization> MemoryStakeholderStore::CreateOrganization(
    absl::string_view prefecture, absl::string_view id, const Organization& org,
    absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  const std::string req_key = absl::StrCat("org:", request_id);
  if (!request_id.empty()) {
    const std::string prev = LookupRequest(p, req_key);
    if (!prev.empty()) {
      auto it = p.orgs.by_id.find(prev);
      if (it == p.orgs.by_id.end()) {
        return absl::AlreadyExistsError("request_id was used for an organization since deleted");
      }
      return it->second.resource;
    }
  }
  if (p.orgs.by_id.count(std::string(id))) return absl::AlreadyExistsError("organization id taken");
  const int64_t seq = ++p.seq;
  Organization stored = org;
  stored.set_etag(NextEtag("", org));
  p.orgs.by_id[std::string(id)] = {stored, seq};
  p.orgs.by_seq[seq] = std::string(id);
  if (!request_id.empty()) p.requests[req_key] = {std::string(id), clock_->Now() + kRequestIdTtl};
  return stored;
}

absl::StatusOr<Organization> MemoryStakeholderStore::GetOrganization(absl::string_view prefecture,
                                                                     absl::string_view id) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  auto it = p.orgs.by_id.find(std::string(id));
  if (it == p.orgs.by_id.end()) return absl::NotFoundError("organization not found");
  return it->second.resource;
}

absl::StatusOr<ScanResult<Organization>> MemoryStakeholderStore::ScanOrganizations(
    absl::string_view prefecture, int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  return Scan(Get(prefecture).orgs, after_seq, limit);
}

absl::StatusOr<Organization> MemoryStakeholderStore::UpdateOrganization(
    absl::string_view prefecture, absl::string_view id, const Organization& org,
    absl::string_view expected_etag) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  auto it = p.orgs.by_id.find(std::string(id));
  if (it == p.orgs.by_id.end()) return absl::NotFoundError("organization not found");
  QPV_RETURN_IF_ERROR(CheckEtag(it->second.resource.etag(), expected_etag));
  Organization stored = org;
  stored.set_etag(NextEtag(it->second.resource.etag(), org));
  it->second.resource = stored;
  return stored;
}

absl::Status MemoryStakeholderStore::DeleteOrganization(absl::string_view prefecture,
                                                        absl::string_view id,
                                                        absl::string_view expected_etag) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  auto it = p.orgs.by_id.find(std::string(id));
  if (it == p.orgs.by_id.end()) return absl::NotFoundError("organization not found");
  QPV_RETURN_IF_ERROR(CheckEtag(it->second.resource.etag(), expected_etag));
  auto members = p.org_persons.find(std::string(id));
  if (members != p.org_persons.end() && !members->second.empty()) {
    return absl::FailedPreconditionError(
        "the organization still has persons: delete or move them first");
  }
  p.orgs.by_seq.erase(it->second.seq);
  p.orgs.by_id.erase(it);
  if (members != p.org_persons.end()) p.org_persons.erase(members);
  return absl::OkStatus();
}

absl::StatusOr<Person> MemoryStakeholderStore::CreatePerson(absl::string_view prefecture,
                                                            absl::string_view id,
                                                            const Person& person,
                                                            absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  const std::string req_key = absl::StrCat("person:", request_id);
  if (!request_id.empty()) {
    const std::string prev = LookupRequest(p, req_key);
    if (!prev.empty()) {
      auto it = p.persons.by_id.find(prev);
      if (it == p.persons.by_id.end()) {
        return absl::AlreadyExistsError("request_id was used for a person since deleted");
      }
      return it->second.resource;
    }
  }
  if (p.persons.by_id.count(std::string(id))) return absl::AlreadyExistsError("person id taken");
  const std::string org_id = LastSegment(person.organization());
  if (!p.orgs.by_id.count(org_id)) return absl::NotFoundError("organization not found");
  const int64_t seq = ++p.seq;
  Person stored = person;
  stored.set_etag(NextEtag("", person));
  p.persons.by_id[std::string(id)] = {stored, seq};
  p.persons.by_seq[seq] = std::string(id);
  p.org_persons[org_id].insert(std::string(id));
  if (!request_id.empty()) p.requests[req_key] = {std::string(id), clock_->Now() + kRequestIdTtl};
  return stored;
}

absl::StatusOr<Person> MemoryStakeholderStore::GetPerson(absl::string_view prefecture,
                                                         absl::string_view id) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  auto it = p.persons.by_id.find(std::string(id));
  if (it == p.persons.by_id.end()) return absl::NotFoundError("person not found");
  return it->second.resource;
}

absl::StatusOr<ScanResult<Person>> MemoryStakeholderStore::ScanPersons(
    absl::string_view prefecture, int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  return Scan(Get(prefecture).persons, after_seq, limit);
}

absl::StatusOr<Person> MemoryStakeholderStore::UpdatePerson(absl::string_view prefecture,
                                                            absl::string_view id,
                                                            const Person& person,
                                                            absl::string_view expected_etag) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  auto it = p.persons.by_id.find(std::string(id));
  if (it == p.persons.by_id.end()) return absl::NotFoundError("person not found");
  QPV_RETURN_IF_ERROR(CheckEtag(it->second.resource.etag(), expected_etag));
  const std::string old_org = LastSegment(it->second.resource.organization());
  const std::string new_org = LastSegment(person.organization());
  if (old_org != new_org) {
    if (!p.orgs.by_id.count(new_org)) return absl::NotFoundError("organization not found");
    p.org_persons[old_org].erase(std::string(id));
    p.org_persons[new_org].insert(std::string(id));
  }
  Person stored = person;
  stored.set_etag(NextEtag(it->second.resource.etag(), person));
  it->second.resource = stored;
  return stored;
}

absl::Status MemoryStakeholderStore::DeletePerson(absl::string_view prefecture,
                                                  absl::string_view id,
                                                  absl::string_view expected_etag) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = Get(prefecture);
  auto it = p.persons.by_id.find(std::string(id));
  if (it == p.persons.by_id.end()) return absl::NotFoundError("person not found");
  QPV_RETURN_IF_ERROR(CheckEtag(it->second.resource.etag(), expected_etag));
  p.org_persons[LastSegment(it->second.resource.organization())].erase(std::string(id));
  p.persons.by_seq.erase(it->second.seq);
  p.persons.by_id.erase(it);
  return absl::OkStatus();
}

}  // namespace qpv::stakeholder
