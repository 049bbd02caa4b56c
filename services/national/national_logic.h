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
// own write; other replicas follow within poll_interval. The unfiltered
// dashboard and the good-practice groups are computed once per view
// revision, on first use.
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

  absl::StatusOr<nv1::SubmitPrefectureSnapshotResponse> SubmitPrefectureSnapshot(
      const nv1::SubmitPrefectureSnapshotRequest& req);
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
  std::shared_ptr<const PracticeIndex> GroupsOf(const ViewState& view);
  void Publish(std::shared_ptr<const ViewState> view);
  void MarkSynced();
  void PollLoop();

  NationalStore* store_;
  Clock* clock_;
  const Options options_;

  // Serialises refreshes (poller and submits).
  absl::Mutex refresh_mu_;

  mutable absl::Mutex state_mu_;
  absl::CondVar state_changed_;
  std::shared_ptr<const ViewState> state_ ABSL_GUARDED_BY(state_mu_);
  uint64_t generation_ ABSL_GUARDED_BY(state_mu_) = 0;
  absl::Time synced_ ABSL_GUARDED_BY(state_mu_) = absl::InfinitePast();

  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread poller_;
  std::atomic<int> watchers_{0};
  // A reload or a page of good practices freed memory; the poller returns
  // it to the system (malloc_trim) one poll later.
  std::atomic<bool> trim_pending_{false};
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_NATIONAL_LOGIC_H_
