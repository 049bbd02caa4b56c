// The feed of each préfecture's snapshot to national, run by a background
// thread in the reporting service (or one RunOnce() at a time in tests).
//
// A round, for each préfecture (Options::prefectures, or every préfecture
// WorkshopSource::ListWorkshops("-") returns):
//  1. take or renew the préfecture's lease (only one replica runs a feed);
//  2. list its workshops; fingerprint = hash of (name, revision, state) of
//     each; if it differs from the stored one, build the snapshot (per
//     workshop: its report through the report function, its contributions
//     for the cells and reproducible actions; kept in memory by (name,
//     revision, state) so an unchanged workshop costs nothing) and record it
//     (the store gives it a new version). A failure here leaves the pending
//     snapshot as it was;
//  3. if the newest build is not acknowledged and its next attempt time has
//     come, submit it. Success (national holds that version or a newer one)
//     marks it acknowledged; failure records the error and waits
//     uniform[0, min(backoff_max, backoff_min * 2^failures)] ("full jitter",
//     failures counted before this one) before the next attempt.
// A préfecture's failure never stops the others. Retries are made by the
// rounds, so a retry happens at the first round after its next attempt time.
// Logs: each build, each acknowledgement, and each change between working
// and failing of the workshop side, national, and the feed store; not every
// retry.
#ifndef QPV_SERVICES_REPORTING_FEED_FEED_H_
#define QPV_SERVICES_REPORTING_FEED_FEED_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "qpv/reporting/v1/reporting.pb.h"
#include "qpv/workshop/v1/workshop.pb.h"
#include "services/reporting/feed/feed_store.h"
#include "services/reporting/feed/snapshot_builder.h"
#include "services/reporting/feed/snapshot_sink.h"
#include "services/reporting/workshop_source.h"

namespace qpv::reporting {

class Feed {
 public:
  // The report of a workshop the feed already holds (the reporting logic's
  // cached report). `deadline` bounds the calls it makes.
  using ReportFunction = std::function<absl::StatusOr<v1::WorkshopReport>(
      const workshop::v1::Workshop&, absl::Time deadline)>;
  // Uniform in [0, 1): the jitter.
  using RandomFunction = std::function<double()>;

  struct Options {
    // How often each préfecture is checked.
    absl::Duration interval = absl::Seconds(2);
    absl::Duration backoff_min = absl::Milliseconds(500);
    absl::Duration backoff_max = absl::Seconds(30);
    // Préfecture codes; empty: discovered each round with ListWorkshops("-").
    std::vector<std::string> prefectures;
    // A replica that stops renewing (crash) loses its leases after this; at
    // least 3 intervals are used, so a live replica renews in time.
    absl::Duration lease_ttl = absl::Seconds(10);
    // Deadline of one workshop's report (and its contributions' listing).
    absl::Duration report_timeout = absl::Seconds(10);
    // Lease owner id; empty: hostname + random suffix.
    std::string owner;
    // Settings that change the figures without changing any workshop (the
    // representativeness target): a new value rebuilds every snapshot once.
    std::string fingerprint_salt;
  };

  // Pointers must outlive the feed. `random` null: a seeded Mersenne twister.
  Feed(FeedStore* store, WorkshopSource* source, ReportFunction report, SnapshotSink* sink,
       Clock* clock, Options options, RandomFunction random = nullptr);
  ~Feed();
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  // Runs rounds every `interval` on a background thread. Idempotent.
  void Start();
  // Wakes the thread and joins it (an in-flight call finishes first, bounded
  // by its deadline), then gives up the leases held. Idempotent.
  void Stop();
  // One round over every préfecture. OK when every step of every préfecture
  // succeeded; otherwise the first failure, prefixed with its préfecture.
  absl::Status RunOnce();

  // min(backoff_max, backoff_min * 2^failures).
  static absl::Duration BackoffCap(const Options& options, int failures);
  const std::string& owner() const { return owner_; }

 private:
  // What one workshop added to the last snapshot, reused while unchanged.
  struct CachedPart {
    int64_t revision = 0;
    int state = 0;
    WorkshopPart part;
  };
  // The sides whose working/failing changes are logged.
  enum class Side { kWorkshops, kNational, kStore };

  absl::Status RunPrefecture(const std::string& prefecture,
                             const absl::StatusOr<std::vector<workshop::v1::Workshop>>* listed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(round_mu_);
  absl::Status MaybeBuild(const std::string& prefecture,
                          const absl::StatusOr<std::vector<workshop::v1::Workshop>>* listed,
                          FeedState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(round_mu_);
  absl::StatusOr<WorkshopPart> PartFor(const std::string& prefecture,
                                       const workshop::v1::Workshop& workshop, bool* rebuilt)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(round_mu_);
  absl::Status MaybeSubmit(const std::string& prefecture, const FeedState& state)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(round_mu_);
  // Logs when `side` of `prefecture` goes from working to failing or back.
  void Observe(const std::string& prefecture, Side side, const absl::Status& status,
               int64_t version = 0) ABSL_EXCLUSIVE_LOCKS_REQUIRED(round_mu_);
  void Loop();
  bool stopping();

  FeedStore* const store_;
  WorkshopSource* const source_;
  const ReportFunction report_;
  SnapshotSink* const sink_;
  Clock* const clock_;
  const Options options_;
  RandomFunction random_;
  const std::string owner_;
  const absl::Duration lease_ttl_;

  absl::Mutex round_mu_;
  std::map<std::string, std::map<std::string, CachedPart>> parts_ ABSL_GUARDED_BY(round_mu_);
  // Préfectures discovered so far: their pending snapshots are still sent
  // when a later listing fails.
  std::set<std::string> known_ ABSL_GUARDED_BY(round_mu_);
  std::set<std::string> leased_ ABSL_GUARDED_BY(round_mu_);
  std::map<std::pair<std::string, Side>, bool> failing_ ABSL_GUARDED_BY(round_mu_);

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::reporting

#endif  // QPV_SERVICES_REPORTING_FEED_FEED_H_
