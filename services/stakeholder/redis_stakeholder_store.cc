#include "services/stakeholder/redis_stakeholder_store.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/util/await.h"

namespace qpv::stakeholder {
namespace {

// What each kind of resource is called in keys and in messages.
struct Kind {
  const char* key;   // "org"
  const char* noun;  // "organization"
  const char* index; // "orgs"
};
constexpr Kind kOrg{"org", "organization", "orgs"};
constexpr Kind kPerson{"person", "person", "persons"};

const Kind& KindOf(absl::string_view key) { return key == "org" ? kOrg : kPerson; }

std::string Prefix(absl::string_view prefecture) {
  return redis::KeyPrefix("stk", prefecture);
}

// KEYS: resource, index, seq counter, request key.
// ARGV: pb, id, has request ('1'/'0'), ttl seconds, resource key prefix,
//       organization id ('' for an organization), organization key prefix.
// Returns {id, pb, etag}.
redis::Script& CreateScript() {
  static auto* script = new redis::Script(R"lua(
if ARGV[3] == '1' then
  local prev = redis.call('GET', KEYS[4])
  if prev then
    local h = redis.call('HMGET', ARGV[5] .. prev, 'pb', 'etag')
    if h[1] then return {prev, h[1], h[2]} end
    return redis.error_reply('QPV_ALREADY_EXISTS request_id was used for a resource that was deleted since')
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('QPV_ALREADY_EXISTS resource id already taken')
end
if ARGV[6] ~= '' then
  if redis.call('EXISTS', ARGV[7] .. ARGV[6]) == 0 then
    return redis.error_reply('QPV_NOT_FOUND organization not found')
  end
  redis.call('SADD', ARGV[7] .. ARGV[6] .. ':persons', ARGV[2])
end
local seq = redis.call('INCR', KEYS[3])
local etag = string.sub(redis.sha1hex(ARGV[1]), 1, 16)
redis.call('HSET', KEYS[1], 'pb', ARGV[1], 'etag', etag)
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'org', ARGV[6]) end
redis.call('ZADD', KEYS[2], seq, ARGV[2])
if ARGV[3] == '1' then redis.call('SET', KEYS[4], ARGV[2], 'EX', ARGV[4]) end
return {ARGV[2], ARGV[1], etag}
)lua");
  return *script;
}

// KEYS: index. ARGV: after seq, limit, resource key prefix.
// Returns {exhausted (1/0), id, seq, pb, etag, id, seq, pb, etag, ...}.
redis::Script& ScanScript() {
  static auto* script = new redis::Script(R"lua(
local limit = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1)
local n = #ids / 2
local out = {0}
if n <= limit then out[1] = 1 end
for i = 1, math.min(n, limit) do
  local id = ids[2 * i - 1]
  local h = redis.call('HMGET', ARGV[3] .. id, 'pb', 'etag')
  if h[1] then
    out[#out + 1] = id
    out[#out + 1] = ids[2 * i]
    out[#out + 1] = h[1]
    out[#out + 1] = h[2] or ''
  end
end
return out
)lua");
  return *script;
}

// KEYS: resource. ARGV: expected etag ('' = any), pb, organization id ('' for
// an organization), organization key prefix, id, noun. Returns the new etag.
redis::Script& UpdateScript() {
  static auto* script = new redis::Script(R"lua(
local cur = redis.call('HGET', KEYS[1], 'etag')
if not cur then return redis.error_reply('QPV_NOT_FOUND ' .. ARGV[6] .. ' not found') end
if ARGV[1] ~= '' and ARGV[1] ~= cur then
  return redis.error_reply('QPV_ABORTED etag mismatch: the ' .. ARGV[6] .. ' changed, read it again')
end
if ARGV[3] ~= '' then
  local old = redis.call('HGET', KEYS[1], 'org')
  if old ~= ARGV[3] then
    if redis.call('EXISTS', ARGV[4] .. ARGV[3]) == 0 then
      return redis.error_reply('QPV_NOT_FOUND organization not found')
    end
    if old then redis.call('SREM', ARGV[4] .. old .. ':persons', ARGV[5]) end
    redis.call('SADD', ARGV[4] .. ARGV[3] .. ':persons', ARGV[5])
    redis.call('HSET', KEYS[1], 'org', ARGV[3])
  end
end
local etag = string.sub(redis.sha1hex(cur .. ARGV[2]), 1, 16)
redis.call('HSET', KEYS[1], 'pb', ARGV[2], 'etag', etag)
return etag
)lua");
  return *script;
}

// KEYS: resource, index. ARGV: expected etag, id, noun, organization key prefix.
redis::Script& DeleteScript() {
  static auto* script = new redis::Script(R"lua(
local cur = redis.call('HGET', KEYS[1], 'etag')
if not cur then return redis.error_reply('QPV_NOT_FOUND ' .. ARGV[3] .. ' not found') end
if ARGV[1] ~= '' and ARGV[1] ~= cur then
  return redis.error_reply('QPV_ABORTED etag mismatch: the ' .. ARGV[3] .. ' changed, read it again')
end
if ARGV[3] == 'organization' then
  if redis.call('SCARD', KEYS[1] .. ':persons') > 0 then
    return redis.error_reply('QPV_FAILED_PRECONDITION the organization still has persons: delete or move them first')
  end
  redis.call('DEL', KEYS[1] .. ':persons')
else
  local org = redis.call('HGET', KEYS[1], 'org')
  if org then redis.call('SREM', ARGV[4] .. org .. ':persons', ARGV[2]) end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
)lua");
  return *script;
}

template <typename T>
absl::StatusOr<T> Decode(const Kind& kind, const std::string& pb, const std::string& etag) {
  T resource;
  if (!resource.ParseFromString(pb)) {
    return absl::DataLossError(absl::StrCat("stored ", kind.noun, " is unreadable"));
  }
  resource.set_etag(etag);
  return resource;
}

template <typename T>
std::string Encode(const T& resource) {
  T copy = resource;
  copy.clear_etag();
  return copy.SerializeAsString();
}

absl::Status Malformed() { return absl::InternalError("unexpected reply from the store"); }

}  // namespace

template <typename T>
absl::StatusOr<T> RedisStakeholderStore::Create(absl::string_view kind_key,
                                                absl::string_view prefecture,
                                                absl::string_view id, const T& resource,
                                                absl::string_view org_id,
                                                absl::string_view request_id) {
  const Kind& kind = KindOf(kind_key);
  const std::string p = Prefix(prefecture);
  const std::string req_key = request_id.empty()
                                  ? absl::StrCat(p, "req:none")
                                  : absl::StrCat(p, "req:", kind.key, ":", request_id);
  QPV_ASSIGN_OR_RETURN(
      redis::Reply reply,
      redis_->Eval(CreateScript(),
                   {absl::StrCat(p, kind.key, ":", id), absl::StrCat(p, kind.index),
                    absl::StrCat(p, "seq"), req_key},
                   {Encode(resource), std::string(id), request_id.empty() ? "0" : "1",
                    std::to_string(absl::ToInt64Seconds(kRequestIdTtl)),
                    absl::StrCat(p, kind.key, ":"), std::string(org_id), absl::StrCat(p, "org:")}));
  if (reply.type != redis::Reply::Type::kArray || reply.elements.size() != 3) return Malformed();
  return Decode<T>(kind, reply.elements[1].str, reply.elements[2].str);
}

template <typename T>
absl::StatusOr<T> RedisStakeholderStore::GetResource(absl::string_view kind_key,
                                                     absl::string_view prefecture,
                                                     absl::string_view id) {
  return util::Await<T>([&](std::function<void(absl::StatusOr<T>)> done) {
    GetResourceAsync<T>(kind_key, prefecture, id, std::move(done));
  });
}

template <typename T>
void RedisStakeholderStore::GetResourceAsync(absl::string_view kind_key,
                                             absl::string_view prefecture, absl::string_view id,
                                             std::function<void(absl::StatusOr<T>)> done) {
  const Kind& kind = KindOf(kind_key);
  redis_->CommandAsync(
      {"HMGET", absl::StrCat(Prefix(prefecture), kind.key, ":", id), "pb", "etag"},
      [&kind, done = std::move(done)](absl::StatusOr<redis::Reply> reply) {
        if (!reply.ok()) return done(reply.status());
        if (reply->type != redis::Reply::Type::kArray || reply->elements.size() != 2) {
          return done(Malformed());
        }
        if (reply->elements[0].is_nil()) {
          return done(absl::NotFoundError(absl::StrCat(kind.noun, " not found")));
        }
        done(Decode<T>(kind, reply->elements[0].str, reply->elements[1].str));
      });
}

template <typename T>
absl::StatusOr<ScanResult<T>> RedisStakeholderStore::Scan(absl::string_view kind_key,
                                                          absl::string_view prefecture,
                                                          int64_t after_seq, int limit) {
  const Kind& kind = KindOf(kind_key);
  const std::string p = Prefix(prefecture);
  if (limit < 1) limit = 1;
  QPV_ASSIGN_OR_RETURN(redis::Reply reply,
                       redis_->Eval(ScanScript(), {absl::StrCat(p, kind.index)},
                                    {std::to_string(after_seq), std::to_string(limit),
                                     absl::StrCat(p, kind.key, ":")}));
  if (reply.type != redis::Reply::Type::kArray || reply.elements.empty() ||
      (reply.elements.size() - 1) % 4 != 0) {
    return Malformed();
  }
  ScanResult<T> result;
  result.exhausted = reply.elements[0].integer == 1;
  for (size_t i = 1; i + 3 < reply.elements.size(); i += 4) {
    Sequenced<T> item;
    if (!absl::SimpleAtoi(reply.elements[i + 1].str, &item.seq)) return Malformed();
    QPV_ASSIGN_OR_RETURN(item.resource,
                         Decode<T>(kind, reply.elements[i + 2].str, reply.elements[i + 3].str));
    result.items.push_back(std::move(item));
  }
  return result;
}

template <typename T>
absl::StatusOr<T> RedisStakeholderStore::Update(absl::string_view kind_key,
                                                absl::string_view prefecture,
                                                absl::string_view id, const T& resource,
                                                absl::string_view org_id,
                                                absl::string_view expected_etag) {
  const Kind& kind = KindOf(kind_key);
  const std::string p = Prefix(prefecture);
  const std::string pb = Encode(resource);
  QPV_ASSIGN_OR_RETURN(
      redis::Reply reply,
      redis_->Eval(UpdateScript(), {absl::StrCat(p, kind.key, ":", id)},
                   {std::string(expected_etag), pb, std::string(org_id), absl::StrCat(p, "org:"),
                    std::string(id), kind.noun}));
  if (reply.type != redis::Reply::Type::kString) return Malformed();
  T stored = resource;
  stored.set_etag(reply.str);
  return stored;
}

absl::Status RedisStakeholderStore::Delete(absl::string_view kind_key,
                                           absl::string_view prefecture, absl::string_view id,
                                           absl::string_view expected_etag) {
  const Kind& kind = KindOf(kind_key);
  const std::string p = Prefix(prefecture);
  return redis_
      ->Eval(DeleteScript(), {absl::StrCat(p, kind.key, ":", id), absl::StrCat(p, kind.index)},
             {std::string(expected_etag), std::string(id), kind.noun, absl::StrCat(p, "org:")})
      .status();
}

absl::StatusOr<Organization> RedisStakeholderStore::CreateOrganization(
    absl::string_view prefecture, absl::string_view id, const Organization& org,
    absl::string_view request_id) {
  return Create<Organization>("org", prefecture, id, org, "", request_id);
}

absl::StatusOr<Organization> RedisStakeholderStore::GetOrganization(absl::string_view prefecture,
                                                                    absl::string_view id) {
  return GetResource<Organization>("org", prefecture, id);
}

absl::StatusOr<ScanResult<Organization>> RedisStakeholderStore::ScanOrganizations(
    absl::string_view prefecture, int64_t after_seq, int limit) {
  return Scan<Organization>("org", prefecture, after_seq, limit);
}

absl::StatusOr<Organization> RedisStakeholderStore::UpdateOrganization(
    absl::string_view prefecture, absl::string_view id, const Organization& org,
    absl::string_view expected_etag) {
  return Update<Organization>("org", prefecture, id, org, "", expected_etag);
}

absl::Status RedisStakeholderStore::DeleteOrganization(absl::string_view prefecture,
                                                       absl::string_view id,
                                                       absl::string_view expected_etag) {
  return Delete("org", prefecture, id, expected_etag);
}

absl::StatusOr<Person> RedisStakeholderStore::CreatePerson(absl::string_view prefecture,
                                                           absl::string_view id,
                                                           const Person& person,
                                                           absl::string_view request_id) {
  const std::string org_id = LastSegment(person.organization());
  if (org_id.empty()) return absl::NotFoundError("organization not found");
  return Create<Person>("person", prefecture, id, person, org_id, request_id);
}

absl::StatusOr<Person> RedisStakeholderStore::GetPerson(absl::string_view prefecture,
                                                        absl::string_view id) {
  return GetResource<Person>("person", prefecture, id);
}

void RedisStakeholderStore::GetPersonAsync(absl::string_view prefecture, absl::string_view id,
                                           PersonCallback done) {
  GetResourceAsync<Person>("person", prefecture, id, std::move(done));
}

absl::StatusOr<ScanResult<Person>> RedisStakeholderStore::ScanPersons(
    absl::string_view prefecture, int64_t after_seq, int limit) {
  return Scan<Person>("person", prefecture, after_seq, limit);
}

absl::StatusOr<Person> RedisStakeholderStore::UpdatePerson(absl::string_view prefecture,
                                                           absl::string_view id,
                                                           const Person& person,
                                                           absl::string_view expected_etag) {
  const std::string org_id = LastSegment(person.organization());
  if (org_id.empty()) return absl::NotFoundError("organization not found");
  return Update<Person>("person", prefecture, id, person, org_id, expected_etag);
}

absl::Status RedisStakeholderStore::DeletePerson(absl::string_view prefecture,
                                                 absl::string_view id,
                                                 absl::string_view expected_etag) {
  return Delete("person", prefecture, id, expected_etag);
}

}  // namespace qpv::stakeholder
