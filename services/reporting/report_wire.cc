#include "services/reporting/report_wire.h"

#include "absl/base/casts.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/clock.h"

namespace qpv::reporting {
namespace {

// Shares as their exact bits: two shares are the same double or differ here.
void AppendShare(std::string* out, int category, double share) {
  absl::StrAppend(out, category, ":", absl::Hex(absl::bit_cast<uint64_t>(share)), ";");
}

}  // namespace

std::string WireForm(const v1::WorkshopReport& report) {
  v1::WorkshopReport wire = report;
  wire.clear_as_of_time();
  wire.set_stale(false);
  return wire.SerializeAsString();
}

std::string EncodeWire(const v1::WorkshopReport& report) {
  return absl::StrCat(report.workshop_revision(), " ",
                      absl::ToUnixMicros(FromProto(report.as_of_time())), " ",
                      TargetFingerprint(report), "\n", WireForm(report));
}

std::optional<WireReport> DecodeWire(std::string entry) {
  const size_t end = entry.find('\n');
  if (end == std::string::npos) return std::nullopt;
  std::vector<absl::string_view> header =
      absl::StrSplit(absl::string_view(entry).substr(0, end), absl::MaxSplits(' ', 2));
  WireReport wire;
  int64_t as_of_us = 0;
  if (header.size() != 3 || !absl::SimpleAtoi(header[0], &wire.revision) ||
      !absl::SimpleAtoi(header[1], &as_of_us)) {
    return std::nullopt;
  }
  wire.target = std::string(header[2]);
  wire.as_of = absl::FromUnixMicros(as_of_us);
  entry.erase(0, end + 1);  // in place: no second copy of the bytes
  wire.bytes = std::move(entry);
  return wire;
}

std::string TargetFingerprint(const v1::WorkshopReport& report) {
  std::string out;
  for (const auto& r : report.representation()) AppendShare(&out, r.category(), r.target_share());
  return out;
}

std::string TargetFingerprint(
    const std::vector<std::pair<::qpv::common::v1::ActorCategory, double>>& shares) {
  std::string out;
  for (const auto& [category, share] : shares) AppendShare(&out, category, share);
  return out;
}

std::string CurrentAsOf(const WireReport& wire, absl::Time as_of) {
  // A report holding only as_of_time serializes to exactly that field.
  v1::WorkshopReport stamp;
  *stamp.mutable_as_of_time() = ToProto(as_of);
  std::string out;
  out.reserve(wire.bytes.size() + 16);
  out.append(wire.bytes);
  stamp.AppendToString(&out);
  return out;
}

std::optional<v1::WorkshopReport> ParseWire(const WireReport& wire) {
  v1::WorkshopReport report;
  if (!report.ParseFromString(wire.bytes)) return std::nullopt;
  *report.mutable_as_of_time() = ToProto(wire.as_of);
  return report;
}

}  // namespace qpv::reporting
