#include "services/reporting/reporting_logic.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/status.h"
#include "common/validation/resource_name.h"
#include "common/validation/validation.h"
#include "services/reporting/call_deadline.h"
#include "services/reporting/export/report_export.h"
#include "services/reporting/report_builder.h"

namespace qpv::reporting {
namespace {

using ::qpv::workshop::v1::Workshop;

absl::Status WorkshopServiceDown(absl::string_view what) {
  return WithReason(
      absl::UnavailableError(absl::StrCat("the workshop service is unavailable and no report of ",
                                          what, " is cached; retry")),
      "WORKSHOP_SERVICE_UNAVAILABLE");
}

void CheckPrefecture(FieldViolations& v, absl::string_view field, absl::string_view code) {
  if (code.empty()) {
    v.Add(std::string(field), "is required: a département code such as 59, 2A or 971");
  } else if (!validation::IsDepartementCode(code)) {
    v.Add(std::string(field), "must be a département code such as 59, 2A or 971");
  }
}

// Whether a cached report (its revision and TargetFingerprint) is the report
// of `w` as it is now: same revision (a known one), computed against the
// same target.
bool IsCurrent(int64_t revision, absl::string_view target_fingerprint, const Workshop& w,
               const TargetMix& target) {
  return w.revision() > 0 && revision == w.revision() &&
         target_fingerprint == target.Fingerprint();
}

// What a report kept in memory must match to be current: the workshop's
// revision and the target's fingerprint, as IsCurrent compares them.
std::string RecentVersion(int64_t revision, absl::string_view target_fingerprint) {
  return absl::StrCat(revision, " ", target_fingerprint);
}

v1::WorkshopReport Stale(v1::WorkshopReport report) {
  report.set_stale(true);
  return report;
}

void LogCacheFailure(absl::string_view op, const absl::Status& status) {
  log::Warn("report_cache_failed",
            {{"op", std::string(op)}, {"error", std::string(status.message())}});
}

}  // namespace

ReportingLogic::ReportingLogic(WorkshopSource* source, ReportCache* cache, FeedStore* feed,
                               Clock* clock, Options options)
    : source_(source),
      cache_(cache),
      feed_(feed),
      clock_(clock),
      options_(std::move(options)),
      recent_(options_.recent_report_bytes),
      builds_(options_.build_threads) {
  std::sort(options_.prefectures.begin(), options_.prefectures.end());
}

absl::Status ReportingLogic::CheckServed(absl::string_view prefecture) const {
  if (options_.prefectures.empty() ||
      std::binary_search(options_.prefectures.begin(), options_.prefectures.end(),
                         std::string(prefecture))) {
    return absl::OkStatus();
  }
  return WithReason(absl::PermissionDeniedError(
                        absl::StrCat("this stack does not serve préfecture ", prefecture)),
                    "PREFECTURE_NOT_SERVED");
}

const TargetMix& ReportingLogic::TargetFor(absl::string_view workshop_name) const {
  auto ids = ParseResourceName("workshop", workshop_name, {"prefectures", "workshops"});
  return ids.ok() ? options_.target_mixes.For((*ids)[0]) : options_.target_mixes.default_mix();
}

std::optional<v1::WorkshopReport> ReportingLogic::CachedReport(const std::string& workshop) {
  auto cached = cache_->Get(workshop);
  if (!cached.ok()) {
    LogCacheFailure("get", cached.status());
    return std::nullopt;
  }
  return *std::move(cached);
}

// --- Workshop reports --------------------------------------------------------

void ReportingLogic::GetWorkshopReportAsync(const v1::GetWorkshopReportRequest& req,
                                            absl::Time deadline,
                                            std::function<void(absl::StatusOr<std::string>)> done) {
  auto ids = ParseResourceName("workshop", req.workshop(), {"prefectures", "workshops"});
  if (!ids.ok()) return done(ids.status());
  if (absl::Status served = CheckServed((*ids)[0]); !served.ok()) return done(served);
  struct Pending {
    std::string name;
    absl::Time deadline;
    std::function<void(absl::StatusOr<std::string>)> done;
  };
  auto p = std::make_shared<Pending>(Pending{req.workshop(), deadline, std::move(done)});
  // Whatever cannot be answered now is handed to a build thread, with the
  // call's deadline for the calls it makes.
  auto build = [this, p](absl::StatusOr<Workshop> w,
                         absl::StatusOr<std::optional<WireReport>> wire) {
    builds_.Run([this, p, w = std::move(w), wire = std::move(wire)]() mutable {
      ScopedCallDeadline scope(p->deadline);
      p->done(ReportAfterReads(p->name, w, std::move(wire)));
    });
  };
  source_->GetWorkshopAsync(p->name, deadline, [this, p, build](absl::StatusOr<Workshop> w) {
    if (!w.ok()) return build(std::move(w), std::optional<WireReport>());
    const TargetMix& target = TargetFor(p->name);
    if (w->revision() > 0) {
      if (auto kept = recent_.Find(p->name, RecentVersion(w->revision(), target.Fingerprint()))) {
        return p->done(CurrentAsOf(*kept, clock_->Now()));
      }
    }
    cache_->GetWireAsync(p->name, [this, p, build, &target, w = *std::move(w)](
                                      absl::StatusOr<std::optional<WireReport>> wire) mutable {
      if (wire.ok() && *wire && IsCurrent((*wire)->revision, (*wire)->target, w, target)) {
        auto kept = std::make_shared<const WireReport>(**std::move(wire));
        recent_.Put(p->name, RecentVersion(kept->revision, kept->target), kept,
                    kept->bytes.size() + kept->target.size());
        return p->done(CurrentAsOf(*kept, clock_->Now()));
      }
      build(std::move(w), std::move(wire));
    });
  });
}

absl::StatusOr<std::string> ReportingLogic::ReportAfterReads(
    const std::string& name, const absl::StatusOr<Workshop>& w,
    absl::StatusOr<std::optional<WireReport>> wire) {
  absl::StatusOr<v1::WorkshopReport> report;
  if (!w.ok()) {
    report = WithoutWorkshop(name, w.status());
  } else {
    std::optional<v1::WorkshopReport> cached;
    if (!wire.ok()) {
      LogCacheFailure("get", wire.status());
    } else if (*wire) {
      cached = ParseWire(**wire);  // for a stale answer if the build fails
    }
    report = ReportWithCached(*w, std::move(cached));
  }
  if (!report.ok()) return report.status();
  return report->SerializeAsString();
}

absl::StatusOr<v1::WorkshopReport> ReportingLogic::ReportFor(const Workshop& w,
                                                             absl::Time deadline) {
  ScopedCallDeadline scope(deadline);
  return ReportWithCached(w, CachedReport(w.name()));
}

absl::StatusOr<v1::WorkshopReport> ReportingLogic::WorkshopReport(const std::string& name) {
  auto w = source_->GetWorkshop(name);
  if (!w.ok()) return WithoutWorkshop(name, w.status());
  return ReportWithCached(*w, CachedReport(name));
}

absl::StatusOr<v1::WorkshopReport> ReportingLogic::WithoutWorkshop(const std::string& name,
                                                                   const absl::Status& status) {
  if (!absl::IsUnavailable(status)) return status;
  std::optional<v1::WorkshopReport> cached = CachedReport(name);
  if (cached) return Stale(*std::move(cached));
  return WorkshopServiceDown(name);
}

absl::StatusOr<v1::WorkshopReport> ReportingLogic::ReportWithCached(
    const Workshop& w, std::optional<v1::WorkshopReport> cached) {
  const TargetMix& target = TargetFor(w.name());
  if (cached &&
      IsCurrent(cached->workshop_revision(), TargetFingerprint(*cached), w, target)) {
    // Moved, not copied: copying its dozens of messages and strings cost
    // about a tenth of reporting's CPU per cached report (paired bench runs).
    v1::WorkshopReport report = *std::move(cached);
    report.set_stale(false);
    // Checked against the workshop's revision just now: current as of now.
    *report.mutable_as_of_time() = ToProto(clock_->Now());
    return report;
  }

  auto registrations = source_->ListRegistrations(w.name());
  absl::StatusOr<std::vector<workshop::v1::Contribution>> contributions =
      registrations.ok()
          ? source_->ListContributions(w.name())
          : absl::StatusOr<std::vector<workshop::v1::Contribution>>(registrations.status());
  if (!contributions.ok()) {
    if (!absl::IsUnavailable(contributions.status())) return contributions.status();
    if (cached) return Stale(*std::move(cached));
    return WorkshopServiceDown(w.name());
  }

  std::set<std::string> organizations;
  for (const auto& c : *contributions) {
    if (!c.organization().empty()) organizations.insert(c.organization());
  }
  absl::flat_hash_map<std::string, std::string> names;
  bool complete = true;
  if (!organizations.empty()) {
    auto found = source_->OrganizationNames({organizations.begin(), organizations.end()});
    if (found.ok()) {
      names = *std::move(found);
    } else {
      // Display names are a courtesy: report without them, but do not keep
      // a report that would go on lacking them until the next write.
      complete = false;
      log::Warn("organization_names_failed",
                {{"workshop", w.name()}, {"error", std::string(found.status().message())}});
    }
  }

  v1::WorkshopReport report =
      BuildWorkshopReport(w, *registrations, *contributions, names, target, clock_->Now());
  if (complete) {
    const absl::Status stored = cache_->Put(report);
    if (!stored.ok()) LogCacheFailure("put", stored);
  }
  return report;
}

// --- Préfecture reports ------------------------------------------------------

absl::StatusOr<v1::PrefectureReport> ReportingLogic::GetPrefectureReport(
    const v1::GetPrefectureReportRequest& req, absl::Time deadline) {
  FieldViolations v;
  CheckPrefecture(v, "prefecture", req.prefecture());
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(req.prefecture()));
  ScopedCallDeadline scope(deadline);
  return PrefectureReport(req.prefecture());
}

absl::StatusOr<v1::PrefectureReport> ReportingLogic::PrefectureReport(
    const std::string& prefecture) {
  auto listed = source_->ListWorkshops(prefecture);
  if (!listed.ok()) {
    if (!absl::IsUnavailable(listed.status())) return listed.status();
    // The workshops cannot be listed: the cached reports stand in for them.
    auto cached = cache_->List(prefecture);
    if (!cached.ok()) LogCacheFailure("list", cached.status());
    if (!cached.ok() || cached->empty()) {
      return WorkshopServiceDown(absl::StrCat("préfecture ", prefecture));
    }
    for (auto& r : *cached) r.set_stale(true);
    return BuildPrefectureReport(prefecture, *std::move(cached), clock_->Now());
  }

  std::vector<Workshop> workshops;
  std::vector<std::string> names;
  for (auto& w : *listed) {
    if (!CountsInPrefecture(w.state())) continue;  // not built at all
    names.push_back(w.name());
    workshops.push_back(std::move(w));
  }
  std::vector<std::optional<v1::WorkshopReport>> cached(workshops.size());
  if (!names.empty()) {
    auto many = cache_->GetMany(names);
    if (many.ok() && many->size() == cached.size()) {
      cached = *std::move(many);
    } else if (!many.ok()) {
      LogCacheFailure("get_many", many.status());
    }
  }
  std::vector<v1::WorkshopReport> reports;
  reports.reserve(workshops.size());
  for (size_t i = 0; i < workshops.size(); ++i) {
    auto report = ReportWithCached(workshops[i], std::move(cached[i]));
    // Listed a moment ago, gone now: nothing to report on.
    if (report.status().code() == absl::StatusCode::kNotFound) continue;
    QPV_RETURN_IF_ERROR(report.status());
    reports.push_back(*std::move(report));
  }
  return BuildPrefectureReport(prefecture, std::move(reports), clock_->Now());
}

// --- Exports and feed --------------------------------------------------------

absl::StatusOr<v1::ExportReportResponse> ReportingLogic::ExportReport(
    const v1::ExportReportRequest& req, absl::Time deadline) {
  FieldViolations v;
  std::string prefecture;
  switch (req.report_case()) {
    case v1::ExportReportRequest::kWorkshop: {
      auto ids = ParseResourceName("workshop", req.workshop(), {"prefectures", "workshops"});
      if (ids.ok()) prefecture = (*ids)[0];
      v.Merge(ids.status(), "workshop");
      break;
    }
    case v1::ExportReportRequest::kPrefecture:
      CheckPrefecture(v, "prefecture", req.prefecture());
      prefecture = req.prefecture();
      break;
    default:
      v.Add("workshop", "one of workshop or prefecture is required");
  }
  if (req.format() == v1::ExportReportRequest::FORMAT_UNSPECIFIED) {
    v.Add("format", "is required: FORMAT_CSV, FORMAT_JSON, FORMAT_MARKDOWN or FORMAT_HTML");
  } else if (!v1::ExportReportRequest::Format_IsValid(req.format())) {
    v.Add("format", absl::StrCat("unknown format ", static_cast<int>(req.format())));
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(prefecture));
  ScopedCallDeadline scope(deadline);

  v1::ExportReportResponse resp;
  absl::StatusOr<report_export::ExportedFile> file;
  if (req.report_case() == v1::ExportReportRequest::kWorkshop) {
    QPV_ASSIGN_OR_RETURN(v1::WorkshopReport report, WorkshopReport(req.workshop()));
    resp.set_stale(report.stale());
    file = report_export::ExportWorkshopReport(report, req.format());
  } else {
    QPV_ASSIGN_OR_RETURN(v1::PrefectureReport report, PrefectureReport(req.prefecture()));
    resp.set_stale(report.stale());
    file = report_export::ExportPrefectureReport(report, req.format());
  }
  QPV_RETURN_IF_ERROR(file.status());
  resp.set_content_type(std::move(file->content_type));
  resp.set_filename(std::move(file->filename));
  resp.set_content(std::move(file->content));
  return resp;
}

absl::StatusOr<v1::FeedStatus> ReportingLogic::GetFeedStatus(const v1::GetFeedStatusRequest& req,
                                                             absl::Time) {
  FieldViolations v;
  CheckPrefecture(v, "prefecture", req.prefecture());
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(req.prefecture()));
  if (feed_ == nullptr) return absl::UnimplementedError("the feed to national is not running");
  QPV_ASSIGN_OR_RETURN(v1::FeedStatus status, feed_->GetStatus(req.prefecture()));
  status.set_prefecture(req.prefecture());
  return status;
}

}  // namespace qpv::reporting
