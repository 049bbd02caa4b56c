#include "services/national/redis_national_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status.h"

namespace qpv::national {
namespace {

using redis::Reply;
using redis::Script;

// KEYS: versions, p:<code>, cells:<code>, rollup, rev.
// ARGV: prefecture, version, receive µs, region, cell field / value pairs,
// and last the snapshot's bytes. Returns {applied 0|1, current version,
// revision}.
Script& ApplyScript() {
  static auto* s = new Script(R"lua(
local function newer(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and not newer(ARGV[2], cur) then
  return {0, cur, tonumber(redis.call('GET', KEYS[5]) or '0')}
end
-- The rollup moves by each cell's change only: a resubmission that changed
-- a few figures costs a few commands, not three per cell (the bench's
-- SubmitPrefectureSnapshot: 27 commands per call, 186 before). Cell values
-- are counts, far below 2^53, so Lua's numbers hold them exactly.
local region = ARGV[4] .. '|'
local function move(f, d)
  if d ~= 0 and redis.call('HINCRBY', KEYS[4], region .. f, string.format('%d', d)) == 0 then
    redis.call('HDEL', KEYS[4], region .. f)
  end
end
local old = redis.call('HGETALL', KEYS[3])
local before = {}
for i = 1, #old, 2 do before[old[i]] = tonumber(old[i + 1]) end
local cells = {}
for i = 5, #ARGV - 1, 2 do
  move(ARGV[i], tonumber(ARGV[i + 1]) - (before[ARGV[i]] or 0))
  before[ARGV[i]] = nil
  table.insert(cells, ARGV[i])
  table.insert(cells, ARGV[i + 1])
end
for f, v in pairs(before) do move(f, -v) end  -- cells the snapshot no longer has
redis.call('DEL', KEYS[3])
-- In slices: unpack has a limit on how many values it returns.
for i = 1, #cells, 1000 do
  redis.call('HSET', KEYS[3], unpack(cells, i, math.min(i + 999, #cells)))
end
redis.call('HSET', KEYS[2], 'version', ARGV[2], 'recv', ARGV[3], 'pb', ARGV[#ARGV])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local rev = redis.call('INCR', KEYS[5])
return {1, ARGV[2], rev}
)lua");
  return *s;
}

absl::StatusOr<int64_t> IntOf(const Reply& r) {
  if (r.type == Reply::Type::kInteger) return static_cast<int64_t>(r.integer);
  int64_t v = 0;
  if (r.type == Reply::Type::kNil) return 0;
  if (r.type == Reply::Type::kString && absl::SimpleAtoi(r.str, &v)) return v;
  return absl::DataLossError("national store: a number is unreadable");
}

absl::StatusOr<CellMap> HashOf(const Reply& r) {
  CellMap out;
  if (r.type != Reply::Type::kArray || r.elements.size() % 2 != 0) {
    return absl::DataLossError("national store: unexpected reply to HGETALL");
  }
  for (size_t i = 0; i < r.elements.size(); i += 2) {
    QPV_ASSIGN_OR_RETURN(int64_t v, IntOf(r.elements[i + 1]));
    out[r.elements[i].str] = v;
  }
  return out;
}

}  // namespace

RedisNationalStore::RedisNationalStore(redis::RedisClient* redis)
    : redis_(redis), prefix_(redis::KeyPrefix("nat", "national")) {}

std::string RedisNationalStore::Key(absl::string_view suffix) const {
  return absl::StrCat(prefix_, suffix);
}

absl::StatusOr<ApplyResult> RedisNationalStore::ApplySnapshot(
    absl::string_view prefecture, absl::string_view region, int64_t version,
    absl::Time receive_time, const google::protobuf::MessageLite& snapshot,
    const CellList& cells) {
  std::vector<std::string> keys = {Key("versions"), Key(absl::StrCat("p:", prefecture)),
                                   Key(absl::StrCat("cells:", prefecture)), Key("rollup"),
                                   Key("rev")};
  std::vector<std::string> args;
  args.reserve(4 + 2 * cells.size());
  args.emplace_back(prefecture);
  args.push_back(absl::StrCat(version));
  args.push_back(absl::StrCat(absl::ToUnixMicros(receive_time)));
  args.emplace_back(region);
  for (const auto& [field, value] : cells) {
    args.push_back(field);
    args.push_back(absl::StrCat(value));
  }
  const redis::RedisClient::InPlaceArg bytes{
      snapshot.ByteSizeLong(), [&snapshot](char* out) {
        snapshot.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out));
      }};
  QPV_ASSIGN_OR_RETURN(Reply reply, redis_->Eval(ApplyScript(), keys, args, bytes));
  if (reply.type != Reply::Type::kArray || reply.elements.size() != 3) {
    return absl::DataLossError("national store: unexpected reply to the apply script");
  }
  ApplyResult out;
  QPV_ASSIGN_OR_RETURN(int64_t applied, IntOf(reply.elements[0]));
  out.applied = applied == 1;
  QPV_ASSIGN_OR_RETURN(out.current_version, IntOf(reply.elements[1]));
  QPV_ASSIGN_OR_RETURN(out.revision, IntOf(reply.elements[2]));
  return out;
}

absl::StatusOr<int64_t> RedisNationalStore::Revision() {
  QPV_ASSIGN_OR_RETURN(Reply reply, redis_->Command({"GET", Key("rev")}));
  return IntOf(reply);
}

absl::StatusOr<StoreIndex> RedisNationalStore::Index() {
  // The revision is read first: versions are at least that recent, so a
  // view built from them never misses a change its revision claims.
  QPV_ASSIGN_OR_RETURN(std::vector<Reply> replies,
                       redis_->Pipeline({{"GET", Key("rev")}, {"HGETALL", Key("versions")}}));
  for (const Reply& r : replies) {
    if (r.is_error()) return redis::ErrorReplyToStatus(r.str);
  }
  StoreIndex out;
  QPV_ASSIGN_OR_RETURN(out.revision, IntOf(replies[0]));
  QPV_ASSIGN_OR_RETURN(CellMap versions, HashOf(replies[1]));
  out.versions.insert(versions.begin(), versions.end());
  return out;
}

absl::StatusOr<std::vector<StoredSnapshot>> RedisNationalStore::Load(
    const std::vector<std::string>& prefectures) {
  std::vector<StoredSnapshot> out;
  if (prefectures.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(prefectures.size());
  for (const auto& p : prefectures) {
    commands.push_back({"HMGET", Key(absl::StrCat("p:", p)), "version", "recv", "pb"});
  }
  QPV_ASSIGN_OR_RETURN(std::vector<Reply> replies, redis_->Pipeline(commands));
  for (size_t i = 0; i < replies.size(); ++i) {
    Reply& r = replies[i];
    if (r.is_error()) return redis::ErrorReplyToStatus(r.str);
    if (r.type != Reply::Type::kArray || r.elements.size() != 3) {
      return absl::DataLossError("national store: unexpected reply to HMGET");
    }
    if (r.elements[0].is_nil() || r.elements[2].is_nil()) continue;
    StoredSnapshot s;
    s.prefecture = prefectures[i];
    QPV_ASSIGN_OR_RETURN(s.version, IntOf(r.elements[0]));
    QPV_ASSIGN_OR_RETURN(int64_t micros, IntOf(r.elements[1]));
    s.receive_time = absl::FromUnixMicros(micros);
    s.snapshot = std::move(r.elements[2].str);  // MiBs: not copied
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<CellMap> RedisNationalStore::PrefectureCells(absl::string_view prefecture) {
  QPV_ASSIGN_OR_RETURN(Reply reply,
                       redis_->Command({"HGETALL", Key(absl::StrCat("cells:", prefecture))}));
  return HashOf(reply);
}

absl::StatusOr<CellMap> RedisNationalStore::Rollup() {
  QPV_ASSIGN_OR_RETURN(Reply reply, redis_->Command({"HGETALL", Key("rollup")}));
  return HashOf(reply);
}

}  // namespace qpv::national
