#include "services/reporting/memory_report_cache.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/util/clock.h"

namespace qpv::reporting {
namespace {

absl::Status Down() { return absl::UnavailableError("report cache unavailable"); }

}  // namespace

absl::StatusOr<std::optional<WireReport>> MemoryReportCache::GetWire(
    absl::string_view workshop) {
  absl::MutexLock lock(&mu_);
  if (unavailable_) return Down();
  auto it = reports_.find(workshop);
  if (it == reports_.end()) return std::optional<WireReport>();
  const v1::WorkshopReport& r = it->second;
  return std::optional<WireReport>(WireReport{WireForm(r), r.workshop_revision(),
                                              TargetFingerprint(r), FromProto(r.as_of_time())});
}

absl::StatusOr<std::vector<std::optional<v1::WorkshopReport>>> MemoryReportCache::GetMany(
    const std::vector<std::string>& workshops) {
  absl::MutexLock lock(&mu_);
  if (unavailable_) return Down();
  std::vector<std::optional<v1::WorkshopReport>> out;
  for (const auto& w : workshops) {
    auto it = reports_.find(w);
    out.push_back(it == reports_.end() ? std::nullopt
                                       : std::optional<v1::WorkshopReport>(it->second));
  }
  return out;
}

absl::Status MemoryReportCache::Put(const v1::WorkshopReport& report) {
  absl::MutexLock lock(&mu_);
  if (unavailable_) return Down();
  ++puts_;
  auto it = reports_.find(report.workshop());
  if (it != reports_.end() && it->second.workshop_revision() > report.workshop_revision()) {
    return absl::OkStatus();
  }
  reports_[report.workshop()] = report;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::WorkshopReport>> MemoryReportCache::List(
    absl::string_view prefecture) {
  absl::MutexLock lock(&mu_);
  if (unavailable_) return Down();
  const std::string prefix = absl::StrCat("prefectures/", prefecture, "/workshops/");
  std::vector<v1::WorkshopReport> out;
  for (const auto& [name, report] : reports_) {
    if (absl::StartsWith(name, prefix)) out.push_back(report);
  }
  return out;
}

void MemoryReportCache::SetUnavailable(bool unavailable) {
  absl::MutexLock lock(&mu_);
  unavailable_ = unavailable;
}

int MemoryReportCache::puts() {
  absl::MutexLock lock(&mu_);
  return puts_;
}

}  // namespace qpv::reporting
