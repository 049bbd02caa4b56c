// The national aggregation service's logic, free of gRPC wiring.
//
// Writes: SubmitPrefectureSnapshot validates the snapshot at the edge
// (snapshot_validation.h), computes its figure cells (figure_cells.h) and
// hands both to the store, whose one atomic script keeps the newest version
// per préfecture and moves the national rollup by difference. A repeated or
// older version is acknowledged with applied = false and changes nothing.
//
// Reads never touch Redis: they are served from an in-memory view
// (national_view.h) that a background thread keeps in step with the store:
// every poll_interval it reads the national revision (one GET) and, when it
// moved, reloads only the préfectures whose version changed. An instance
// also refreshes right after its own accepted submit, so a caller reads its
// own write; other replicas follow within poll_interval. The instance that
// accepted a snapshot builds its view entry from the request it already
// parsed instead of reading the bytes back from Redis (at national scale a
// snapshot is up to ~8 MB and its parse ~25 MB: reading it back doubled the
// ingest's peak), and a refresh that meets one still being stored leaves
// it to its submitter; snapshots of other replicas are read one at a time;
// and the service handles at most 8 MiB of submitted snapshots at once
// (kSubmitBudgetBytes, national_service.h: parse, store, view entry; a
// bigger one goes alone). The unfiltered dashboard is computed once per
// view revision, on first use.
//
// Good practices are grouped on a background thread (good_practices.h:
// ~10 s of CPU and ~28 MiB transient at national scale). The first
// ListGoodPractices ever waits for the first grouping. From then on a call
// that finds the view newer than the grouping it is served starts a
// regroup of the newest view in the background and is answered at once
// from the previous grouping. A grouping, from its start, keeps alive the
// action sets its groups point into, not its view nor its entries' figures:
// a préfecture resubmitted since costs it ~0.28 MiB at national scale
// instead of its whole entry's ~0.37 (qpv-bench-national-view's sizes),
// freed when the next grouping replaces it. At most one
// regroup runs at a time (so two groupings' transient memory never adds
// up); calls meanwhile queue at most one more, which groups the view that
// is newest when it starts (after the pause, see regroup_pause). So a
// page lags the newest snapshots by up to one grouping (seconds at
// national scale, and until someone asks: nothing is regrouped for nobody,
// which under a snapshot every few seconds would keep a core and ~30 MiB
// busy for good). Page tokens are group keys and carry on across a regroup
// (the next page starts after the last group returned, in the new
// grouping's order).
//
// WatchNationalDashboard sends the dashboard for its filters, then waits on
// a condition variable for the next view; when it comes and the dashboard
// differs (revision and as_of_time aside), it sends the newest one. A slow
// watcher is blocked in its own write meanwhile and then gets the latest
// state: there is no queue to fall behind on.
//
// as_of_time is when the view last agreed with Redis: while Redis is down,
// reads go on serving the last view and as_of_time tells how old it is.
//
// ListPrefectureStatus lists every département of the territory table (or
// of the region), in code order, those that never reported with version 0:
// the national team sees who is missing as well as the reports to chase.
// QPV_PREFECTURES does not apply here: national takes every préfecture.
#ifndef QPV_SERVICES_NATIONAL_NATIONAL_LOGIC_H_
#define QPV_SERVICES_NATIONAL_NATIONAL_LOGIC_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "qpv/national/v1/national_service.pb.h"
#include "services/national/dashboard.h"
#include "services/national/good_practices.h"
#include "services/national/national_store.h"
#include "services/national/national_view.h"

namespace qpv::national {

class NationalLogic {
 public:
  struct Options {
    // Breakdown cells with 0 < count < threshold are suppressed (0 or 1: none).
    int64_t small_count_threshold = 5;
    // A préfecture is fresh when its snapshot arrived within this window.
    absl::Duration fresh_window = absl::Hours(24);
    // How often the view checks the national revision.
    absl::Duration poll_interval = absl::Milliseconds(200);
    // How often a waiting watcher checks whether its call is over.
    absl::Duration watch_wakeup = absl::Milliseconds(250);
    // At most one update per watcher in this time: a burst of snapshots
    // reaches a watcher as one update with the newest state, not a backlog
    // (gRPC's flow-control window would otherwise buffer dozens of them for
    // a client that reads slowly). An isolated change is sent at once.
    absl::Duration watch_min_interval = absl::Milliseconds(200);
    // A ListGoodPractices page ends early (with a next_page_token) once its
    // groups pass this size: gRPC clients refuse messages over 4 MiB by
    // default, and 1,000 groups at national scale came to 4.4 MiB.
    size_t max_page_bytes = 3 << 20;
    // After a grouping ends, the next starts no sooner than this, nor than
    // the last grouping took: at national scale a grouping costs ~10 s of a
    // core and ~30 MiB, and with snapshots every few seconds and readers
    // asking, back-to-back regroups kept both busy for good.
    absl::Duration regroup_pause = absl::Seconds(30);
    // The grouping (tests inject one to hold it or count its runs);
    // IndexActionSets when empty. It is given the grouping served, if any.
    std::function<PracticeIndex(const ActionSets&, const PreviousGrouping&)> group_practices;
  };

  // A grouping and the action sets it grouped, which its groups point into
  // (a grouping keeps its préfectures' actions alive, not the view's
  // figures). It is current for every view of the same sets: a snapshot
  // whose actions did not change keeps its set (BuildEntry), so it needs no
  // regroup.
  struct Grouping {
    ActionSets action_sets;
    PracticeIndex index;
  };

  // Neither pointer is owned; both must outlive the logic.
  NationalLogic(NationalStore* store, Clock* clock, Options options);
  ~NationalLogic();
  NationalLogic(const NationalLogic&) = delete;
  NationalLogic& operator=(const NationalLogic&) = delete;

  // Starts the poller, which loads the view first (Loaded() turns true; a
  // failure is logged and retried). Stop() ends it promptly; the destructor
  // calls it.
  void Start();
  void Stop();
  // One poll: brings the view up to the store's revision.
  absl::Status Refresh();
  // True once the view was loaded (health: not ready before).
  bool Loaded() const;
  std::shared_ptr<const ViewState> View() const;
  // Watch calls running now.
  int watchers() const { return watchers_.load(); }
  // The grouping ListGoodPractices serves now (null before the first).
  std::shared_ptr<const Grouping> CurrentGrouping() const;
  // For tests and tools: waits until the grouping served is that of
  // `view`'s action sets (true) or `timeout` passed (false).
  bool AwaitGroupingOf(const ViewState* view, absl::Duration timeout) const;

  absl::StatusOr<nv1::SubmitPrefectureSnapshotResponse> SubmitPrefectureSnapshot(
      const nv1::SubmitPrefectureSnapshotRequest& req);
  // GetNationalDashboard's answer serialized, the same bytes for every call
  // of the same query while the view, its sync time and the coverage stay
  // (the gRPC method sends these; the message form serves the watch).
  absl::StatusOr<std::shared_ptr<const std::string>> SerializedNationalDashboard(
      const nv1::GetNationalDashboardRequest& req);
  absl::StatusOr<nv1::NationalDashboard> GetNationalDashboard(
      const nv1::GetNationalDashboardRequest& req);
  absl::StatusOr<nv1::ListPrefectureStatusResponse> ListPrefectureStatus(
      const nv1::ListPrefectureStatusRequest& req);
  absl::StatusOr<nv1::ListGoodPracticesResponse> ListGoodPractices(
      const nv1::ListGoodPracticesRequest& req);
  // Streams until `done` says so (client gone, server draining) or `write`
  // fails. Validation errors are returned before anything is written.
  absl::Status WatchNationalDashboard(
      const nv1::GetNationalDashboardRequest& req, const std::function<bool()>& done,
      const std::function<bool(const nv1::NationalDashboard&)>& write);

 private:
  absl::StatusOr<std::shared_ptr<const ViewState>> LoadedView() const;
  nv1::NationalDashboard DashboardFor(const ViewState& view, const DashboardQuery& query);
  nv1::NationalDashboard DashboardFor(const ViewState& view, const DashboardQuery& query,
                                      nv1::Coverage coverage, absl::Time synced);
  absl::Time Synced() const;
  // The grouping to serve: the current one, or the first one once computed
  // (UNAVAILABLE when the logic stops first).
  absl::StatusOr<std::shared_ptr<const Grouping>> GroupingFor();
  void GroupLoop();
  // Reads changed préfectures one at a time (each up to ~8 MB of reply and
  // ~25 MB of parse at national scale; a local Redis answers in well under
  // a millisecond, so a cold load of 101 is no slower).
  absl::Status RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  // The entry of a local snapshot of (code, version) that the store took,
  // or null; `storing` is set when one of that version is still being
  // stored (the store may have taken it: its submitter has not heard yet).
  std::shared_ptr<const PrefectureEntry> LocalEntry(const std::string& code, int64_t version,
                                                    const PrefectureEntry* previous, bool* storing)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  void Publish(std::shared_ptr<const ViewState> view);
  void MarkSynced();
  void PollLoop();

  // A snapshot this instance is storing or just stored, parsed, which a
  // refresh uses instead of reading it back (valid while it is in
  // pending_: its submitter removes it under refresh_mu_, after its own
  // refresh). Registered before the store is asked: a refresh that sees
  // the new version in the store's index before the submitter has its
  // answer leaves that préfecture to the submitter's own refresh instead
  // of reading the snapshot back (at national scale, reads of up to 8 MB
  // and their parse at the busiest moment of an ingest).
  struct LocalSnapshot {
    const nv1::PrefectureSnapshot* snapshot = nullptr;
    int64_t version = 0;
    absl::Time receive_time;
    bool stored = false;  // the store took it
  };

  NationalStore* store_;
  Clock* clock_;
  const Options options_;

  // Serialises refreshes (poller and submits).
  absl::Mutex refresh_mu_;
  absl::Mutex pending_mu_;
  std::vector<LocalSnapshot> pending_ ABSL_GUARDED_BY(pending_mu_);

  mutable absl::Mutex state_mu_;
  absl::CondVar state_changed_;
  std::shared_ptr<const ViewState> state_ ABSL_GUARDED_BY(state_mu_);
  uint64_t generation_ ABSL_GUARDED_BY(state_mu_) = 0;
  absl::Time synced_ ABSL_GUARDED_BY(state_mu_) = absl::InfinitePast();

  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread poller_;
  std::atomic<int> watchers_{0};

  // The background grouping (GroupLoop, started by the first
  // ListGoodPractices).
  mutable absl::Mutex groups_mu_;
  bool groups_stopping_ ABSL_GUARDED_BY(groups_mu_) = false;
  // A call found the served grouping older than the view (the grouper then
  // groups the newest), and the grouping under way (the grouper's own,
  // null between runs).
  bool regroup_wanted_ ABSL_GUARDED_BY(groups_mu_) = false;
  const Grouping* regrouping_ ABSL_GUARDED_BY(groups_mu_) = nullptr;
  std::shared_ptr<const Grouping> grouping_ ABSL_GUARDED_BY(groups_mu_);
  std::thread grouper_;
  // A reload or a page of good practices freed memory; the poller returns
  // it to the system (malloc_trim) one poll later.
  std::atomic<bool> trim_pending_{false};
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_LOGIC_H_
