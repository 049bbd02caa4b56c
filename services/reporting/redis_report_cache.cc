#include "services/reporting/redis_report_cache.h"

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/status.h"
#include "common/util/await.h"
#include "common/util/clock.h"
#include "common/validation/resource_name.h"

namespace qpv::reporting {
namespace {

struct Key {
  std::string report;  // rep:{59}:wr:<id>
  std::string index;   // rep:{59}:wrs
  std::string id;
};

absl::StatusOr<Key> KeyOf(absl::string_view workshop) {
  QPV_ASSIGN_OR_RETURN(auto ids,
                       ParseResourceName("workshop", workshop, {"prefectures", "workshops"}));
  const std::string prefix = redis::KeyPrefix("rep", ids[0]);
  return Key{absl::StrCat(prefix, "wr:", ids[1]), absl::StrCat(prefix, "wrs"), ids[1]};
}

// An unreadable entry is a cache miss (logged): the next build overwrites it.
// So is an entry from before wire forms (only a "pb" field): rebuilt once.
std::optional<WireReport> DecodeEntry(redis::Reply& reply, absl::string_view key) {
  if (reply.type != redis::Reply::Type::kString) return std::nullopt;
  std::optional<WireReport> wire = DecodeWire(std::move(reply.str));
  if (!wire) log::Warn("report_cache_unreadable", {{"key", std::string(key)}});
  return wire;
}

std::optional<v1::WorkshopReport> Decode(redis::Reply& reply, absl::string_view key) {
  std::optional<WireReport> wire = DecodeEntry(reply, key);
  if (!wire) return std::nullopt;
  std::optional<v1::WorkshopReport> report = ParseWire(*wire);
  if (!report) log::Warn("report_cache_unreadable", {{"key", std::string(key)}});
  return report;
}

// KEYS: report, index. ARGV: EncodeWire(report), its revision, workshop id.
// Returns 1 when stored, 0 when a newer revision was already there. "rev"
// repeats the entry's revision for this check (and for older versions of
// this script); the fields of entries from before wire forms are dropped.
redis::Script& PutScript() {
  static auto* script = new redis::Script(R"lua(
local current = redis.call('HGET', KEYS[1], 'rev')
if current and tonumber(current) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'wire', ARGV[1], 'rev', ARGV[2])
redis.call('HDEL', KEYS[1], 'pb', 'asof')
redis.call('SADD', KEYS[2], ARGV[3])
return 1
)lua");
  return *script;
}

// KEYS: index. ARGV: report key prefix ("rep:{59}:wr:"). Returns the
// entries (EncodeWire).
redis::Script& ListScript() {
  static auto* script = new redis::Script(R"lua(
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local entry = redis.call('HGET', ARGV[1] .. id, 'wire')
  if entry then out[#out + 1] = entry end
end
return out
)lua");
  return *script;
}

}  // namespace

RedisReportCache::RedisReportCache(redis::RedisClient* redis) : redis_(redis) {}

absl::StatusOr<std::optional<WireReport>> RedisReportCache::GetWire(
    absl::string_view workshop) {
  return util::Await<std::optional<WireReport>>(
      [&](WireCallback done) { GetWireAsync(workshop, std::move(done)); });
}

void RedisReportCache::GetWireAsync(absl::string_view workshop, WireCallback done) {
  auto key = KeyOf(workshop);
  if (!key.ok()) return done(key.status());
  redis_->CommandAsync(
      {"HGET", key->report, "wire"},
      [report = key->report, done = std::move(done)](absl::StatusOr<redis::Reply> reply) {
        if (!reply.ok()) return done(reply.status());
        done(DecodeEntry(*reply, report));
      });
}

absl::StatusOr<std::vector<std::optional<v1::WorkshopReport>>> RedisReportCache::GetMany(
    const std::vector<std::string>& workshops) {
  std::vector<std::optional<v1::WorkshopReport>> out(workshops.size());
  std::vector<std::vector<std::string>> commands;
  std::vector<size_t> asked;  // index in `workshops` of each command
  for (size_t i = 0; i < workshops.size(); ++i) {
    auto key = KeyOf(workshops[i]);
    if (!key.ok()) continue;  // not a workshop name: nothing cached under it
    commands.push_back({"HGET", key->report, "wire"});
    asked.push_back(i);
  }
  if (commands.empty()) return out;
  QPV_ASSIGN_OR_RETURN(std::vector<redis::Reply> replies, redis_->Pipeline(commands));
  for (size_t j = 0; j < replies.size() && j < asked.size(); ++j) {
    if (replies[j].is_error()) return redis::ErrorReplyToStatus(replies[j].str);
    out[asked[j]] = Decode(replies[j], commands[j][1]);
  }
  return out;
}

absl::Status RedisReportCache::Put(const v1::WorkshopReport& report) {
  QPV_ASSIGN_OR_RETURN(Key key, KeyOf(report.workshop()));
  return redis_
      ->Eval(PutScript(), {key.report, key.index},
             {EncodeWire(report), absl::StrCat(report.workshop_revision()), key.id})
      .status();
}

absl::StatusOr<std::vector<v1::WorkshopReport>> RedisReportCache::List(
    absl::string_view prefecture) {
  const std::string prefix = redis::KeyPrefix("rep", prefecture);
  QPV_ASSIGN_OR_RETURN(redis::Reply reply,
                       redis_->Eval(ListScript(), {prefix + "wrs"}, {prefix + "wr:"}));
  std::vector<v1::WorkshopReport> out;
  for (redis::Reply& element : reply.elements) {
    auto report = Decode(element, prefix);
    if (report) out.push_back(*std::move(report));
  }
  return out;
}

}  // namespace qpv::reporting
