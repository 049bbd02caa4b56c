// The feed loop with fakes (workshop source, report function, national sink)
// and a FakeClock, against both feed stores.
#include "services/reporting/feed/feed.h"

#include <deque>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/redis/redis_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/feed/memory_feed_store.h"
#include "services/reporting/feed/redis_feed_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::HasSubstr;
using workshop::v1::Contribution;
using workshop::v1::Workshop;

const absl::Time kStart = absl::FromUnixSeconds(1517900400);
const int64_t kStartMs = absl::ToUnixMillis(kStart);

// The workshop service as the feed sees it.
class FakeSource : public WorkshopSource {
 public:
  void Set(const Workshop& w) {
    absl::MutexLock lock(&mu_);
    workshops_[w.name()] = w;
  }
  void AddContribution(const Contribution& c) {
    absl::MutexLock lock(&mu_);
    const std::string workshop = c.name().substr(0, c.name().find("/contributions/"));
    contributions_[workshop].push_back(c);
  }
  // Every call fails (workshop service down).
  void SetDown(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  // Only ListWorkshops of this préfecture fails.
  void FailPrefecture(const std::string& p) {
    absl::MutexLock lock(&mu_);
    failing_prefecture_ = p;
  }
  int contribution_calls() {
    absl::MutexLock lock(&mu_);
    return contribution_calls_;
  }

  absl::StatusOr<Workshop> GetWorkshop(absl::string_view) override {
    return absl::UnimplementedError("the feed never asks");
  }
  absl::StatusOr<std::vector<Workshop>> ListWorkshops(absl::string_view prefecture) override {
    absl::MutexLock lock(&mu_);
    if (down_ || prefecture == failing_prefecture_) {
      return absl::UnavailableError("workshop service unavailable");
    }
    std::vector<Workshop> out;
    for (const auto& [name, w] : workshops_) {
      if (prefecture == "-" ||
          absl::StartsWith(name, absl::StrCat("prefectures/", prefecture, "/"))) {
        out.push_back(w);
      }
    }
    return out;
  }
  absl::StatusOr<std::vector<workshop::v1::Registration>> ListRegistrations(
      absl::string_view) override {
    return absl::UnimplementedError("the feed never asks");
  }
  absl::StatusOr<std::vector<Contribution>> ListContributions(absl::string_view workshop) override {
    absl::MutexLock lock(&mu_);
    ++contribution_calls_;
    if (down_) return absl::UnavailableError("workshop service unavailable");
    return contributions_[std::string(workshop)];
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> OrganizationNames(
      const std::vector<std::string>&) override {
    return absl::UnimplementedError("the feed never asks");
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, Workshop> workshops_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<Contribution>> contributions_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
  std::string failing_prefecture_ ABSL_GUARDED_BY(mu_);
  int contribution_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// National: keeps the newest version per préfecture, like the real one.
class FakeSink : public SnapshotSink {
 public:
  absl::StatusOr<int64_t> Submit(const national::v1::PrefectureSnapshot& s) override {
    absl::MutexLock lock(&mu_);
    ++attempts_;
    if (!down_.ok()) return down_;
    if (s.prefecture() == rejected_prefecture_) {
      return absl::InvalidArgumentError("national rejected the snapshot (INVALID_ARGUMENT): x");
    }
    int64_t& held = held_[s.prefecture()];
    if (s.version() > held) {
      held = s.version();
      applied_.push_back(s);
    }
    return held;
  }
  void SetDown(absl::Status status) {
    absl::MutexLock lock(&mu_);
    down_ = std::move(status);
  }
  void Reject(const std::string& prefecture) {
    absl::MutexLock lock(&mu_);
    rejected_prefecture_ = prefecture;
  }
  // National already holds `version` (e.g. sent before this store was wiped).
  void Hold(const std::string& prefecture, int64_t version) {
    absl::MutexLock lock(&mu_);
    held_[prefecture] = version;
  }
  int attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }
  std::vector<national::v1::PrefectureSnapshot> applied() {
    absl::MutexLock lock(&mu_);
    return applied_;
  }

 private:
  absl::Mutex mu_;
  absl::Status down_ ABSL_GUARDED_BY(mu_);
  std::string rejected_prefecture_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> held_ ABSL_GUARDED_BY(mu_);
  std::vector<national::v1::PrefectureSnapshot> applied_ ABSL_GUARDED_BY(mu_);
  int attempts_ ABSL_GUARDED_BY(mu_) = 0;
};

Workshop MakeWorkshop(const std::string& p, const std::string& id, int64_t revision,
                      Workshop::State state = Workshop::STATE_HELD) {
  Workshop w;
  w.set_name(absl::StrCat("prefectures/", p, "/workshops/", id));
  w.set_title("Atelier");
  w.add_themes(common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  *w.mutable_start_time() = ToProto(kStart);
  w.set_state(state);
  w.set_revision(revision);
  w.set_registered_count(40);
  w.set_attended_count(35);
  return w;
}

Contribution MakeContribution(const Workshop& w, const std::string& id, bool reproducible) {
  Contribution c;
  c.set_name(absl::StrCat(w.name(), "/contributions/", id));
  c.set_title(absl::StrCat("Action ", id));
  c.set_text("Un parrainage vers l'emploi");
  c.set_kind(Contribution::KIND_ACTION);
  c.add_themes(common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  c.set_reproducible(reproducible);
  c.set_organization("prefectures/59/organizations/o1");
  c.set_organization_category(common::v1::ACTOR_CATEGORY_ASSOCIATION);
  return c;
}

enum class StoreKind { kMemory, kRedis };

class FeedTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  static void SetUpTestSuite() { log::SetQuiet(true); }

  void SetUp() override {
    if (GetParam() == StoreKind::kRedis) {
      client_ = qpv::testing::FlushedSharedRedisClient();
      ASSERT_NE(client_, nullptr);
      store_ = std::make_unique<RedisFeedStore>(client_.get());
    } else {
      store_ = std::make_unique<MemoryFeedStore>();
    }
    options_.prefectures = {"59"};
    options_.owner = "replica-a";
  }

  std::unique_ptr<Feed> MakeFeed(Feed::Options options) {
    return std::make_unique<Feed>(
        store_.get(), &source_,
        [this](const Workshop& w, absl::Time) -> absl::StatusOr<v1::WorkshopReport> {
          ++report_calls_;
          if (!report_error_.ok()) return report_error_;
          v1::WorkshopReport r;
          r.set_workshop(w.name());
          r.set_registered_count(w.registered_count());
          r.set_attended_count(w.attended_count());
          r.set_contribution_count(static_cast<int64_t>(w.revision()));
          r.set_stale(report_stale_);
          return r;
        },
        &sink_, &clock_, std::move(options),
        [this] {
          // Scripted jitter; 1.0 (the cap) once the script runs out.
          if (jitter_.empty()) return 1.0;
          const double u = jitter_.front();
          jitter_.pop_front();
          return u;
        });
  }

  v1::FeedStatus Status(const std::string& p = "59") {
    auto s = store_->GetStatus(p);
    EXPECT_THAT(s, IsOk());
    return s.ok() ? *s : v1::FeedStatus();
  }

  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<FeedStore> store_;
  FakeSource source_;
  FakeSink sink_;
  FakeClock clock_{kStart};
  Feed::Options options_;
  std::deque<double> jitter_;
  std::atomic<int> report_calls_{0};
  absl::Status report_error_;
  bool report_stale_ = false;
};

TEST_P(FeedTest, ChangeIsBuiltSubmittedAndAcknowledgedOnce) {
  const Workshop w1 = MakeWorkshop("59", "w1", 3);
  source_.Set(w1);
  source_.Set(MakeWorkshop("59", "w0", 2, Workshop::STATE_CANCELLED));
  source_.AddContribution(MakeContribution(w1, "c1", true));
  auto feed = MakeFeed(options_);

  ASSERT_THAT(feed->RunOnce(), IsOk());
  ASSERT_EQ(sink_.applied().size(), 1u);
  const auto sent = sink_.applied()[0];
  EXPECT_EQ(sent.prefecture(), "59");
  EXPECT_EQ(sent.version(), kStartMs);
  ASSERT_EQ(sent.workshops_size(), 1);  // the cancelled one is left out
  EXPECT_EQ(sent.workshops(0).workshop(), w1.name());
  EXPECT_EQ(sent.workshops(0).attended_count(), 35);
  EXPECT_EQ(sent.workshops(0).contribution_cells_size(), 2);
  ASSERT_EQ(sent.reproducible_actions_size(), 1);
  EXPECT_EQ(sent.reproducible_actions(0).title(), "Action c1");
  EXPECT_EQ(report_calls_, 1);

  v1::FeedStatus s = Status();
  EXPECT_EQ(s.built_version(), kStartMs);
  EXPECT_EQ(s.acknowledged_version(), kStartMs);
  EXPECT_FALSE(s.pending());
  EXPECT_EQ(s.last_error(), "");

  // Nothing changed: no report, no contributions, no new version, no submit.
  const int contribution_calls = source_.contribution_calls();
  clock_.Advance(absl::Seconds(2));
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(report_calls_, 1);
  EXPECT_EQ(source_.contribution_calls(), contribution_calls);
  EXPECT_EQ(sink_.attempts(), 1);
  EXPECT_EQ(Status().built_version(), kStartMs);
}

TEST_P(FeedTest, OnlyChangedWorkshopsAreRecomputed) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  source_.Set(MakeWorkshop("59", "w2", 1));
  source_.Set(MakeWorkshop("59", "w3", 1));
  auto feed = MakeFeed(options_);
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(report_calls_, 3);

  clock_.Advance(absl::Seconds(2));
  Workshop changed = MakeWorkshop("59", "w2", 2);
  source_.Set(changed);
  source_.AddContribution(MakeContribution(changed, "c1", false));
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(report_calls_, 4);
  ASSERT_EQ(sink_.applied().size(), 2u);
  const auto newest = sink_.applied()[1];
  EXPECT_EQ(newest.version(), kStartMs + 2000);
  ASSERT_EQ(newest.workshops_size(), 3);
  EXPECT_EQ(newest.workshops(1).contribution_count(), 2);  // the fake report: revision
  EXPECT_EQ(newest.workshops(1).contribution_cells_size(), 2);
  EXPECT_EQ(newest.workshops(0).contribution_count(), 1);
  EXPECT_EQ(Status().acknowledged_version(), kStartMs + 2000);
}

TEST_P(FeedTest, NationalDownKeepsPendingAndBacksOffWithBoundedJitter) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  sink_.SetDown(absl::UnavailableError("national unreachable: connection refused"));
  auto feed = MakeFeed(options_);
  // Caps 500ms, 1s, 2s, 4s, ...: the jitter picks a share of each.
  jitter_ = {0.5, 1.0, 0.25, 0.0};

  EXPECT_THAT(feed->RunOnce(), StatusIs(absl::StatusCode::kUnavailable));
  v1::FeedStatus s = Status();
  EXPECT_TRUE(s.pending());
  EXPECT_EQ(s.acknowledged_version(), 0);
  EXPECT_EQ(s.consecutive_failures(), 1);
  EXPECT_THAT(s.last_error(), HasSubstr("national unreachable"));
  EXPECT_EQ(FromProto(s.last_attempt_time()), kStart);
  EXPECT_EQ(FromProto(s.next_attempt_time()), kStart + absl::Milliseconds(250));

  // Before the next attempt time: no call to national.
  clock_.Advance(absl::Milliseconds(100));
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(sink_.attempts(), 1);

  clock_.Set(kStart + absl::Milliseconds(250));
  EXPECT_FALSE(feed->RunOnce().ok());
  s = Status();
  EXPECT_EQ(s.consecutive_failures(), 2);
  EXPECT_EQ(FromProto(s.next_attempt_time()), kStart + absl::Milliseconds(250) + absl::Seconds(1));

  clock_.Set(FromProto(s.next_attempt_time()));
  EXPECT_FALSE(feed->RunOnce().ok());
  s = Status();
  EXPECT_EQ(s.consecutive_failures(), 3);
  EXPECT_EQ(FromProto(s.next_attempt_time()), clock_.Now() + absl::Milliseconds(500));

  clock_.Set(FromProto(s.next_attempt_time()));
  EXPECT_FALSE(feed->RunOnce().ok());
  s = Status();
  EXPECT_EQ(FromProto(s.next_attempt_time()), clock_.Now());  // jitter 0
  EXPECT_EQ(sink_.attempts(), 4);
  EXPECT_TRUE(sink_.applied().empty());
}

TEST_P(FeedTest, BackoffGrowsToItsCeiling) {
  EXPECT_EQ(Feed::BackoffCap(options_, 0), absl::Milliseconds(500));
  EXPECT_EQ(Feed::BackoffCap(options_, 1), absl::Seconds(1));
  EXPECT_EQ(Feed::BackoffCap(options_, 5), absl::Seconds(16));
  EXPECT_EQ(Feed::BackoffCap(options_, 6), absl::Seconds(30));
  EXPECT_EQ(Feed::BackoffCap(options_, 1000), absl::Seconds(30));

  // Driven by the loop with the jitter at its maximum: the waits are the caps.
  source_.Set(MakeWorkshop("59", "w1", 1));
  sink_.SetDown(absl::DeadlineExceededError("national did not answer within 5s"));
  auto feed = MakeFeed(options_);
  std::vector<absl::Duration> waits;
  for (int i = 0; i < 9; ++i) {
    EXPECT_FALSE(feed->RunOnce().ok());
    const v1::FeedStatus s = Status();
    waits.push_back(FromProto(s.next_attempt_time()) - clock_.Now());
    clock_.Set(FromProto(s.next_attempt_time()));
  }
  EXPECT_THAT(waits,
              ::testing::ElementsAre(absl::Milliseconds(500), absl::Seconds(1), absl::Seconds(2),
                                     absl::Seconds(4), absl::Seconds(8), absl::Seconds(16),
                                     absl::Seconds(30), absl::Seconds(30), absl::Seconds(30)));
  EXPECT_EQ(Status().consecutive_failures(), 9);
}

TEST_P(FeedTest, RecoverySendsTheNewestVersionOnly) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  sink_.SetDown(absl::UnavailableError("national unreachable: connection refused"));
  auto feed = MakeFeed(options_);
  EXPECT_FALSE(feed->RunOnce().ok());
  const int64_t first = Status().built_version();

  // Préfecture work goes on while national is down: two more changes.
  for (int rev = 2; rev <= 3; ++rev) {
    clock_.Advance(absl::Minutes(1));
    source_.Set(MakeWorkshop("59", "w1", rev));
    EXPECT_FALSE(feed->RunOnce().ok());
  }
  v1::FeedStatus s = Status();
  EXPECT_GT(s.built_version(), first);
  EXPECT_TRUE(s.pending());
  EXPECT_EQ(s.consecutive_failures(), 3);

  sink_.SetDown(absl::OkStatus());
  clock_.Advance(absl::Minutes(1));
  ASSERT_THAT(feed->RunOnce(), IsOk());
  ASSERT_EQ(sink_.applied().size(), 1u);
  EXPECT_EQ(sink_.applied()[0].version(), s.built_version());
  EXPECT_EQ(sink_.applied()[0].workshops(0).contribution_count(), 3);
  s = Status();
  EXPECT_FALSE(s.pending());
  EXPECT_EQ(s.consecutive_failures(), 0);
  EXPECT_EQ(s.last_error(), "");
  EXPECT_FALSE(s.has_next_attempt_time());
}

TEST_P(FeedTest, NationalHoldingANewerVersionAcknowledgesThenRebuildsAboveIt) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  const int64_t national = kStartMs + 3'600'000;  // sent before a wipe, clock since reset
  sink_.Hold("59", national);
  auto feed = MakeFeed(options_);
  ASSERT_THAT(feed->RunOnce(), IsOk());
  v1::FeedStatus s = Status();
  EXPECT_EQ(s.acknowledged_version(), kStartMs);
  EXPECT_FALSE(s.pending());
  EXPECT_EQ(s.last_error(), "");
  EXPECT_TRUE(sink_.applied().empty());

  // The content national holds may not be ours: the next round resends it
  // above national's version, once.
  ASSERT_THAT(feed->RunOnce(), IsOk());
  ASSERT_EQ(sink_.applied().size(), 1u);
  EXPECT_EQ(sink_.applied()[0].version(), national + 1);
  EXPECT_EQ(Status().acknowledged_version(), national + 1);
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(sink_.applied().size(), 1u);
  EXPECT_EQ(sink_.attempts(), 2);
}

TEST_P(FeedTest, RepeatedVersionIsAcknowledged) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  sink_.Hold("59", kStartMs);  // e.g. the answer to the first attempt was lost
  auto feed = MakeFeed(options_);
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(Status().acknowledged_version(), kStartMs);
  EXPECT_FALSE(Status().pending());
  ASSERT_THAT(feed->RunOnce(), IsOk());
  EXPECT_EQ(sink_.attempts(), 1);
}

TEST_P(FeedTest, WorkshopServiceFailureLeavesThePendingSnapshotUntouched) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  sink_.SetDown(absl::UnavailableError("national unreachable: connection refused"));
  auto feed = MakeFeed(options_);
  EXPECT_FALSE(feed->RunOnce().ok());
  const int64_t pending = Status().built_version();

  // A change, but the workshop service fails while building it.
  source_.Set(MakeWorkshop("59", "w1", 2));
  report_error_ = absl::UnavailableError("workshop service unavailable");
  clock_.Advance(absl::Minutes(1));
  EXPECT_FALSE(feed->RunOnce().ok());
  EXPECT_EQ(Status().built_version(), pending);
  // A stale report is no better.
  report_error_ = absl::OkStatus();
  report_stale_ = true;
  clock_.Advance(absl::Minutes(1));
  EXPECT_THAT(feed->RunOnce(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(Status().built_version(), pending);

  // Workshop service fully down, national back: the pending one still goes.
  source_.SetDown(true);
  sink_.SetDown(absl::OkStatus());
  clock_.Advance(absl::Minutes(1));
  EXPECT_THAT(feed->RunOnce(), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_EQ(sink_.applied().size(), 1u);
  EXPECT_EQ(sink_.applied()[0].version(), pending);
  EXPECT_EQ(sink_.applied()[0].workshops(0).contribution_count(), 1);
  EXPECT_EQ(Status().acknowledged_version(), pending);

  // Everything back: the change is built and sent.
  source_.SetDown(false);
  report_stale_ = false;
  clock_.Advance(absl::Minutes(1));
  ASSERT_THAT(feed->RunOnce(), IsOk());
  ASSERT_EQ(sink_.applied().size(), 2u);
  EXPECT_EQ(sink_.applied()[1].workshops(0).contribution_count(), 2);
}

TEST_P(FeedTest, OnePrefectureFailingDoesNotBlockAnother) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  source_.Set(MakeWorkshop("62", "w1", 1));
  source_.Set(MakeWorkshop("80", "w1", 1));
  options_.prefectures = {"59", "62", "80"};
  sink_.Reject("59");
  source_.FailPrefecture("62");
  auto feed = MakeFeed(options_);

  const absl::Status status = feed->RunOnce();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(status.message()), HasSubstr("prefecture 59"));
  v1::FeedStatus s59 = Status("59");
  EXPECT_TRUE(s59.pending());
  EXPECT_THAT(s59.last_error(), HasSubstr("national rejected the snapshot"));
  EXPECT_EQ(Status("62").built_version(), 0);  // could not list: nothing built
  ASSERT_EQ(sink_.applied().size(), 1u);
  EXPECT_EQ(sink_.applied()[0].prefecture(), "80");
  EXPECT_FALSE(Status("80").pending());
}

TEST_P(FeedTest, DiscoversPrefecturesFromTheWorkshopService) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  source_.Set(MakeWorkshop("2A", "w1", 1));
  options_.prefectures.clear();
  auto feed = MakeFeed(options_);
  ASSERT_THAT(feed->RunOnce(), IsOk());
  ASSERT_EQ(sink_.applied().size(), 2u);
  EXPECT_EQ(sink_.applied()[0].prefecture(), "2A");
  EXPECT_EQ(sink_.applied()[1].prefecture(), "59");
  EXPECT_EQ(sink_.applied()[1].workshops_size(), 1);

  // The listing fails later: known préfectures still have their pending
  // snapshots sent.
  source_.Set(MakeWorkshop("59", "w1", 2));
  sink_.SetDown(absl::UnavailableError("national unreachable: connection refused"));
  clock_.Advance(absl::Seconds(2));
  EXPECT_FALSE(feed->RunOnce().ok());
  ASSERT_TRUE(Status("59").pending());
  source_.SetDown(true);
  sink_.SetDown(absl::OkStatus());
  clock_.Advance(absl::Minutes(1));
  EXPECT_FALSE(feed->RunOnce().ok());
  EXPECT_FALSE(Status("59").pending());
  EXPECT_EQ(sink_.applied().size(), 3u);
}

TEST_P(FeedTest, OnlyTheLeaseHolderRunsAFeed) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  auto a = MakeFeed(options_);
  Feed::Options other = options_;
  other.owner = "replica-b";
  auto b = MakeFeed(other);

  ASSERT_THAT(a->RunOnce(), IsOk());
  EXPECT_EQ(sink_.attempts(), 1);
  source_.Set(MakeWorkshop("59", "w1", 2));
  clock_.Advance(absl::Seconds(1));
  const int reports = report_calls_;
  ASSERT_THAT(b->RunOnce(), IsOk());
  EXPECT_EQ(report_calls_, reports);  // b did nothing
  EXPECT_EQ(sink_.attempts(), 1);

  // a stops and hands the lease over.
  a->Stop();
  ASSERT_THAT(b->RunOnce(), IsOk());
  EXPECT_EQ(sink_.attempts(), 2);
  EXPECT_EQ(sink_.applied().back().workshops(0).contribution_count(), 2);
}

TEST_P(FeedTest, StartRunsRoundsAndStopEndsThemPromptly) {
  source_.Set(MakeWorkshop("59", "w1", 1));
  options_.interval = absl::Hours(1);  // Stop must not wait for it
  auto feed = MakeFeed(options_);
  feed->Start();
  feed->Start();  // idempotent
  for (int i = 0; i < 1000 && sink_.attempts() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  feed->Stop();
  EXPECT_EQ(sink_.attempts(), 1);
  EXPECT_FALSE(Status().pending());
  feed->Stop();  // idempotent
}

INSTANTIATE_TEST_SUITE_P(Stores, FeedTest, ::testing::Values(StoreKind::kMemory, StoreKind::kRedis),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return info.param == StoreKind::kMemory ? "Memory" : "Redis";
                         });

}  // namespace
}  // namespace qpv::reporting
