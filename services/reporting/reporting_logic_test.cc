// ReportingLogic with the fake workshop source, the in-memory report cache, a
// fake clock, a stub feed store, and the real export library.
#include "services/reporting/reporting_logic.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/status.h"
#include "common/util/await.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/call_deadline.h"
#include "services/reporting/fake_workshop_source.h"
#include "services/reporting/memory_report_cache.h"
#include "tests/support/status_matchers.h"

namespace qpv::reporting {
namespace {

using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL;
using ::qpv::common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::qpv::workshop::v1::Contribution;
using ::qpv::workshop::v1::Registration;
using ::qpv::workshop::v1::Workshop;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const absl::Time kStart = absl::FromUnixSeconds(1517900400);  // 2018-02-06 07:00 UTC
const absl::Time kDeadline = kStart + absl::Hours(1000000);   // far, but not infinite

// GetStatus answers what it was given; the feed's other methods are not
// reporting's business.
class StubFeedStore : public FeedStore {
 public:
  absl::StatusOr<v1::FeedStatus> GetStatus(absl::string_view prefecture) override {
    if (!status.ok()) return status;
    v1::FeedStatus s = answer;
    asked = std::string(prefecture);
    return s;
  }
  absl::StatusOr<FeedState> GetState(absl::string_view) override { return Unused(); }
  absl::StatusOr<RecordedBuild> RecordBuild(absl::string_view, absl::string_view,
                                            const national::v1::PrefectureSnapshot&,
                                            absl::Time) override {
    return Unused();
  }
  absl::StatusOr<std::optional<national::v1::PrefectureSnapshot>> LoadPending(
      absl::string_view) override {
    return Unused();
  }
  absl::Status MarkAcknowledged(absl::string_view, int64_t, int64_t, absl::Time) override {
    return Unused();
  }
  absl::StatusOr<int> RecordFailure(absl::string_view, absl::string_view, absl::Time,
                                    absl::Time) override {
    return Unused();
  }
  absl::StatusOr<bool> AcquireLease(absl::string_view, absl::string_view, absl::Duration,
                                    absl::Time) override {
    return Unused();
  }
  absl::Status ReleaseLease(absl::string_view, absl::string_view) override { return Unused(); }

  v1::FeedStatus answer;
  absl::Status status;
  std::string asked;

 private:
  static absl::Status Unused() { return absl::UnimplementedError("not used by reporting"); }
};

std::set<std::string> BadFields(const absl::Status& status) {
  std::set<std::string> out;
  for (const auto& [field, why] : FieldViolationsOf(status)) out.insert(field);
  return out;
}

Workshop MakeWorkshop(const std::string& name, Workshop::State state, int64_t revision,
                      absl::Time start = kStart) {
  Workshop w;
  w.set_name(name);
  w.set_title("Atelier " + name.substr(name.rfind('/') + 1));
  w.add_themes(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  *w.mutable_start_time() = ToProto(start);
  *w.mutable_end_time() = ToProto(start + absl::Hours(3));
  w.set_capacity(40);
  w.set_state(state);
  w.set_revision(revision);
  return w;
}

Registration Reg(const std::string& workshop, int i, qpv::common::v1::ActorCategory category,
                 Registration::State state) {
  Registration r;
  r.set_name(absl::StrCat(workshop, "/registrations/r", i));
  r.set_person(absl::StrCat("prefectures/59/persons/p", i));
  r.set_organization_category(category);
  r.set_state(state);
  return r;
}

Contribution Contrib(const std::string& workshop, const std::string& id, int votes,
                     const std::string& organization = "") {
  Contribution c;
  c.set_name(absl::StrCat(workshop, "/contributions/", id));
  c.set_title("Idée " + id);
  c.set_kind(Contribution::KIND_ACTION);
  c.set_vote_count(votes);
  c.set_reproducible(true);
  c.set_organization(organization);
  *c.mutable_create_time() = ToProto(kStart);
  return c;
}

constexpr char kW1[] = "prefectures/59/workshops/emploi";
constexpr char kW2[] = "prefectures/59/workshops/image";
constexpr char kW3[] = "prefectures/59/workshops/annule";
constexpr char kW62[] = "prefectures/62/workshops/lens";

class LogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    source_.SetWorkshop(MakeWorkshop(kW1, Workshop::STATE_SCHEDULED, 3));
    source_.AddRegistration(
        kW1, Reg(kW1, 1, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED));
    source_.AddRegistration(
        kW1, Reg(kW1, 2, ACTOR_CATEGORY_LOCAL_AUTHORITY, Registration::STATE_REGISTERED));
    source_.AddContribution(kW1, Contrib(kW1, "c1", 4, "prefectures/59/organizations/asso"));
    source_.SetOrganizationName("prefectures/59/organizations/asso", "Association Lille Sud");
    MakeLogic(ReportingLogic::Options());
  }

  void MakeLogic(ReportingLogic::Options options) {
    logic_ =
        std::make_unique<ReportingLogic>(&source_, &cache_, &feed_, &clock_, std::move(options));
  }

  absl::StatusOr<v1::WorkshopReport> Get(const std::string& name, absl::Time deadline = kDeadline) {
    v1::GetWorkshopReportRequest req;
    req.set_workshop(name);
    // Served in wire form (report_wire.h): read back as a client would.
    auto bytes = util::Await<std::string>(
        [&](auto done) { logic_->GetWorkshopReportAsync(req, deadline, std::move(done)); });
    if (!bytes.ok()) return bytes.status();
    v1::WorkshopReport report;
    if (!report.ParseFromString(*bytes)) return absl::InternalError("unparsable report");
    return report;
  }
  absl::StatusOr<v1::PrefectureReport> GetPrefecture(const std::string& code) {
    v1::GetPrefectureReportRequest req;
    req.set_prefecture(code);
    return logic_->GetPrefectureReport(req, kDeadline);
  }
  void AddPrefectureWorkshops() {
    source_.SetWorkshop(MakeWorkshop(kW2, Workshop::STATE_HELD, 5, kStart - absl::Hours(48)));
    source_.AddRegistration(
        kW2, Reg(kW2, 3, ACTOR_CATEGORY_CITIZEN_COUNCIL, Registration::STATE_ATTENDED));
    source_.SetWorkshop(MakeWorkshop(kW3, Workshop::STATE_CANCELLED, 2));
    source_.SetWorkshop(MakeWorkshop(kW62, Workshop::STATE_HELD, 1));
  }

  FakeWorkshopSource source_;
  MemoryReportCache cache_;
  StubFeedStore feed_;
  FakeClock clock_{kStart - absl::Hours(24)};
  std::unique_ptr<ReportingLogic> logic_;
};

// --- GetWorkshopReport: the cache ---------------------------------------------

TEST_F(LogicTest, BuildsTheReportFromTheSource) {
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->workshop(), kW1);
  EXPECT_EQ(r->registered_count(), 2);
  EXPECT_EQ(r->contribution_count(), 1);
  EXPECT_EQ(r->workshop_revision(), 3);
  EXPECT_FALSE(r->stale());
  EXPECT_EQ(FromProto(r->as_of_time()), clock_.Now());
  // .5 associations, .5 local authorities: min(.5, .25) + min(.5, .2).
  EXPECT_THAT(r->representativeness_index(), DoubleNear(0.45, 1e-12));
  ASSERT_EQ(r->top_contributions_size(), 1);
  EXPECT_EQ(r->top_contributions(0).organization_display_name(), "Association Lille Sud");
  EXPECT_EQ(cache_.puts(), 1);
}

// A current cached report is answered on the thread whose reads completed
// (here the caller's: the fakes answer at once); a report to build is built
// on a build thread, never on that one.
TEST_F(LogicTest, OnlyBuildsLeaveTheCallingThread) {
  v1::GetWorkshopReportRequest req;
  req.set_workshop(kW1);
  const auto answered_on = [&] {
    std::thread::id on;
    auto bytes = util::Await<std::string>([&](auto done) {
      logic_->GetWorkshopReportAsync(req, kDeadline, [&on, done](absl::StatusOr<std::string> r) {
        on = std::this_thread::get_id();
        done(std::move(r));
      });
    });
    EXPECT_THAT(bytes, IsOk());
    return on;
  };
  EXPECT_NE(answered_on(), std::this_thread::get_id());  // built
  EXPECT_EQ(cache_.puts(), 1);
  EXPECT_EQ(answered_on(), std::this_thread::get_id());  // from the cache
  EXPECT_EQ(cache_.puts(), 1);
}

TEST_F(LogicTest, ServedFromTheCacheWhileTheRevisionHolds) {
  ASSERT_THAT(Get(kW1), IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 1);
  EXPECT_EQ(source_.calls("ListContributions"), 1);
  EXPECT_EQ(source_.calls("OrganizationNames"), 1);
  // Data changes the fake shows but the revision does not announce are not
  // picked up: proof the second answer is the cached one.
  source_.AddRegistration(kW1,
                          Reg(kW1, 9, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED));
  clock_.Advance(absl::Minutes(5));
  auto again = Get(kW1);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->registered_count(), 2);
  EXPECT_EQ(source_.calls("GetWorkshop"), 2);  // the revision is always checked
  EXPECT_EQ(source_.calls("ListRegistrations"), 1);
  EXPECT_EQ(source_.calls("ListContributions"), 1);
  EXPECT_EQ(source_.calls("OrganizationNames"), 1);
  EXPECT_FALSE(again->stale());
  EXPECT_EQ(FromProto(again->as_of_time()), clock_.Now());  // checked just now
  EXPECT_EQ(cache_.puts(), 1);
}

// A report found current in the cache is kept in memory at its revision
// and target: while they hold, the cache is not read again (here it is
// down, and the answer is still current); once the revision grows, the
// report is built again.
TEST_F(LogicTest, ACurrentReportIsKeptInMemoryAtItsRevision) {
  ASSERT_THAT(Get(kW1), IsOk());  // built, put in the cache
  ASSERT_THAT(Get(kW1), IsOk());  // current in the cache: kept in memory
  EXPECT_EQ(logic_->recent_reports().entries, 1u);
  cache_.SetUnavailable(true);
  clock_.Advance(absl::Minutes(1));
  auto kept = Get(kW1);
  ASSERT_THAT(kept, IsOk());
  EXPECT_FALSE(kept->stale());
  EXPECT_EQ(kept->workshop_revision(), 3);
  EXPECT_EQ(FromProto(kept->as_of_time()), clock_.Now());
  EXPECT_EQ(logic_->recent_reports().hits, 1);
  EXPECT_EQ(source_.calls("ListRegistrations"), 1);
  source_.AddRegistration(kW1,
                          Reg(kW1, 9, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED));
  source_.SetWorkshop(MakeWorkshop(kW1, Workshop::STATE_SCHEDULED, 4));
  auto rebuilt = Get(kW1);
  ASSERT_THAT(rebuilt, IsOk());
  EXPECT_EQ(rebuilt->workshop_revision(), 4);
  EXPECT_EQ(rebuilt->registered_count(), 3);
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
}

TEST_F(LogicTest, RebuiltOnceTheRevisionGrows) {
  ASSERT_THAT(Get(kW1), IsOk());
  source_.AddRegistration(kW1,
                          Reg(kW1, 9, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED));
  source_.SetWorkshop(MakeWorkshop(kW1, Workshop::STATE_SCHEDULED, 4));
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->registered_count(), 3);
  EXPECT_EQ(r->workshop_revision(), 4);
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
  EXPECT_EQ((*cache_.Get(kW1))->workshop_revision(), 4);
}

TEST_F(LogicTest, RevisionZeroIsNeverServedFromTheCache) {
  // A workshop service that does not maintain revisions yet.
  source_.SetWorkshop(MakeWorkshop(kW1, Workshop::STATE_SCHEDULED, 0));
  ASSERT_THAT(Get(kW1), IsOk());
  source_.AddRegistration(kW1,
                          Reg(kW1, 9, ACTOR_CATEGORY_ASSOCIATION, Registration::STATE_REGISTERED));
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->registered_count(), 3);
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
}

TEST_F(LogicTest, ANewTargetMixRebuildsCachedReports) {
  ASSERT_THAT(Get(kW1), IsOk());
  ReportingLogic::Options options;
  options.target_mixes = *TargetMixes::Parse("59:ASSOCIATION=1");
  MakeLogic(options);
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
  ASSERT_EQ(r->representation_size(), 1);
  EXPECT_EQ(r->representation(0).category(), ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_THAT(r->representativeness_index(), DoubleNear(0.5, 1e-12));
  // ...and the new one is then served from the cache.
  ASSERT_THAT(Get(kW1), IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
}

TEST_F(LogicTest, TheTargetIsThePrefectures) {
  ReportingLogic::Options options;
  options.target_mixes = *TargetMixes::Parse("62:CITIZEN_COUNCIL=1");
  MakeLogic(options);
  source_.SetWorkshop(MakeWorkshop(kW62, Workshop::STATE_SCHEDULED, 1));
  auto nord = Get(kW1);
  auto pas_de_calais = Get(kW62);
  ASSERT_THAT(nord, IsOk());
  ASSERT_THAT(pas_de_calais, IsOk());
  EXPECT_EQ(nord->representation_size(), 8);
  ASSERT_EQ(pas_de_calais->representation_size(), 1);
  EXPECT_EQ(pas_de_calais->representation(0).category(), ACTOR_CATEGORY_CITIZEN_COUNCIL);
}

// --- GetWorkshopReport: failures ----------------------------------------------

TEST_F(LogicTest, StaleCopyWhenTheWorkshopServiceIsDown) {
  const absl::Time built = clock_.Now();
  ASSERT_THAT(Get(kW1), IsOk());
  clock_.Advance(absl::Hours(2));
  source_.SetUnavailable(true);
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->stale());
  EXPECT_EQ(FromProto(r->as_of_time()), built);
  EXPECT_EQ(r->registered_count(), 2);
  // Back up: fresh again.
  source_.SetUnavailable(false);
  auto fresh = Get(kW1);
  ASSERT_THAT(fresh, IsOk());
  EXPECT_FALSE(fresh->stale());
}

TEST_F(LogicTest, UnavailableWithoutACachedCopy) {
  source_.SetUnavailable(true);
  auto r = Get(kW1);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("workshop service"));
  EXPECT_EQ(ReasonOf(r.status()), "WORKSHOP_SERVICE_UNAVAILABLE");
}

TEST_F(LogicTest, NotFoundPassesThrough) {
  EXPECT_THAT(Get("prefectures/59/workshops/ghost"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(cache_.puts(), 0);
}

TEST_F(LogicTest, AReportCacheDownOnlyCostsARebuild) {
  cache_.SetUnavailable(true);
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->stale());
  ASSERT_THAT(Get(kW1), IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
  // Both down: nothing to serve.
  source_.SetUnavailable(true);
  EXPECT_THAT(Get(kW1), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(LogicTest, WithoutTheStakeholderServiceNoNamesAndNoCaching) {
  source_.SetStakeholderUnavailable(true);
  auto r = Get(kW1);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->top_contributions(0).organization_display_name(), "");
  EXPECT_EQ(r->contribution_count(), 1);
  EXPECT_EQ(cache_.puts(), 0);
  source_.SetStakeholderUnavailable(false);
  auto named = Get(kW1);
  ASSERT_THAT(named, IsOk());
  EXPECT_EQ(named->top_contributions(0).organization_display_name(), "Association Lille Sud");
  EXPECT_EQ(cache_.puts(), 1);
}

TEST_F(LogicTest, TheIncomingDeadlineBoundsEverySourceCall) {
  const absl::Time deadline = kStart + absl::Seconds(3);
  ASSERT_THAT(Get(kW1, deadline), IsOk());
  EXPECT_EQ(source_.last_deadline(), deadline);
  // The scope ends with the call.
  EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
  {
    ScopedCallDeadline outer(kStart + absl::Seconds(1));
    ScopedCallDeadline inner(kStart + absl::Seconds(5));  // never extends
    EXPECT_EQ(CurrentCallDeadline(), kStart + absl::Seconds(1));
  }
  EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
}

TEST_F(LogicTest, BadWorkshopNames) {
  for (const char* bad : {"", "prefectures/59", "prefectures/59/ateliers/x",
                          "prefectures/20/workshops/x", "prefectures/59/workshops/UPPER"}) {
    auto r = Get(bad);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    EXPECT_THAT(BadFields(r.status()), ElementsAre("workshop")) << bad;
  }
  EXPECT_EQ(source_.calls(), 0);
}

TEST_F(LogicTest, PrefecturesNotServedAreDenied) {
  ReportingLogic::Options options;
  options.prefectures = {"59"};
  MakeLogic(options);
  EXPECT_THAT(Get(kW62), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(GetPrefecture("62"), StatusIs(absl::StatusCode::kPermissionDenied));
  v1::ExportReportRequest exp;
  exp.set_prefecture("62");
  exp.set_format(v1::ExportReportRequest::FORMAT_CSV);
  EXPECT_THAT(logic_->ExportReport(exp, kDeadline), StatusIs(absl::StatusCode::kPermissionDenied));
  v1::GetFeedStatusRequest feed;
  feed.set_prefecture("62");
  EXPECT_THAT(logic_->GetFeedStatus(feed, kDeadline),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(source_.calls(), 0);
  EXPECT_THAT(Get(kW1), IsOk());
}

// --- ReportFor (the feed) ----------------------------------------------------

TEST_F(LogicTest, ReportForUsesTheWorkshopGivenAndTheCache) {
  const Workshop w = MakeWorkshop(kW1, Workshop::STATE_SCHEDULED, 3);
  const absl::Time deadline = kStart + absl::Seconds(7);
  auto r = logic_->ReportFor(w, deadline);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->registered_count(), 2);
  EXPECT_EQ(source_.calls("GetWorkshop"), 0);
  EXPECT_EQ(source_.last_deadline(), deadline);
  ASSERT_THAT(logic_->ReportFor(w, deadline), IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 1);
  // The same cache serves GetWorkshopReport.
  ASSERT_THAT(Get(kW1), IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 1);
  // Down while rebuilding: the stale copy.
  source_.SetUnavailable(true);
  auto stale = logic_->ReportFor(MakeWorkshop(kW1, Workshop::STATE_SCHEDULED, 4), deadline);
  ASSERT_THAT(stale, IsOk());
  EXPECT_TRUE(stale->stale());
  EXPECT_EQ(stale->workshop_revision(), 3);
}

// --- GetPrefectureReport ------------------------------------------------------

TEST_F(LogicTest, PrefectureReportBuildsEachLiveWorkshopOnce) {
  AddPrefectureWorkshops();
  auto p = GetPrefecture("59");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->prefecture(), "59");
  EXPECT_EQ(p->region(), "32");
  EXPECT_EQ(p->workshop_count(), 2);  // the cancelled one and the 62 one left out
  ASSERT_EQ(p->workshops_size(), 2);
  EXPECT_EQ(p->workshops(0).workshop(), kW2);  // earlier start
  EXPECT_EQ(p->workshops(1).workshop(), kW1);
  EXPECT_EQ(p->registered_count(), 3);
  EXPECT_EQ(p->attended_count(), 1);
  EXPECT_EQ(p->workshops_held(), 1);
  EXPECT_TRUE(p->workshops(1).top_contributions().empty());
  // The cancelled workshop was never read.
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
  EXPECT_FALSE(p->stale());

  // Again: everything from the cache.
  ASSERT_THAT(GetPrefecture("59"), IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 2);
  // One workshop moves: only it is rebuilt.
  source_.SetWorkshop(MakeWorkshop(kW2, Workshop::STATE_REPORTED, 6, kStart - absl::Hours(48)));
  auto moved = GetPrefecture("59");
  ASSERT_THAT(moved, IsOk());
  EXPECT_EQ(source_.calls("ListRegistrations"), 3);
  EXPECT_EQ(moved->workshops_reported(), 1);
}

TEST_F(LogicTest, PrefectureReportFromTheCacheWhenTheWorkshopServiceIsDown) {
  AddPrefectureWorkshops();
  source_.SetUnavailable(true);
  EXPECT_THAT(GetPrefecture("59"), StatusIs(absl::StatusCode::kUnavailable));
  source_.SetUnavailable(false);
  const absl::Time built = clock_.Now();
  ASSERT_THAT(GetPrefecture("59"), IsOk());
  clock_.Advance(absl::Hours(1));
  source_.SetUnavailable(true);
  auto p = GetPrefecture("59");
  ASSERT_THAT(p, IsOk());
  EXPECT_TRUE(p->stale());
  EXPECT_EQ(FromProto(p->as_of_time()), built);
  EXPECT_EQ(p->workshop_count(), 2);
  for (const auto& w : p->workshops()) EXPECT_TRUE(w.stale());
}

TEST_F(LogicTest, BadPrefectureCodes) {
  for (const char* bad : {"", "5", "20", "2C", "977", "prefectures/59"}) {
    auto p = GetPrefecture(bad);
    EXPECT_THAT(p, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    EXPECT_THAT(BadFields(p.status()), ElementsAre("prefecture")) << bad;
  }
}

// --- ExportReport ---------------------------------------------------------------

TEST_F(LogicTest, ExportsAWorkshopReport) {
  v1::ExportReportRequest req;
  req.set_workshop(kW1);
  req.set_format(v1::ExportReportRequest::FORMAT_JSON);
  auto file = logic_->ExportReport(req, kDeadline);
  ASSERT_THAT(file, IsOk());
  EXPECT_THAT(file->content_type(), HasSubstr("json"));
  EXPECT_THAT(file->filename(), HasSubstr(".json"));
  EXPECT_THAT(file->content(), HasSubstr(kW1));
  EXPECT_FALSE(file->stale());
  // Served stale, exported stale.
  source_.SetUnavailable(true);
  req.set_format(v1::ExportReportRequest::FORMAT_CSV);
  auto stale = logic_->ExportReport(req, kDeadline);
  ASSERT_THAT(stale, IsOk());
  EXPECT_TRUE(stale->stale());
  EXPECT_THAT(stale->content_type(), HasSubstr("csv"));
}

TEST_F(LogicTest, ExportsAPrefectureReport) {
  AddPrefectureWorkshops();
  v1::ExportReportRequest req;
  req.set_prefecture("59");
  req.set_format(v1::ExportReportRequest::FORMAT_HTML);
  auto file = logic_->ExportReport(req, kDeadline);
  ASSERT_THAT(file, IsOk());
  EXPECT_THAT(file->content_type(), HasSubstr("html"));
  EXPECT_THAT(file->content(), HasSubstr("<svg"));
  EXPECT_FALSE(file->content().empty());
}

TEST_F(LogicTest, ExportNamesEveryBadField) {
  v1::ExportReportRequest none;
  auto r = logic_->ExportReport(none, kDeadline);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(r.status()), UnorderedElementsAre("workshop", "format"));

  v1::ExportReportRequest bad;
  bad.set_prefecture("99");
  bad.set_format(static_cast<v1::ExportReportRequest::Format>(42));
  r = logic_->ExportReport(bad, kDeadline);
  EXPECT_THAT(BadFields(r.status()), UnorderedElementsAre("prefecture", "format"));

  v1::ExportReportRequest bad_name;
  bad_name.set_workshop("workshops/x");
  bad_name.set_format(v1::ExportReportRequest::FORMAT_CSV);
  r = logic_->ExportReport(bad_name, kDeadline);
  EXPECT_THAT(BadFields(r.status()), ElementsAre("workshop"));
  EXPECT_EQ(source_.calls(), 0);

  v1::ExportReportRequest ghost;
  ghost.set_workshop("prefectures/59/workshops/ghost");
  ghost.set_format(v1::ExportReportRequest::FORMAT_MARKDOWN);
  EXPECT_THAT(logic_->ExportReport(ghost, kDeadline), StatusIs(absl::StatusCode::kNotFound));
}

// --- GetFeedStatus -------------------------------------------------------------

TEST_F(LogicTest, FeedStatusComesFromTheFeedStore) {
  feed_.answer.set_built_version(12);
  feed_.answer.set_acknowledged_version(11);
  feed_.answer.set_pending(true);
  v1::GetFeedStatusRequest req;
  req.set_prefecture("2A");
  auto s = logic_->GetFeedStatus(req, kDeadline);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(feed_.asked, "2A");
  EXPECT_EQ(s->prefecture(), "2A");
  EXPECT_EQ(s->built_version(), 12);
  EXPECT_TRUE(s->pending());
  feed_.status = absl::UnavailableError("feed store unavailable");
  EXPECT_THAT(logic_->GetFeedStatus(req, kDeadline), StatusIs(absl::StatusCode::kUnavailable));
  req.set_prefecture("2c");
  auto bad = logic_->GetFeedStatus(req, kDeadline);
  EXPECT_THAT(BadFields(bad.status()), ElementsAre("prefecture"));
}

TEST_F(LogicTest, FeedStatusWithoutAFeed) {
  ReportingLogic logic(&source_, &cache_, nullptr, &clock_, {});
  v1::GetFeedStatusRequest req;
  req.set_prefecture("59");
  EXPECT_THAT(logic.GetFeedStatus(req, kDeadline), StatusIs(absl::StatusCode::kUnimplemented));
}

}  // namespace
}  // namespace qpv::reporting
