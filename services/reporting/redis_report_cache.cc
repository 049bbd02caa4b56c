#include "services/reporting/redis_report_cache.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/status.h"
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
std::optional<v1::WorkshopReport> Decode(const redis::Reply& reply, absl::string_view key) {
  if (reply.type != redis::Reply::Type::kString) return std::nullopt;
  v1::WorkshopReport report;
  if (!report.ParseFromString(reply.str)) {
    log::Warn("report_cache_unreadable", {{"key", std::string(key)}});
    return std::nullopt;
  }
  return report;
}

// KEYS: report, index. ARGV: pb, revision, as-of (unix µs), workshop id,
// wire form, target fingerprint (report_wire.h).
// Returns 1 when stored, 0 when a newer revision was already there.
redis::Script& PutScript() {
  static auto* script = new redis::Script(R"lua(
local current = redis.call('HGET', KEYS[1], 'rev')
if current and tonumber(current) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'pb', ARGV[1], 'rev', ARGV[2], 'asof', ARGV[3], 'wire', ARGV[5],
           'tgt', ARGV[6])
redis.call('SADD', KEYS[2], ARGV[4])
return 1
)lua");
  return *script;
}

// KEYS: index. ARGV: report key prefix ("rep:{59}:wr:"). Returns the pbs.
redis::Script& ListScript() {
  static auto* script = new redis::Script(R"lua(
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local pb = redis.call('HGET', ARGV[1] .. id, 'pb')
  if pb then out[#out + 1] = pb end
end
return out
)lua");
  return *script;
}

}  // namespace

RedisReportCache::RedisReportCache(redis::RedisClient* redis) : redis_(redis) {}

absl::StatusOr<std::optional<v1::WorkshopReport>> RedisReportCache::Get(
    absl::string_view workshop) {
  QPV_ASSIGN_OR_RETURN(Key key, KeyOf(workshop));
  QPV_ASSIGN_OR_RETURN(redis::Reply reply, redis_->Command({"HGET", key.report, "pb"}));
  return Decode(reply, key.report);
}

absl::StatusOr<std::optional<WireReport>> RedisReportCache::GetWire(
    absl::string_view workshop) {
  QPV_ASSIGN_OR_RETURN(Key key, KeyOf(workshop));
  QPV_ASSIGN_OR_RETURN(redis::Reply reply,
                       redis_->Command({"HMGET", key.report, "wire", "rev", "tgt", "asof"}));
  auto& e = reply.elements;
  if (reply.type != redis::Reply::Type::kArray || e.size() != 4) {
    return absl::InternalError("unexpected reply to HMGET");
  }
  // No wire form: nothing cached, or an entry from before wire forms.
  if (e[0].type != redis::Reply::Type::kString) return std::optional<WireReport>();
  WireReport wire;
  int64_t as_of_us = 0;
  if (e[1].type != redis::Reply::Type::kString || !absl::SimpleAtoi(e[1].str, &wire.revision) ||
      e[3].type != redis::Reply::Type::kString || !absl::SimpleAtoi(e[3].str, &as_of_us)) {
    log::Warn("report_cache_unreadable", {{"key", key.report}});
    return std::optional<WireReport>();
  }
  wire.bytes = std::move(e[0].str);
  if (e[2].type == redis::Reply::Type::kString) wire.target = std::move(e[2].str);
  wire.as_of = absl::FromUnixMicros(as_of_us);
  return std::optional<WireReport>(std::move(wire));
}

absl::StatusOr<std::vector<std::optional<v1::WorkshopReport>>> RedisReportCache::GetMany(
    const std::vector<std::string>& workshops) {
  std::vector<std::optional<v1::WorkshopReport>> out(workshops.size());
  std::vector<std::vector<std::string>> commands;
  std::vector<size_t> asked;  // index in `workshops` of each command
  for (size_t i = 0; i < workshops.size(); ++i) {
    auto key = KeyOf(workshops[i]);
    if (!key.ok()) continue;  // not a workshop name: nothing cached under it
    commands.push_back({"HGET", key->report, "pb"});
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
  const int64_t as_of = absl::ToUnixMicros(FromProto(report.as_of_time()));
  return redis_
      ->Eval(PutScript(), {key.report, key.index},
             {report.SerializeAsString(), absl::StrCat(report.workshop_revision()),
              absl::StrCat(as_of), key.id, WireForm(report), TargetFingerprint(report)})
      .status();
}

absl::StatusOr<std::vector<v1::WorkshopReport>> RedisReportCache::List(
    absl::string_view prefecture) {
  const std::string prefix = redis::KeyPrefix("rep", prefecture);
  QPV_ASSIGN_OR_RETURN(redis::Reply reply,
                       redis_->Eval(ListScript(), {prefix + "wrs"}, {prefix + "wr:"}));
  std::vector<v1::WorkshopReport> out;
  for (const redis::Reply& element : reply.elements) {
    auto report = Decode(element, prefix);
    if (report) out.push_back(*std::move(report));
  }
  return out;
}

}  // namespace qpv::reporting
