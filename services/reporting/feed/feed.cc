#include "services/reporting/feed/feed.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"

namespace qpv::reporting {
namespace {

using workshop::v1::Workshop;

std::string DefaultOwner() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    std::snprintf(host, sizeof(host), "reporting");
  }
  return absl::StrCat(host, "-", IdGenerator::Random()->NewId());
}

Feed::RandomFunction DefaultRandom() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  auto mu = std::make_shared<absl::Mutex>();
  return [engine, mu] {
    absl::MutexLock lock(mu.get());
    return std::uniform_real_distribution<double>(0.0, 1.0)(*engine);
  };
}

// "59" from "prefectures/59/workshops/abc"; empty when malformed.
std::string PrefectureOf(const std::string& workshop_name) {
  std::vector<absl::string_view> parts = absl::StrSplit(workshop_name, '/');
  if (parts.size() != 4 || parts[0] != "prefectures" || parts[1].empty()) return "";
  return std::string(parts[1]);
}

absl::Status Annotate(const absl::Status& status, absl::string_view what) {
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

}  // namespace

Feed::Feed(FeedStore* store, WorkshopSource* source, ReportFunction report, SnapshotSink* sink,
           Clock* clock, Options options, RandomFunction random)
    : store_(store),
      source_(source),
      report_(std::move(report)),
      sink_(sink),
      clock_(clock),
      options_(std::move(options)),
      random_(random ? std::move(random) : DefaultRandom()),
      owner_(options_.owner.empty() ? DefaultOwner() : options_.owner),
      lease_ttl_(std::max(options_.lease_ttl, 3 * options_.interval)) {}

Feed::~Feed() { Stop(); }

absl::Duration Feed::BackoffCap(const Options& options, int failures) {
  absl::Duration cap = options.backoff_min;
  for (int i = 0; i < failures && cap < options.backoff_max; ++i) cap *= 2;
  return std::min(cap, options.backoff_max);
}

void Feed::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
  log::Info("feed_started", {{"owner", owner_},
                             {"interval", absl::FormatDuration(options_.interval)},
                             {"prefectures", options_.prefectures.empty()
                                                 ? std::string("discovered")
                                                 : absl::StrJoin(options_.prefectures, ",")}});
}

void Feed::Stop() {
  std::thread thread;
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    thread = std::move(thread_);
  }
  if (thread.joinable()) {
    thread.join();
    log::Info("feed_stopped", {{"owner", owner_}});
  }
  absl::MutexLock lock(&round_mu_);
  for (const std::string& p : leased_) {
    // Best effort: an unreleased lease expires by itself.
    store_->ReleaseLease(p, owner_).IgnoreError();
  }
  leased_.clear();
}

bool Feed::stopping() {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void Feed::Loop() {
  while (true) {
    // Failures were logged where they changed; RunOnce's status is for tests.
    RunOnce().IgnoreError();
    absl::MutexLock lock(&mu_);
    // Real time: the wait must end even if an injected clock stands still.
    mu_.AwaitWithDeadline(absl::Condition(&stop_), absl::Now() + options_.interval);
    if (stop_) return;
  }
}

absl::Status Feed::RunOnce() {
  absl::MutexLock lock(&round_mu_);
  // Discovery: one listing for every préfecture, split here and handed to
  // each préfecture's round. Explicit préfectures list their own, after
  // their lease is taken.
  std::map<std::string, absl::StatusOr<std::vector<Workshop>>> discovered;
  if (options_.prefectures.empty()) {
    auto all = source_->ListWorkshops("-");
    Observe("-", Side::kWorkshops, all.status());
    if (!all.ok() && known_.empty()) return Annotate(all.status(), "listing the préfectures");
    std::map<std::string, std::vector<Workshop>> by_prefecture;
    if (all.ok()) {
      for (Workshop& w : *all) {
        std::string p = PrefectureOf(w.name());
        if (!p.empty()) by_prefecture[p].push_back(std::move(w));
      }
      for (const auto& entry : by_prefecture) known_.insert(entry.first);
    }
    for (const std::string& p : known_) {
      if (all.ok()) {
        discovered[p] = std::move(by_prefecture[p]);
      } else {
        discovered[p] = all.status();
      }
    }
  }

  std::vector<std::string> prefectures = options_.prefectures;
  if (prefectures.empty()) prefectures.assign(known_.begin(), known_.end());
  absl::Status first;
  for (const std::string& p : prefectures) {
    if (stopping()) break;
    auto it = discovered.find(p);
    absl::Status status = RunPrefecture(p, it == discovered.end() ? nullptr : &it->second);
    if (!status.ok() && first.ok()) first = Annotate(status, absl::StrCat("prefecture ", p));
  }
  return first;
}

absl::Status Feed::RunPrefecture(const std::string& p,
                                 const absl::StatusOr<std::vector<Workshop>>* listed) {
  auto mine = store_->AcquireLease(p, owner_, lease_ttl_, clock_->Now());
  Observe(p, Side::kStore, mine.status());
  if (!mine.ok()) return Annotate(mine.status(), "feed store");
  if (!*mine) {
    // Another replica runs this feed; what we built is its business now.
    leased_.erase(p);
    parts_.erase(p);
    return absl::OkStatus();
  }
  leased_.insert(p);
  auto state = store_->GetState(p);
  Observe(p, Side::kStore, state.status());
  if (!state.ok()) return Annotate(state.status(), "feed store");

  // The submission does not wait for a build that failed: the pending
  // snapshot is still worth sending.
  absl::Status build = MaybeBuild(p, listed, *state);
  absl::Status submit = MaybeSubmit(p, *state);
  return build.ok() ? submit : build;
}

absl::Status Feed::MaybeBuild(const std::string& p,
                              const absl::StatusOr<std::vector<Workshop>>* listed,
                              FeedState& state) {
  absl::StatusOr<std::vector<Workshop>> own;
  if (listed == nullptr) {
    own = source_->ListWorkshops(p);
    listed = &own;
  }
  if (!listed->ok()) {
    Observe(p, Side::kWorkshops, listed->status());
    return Annotate(listed->status(), "listing workshops");
  }
  const std::string fingerprint = WorkshopsFingerprint(**listed, options_.fingerprint_salt);
  if (fingerprint == state.fingerprint) {
    Observe(p, Side::kWorkshops, absl::OkStatus());
    return absl::OkStatus();
  }

  std::vector<WorkshopPart> parts;
  int rebuilt = 0;
  for (const Workshop& w : **listed) {
    if (!InSnapshot(w)) continue;
    bool fresh = false;
    auto part = PartFor(p, w, &fresh);
    if (!part.ok()) {
      Observe(p, Side::kWorkshops, part.status());
      return Annotate(part.status(), absl::StrCat("building the snapshot (", w.name(), ")"));
    }
    rebuilt += fresh ? 1 : 0;
    parts.push_back(*std::move(part));
  }
  Observe(p, Side::kWorkshops, absl::OkStatus());
  // Forget workshops that left the listing.
  std::set<std::string> names;
  for (const Workshop& w : **listed) names.insert(w.name());
  auto& cache = parts_[p];
  for (auto it = cache.begin(); it != cache.end();) {
    it = names.count(it->first) ? std::next(it) : cache.erase(it);
  }

  const absl::Time now = clock_->Now();
  national::v1::PrefectureSnapshot snapshot = AssembleSnapshot(p, now, std::move(parts));
  auto recorded = store_->RecordBuild(p, fingerprint, snapshot, now);
  Observe(p, Side::kStore, recorded.status());
  if (!recorded.ok()) return Annotate(recorded.status(), "feed store");
  if (recorded->recorded) {
    log::Info("feed_snapshot_built",
              {{"prefecture", p},
               {"version", recorded->version},
               {"workshops", snapshot.workshops_size()},
               {"reproducible_actions", snapshot.reproducible_actions_size()},
               {"workshops_recomputed", rebuilt}});
  }
  state.fingerprint = fingerprint;
  state.status.set_built_version(recorded->version);
  state.status.set_pending(state.status.built_version() > state.status.acknowledged_version());
  return absl::OkStatus();
}

absl::StatusOr<WorkshopPart> Feed::PartFor(const std::string& p, const Workshop& w, bool* rebuilt) {
  auto& cache = parts_[p];
  auto it = cache.find(w.name());
  if (it != cache.end() && it->second.revision == w.revision() && it->second.state == w.state()) {
    return it->second.part;
  }
  // Real time: the deadline is for gRPC calls.
  auto report = report_(w, absl::Now() + options_.report_timeout);
  if (!report.ok()) return report.status();
  if (report->stale()) {
    // A stale report is last known figures, not this revision's.
    return absl::UnavailableError("workshop service unavailable (only a stale report)");
  }
  auto contributions = source_->ListContributions(w.name());
  if (!contributions.ok()) return contributions.status();
  WorkshopPart part{BuildWorkshopFigures(w, *report, *contributions),
                    BuildReproducibleActions(*contributions)};
  cache[w.name()] = CachedPart{w.revision(), w.state(), part};
  *rebuilt = true;
  return part;
}

absl::Status Feed::MaybeSubmit(const std::string& p, const FeedState& state) {
  const v1::FeedStatus& s = state.status;
  if (!failing_.count({p, Side::kNational})) {
    // After a restart, a feed that was failing is not "down" news again.
    failing_[{p, Side::kNational}] = s.consecutive_failures() > 0;
  }
  if (s.built_version() <= s.acknowledged_version()) return absl::OkStatus();
  const absl::Time now = clock_->Now();
  if (s.has_next_attempt_time() && now < FromProto(s.next_attempt_time())) {
    return absl::OkStatus();  // backing off
  }
  auto pending = store_->LoadPending(p);
  Observe(p, Side::kStore, pending.status());
  if (!pending.ok()) return Annotate(pending.status(), "feed store");
  if (!pending->has_value()) return absl::OkStatus();
  const int64_t version = (*pending)->version();

  auto held = sink_->Submit(**pending);
  absl::Status failure = held.status();
  if (held.ok() && *held < version) {
    failure = absl::FailedPreconditionError(
        absl::StrCat("national kept version ", *held, ", older than the submitted ", version));
  }
  if (failure.ok()) {
    absl::Status marked = store_->MarkAcknowledged(p, version, *held, clock_->Now());
    Observe(p, Side::kStore, marked);
    // Not acknowledged here: the next round sends it again, and national
    // ignores the repeat.
    if (!marked.ok()) return Annotate(marked, "feed store");
    Observe(p, Side::kNational, absl::OkStatus(), version);
    log::Info("feed_snapshot_acknowledged",
              {{"prefecture", p}, {"version", version}, {"national_version", *held}});
    if (*held > version) {
      log::Warn("feed_national_holds_newer",
                {{"prefecture", p}, {"version", version}, {"national_version", *held}});
    }
    return absl::OkStatus();
  }

  const double u = std::clamp(random_(), 0.0, 1.0);
  const absl::Time next = now + BackoffCap(options_, s.consecutive_failures()) * u;
  auto recorded = store_->RecordFailure(p, failure.message(), now, next);
  Observe(p, Side::kStore, recorded.status());
  Observe(p, Side::kNational, failure, version);
  if (!recorded.ok()) return Annotate(recorded.status(), "feed store");
  return failure;
}

void Feed::Observe(const std::string& p, Side side, const absl::Status& status, int64_t version) {
  bool& failing = failing_[{p, side}];
  if (failing == !status.ok()) return;
  failing = !status.ok();
  const char* event = "";
  switch (side) {
    case Side::kWorkshops:
      event = failing ? "feed_workshops_failing" : "feed_workshops_recovered";
      break;
    case Side::kNational:
      event = failing ? "feed_national_down" : "feed_national_up";
      break;
    case Side::kStore:
      event = failing ? "feed_store_failing" : "feed_store_recovered";
      break;
  }
  if (failing) {
    log::Warn(event,
              {{"prefecture", p}, {"error", std::string(status.message())}, {"version", version}});
  } else {
    log::Info(event, {{"prefecture", p}, {"version", version}});
  }
}

}  // namespace qpv::reporting
