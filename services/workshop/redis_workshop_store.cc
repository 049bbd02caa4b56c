#include "services/workshop/redis_workshop_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status.h"
#include "common/util/await.h"
#include "common/util/clock.h"
#include "services/workshop/contribution_wire.h"

namespace qpv::workshop {
namespace {

using redis::Reply;
using redis::Script;
// A Redis hash reply read in place: a handful of fields, so a linear scan
// beats copying every field (the serialized proto among them) into a map.
class Hash {
 public:
  explicit Hash(const Reply& r) : r_(&r) {}
  const std::string* Find(absl::string_view field) const {
    const auto& e = r_->elements;
    for (size_t i = 0; i + 1 < e.size(); i += 2) {
      if (e[i].str == field) return &e[i + 1].str;
    }
    return nullptr;
  }

 private:
  const Reply* r_;
};

const std::string kTtlSeconds = std::to_string(absl::ToInt64Seconds(kRequestIdTtl));

// Moves the first waitlisted registrations to REGISTERED while seats are free.
constexpr char kPromoteLua[] = R"lua(
local function promote(wkey, wlkey, regprefix, now)
  local cap = tonumber(redis.call('HGET', wkey, 'capacity'))
  local reg = tonumber(redis.call('HGET', wkey, 'registered'))
  while reg < cap do
    local first = redis.call('ZRANGE', wlkey, 0, 0)
    if #first == 0 then break end
    redis.call('ZREM', wlkey, first[1])
    redis.call('HSET', regprefix .. first[1], 'state', '1', 'ut', now)
    reg = reg + 1
    redis.call('HINCRBY', wkey, 'waitlisted', -1)
  end
  redis.call('HSET', wkey, 'registered', reg)
end
)lua";

// KEYS: idem, workshop, workshops zset, seq.
// ARGV: prefix, use_idem, id, pb, etag, state, capacity, ttl.
Script& CreateWorkshopScript() {
  static auto* s = new Script(R"lua(
if ARGV[2] == '1' then
  local existing = redis.call('GET', KEYS[1])
  if existing then
    local h = redis.call('HGETALL', ARGV[1] .. 'w:' .. existing)
    if #h > 0 then return h end
  end
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('QPV_ALREADY_EXISTS workshop already exists')
end
local seq = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], 'pb', ARGV[4], 'etag', ARGV[5], 'state', ARGV[6],
           'capacity', ARGV[7], 'registered', 0, 'waitlisted', 0, 'attended', 0, 'seq', seq,
           'rev', 1)
redis.call('ZADD', KEYS[3], seq, ARGV[3])
if ARGV[2] == '1' then redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[8]) end
return redis.call('HGETALL', KEYS[2])
)lua");
  return *s;
}

// KEYS: workshop, waitlist. ARGV: regprefix, expected etag, ",allowed,states,",
// pb, new etag, new state, capacity, now, state error.
Script& ReplaceWorkshopScript() {
  static auto* s = new Script(std::string(kPromoteLua) + R"lua(
local cur = redis.call('HMGET', KEYS[1], 'etag', 'state', 'registered')
if not cur[1] then return redis.error_reply('QPV_NOT_FOUND workshop not found') end
if cur[1] ~= ARGV[2] then
  return redis.error_reply('QPV_ABORTED etag mismatch: the workshop changed, read it again')
end
if not string.find(ARGV[3], ',' .. cur[2] .. ',', 1, true) then
  return redis.error_reply('QPV_FAILED_PRECONDITION ' .. ARGV[9])
end
if tonumber(ARGV[7]) < tonumber(cur[3]) then
  return redis.error_reply('QPV_FAILED_PRECONDITION capacity cannot go below the seats already taken')
end
redis.call('HSET', KEYS[1], 'pb', ARGV[4], 'etag', ARGV[5], 'state', ARGV[6], 'capacity', ARGV[7])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
promote(KEYS[1], KEYS[2], ARGV[1], ARGV[8])
return redis.call('HGETALL', KEYS[1])
)lua");
  return *s;
}

// The hashes after seq ARGV[2] (at most ARGV[3]) of the zset KEYS[1], read
// at ARGV[1] .. id: {seq, {hash...}, seq, {hash...}, ...}.
constexpr char kListLua[] = R"lua(
local function list()
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf', 'WITHSCORES',
                         'LIMIT', 0, tonumber(ARGV[3]))
  local out = {}
  for i = 1, #ids, 2 do
    local h = redis.call('HGETALL', ARGV[1] .. ids[i])
    if #h > 0 then
      table.insert(out, ids[i + 1])
      table.insert(out, h)
    end
  end
  return out
end
)lua";

// KEYS: zset. ARGV: hash key prefix, after seq, limit. Returns kListLua's list.
Script& ListScript() {
  static auto* s = new Script(std::string(kListLua) + "return list()");
  return *s;
}

// ListScript's page of a workshop's contributions, with the version of the
// workshop it was read at. KEYS: contribs zset, workshop. ARGV: as ListScript.
// Returns {etag, rev, {seq, {hash...}, ...}}; etag and rev nil when the
// workshop does not exist.
Script& ListContributionsScript() {
  static auto* s = new Script(std::string(kListLua) + R"lua(
local v = redis.call('HMGET', KEYS[2], 'etag', 'rev')
return {v[1], v[2], list()}
)lua");
  return *s;
}

// KEYS: workshop, reg, regs zset, waitlist, persons, idem, seq.
// ARGV: regprefix, rid, pb, person, now, use_idem, ttl.
Script& RegisterScript() {
  static auto* s = new Script(R"lua(
if ARGV[6] == '1' then
  local existing = redis.call('GET', KEYS[6])
  if existing then
    local h = redis.call('HGETALL', ARGV[1] .. existing)
    if #h > 0 then return h end
  end
end
local w = redis.call('HMGET', KEYS[1], 'state', 'capacity', 'registered')
if not w[1] then return redis.error_reply('QPV_NOT_FOUND workshop not found') end
if w[1] ~= '1' and w[1] ~= '2' then
  return redis.error_reply('QPV_FAILED_PRECONDITION registrations are taken while the workshop is draft or scheduled')
end
local prev = redis.call('HGET', KEYS[5], ARGV[4])
if prev then
  local st = redis.call('HGET', ARGV[1] .. prev, 'state')
  if st and st ~= '5' then
    return redis.error_reply('QPV_ALREADY_EXISTS the person already holds a registration to this workshop')
  end
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('QPV_ALREADY_EXISTS registration already exists')
end
local seq = redis.call('INCR', KEYS[7])
-- create_time is taken here, strictly increasing per workshop, so the queue
-- order and the registrations' create_time never disagree. Kept as strings:
-- microseconds do not survive Lua's number formatting.
local last = redis.call('HGET', KEYS[1], 'lastct')
if last and (#last > #ARGV[5] or (#last == #ARGV[5] and last >= ARGV[5])) then
  redis.call('HINCRBY', KEYS[1], 'lastct', 1)
else
  redis.call('HSET', KEYS[1], 'lastct', ARGV[5])
end
local ct = redis.call('HGET', KEYS[1], 'lastct')
local state = '1'
if tonumber(w[3]) < tonumber(w[2]) then
  redis.call('HINCRBY', KEYS[1], 'registered', 1)
else
  state = '2'
  redis.call('HINCRBY', KEYS[1], 'waitlisted', 1)
  redis.call('ZADD', KEYS[4], seq, ARGV[2])
end
redis.call('HSET', KEYS[2], 'pb', ARGV[3], 'state', state, 'ct', ct, 'ut', ct, 'seq', seq,
           'person', ARGV[4])
redis.call('ZADD', KEYS[3], seq, ARGV[2])
redis.call('HSET', KEYS[5], ARGV[4], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
if ARGV[6] == '1' then redis.call('SET', KEYS[6], ARGV[2], 'EX', ARGV[7]) end
return redis.call('HGETALL', KEYS[2])
)lua");
  return *s;
}

// KEYS: idem. ARGV: regprefix.
Script& FindByRequestIdScript() {
  static auto* s = new Script(R"lua(
local rid = redis.call('GET', KEYS[1])
if rid then
  local h = redis.call('HGETALL', ARGV[1] .. rid)
  if #h > 0 then return h end
end
return redis.error_reply('QPV_NOT_FOUND no registration for this request_id')
)lua");
  return *s;
}

// KEYS: workshop, reg, waitlist. ARGV: regprefix, now, rid.
Script& WithdrawScript() {
  static auto* s = new Script(std::string(kPromoteLua) + R"lua(
local st = redis.call('HGET', KEYS[2], 'state')
if not st then return redis.error_reply('QPV_NOT_FOUND registration not found') end
local ws = redis.call('HGET', KEYS[1], 'state')
if ws ~= '1' and ws ~= '2' then
  return redis.error_reply('QPV_FAILED_PRECONDITION registrations are withdrawn while the workshop is draft or scheduled')
end
if st == '1' then
  redis.call('HINCRBY', KEYS[1], 'registered', -1)
elseif st == '2' then
  redis.call('ZREM', KEYS[3], ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'waitlisted', -1)
else
  return redis.error_reply('QPV_FAILED_PRECONDITION only a registered or waitlisted registration can be withdrawn')
end
redis.call('HSET', KEYS[2], 'state', '5', 'ut', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
promote(KEYS[1], KEYS[3], ARGV[1], ARGV[2])
return redis.call('HGETALL', KEYS[2])
)lua");
  return *s;
}

// KEYS: workshop, reg. ARGV: attended, scheduled_ok, now.
Script& AttendanceScript() {
  static auto* s = new Script(R"lua(
local st = redis.call('HGET', KEYS[2], 'state')
if not st then return redis.error_reply('QPV_NOT_FOUND registration not found') end
local ws = redis.call('HGET', KEYS[1], 'state')
if not (ws == '3' or (ws == '2' and ARGV[2] == '1')) then
  return redis.error_reply('QPV_FAILED_PRECONDITION attendance is recorded from 12 hours before the start of a scheduled workshop, or once it is held')
end
if st ~= '1' and st ~= '3' and st ~= '4' then
  return redis.error_reply('QPV_FAILED_PRECONDITION attendance is recorded only for a registration holding a seat')
end
local next = '4'
if ARGV[1] == '1' then next = '3' end
if st ~= '3' and next == '3' then
  redis.call('HINCRBY', KEYS[1], 'attended', 1)
elseif st == '3' and next == '4' then
  redis.call('HINCRBY', KEYS[1], 'attended', -1)
end
redis.call('HSET', KEYS[2], 'state', next, 'ut', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return redis.call('HGETALL', KEYS[2])
)lua");
  return *s;
}

constexpr char kContributionStateLua[] = R"lua(
local function check_workshop(wkey)
  local ws = redis.call('HGET', wkey, 'state')
  if not ws then return redis.error_reply('QPV_NOT_FOUND workshop not found') end
  if ws ~= '2' and ws ~= '3' then
    return redis.error_reply('QPV_FAILED_PRECONDITION contributions and votes are taken while the workshop is scheduled or held')
  end
  return nil
end
)lua";

// KEYS: workshop, contribution, contribs zset, idem, seq.
// ARGV: contribution prefix, cid, pb, etag, use_idem, ttl.
// The hottest write, so it runs as few commands as it can (each redis.call
// costs Redis 1-2 us): the idempotency record is claimed and read in one
// SET NX GET (Redis 7.0 and later), given back if the write is refused; the index's ZADD NX is
// also the guard against an id already taken (contributions are never
// deleted, so the index holds every one); the hash keeps no vote count
// until the first vote (a missing count reads 0).
Script& CreateContributionScript() {
  static auto* s = new Script(std::string(kContributionStateLua) + R"lua(
local function refuse(err)
  if ARGV[5] == '1' then redis.call('DEL', KEYS[4]) end
  return err
end
if ARGV[5] == '1' then
  local existing = redis.call('SET', KEYS[4], ARGV[2], 'NX', 'GET', 'EX', ARGV[6])
  if existing then
    local h = redis.call('HGETALL', ARGV[1] .. existing)
    if #h > 0 then return h end
    redis.call('SET', KEYS[4], ARGV[2], 'EX', ARGV[6])
  end
end
local err = check_workshop(KEYS[1])
if err then return refuse(err) end
local seq = redis.call('INCR', KEYS[5])
if redis.call('ZADD', KEYS[3], 'NX', seq, ARGV[2]) == 0 then
  return refuse(redis.error_reply('QPV_ALREADY_EXISTS contribution already exists'))
end
redis.call('HSET', KEYS[2], 'pb', ARGV[3], 'etag', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
-- The caller holds what it just stored: sending it back would cost Redis a
-- read and a reply of the whole contribution.
return 'created'
)lua");
  return *s;
}

// KEYS: workshop, contribution. ARGV: expected etag, pb, new etag.
Script& ReplaceContributionScript() {
  static auto* s = new Script(std::string(kContributionStateLua) + R"lua(
local e = redis.call('HGET', KEYS[2], 'etag')
if not e then return redis.error_reply('QPV_NOT_FOUND contribution not found') end
if e ~= ARGV[1] then
  return redis.error_reply('QPV_ABORTED etag mismatch: the contribution changed, read it again')
end
local err = check_workshop(KEYS[1])
if err then return err end
redis.call('HSET', KEYS[2], 'pb', ARGV[2], 'etag', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return redis.call('HGETALL', KEYS[2])
)lua");
  return *s;
}

// KEYS: workshop, contribution, voters, persons. ARGV: regprefix, person.
Script& VoteScript() {
  static auto* s = new Script(std::string(kContributionStateLua) + R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  return redis.error_reply('QPV_NOT_FOUND contribution not found')
end
local err = check_workshop(KEYS[1])
if err then return err end
local rid = redis.call('HGET', KEYS[4], ARGV[2])
local ok = false
if rid then
  local st = redis.call('HGET', ARGV[1] .. rid, 'state')
  ok = (st == '1' or st == '3')
end
if not ok then
  return redis.error_reply('QPV_FAILED_PRECONDITION only a person registered to the workshop (registered or attended) can vote')
end
if redis.call('SADD', KEYS[3], ARGV[2]) == 0 then
  return redis.error_reply('QPV_ALREADY_EXISTS this person already voted for this contribution')
end
redis.call('HINCRBY', KEYS[2], 'votes', 1)
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return redis.call('HGETALL', KEYS[2])
)lua");
  return *s;
}

absl::Status DataLoss(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored ", what, " is unreadable"));
}

absl::StatusOr<Hash> ToHash(const Reply& r) {
  if (r.type != Reply::Type::kArray || r.elements.size() % 2 != 0) {
    return absl::InternalError("unexpected reply shape from Redis");
  }
  return Hash(r);
}

int64_t Int(const Hash& h, absl::string_view field) {
  const std::string* s = h.Find(field);
  int64_t v = 0;
  if (s == nullptr || !absl::SimpleAtoi(*s, &v)) return 0;
  return v;
}

absl::StatusOr<Workshop> WorkshopFromHash(const Hash& h) {
  Workshop w;
  const std::string* pb = h.Find("pb");
  if (pb == nullptr || !w.ParseFromString(*pb)) return DataLoss("workshop");
  if (const std::string* etag = h.Find("etag")) w.set_etag(*etag);
  w.set_state(static_cast<Workshop::State>(Int(h, "state")));
  w.set_capacity(static_cast<int32_t>(Int(h, "capacity")));
  w.set_registered_count(static_cast<int32_t>(Int(h, "registered")));
  w.set_waitlisted_count(static_cast<int32_t>(Int(h, "waitlisted")));
  w.set_attended_count(static_cast<int32_t>(Int(h, "attended")));
  w.set_revision(Int(h, "rev"));
  return w;
}

absl::StatusOr<Registration> RegistrationFromHash(const Hash& h) {
  Registration r;
  const std::string* pb = h.Find("pb");
  if (pb == nullptr || !r.ParseFromString(*pb)) return DataLoss("registration");
  r.set_state(static_cast<Registration::State>(Int(h, "state")));
  if (h.Find("ct")) *r.mutable_create_time() = ToProto(absl::FromUnixMicros(Int(h, "ct")));
  if (h.Find("ut")) *r.mutable_update_time() = ToProto(absl::FromUnixMicros(Int(h, "ut")));
  return r;
}

// ContributionFromHash's contribution in wire form, without parsing it (its
// structure is checked: WireWellFormed).
absl::StatusOr<std::string> ContributionWireFromHash(const Hash& h) {
  const std::string* pb = h.Find("pb");
  if (pb == nullptr || !WireWellFormed(*pb)) return DataLoss("contribution");
  return ContributionWire(*pb, h.Find("etag"), static_cast<int32_t>(Int(h, "votes")));
}

absl::StatusOr<Contribution> ContributionFromHash(const Hash& h) {
  Contribution c;
  const std::string* pb = h.Find("pb");
  if (pb == nullptr || !c.ParseFromString(*pb)) return DataLoss("contribution");
  if (const std::string* etag = h.Find("etag")) c.set_etag(*etag);
  c.set_vote_count(static_cast<int32_t>(Int(h, "votes")));
  return c;
}

template <typename T>
absl::StatusOr<T> Decode(const absl::StatusOr<Reply>& reply,
                         absl::StatusOr<T> (*from_hash)(const Hash&)) {
  if (!reply.ok()) return reply.status();
  QPV_ASSIGN_OR_RETURN(Hash h, ToHash(*reply));
  return from_hash(h);
}

template <typename T>
absl::StatusOr<std::vector<Listed<T>>> DecodeList(const Reply& reply,
                                                  absl::StatusOr<T> (*from_hash)(const Hash&)) {
  std::vector<Listed<T>> out;
  if (reply.type != Reply::Type::kArray) return absl::InternalError("unexpected reply");
  const auto& e = reply.elements;
  for (size_t i = 0; i + 1 < e.size(); i += 2) {
    Listed<T> item;
    double score = 0;
    if (!absl::SimpleAtod(e[i].str, &score)) return absl::InternalError("bad score");
    item.seq = static_cast<int64_t>(score);
    QPV_ASSIGN_OR_RETURN(Hash h, ToHash(e[i + 1]));
    QPV_ASSIGN_OR_RETURN(item.item, from_hash(h));
    out.push_back(std::move(item));
  }
  return out;
}

template <typename T>
absl::StatusOr<std::vector<Listed<T>>> DecodeList(const absl::StatusOr<Reply>& reply,
                                                  absl::StatusOr<T> (*from_hash)(const Hash&)) {
  if (!reply.ok()) return reply.status();
  return DecodeList<T>(*reply, from_hash);
}

std::string Prefix(absl::string_view prefecture) {
  return redis::KeyPrefix("ws", prefecture);
}
std::string WorkshopKey(absl::string_view p, absl::string_view w) {
  return absl::StrCat(Prefix(p), "w:", w);
}
std::string RegPrefix(absl::string_view p, absl::string_view w) {
  return absl::StrCat(WorkshopKey(p, w), ":r:");
}
std::string ContribPrefix(absl::string_view p, absl::string_view w) {
  return absl::StrCat(WorkshopKey(p, w), ":c:");
}
std::string Micros(absl::Time t) { return std::to_string(absl::ToUnixMicros(t)); }

// HGETALL's reply, as a workshop.
absl::StatusOr<Workshop> WorkshopFromReply(const Reply& reply) {
  if (reply.elements.empty()) return absl::NotFoundError("workshop not found");
  QPV_ASSIGN_OR_RETURN(Hash h, ToHash(reply));
  return WorkshopFromHash(h);
}

}  // namespace

RedisWorkshopStore::RedisWorkshopStore(redis::RedisClient* redis, redis::TrackedReads* cache,
                                       ContributionPages* pages)
    : redis_(redis), cache_(cache), pages_(cache != nullptr ? pages : nullptr) {}

template <typename T>
T RedisWorkshopStore::Wrote(absl::string_view prefecture, absl::string_view workshop_id,
                            T result) {
  if (cache_ != nullptr) cache_->Invalidate(WorkshopKey(prefecture, workshop_id));
  return result;
}

absl::StatusOr<Workshop> RedisWorkshopStore::CreateWorkshop(absl::string_view prefecture,
                                                            absl::string_view id,
                                                            const Workshop& workshop,
                                                            absl::string_view request_id) {
  // Known first, so a lister never misses a préfecture that has workshops.
  auto added = redis_->Command({"SADD", kPrefecturesKey, std::string(prefecture)});
  if (!added.ok()) return added.status();
  const std::string p = Prefix(prefecture);
  Workshop stored = workshop;
  stored.clear_registered_count();
  stored.clear_waitlisted_count();
  stored.clear_attended_count();
  return Wrote(prefecture, id, Decode<Workshop>(
      redis_->Eval(CreateWorkshopScript(),
                   {absl::StrCat(p, "req:w:", request_id), WorkshopKey(prefecture, id),
                    p + "workshops", p + "seq"},
                   {p, request_id.empty() ? "0" : "1", std::string(id),
                    stored.SerializeAsString(), workshop.etag(),
                    std::to_string(workshop.state()), std::to_string(workshop.capacity()),
                    kTtlSeconds}),
      &WorkshopFromHash));
}

absl::StatusOr<Workshop> RedisWorkshopStore::GetWorkshop(absl::string_view prefecture,
                                                         absl::string_view id) {
  auto reply = redis_->Command({"HGETALL", WorkshopKey(prefecture, id)});
  if (!reply.ok()) return reply.status();
  return WorkshopFromReply(*reply);
}

absl::StatusOr<Workshop> RedisWorkshopStore::ReadWorkshop(absl::string_view prefecture,
                                                          absl::string_view id) {
  return util::Await<Workshop>(
      [&](WorkshopCallback done) { ReadWorkshopAsync(prefecture, id, std::move(done)); });
}

void RedisWorkshopStore::ReadWorkshopAsync(absl::string_view prefecture, absl::string_view id,
                                           WorkshopCallback done) {
  const std::string key = WorkshopKey(prefecture, id);
  if (cache_ != nullptr) {
    return cache_->ReadAsync<Workshop>(key, {"HGETALL", key}, &WorkshopFromReply, std::move(done));
  }
  redis_->CommandAsync({"HGETALL", key}, [done = std::move(done)](absl::StatusOr<Reply> reply) {
    if (!reply.ok()) return done(reply.status());
    done(WorkshopFromReply(*reply));
  });
}

std::shared_ptr<const Workshop> RedisWorkshopStore::PeekWorkshop(absl::string_view prefecture,
                                                                 absl::string_view id) {
  return cache_ == nullptr ? nullptr : cache_->Cached<Workshop>(WorkshopKey(prefecture, id));
}

absl::StatusOr<Workshop> RedisWorkshopStore::ReplaceWorkshop(
    absl::string_view prefecture, absl::string_view id, const Workshop& next,
    absl::string_view expected_etag, const std::vector<Workshop::State>& allowed_states,
    absl::string_view state_error, absl::Time now) {
  std::string allowed = ",";
  for (auto s : allowed_states) absl::StrAppend(&allowed, static_cast<int>(s), ",");
  Workshop stored = next;
  stored.clear_registered_count();
  stored.clear_waitlisted_count();
  stored.clear_attended_count();
  const std::string wkey = WorkshopKey(prefecture, id);
  return Wrote(prefecture, id, Decode<Workshop>(
      redis_->Eval(ReplaceWorkshopScript(), {wkey, wkey + ":waitlist"},
                   {RegPrefix(prefecture, id), std::string(expected_etag), allowed,
                    stored.SerializeAsString(), next.etag(), std::to_string(next.state()),
                    std::to_string(next.capacity()), Micros(now), std::string(state_error)}),
      &WorkshopFromHash));
}

absl::StatusOr<std::vector<Listed<Workshop>>> RedisWorkshopStore::ListWorkshops(
    absl::string_view prefecture, int64_t after_seq, int limit) {
  const std::string p = Prefix(prefecture);
  return DecodeList<Workshop>(
      redis_->Eval(ListScript(), {p + "workshops"},
                   {p + "w:", std::to_string(after_seq), std::to_string(limit)}),
      &WorkshopFromHash);
}

absl::StatusOr<std::vector<std::string>> RedisWorkshopStore::ListPrefectures() {
  auto reply = redis_->Command({"SMEMBERS", kPrefecturesKey});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> out;
  for (const auto& e : reply->elements) out.push_back(e.str);
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<Registration> RedisWorkshopStore::RegisterParticipant(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view registration_id, const Registration& registration,
    absl::string_view request_id) {
  return util::Await<Registration>([&](RegistrationCallback done) {
    RegisterParticipantAsync(prefecture, workshop_id, registration_id, registration, request_id,
                             std::move(done));
  });
}

void RedisWorkshopStore::RegisterParticipantAsync(
    absl::string_view prefecture, absl::string_view workshop_id, absl::string_view registration_id,
    const Registration& registration, absl::string_view request_id, RegistrationCallback done) {
  const std::string p = Prefix(prefecture);
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  const std::string regprefix = RegPrefix(prefecture, workshop_id);
  Registration stored = registration;
  stored.clear_state();
  redis_->EvalAsync(
      RegisterScript(),
      {wkey, regprefix + std::string(registration_id), wkey + ":regs", wkey + ":waitlist",
       wkey + ":persons", absl::StrCat(p, "req:r:", workshop_id, ":", request_id), p + "seq"},
      {regprefix, std::string(registration_id), stored.SerializeAsString(), registration.person(),
       Micros(FromProto(registration.update_time())), request_id.empty() ? "0" : "1", kTtlSeconds},
      [this, prefecture = std::string(prefecture), workshop_id = std::string(workshop_id),
       done = std::move(done)](absl::StatusOr<Reply> reply) {
        done(Wrote(prefecture, workshop_id, Decode<Registration>(reply, &RegistrationFromHash)));
      });
}

absl::StatusOr<Registration> RedisWorkshopStore::FindRegistrationByRequestId(
    absl::string_view prefecture, absl::string_view workshop_id, absl::string_view request_id) {
  return util::Await<Registration>([&](RegistrationCallback done) {
    FindRegistrationByRequestIdAsync(prefecture, workshop_id, request_id, std::move(done));
  });
}

void RedisWorkshopStore::FindRegistrationByRequestIdAsync(absl::string_view prefecture,
                                                          absl::string_view workshop_id,
                                                          absl::string_view request_id,
                                                          RegistrationCallback done) {
  redis_->EvalAsync(FindByRequestIdScript(),
                    {absl::StrCat(Prefix(prefecture), "req:r:", workshop_id, ":", request_id)},
                    {RegPrefix(prefecture, workshop_id)},
                    [done = std::move(done)](absl::StatusOr<Reply> reply) {
                      done(Decode<Registration>(reply, &RegistrationFromHash));
                    });
}

absl::StatusOr<Registration> RedisWorkshopStore::WithdrawRegistration(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view registration_id, absl::Time now) {
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  const std::string regprefix = RegPrefix(prefecture, workshop_id);
  return Wrote(prefecture, workshop_id, Decode<Registration>(
      redis_->Eval(WithdrawScript(),
                   {wkey, regprefix + std::string(registration_id), wkey + ":waitlist"},
                   {regprefix, Micros(now), std::string(registration_id)}),
      &RegistrationFromHash));
}

absl::StatusOr<Registration> RedisWorkshopStore::RecordAttendance(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view registration_id, bool attended, bool scheduled_ok, absl::Time now) {
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  return Wrote(prefecture, workshop_id, Decode<Registration>(
      redis_->Eval(AttendanceScript(),
                   {wkey, RegPrefix(prefecture, workshop_id) + std::string(registration_id)},
                   {attended ? "1" : "0", scheduled_ok ? "1" : "0", Micros(now)}),
      &RegistrationFromHash));
}

absl::StatusOr<std::vector<Listed<Registration>>> RedisWorkshopStore::ListRegistrations(
    absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
    int limit) {
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  return DecodeList<Registration>(
      redis_->Eval(ListScript(), {wkey + ":regs"},
                   {RegPrefix(prefecture, workshop_id), std::to_string(after_seq),
                    std::to_string(limit)}),
      &RegistrationFromHash);
}

absl::StatusOr<Contribution> RedisWorkshopStore::CreateContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id, const Contribution& contribution,
    absl::string_view request_id) {
  return util::Await<Contribution>([&](ContributionCallback done) {
    CreateContributionAsync(prefecture, workshop_id, contribution_id, contribution, request_id,
                            std::move(done));
  });
}

void RedisWorkshopStore::CreateContributionAsync(
    absl::string_view prefecture, absl::string_view workshop_id, absl::string_view contribution_id,
    const Contribution& contribution, absl::string_view request_id, ContributionCallback done) {
  const std::string p = Prefix(prefecture);
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  const std::string cprefix = ContribPrefix(prefecture, workshop_id);
  Contribution stored = contribution;
  stored.clear_vote_count();
  std::string bytes = stored.SerializeAsString();
  redis_->EvalAsync(CreateContributionScript(),
                    {wkey, cprefix + std::string(contribution_id), wkey + ":contribs",
                     absl::StrCat(p, "req:c:", workshop_id, ":", request_id), p + "seq"},
                    {cprefix, std::string(contribution_id), std::move(bytes), contribution.etag(),
                     request_id.empty() ? "0" : "1", kTtlSeconds},
                    // A new contribution is exactly what was sent, with no votes; a
                    // replayed request_id answers the first contribution as stored.
                    WroteContribution(prefecture, workshop_id, std::move(done), std::move(stored)));
}

redis::RedisClient::ReplyCallback RedisWorkshopStore::WroteContribution(
    absl::string_view prefecture, absl::string_view workshop_id, ContributionCallback done,
    std::optional<Contribution> created) {
  return
      [this, prefecture = std::string(prefecture), workshop_id = std::string(workshop_id),
       done = std::move(done), created = std::move(created)](absl::StatusOr<Reply> reply) mutable {
        absl::StatusOr<Contribution> result =
            created && reply.ok() && reply->type != Reply::Type::kArray
                ? absl::StatusOr<Contribution>(std::move(*created))
                : Decode<Contribution>(reply, &ContributionFromHash);
        done(Wrote(prefecture, workshop_id, std::move(result)));
      };
}

absl::StatusOr<Contribution> RedisWorkshopStore::GetContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id) {
  auto reply = redis_->Command(
      {"HGETALL", ContribPrefix(prefecture, workshop_id) + std::string(contribution_id)});
  if (!reply.ok()) return reply.status();
  if (reply->elements.empty()) return absl::NotFoundError("contribution not found");
  return Decode<Contribution>(reply, &ContributionFromHash);
}

absl::StatusOr<Contribution> RedisWorkshopStore::ReplaceContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id, const Contribution& next,
    absl::string_view expected_etag) {
  Contribution stored = next;
  stored.clear_vote_count();
  return Wrote(prefecture, workshop_id, Decode<Contribution>(
      redis_->Eval(ReplaceContributionScript(),
                   {WorkshopKey(prefecture, workshop_id),
                    ContribPrefix(prefecture, workshop_id) + std::string(contribution_id)},
                   {std::string(expected_etag), stored.SerializeAsString(), next.etag()}),
      &ContributionFromHash));
}

absl::StatusOr<Contribution> RedisWorkshopStore::VoteContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id, absl::string_view person) {
  return util::Await<Contribution>([&](ContributionCallback done) {
    VoteContributionAsync(prefecture, workshop_id, contribution_id, person, std::move(done));
  });
}

void RedisWorkshopStore::VoteContributionAsync(absl::string_view prefecture,
                                               absl::string_view workshop_id,
                                               absl::string_view contribution_id,
                                               absl::string_view person,
                                               ContributionCallback done) {
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  const std::string ckey = ContribPrefix(prefecture, workshop_id) + std::string(contribution_id);
  redis_->EvalAsync(VoteScript(), {wkey, ckey, ckey + ":voters", wkey + ":persons"},
                    {RegPrefix(prefecture, workshop_id), std::string(person)},
                    WroteContribution(prefecture, workshop_id, std::move(done)));
}

absl::StatusOr<std::vector<Listed<std::string>>> RedisWorkshopStore::ListContributionsWire(
    absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
    int limit) {
  return util::Await<std::vector<Listed<std::string>>>([&](WireListCallback done) {
    ListContributionsWireAsync(prefecture, workshop_id, after_seq, limit, std::move(done));
  });
}

void RedisWorkshopStore::ListContributionsWireAsync(absl::string_view prefecture,
                                                    absl::string_view workshop_id,
                                                    int64_t after_seq, int limit,
                                                    WireListCallback done) {
  if (pages_ != nullptr) {
    // Only a workshop already in memory says which page is current: reading
    // it from Redis first would put a round trip before the page's own.
    if (auto w = PeekWorkshop(prefecture, workshop_id)) {
      if (auto page = pages_->Find(prefecture, workshop_id, after_seq, limit,
                                   ContributionPages::Version(w->etag(), w->revision()))) {
        return done(*page);
      }
    } else {
      // Read into the cache alongside the page's script, not before it, so
      // the next list of this workshop can be answered from memory.
      ReadWorkshopAsync(prefecture, workshop_id, [](absl::StatusOr<Workshop>) {});
    }
  }
  ReadContributionPage(std::string(prefecture), std::string(workshop_id), after_seq, limit,
                       std::move(done));
}

void RedisWorkshopStore::ReadContributionPage(const std::string& prefecture,
                                              const std::string& workshop_id, int64_t after_seq,
                                              int limit, WireListCallback done) {
  const std::string wkey = WorkshopKey(prefecture, workshop_id);
  redis_->EvalAsync(
      ListContributionsScript(), {wkey + ":contribs", wkey},
      {ContribPrefix(prefecture, workshop_id), std::to_string(after_seq), std::to_string(limit)},
      [this, prefecture, workshop_id, after_seq, limit,
       done = std::move(done)](absl::StatusOr<Reply> reply) {
        if (!reply.ok()) return done(reply.status());
        if (reply->type != Reply::Type::kArray || reply->elements.size() != 3) {
          return done(absl::InternalError("unexpected reply shape from Redis"));
        }
        const Reply& etag = reply->elements[0];
        const Reply& rev = reply->elements[1];
        auto page = DecodeList<std::string>(reply->elements[2], &ContributionWireFromHash);
        int64_t revision = 0;
        if (page.ok() && pages_ != nullptr && etag.type == Reply::Type::kString &&
            absl::SimpleAtoi(rev.str, &revision)) {
          pages_->Put(prefecture, workshop_id, after_seq, limit,
                      ContributionPages::Version(etag.str, revision), *page);
        }
        done(std::move(page));
      });
}

}  // namespace qpv::workshop
