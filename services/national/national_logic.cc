#include "services/national/national_logic.h"

#include <malloc.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/pagination/page_token.h"
#include "common/status/status.h"
#include "common/territory/territory.h"
#include "common/validation/validation.h"
#include "services/national/figure_cells.h"
#include "services/national/snapshot_validation.h"

namespace qpv::national {
namespace {

using ::qpv::common::v1::Theme_IsValid;


void CheckRegion(FieldViolations& v, absl::string_view field, const std::string& region,
                 int* index) {
  *index = -1;
  if (region.empty()) return;
  *index = RegionIndex(region);
  if (*index < 0) v.Add(std::string(field), "must be an INSEE region code such as 32");
}

void CheckTheme(FieldViolations& v, absl::string_view field, int theme) {
  if (!Theme_IsValid(theme)) v.Add(std::string(field), absl::StrCat("unknown theme ", theme));
}

absl::StatusOr<DashboardQuery> ParseQuery(const nv1::GetNationalDashboardRequest& req) {
  FieldViolations v;
  DashboardQuery q;
  CheckTheme(v, "theme", req.theme());
  q.theme_key = Theme_IsValid(req.theme()) ? req.theme() : 0;
  CheckRegion(v, "region", req.region(), &q.region);
  validation::CheckTimestamp(v, "start_time", req.start_time(), /*required=*/false);
  validation::CheckTimestamp(v, "end_time", req.end_time(), /*required=*/false);
  QPV_RETURN_IF_ERROR(v.ToStatus());
  if (req.has_start_time()) q.start = FromProto(req.start_time());
  if (req.has_end_time()) q.end = FromProto(req.end_time());
  if (q.end <= q.start) return InvalidField("end_time", "must be after start_time");
  return q;
}

// The dashboard as compared between two sends of a watch.
std::string Comparable(nv1::NationalDashboard d) {
  d.clear_revision();
  d.clear_as_of_time();
  return d.SerializeAsString();
}

std::string EncodeGroupCursor(const GroupKey& k) {
  return absl::StrCat(k.prefecture_count, "\x1f", k.source_count, "\x1f", k.title, "\x1f",
                      k.first_source);
}

absl::StatusOr<GroupKey> DecodeGroupCursor(const std::string& cursor) {
  std::vector<std::string> parts = absl::StrSplit(cursor, '\x1f');
  GroupKey c;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &c.prefecture_count) ||
      !absl::SimpleAtoi(parts[1], &c.source_count)) {
    return InvalidField("page_token", "is not a token returned by this list");
  }
  c.title = std::move(parts[2]);
  c.first_source = std::move(parts[3]);
  return c;
}

}  // namespace

NationalLogic::NationalLogic(NationalStore* store, Clock* clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

NationalLogic::~NationalLogic() { Stop(); }

void NationalLogic::Start() {
  poller_ = std::thread([this] { PollLoop(); });
}

void NationalLogic::Stop() {
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  if (poller_.joinable()) poller_.join();
  {
    absl::MutexLock lock(&groups_mu_);
    groups_stopping_ = true;
  }
  // A grouping under way is finished first (seconds at national scale).
  if (grouper_.joinable()) grouper_.join();
}

void NationalLogic::PollLoop() {
  bool failing = false;
  bool loaded = false;
  bool trim_armed = false;
  while (true) {
    const absl::Status s = Refresh();
    // Logged when the state changes, not on every poll.
    if (s.ok() && !loaded) {
      log::Info("view_loaded", {{"revision", View()->revision}});
    } else if (!s.ok() && !failing) {
      log::Warn("view_refresh_failed", {{"error", std::string(s.message())}});
    } else if (s.ok() && failing) {
      log::Info("view_refresh_recovered", {{"revision", View()->revision}});
    }
    failing = !s.ok();
    loaded = loaded || s.ok();
    // After a reload the old préfectures, the snapshots read and the
    // requests that brought them sit freed in glibc's per-thread arenas,
    // which keep them: at national scale a few hundred MiB never used
    // again. Returned one poll later, once the submit that caused the
    // reload has ended and freed its request (a submit of 1 MiB or more
    // also trims as it ends, unary_service.h; this covers the rest:
    // reloads read from Redis, smaller submits, a previous grouping's
    // entries).
    if (trim_armed) malloc_trim(0);
    trim_armed = trim_pending_.exchange(false);
    absl::MutexLock lock(&stop_mu_);
    if (stop_mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.poll_interval)) break;
  }
}

bool NationalLogic::Loaded() const {
  absl::MutexLock lock(&state_mu_);
  return state_ != nullptr;
}

std::shared_ptr<const ViewState> NationalLogic::View() const {
  absl::MutexLock lock(&state_mu_);
  return state_;
}

absl::StatusOr<std::shared_ptr<const ViewState>> NationalLogic::LoadedView() const {
  auto view = View();
  if (!view) {
    return WithReason(absl::UnavailableError("national figures are not loaded yet; retry"),
                      "VIEW_NOT_LOADED");
  }
  return view;
}

void NationalLogic::MarkSynced() {
  absl::MutexLock lock(&state_mu_);
  synced_ = clock_->Now();
}

void NationalLogic::Publish(std::shared_ptr<const ViewState> view) {
  absl::MutexLock lock(&state_mu_);
  state_ = std::move(view);
  ++generation_;
  synced_ = clock_->Now();
  state_changed_.SignalAll();
}

absl::Status NationalLogic::Refresh() {
  absl::MutexLock refresh(&refresh_mu_);
  return RefreshLocked();
}

std::shared_ptr<const PrefectureEntry> NationalLogic::LocalEntry(const std::string& code,
                                                                 int64_t version,
                                                                 const PrefectureEntry* previous,
                                                                 bool* storing) {
  std::optional<LocalSnapshot> found;
  *storing = false;
  {
    absl::MutexLock lock(&pending_mu_);
    for (const LocalSnapshot& local : pending_) {
      if (local.snapshot->prefecture() != code || local.version != version) continue;
      if (local.stored) {
        found = local;
      } else {
        *storing = true;
      }
    }
  }
  if (!found) return nullptr;
  // Its submitter keeps it until it holds refresh_mu_, which we hold.
  auto entry = BuildEntry(*found->snapshot, found->version, found->receive_time, previous);
  return entry.ok() ? *std::move(entry) : nullptr;
}

absl::Status NationalLogic::RefreshLocked() {
  std::shared_ptr<const ViewState> base = View();
  if (base) {
    QPV_ASSIGN_OR_RETURN(int64_t revision, store_->Revision());
    if (revision == base->revision) {
      MarkSynced();
      return absl::OkStatus();
    }
  } else {
    base = ViewState::Empty();
  }
  QPV_ASSIGN_OR_RETURN(StoreIndex index, store_->Index());
  std::vector<std::string> to_load;
  for (const auto& [code, version] : index.versions) {
    const int i = DepartementIndex(code);
    if (i < 0) continue;  // never accepted by validation
    const auto& e = base->prefectures[i];
    if (!e || e->version != version) to_load.push_back(code);
  }
  std::vector<int> removed;  // the store lost them (flushed)
  for (const auto& e : base->prefectures) {
    if (e && index.versions.count(e->code) == 0) removed.push_back(e->index);
  }
  // One at a time, so a cold start never holds every snapshot's bytes at
  // once; a snapshot this instance just stored is taken as parsed.
  std::vector<std::shared_ptr<const PrefectureEntry>> changed;
  changed.reserve(to_load.size());
  bool deferred = false;
  for (const std::string& code : to_load) {
    const PrefectureEntry* previous = base->prefectures[DepartementIndex(code)].get();
    bool storing = false;
    if (auto local = LocalEntry(code, index.versions[code], previous, &storing)) {
      changed.push_back(std::move(local));
      continue;
    }
    if (storing) {
      // Its submitter refreshes as soon as the store answers it.
      deferred = true;
      continue;
    }
    QPV_ASSIGN_OR_RETURN(std::vector<StoredSnapshot> stored, store_->Load({code}));
    for (const StoredSnapshot& s : stored) {
      auto entry = BuildEntry(s, previous);
      if (!entry.ok()) {
        log::Error("snapshot_unreadable", {{"prefecture", s.prefecture},
                                           {"version", s.version},
                                           {"error", std::string(entry.status().message())}});
        continue;
      }
      changed.push_back(*std::move(entry));
    }
  }
  // A view that left a préfecture to its submitter keeps the old revision,
  // so that the next refresh reads the index again.
  Publish(NextView(*base, deferred ? base->revision : index.revision, changed, removed));
  if (!changed.empty() || !removed.empty()) trim_pending_ = true;
  return absl::OkStatus();
}

absl::StatusOr<nv1::SubmitPrefectureSnapshotResponse> NationalLogic::SubmitPrefectureSnapshot(
    const nv1::SubmitPrefectureSnapshotRequest& req) {
  const nv1::PrefectureSnapshot& s = req.snapshot();
  QPV_RETURN_IF_ERROR(ValidateSnapshot(s, "snapshot"));
  const CellList cells = CellFields(AggregateByMonth(ComputeWorkshopCells(s)));
  // To the microsecond, as the store keeps it: the entry built from `s`
  // is the one a reload would build.
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(clock_->Now()));
  const auto mine = [&s](const LocalSnapshot& l) { return l.snapshot == &s; };
  {
    absl::MutexLock lock(&pending_mu_);
    pending_.push_back({&s, s.version(), now});
  }
  absl::StatusOr<ApplyResult> applied =
      store_->ApplySnapshot(s.prefecture(), territory::RegionOf(s.prefecture()), s.version(), now,
                            s, cells);
  if (!applied.ok() || !applied->applied) {
    // Not ours in the store (or not known to be): a refresh reads it back.
    absl::MutexLock lock(&pending_mu_);
    pending_.erase(std::find_if(pending_.begin(), pending_.end(), mine));
  }
  QPV_RETURN_IF_ERROR(applied.status());
  const ApplyResult& result = *applied;
  if (result.applied) {
    log::Info(
        "snapshot_applied",
        {{"prefecture", s.prefecture()}, {"version", s.version()}, {"revision", result.revision}});
    // Read-your-writes on this instance; the poller catches up otherwise.
    // The store holds these very bytes at this version (another replica's
    // snapshot of the same version was refused).
    {
      absl::MutexLock lock(&pending_mu_);
      std::find_if(pending_.begin(), pending_.end(), mine)->stored = true;
    }
    absl::Status refreshed;
    {
      absl::MutexLock refresh(&refresh_mu_);
      refreshed = RefreshLocked();
      absl::MutexLock lock(&pending_mu_);
      pending_.erase(std::find_if(pending_.begin(), pending_.end(), mine));
    }
    if (!refreshed.ok()) {
      log::Warn("view_refresh_failed", {{"error", std::string(refreshed.message())}});
    }
  }
  nv1::SubmitPrefectureSnapshotResponse out;
  out.set_prefecture(s.prefecture());
  out.set_current_version(result.current_version);
  out.set_applied(result.applied);
  return out;
}

absl::Time NationalLogic::Synced() const {
  absl::MutexLock lock(&state_mu_);
  return synced_;
}

nv1::NationalDashboard NationalLogic::DashboardFor(const ViewState& view,
                                                   const DashboardQuery& query) {
  return DashboardFor(view, query,
                      CoverageOf(view, query.region, clock_->Now(), options_.fresh_window),
                      Synced());
}

nv1::NationalDashboard NationalLogic::DashboardFor(const ViewState& view,
                                                   const DashboardQuery& query,
                                                   nv1::Coverage coverage, absl::Time synced) {
  nv1::NationalDashboard out;
  if (query.unfiltered()) {
    absl::MutexLock lock(&view.caches->mu);
    if (!view.caches->unfiltered) {
      view.caches->unfiltered = DashboardFigures(view, query, options_.small_count_threshold);
    }
    out = *view.caches->unfiltered;
  } else {
    out = DashboardFigures(view, query, options_.small_count_threshold);
  }
  *out.mutable_coverage() = std::move(coverage);
  if (synced != absl::InfinitePast()) *out.mutable_as_of_time() = ToProto(synced);
  return out;
}

absl::StatusOr<std::shared_ptr<const std::string>> NationalLogic::SerializedNationalDashboard(
    const nv1::GetNationalDashboardRequest& req) {
  QPV_ASSIGN_OR_RETURN(DashboardQuery query, ParseQuery(req));
  QPV_ASSIGN_OR_RETURN(auto view, LoadedView());
  const absl::Time synced = Synced();
  nv1::Coverage coverage =
      CoverageOf(*view, query.region, clock_->Now(), options_.fresh_window);
  std::string key = req.SerializeAsString();
  std::string coverage_bytes = coverage.SerializeAsString();
  ViewCaches& caches = *view->caches;
  {
    absl::MutexLock lock(&caches.serialized_mu);
    auto it = caches.serialized.find(key);
    if (it != caches.serialized.end() && it->second.synced == synced &&
        it->second.coverage == coverage_bytes) {
      return it->second.bytes;
    }
  }
  auto bytes = std::make_shared<const std::string>(
      DashboardFor(*view, query, std::move(coverage), synced).SerializeAsString());
  absl::MutexLock lock(&caches.serialized_mu);
  if (caches.serialized.size() >= kMaxSerializedDashboards &&
      !caches.serialized.count(key)) {
    caches.serialized.clear();
  }
  caches.serialized[std::move(key)] = {synced, std::move(coverage_bytes), bytes};
  return bytes;
}

absl::StatusOr<nv1::NationalDashboard> NationalLogic::GetNationalDashboard(
    const nv1::GetNationalDashboardRequest& req) {
  QPV_ASSIGN_OR_RETURN(DashboardQuery query, ParseQuery(req));
  QPV_ASSIGN_OR_RETURN(auto view, LoadedView());
  return DashboardFor(*view, query);
}

absl::StatusOr<nv1::ListPrefectureStatusResponse> NationalLogic::ListPrefectureStatus(
    const nv1::ListPrefectureStatusRequest& req) {
  FieldViolations v;
  int region = -1;
  CheckRegion(v, "region", req.region(), &region);
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_ASSIGN_OR_RETURN(int page_size, pagination::EffectivePageSize(req.page_size()));
  const std::string fingerprint =
      pagination::RequestFingerprint("national/prefecture-status", req.region());
  QPV_ASSIGN_OR_RETURN(std::string cursor,
                       pagination::DecodePageToken(req.page_token(), fingerprint));
  int from = 0;
  if (!cursor.empty()) {
    const int after = DepartementIndex(cursor);
    if (after < 0) return InvalidField("page_token", "is not a token returned by this list");
    from = after + 1;
  }
  QPV_ASSIGN_OR_RETURN(auto view, LoadedView());
  const auto& departements = territory::Departements();
  nv1::ListPrefectureStatusResponse out;
  for (int i = from; i < static_cast<int>(departements.size()); ++i) {
    const auto& d = departements[i];
    if (region >= 0 && d.region_code != territory::Regions()[region].code) continue;
    if (out.statuses_size() == page_size) {
      out.set_next_page_token(
          pagination::EncodePageToken(out.statuses(page_size - 1).prefecture(), fingerprint));
      break;
    }
    nv1::PrefectureStatus* s = out.add_statuses();
    s->set_prefecture(std::string(d.code));
    s->set_prefecture_name(std::string(d.name));
    s->set_region(std::string(d.region_code));
    const auto& e = view->prefectures[i];
    if (!e) continue;  // never reported: version 0, no receive time
    s->set_version(e->version);
    *s->mutable_receive_time() = ToProto(e->receive_time);
    s->set_workshop_count(e->workshop_count);
    s->set_workshops_held(e->held);
    s->set_workshops_reported(e->reported);
    s->set_missing_reports(e->held - e->reported);
  }
  return out;
}

std::shared_ptr<const NationalLogic::Grouping> NationalLogic::CurrentGrouping() const {
  absl::MutexLock lock(&groups_mu_);
  return grouping_;
}

bool NationalLogic::AwaitGroupingOf(const ViewState* view, absl::Duration timeout) const {
  absl::MutexLock lock(&groups_mu_);
  const auto done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(groups_mu_) {
    return grouping_ != nullptr && SameActionSets(grouping_->action_sets, *view);
  };
  return groups_mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
}

absl::StatusOr<std::shared_ptr<const NationalLogic::Grouping>> NationalLogic::GroupingFor() {
  absl::MutexLock lock(&groups_mu_);
  if (groups_stopping_) {
    return WithReason(absl::UnavailableError("the server is shutting down; retry"),
                      "SERVER_DRAINING");
  }
  if (!grouper_.joinable()) grouper_ = std::thread([this] { GroupLoop(); });
  // A regroup is wanted unless the newest view's action sets are those
  // served or being grouped. The grouper takes the newest view when it
  // starts, not this one: a view waiting out the pause would keep alive
  // every entry replaced meanwhile, and the regroup would be staler.
  const std::shared_ptr<const ViewState> newest = View();
  const auto current = [&newest](const Grouping* g) {
    return g != nullptr && SameActionSets(g->action_sets, *newest);
  };
  if (!current(grouping_.get()) && !current(regrouping_)) {
    regroup_wanted_ = true;
  }
  // Only the first grouping is waited for; later ones replace it when done.
  const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(groups_mu_) {
    return grouping_ != nullptr || groups_stopping_;
  };
  groups_mu_.Await(absl::Condition(&ready));
  if (grouping_ == nullptr) {
    return WithReason(absl::UnavailableError("the server is shutting down; retry"),
                      "SERVER_DRAINING");
  }
  return grouping_;
}

void NationalLogic::GroupLoop() {
  absl::Time not_before = absl::InfinitePast();
  while (true) {
    auto next = std::make_shared<Grouping>();
    std::shared_ptr<const Grouping> served;  // its groups are kept when no text changed
    int64_t revision = 0;
    {
      absl::MutexLock lock(&groups_mu_);
      const auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(groups_mu_) {
        return regroup_wanted_ || groups_stopping_;
      };
      groups_mu_.Await(absl::Condition(&work));
      if (groups_stopping_) return;
      if (grouping_ != nullptr && absl::Now() < not_before) {
        // Paced: the previous grouping is served meanwhile, and the views
        // published during the pause fold into one regroup of the newest.
        groups_mu_.AwaitWithDeadline(absl::Condition(&groups_stopping_), not_before);
        if (groups_stopping_) return;
      }
      regroup_wanted_ = false;
      const std::shared_ptr<const ViewState> view = View();
      if (grouping_ != nullptr && SameActionSets(grouping_->action_sets, *view)) continue;
      // The grouping holds the view's action sets, not the view: a
      // préfecture resubmitted while it runs keeps only its former actions
      // alive, not its whole entry.
      next->action_sets = ActionSetsOf(*view);
      revision = view->revision;
      regrouping_ = next.get();
      served = grouping_;
    }
    const absl::Time started = absl::Now();
    PreviousGrouping from;
    if (served != nullptr) from = {&served->action_sets, &served->index};
    next->index = options_.group_practices ? options_.group_practices(next->action_sets, from)
                                           : IndexActionSets(next->action_sets, from);
    log::Info("good_practices_grouped",
              {{"revision", revision},
               {"groups", static_cast<int64_t>(next->index.groups.size())},
               {"joins", next->index.joins_kept ? "kept (no text changed)" : "computed"},
               {"ms", absl::ToInt64Milliseconds(absl::Now() - started)}});
    served.reset();
    // The ordering's arrays are freed: give them back (the grouping gave
    // back its shingle sets itself).
    malloc_trim(0);
    not_before = absl::Now() + std::max(options_.regroup_pause, absl::Now() - started);
    std::shared_ptr<const Grouping> previous;
    {
      absl::MutexLock lock(&groups_mu_);
      previous = std::move(grouping_);
      grouping_ = std::move(next);
      regrouping_ = nullptr;
    }
    // The previous grouping goes with its last reader, and with it maybe the
    // action sets only it still held: the poller trims.
    previous.reset();
    trim_pending_ = true;
  }
}

absl::StatusOr<nv1::ListGoodPracticesResponse> NationalLogic::ListGoodPractices(
    const nv1::ListGoodPracticesRequest& req) {
  FieldViolations v;
  CheckTheme(v, "theme", req.theme());
  if (req.min_prefecture_count() < 0) v.Add("min_prefecture_count", "must not be negative");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_ASSIGN_OR_RETURN(int page_size, pagination::EffectivePageSize(req.page_size()));
  const std::string fingerprint = pagination::RequestFingerprint(
      "national/good-practices", absl::StrCat(req.theme(), "|", req.min_prefecture_count()));
  QPV_ASSIGN_OR_RETURN(std::string cursor,
                       pagination::DecodePageToken(req.page_token(), fingerprint));
  std::optional<GroupKey> after;
  if (!cursor.empty()) {
    QPV_ASSIGN_OR_RETURN(GroupKey c, DecodeGroupCursor(cursor));
    after = std::move(c);
  }
  QPV_RETURN_IF_ERROR(LoadedView().status());
  QPV_ASSIGN_OR_RETURN(const std::shared_ptr<const Grouping> grouping, GroupingFor());
  const PracticeIndex* index = &grouping->index;
  auto it = index->groups.begin();
  if (after) {
    // Groups are sorted by key: resume after the last one returned, even if
    // the grouping changed in between (a regroup: the token's group may be
    // gone or have moved; the page starts after where it would be).
    it = std::upper_bound(
        index->groups.begin(), index->groups.end(), *after,
        [&](const GroupKey& k, const PracticeGroup& g) { return index->Before(k, g); });
  }
  const uint32_t theme_bit = req.theme() == 0 ? 0 : 1u << req.theme();
  nv1::ListGoodPracticesResponse out;
  const PracticeGroup* last = nullptr;
  size_t bytes = 0;
  for (; it != index->groups.end(); ++it) {
    const PracticeGroup& g = *it;
    if (g.prefecture_count < req.min_prefecture_count()) break;  // sorted by count desc
    if (theme_bit != 0 && (g.themes & theme_bit) == 0) continue;
    if (out.groups_size() == page_size || bytes >= options_.max_page_bytes) {
      out.set_next_page_token(
          pagination::EncodePageToken(EncodeGroupCursor(index->KeyOf(*last)), fingerprint));
      break;
    }
    nv1::GoodPracticeGroup* added = out.add_groups();
    *added = index->Materialize(g);
    bytes += added->ByteSizeLong();
    last = &g;
  }
  // A page is built from many small strings, freed with the call: the
  // poller gives the memory back.
  trim_pending_ = true;
  return out;
}

absl::Status NationalLogic::WatchNationalDashboard(
    const nv1::GetNationalDashboardRequest& req, const std::function<bool()>& done,
    const std::function<bool(const nv1::NationalDashboard&)>& write) {
  QPV_ASSIGN_OR_RETURN(DashboardQuery query, ParseQuery(req));
  QPV_RETURN_IF_ERROR(LoadedView().status());
  watchers_.fetch_add(1);
  struct Leave {
    std::atomic<int>* n;
    ~Leave() { n->fetch_sub(1); }
  } leave{&watchers_};

  uint64_t seen = 0;
  bool sent_any = false;
  std::string last;
  absl::Time next_send = absl::InfinitePast();
  while (!done()) {
    // Hold back until the minimum interval since the last update is over;
    // changes meanwhile fold into the state read below.
    for (absl::Time now = absl::Now(); now < next_send && !done(); now = absl::Now()) {
      absl::SleepFor(std::min(next_send - now, options_.watch_wakeup));
    }
    if (done()) break;
    std::shared_ptr<const ViewState> view;
    uint64_t generation = 0;
    {
      absl::MutexLock lock(&state_mu_);
      view = state_;
      generation = generation_;
    }
    if (!sent_any || generation != seen) {
      seen = generation;
      // Whatever happened while the previous write was blocked, this is the
      // newest state: a slow watcher skips what it could not take.
      nv1::NationalDashboard d = DashboardFor(*view, query);
      std::string comparable = Comparable(d);
      if (!sent_any || comparable != last) {
        if (!write(d)) return absl::OkStatus();  // the client went away
        next_send = absl::Now() + options_.watch_min_interval;
        sent_any = true;
        last = std::move(comparable);
      }
    }
    absl::MutexLock lock(&state_mu_);
    const absl::Time deadline = absl::Now() + options_.watch_wakeup;
    while (generation_ == seen && absl::Now() < deadline) {
      state_changed_.WaitWithDeadline(&state_mu_, deadline);
    }
  }
  return absl::OkStatus();
}

}  // namespace qpv::national
