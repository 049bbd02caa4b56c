// The dashboard through NationalLogic with the in-memory store: filters,
// suppression, exact totals, coverage, préfecture statuses, replicas.
#include <map>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/logging/log.h"
#include "common/status/status.h"
#include "common/territory/territory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/national/memory_national_store.h"
#include "services/national/national_logic.h"
#include "services/national/national_test_util.h"
#include "tests/support/status_matchers.h"

namespace qpv::national {
namespace {

using namespace ::qpv::national::testing;  // NOLINT: builders
using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL;
using ::qpv::common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
using ::qpv::common::v1::THEME_DISCRIMINATION;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::common::v1::THEME_HEALTH;
using ::qpv::common::v1::THEME_NEIGHBOURHOOD_IMAGE;
using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::ElementsAre;

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    Reset(5);
  }

  void Reset(int64_t threshold) {
    NationalLogic::Options options;
    options.small_count_threshold = threshold;
    options.fresh_window = absl::Hours(24);
    logic_ = std::make_unique<NationalLogic>(&store_, &clock_, options);
    ASSERT_THAT(logic_->Refresh(), IsOk());
  }

  nv1::SubmitPrefectureSnapshotResponse Submit(const nv1::PrefectureSnapshot& s,
                                               NationalLogic* logic = nullptr) {
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = s;
    auto r = (logic ? logic : logic_.get())->SubmitPrefectureSnapshot(req);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : nv1::SubmitPrefectureSnapshotResponse();
  }

  nv1::NationalDashboard Get(nv1::GetNationalDashboardRequest req = {}) {
    auto r = logic_->GetNationalDashboard(req);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : nv1::NationalDashboard();
  }

  // The Nord 2018 founding case plus Pas-de-Calais and Bouches-du-Rhône.
  void LoadNordCase() {
    auto w1 = MakeWorkshop("59", "emploi", Utc(2018, 2, 6), {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT},
                           Workshop::STATE_REPORTED);
    AddAttendance(w1, ACTOR_CATEGORY_ASSOCIATION, 20);
    AddAttendance(w1, ACTOR_CATEGORY_SOCIAL_LANDLORD, 12);
    AddAttendance(w1, ACTOR_CATEGORY_CITIZEN_COUNCIL, 3);
    AddContributions(w1, {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, ACTOR_CATEGORY_ASSOCIATION, 15);
    AddContributions(w1, {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, THEME_DISCRIMINATION},
                     ACTOR_CATEGORY_SOCIAL_LANDLORD, 2);
    auto w2 = MakeWorkshop("59", "discrimination", Utc(2018, 2, 8), {THEME_DISCRIMINATION});
    AddAttendance(w2, ACTOR_CATEGORY_ASSOCIATION, 30);
    AddContributions(w2, {THEME_DISCRIMINATION}, ACTOR_CATEGORY_ASSOCIATION, 12);
    auto w3 = MakeWorkshop("59", "image", Utc(2018, 2, 13), {THEME_NEIGHBOURHOOD_IMAGE},
                           Workshop::STATE_HELD);
    AddAttendance(w3, ACTOR_CATEGORY_ASSOCIATION, 25);
    AddContributions(w3, {THEME_NEIGHBOURHOOD_IMAGE}, ACTOR_CATEGORY_ASSOCIATION, 9);
    Submit(MakeSnapshot("59", 3, {w1, w2, w3}));

    auto p1 =
        MakeWorkshop("62", "sante", Utc(2018, 3, 15), {THEME_HEALTH}, Workshop::STATE_REPORTED);
    AddAttendance(p1, ACTOR_CATEGORY_ASSOCIATION, 18);
    AddContributions(p1, {THEME_HEALTH}, ACTOR_CATEGORY_ASSOCIATION, 8);
    Submit(MakeSnapshot("62", 1, {p1}));

    auto m1 =
        MakeWorkshop("13", "emploi", Utc(2018, 2, 20), {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT});
    AddAttendance(m1, ACTOR_CATEGORY_ASSOCIATION, 22);
    AddContributions(m1, {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, ACTOR_CATEGORY_ASSOCIATION, 7);
    Submit(MakeSnapshot("13", 1, {m1}));
  }

  FakeClock clock_{Utc(2018, 3, 20, 12)};
  MemoryNationalStore store_;
  std::unique_ptr<NationalLogic> logic_;
};

TEST_F(DashboardTest, NordCaseTotalsBreakdownsAndCoverage) {
  LoadNordCase();
  const nv1::NationalDashboard d = Get();
  EXPECT_EQ(d.workshop_count(), 5);
  EXPECT_EQ(d.attended_count(), 35 + 30 + 25 + 18 + 22);
  EXPECT_EQ(d.contribution_count(), 17 + 12 + 9 + 8 + 7);
  EXPECT_EQ(d.reporting_prefecture_count(), 3);
  EXPECT_EQ(d.revision(), 3);
  EXPECT_EQ(d.small_count_threshold(), 5);
  ASSERT_EQ(d.prefectures_size(), 3);
  // Département order: 13, 59, 62.
  EXPECT_EQ(d.prefectures(0).prefecture(), "13");
  EXPECT_EQ(d.prefectures(0).region(), "93");
  EXPECT_EQ(d.prefectures(1).prefecture(), "59");
  EXPECT_EQ(d.prefectures(1).prefecture_name(), "Nord");
  EXPECT_EQ(d.prefectures(1).workshop_count(), 3);
  EXPECT_EQ(d.prefectures(1).attended_count(), 90);
  EXPECT_EQ(d.prefectures(1).contribution_count(), 38);
  EXPECT_EQ(d.prefectures(1).version(), 3);
  // Exact totals: the sum of the préfectures' own figures.
  int64_t w = 0, a = 0, c = 0;
  for (const auto& p : d.prefectures()) {
    w += p.workshop_count();
    a += p.attended_count();
    c += p.contribution_count();
  }
  EXPECT_EQ(w, d.workshop_count());
  EXPECT_EQ(a, d.attended_count());
  EXPECT_EQ(c, d.contribution_count());

  ASSERT_EQ(d.by_region_size(), 2);
  EXPECT_EQ(d.by_region(0).region(), "32");
  EXPECT_EQ(d.by_region(0).region_name(), "Hauts-de-France");
  EXPECT_EQ(d.by_region(0).workshop_count(), 4);
  EXPECT_EQ(d.by_region(0).attended_count(), 108);
  EXPECT_EQ(d.by_region(0).reporting_prefecture_count(), 2);
  EXPECT_EQ(d.by_region(1).region(), "93");

  // Themes: workshops carrying each, contributions carrying each.
  std::map<int, std::pair<int64_t, int64_t>> themes;
  for (const auto& t : d.by_theme()) {
    themes[t.theme()] = {t.workshop_count(), t.contribution_count()};
  }
  EXPECT_EQ(themes[THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT], std::make_pair(int64_t{2}, int64_t{24}));
  EXPECT_EQ(themes[THEME_DISCRIMINATION], std::make_pair(int64_t{1}, int64_t{14}));
  EXPECT_EQ(themes[THEME_NEIGHBOURHOOD_IMAGE], std::make_pair(int64_t{1}, int64_t{9}));
  EXPECT_EQ(themes[THEME_HEALTH], std::make_pair(int64_t{1}, int64_t{8}));

  // Categories: the citizen council (3 attendees) is under 5: suppressed.
  ASSERT_EQ(d.by_category_size(), 3);
  EXPECT_EQ(d.by_category(0).category(), ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_EQ(d.by_category(0).attended_count(), 20 + 30 + 25 + 18 + 22);
  EXPECT_EQ(d.by_category(0).contribution_count(), 15 + 12 + 9 + 8 + 7);
  EXPECT_EQ(d.by_category(1).category(), ACTOR_CATEGORY_SOCIAL_LANDLORD);
  EXPECT_TRUE(d.by_category(1).suppressed());  // 12 attended but 2 contributions
  EXPECT_EQ(d.by_category(2).category(), ACTOR_CATEGORY_CITIZEN_COUNCIL);
  EXPECT_TRUE(d.by_category(2).suppressed());
  EXPECT_EQ(d.by_category(2).attended_count(), 0);

  EXPECT_EQ(d.coverage().reporting_prefecture_count(), 3);
  EXPECT_EQ(d.coverage().known_prefecture_count(), 101);
  EXPECT_EQ(d.coverage().fresh_prefecture_count(), 3);
  EXPECT_TRUE(d.has_as_of_time());
  // A day and a half later nobody is fresh.
  clock_.Advance(absl::Hours(36));
  EXPECT_EQ(Get().coverage().fresh_prefecture_count(), 0);
}

// The gRPC method sends cached bytes: they must be the message form's,
// shared while nothing moved, and rebuilt when the view, its sync time or
// the coverage (the clock) moves.
TEST_F(DashboardTest, SerializedDashboardIsCachedUntilSomethingMoves) {
  LoadNordCase();
  nv1::GetNationalDashboardRequest by_theme;
  by_theme.set_theme(THEME_DISCRIMINATION);
  for (const auto& req : {nv1::GetNationalDashboardRequest(), by_theme}) {
    auto bytes = logic_->SerializedNationalDashboard(req);
    ASSERT_THAT(bytes, IsOk());
    nv1::NationalDashboard parsed;
    ASSERT_TRUE(parsed.ParseFromString(**bytes));
    EXPECT_EQ(parsed.SerializeAsString(), Get(req).SerializeAsString());
    auto again = logic_->SerializedNationalDashboard(req);
    ASSERT_THAT(again, IsOk());
    EXPECT_EQ(again->get(), bytes->get());  // the same bytes, not rebuilt
  }
  auto first = logic_->SerializedNationalDashboard({});
  ASSERT_THAT(first, IsOk());
  auto themed = logic_->SerializedNationalDashboard(by_theme);
  ASSERT_THAT(themed, IsOk());
  EXPECT_NE(**first, **themed);

  // A day and a half later: nobody is fresh any more.
  clock_.Advance(absl::Hours(36));
  auto later = logic_->SerializedNationalDashboard({});
  ASSERT_THAT(later, IsOk());
  nv1::NationalDashboard d;
  ASSERT_TRUE(d.ParseFromString(**later));
  EXPECT_EQ(d.coverage().fresh_prefecture_count(), 0);

  // A new snapshot: new figures.
  auto w = MakeWorkshop("13", "sante", Utc(2018, 2, 20), {THEME_HEALTH});
  AddAttendance(w, ACTOR_CATEGORY_ASSOCIATION, 40);
  AddContributions(w, {THEME_HEALTH}, ACTOR_CATEGORY_ASSOCIATION, 30);
  const int64_t before = d.contribution_count();
  Submit(MakeSnapshot("13", 99, {w}));
  auto after = logic_->SerializedNationalDashboard({});
  ASSERT_THAT(after, IsOk());
  ASSERT_TRUE(d.ParseFromString(**after));
  EXPECT_GT(d.contribution_count(), before);
  EXPECT_THAT(logic_->SerializedNationalDashboard(
                  [] { nv1::GetNationalDashboardRequest r; r.set_region("99"); return r; }()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(DashboardTest, SmallCountsSuppressedInBreakdownsOnly) {
  LoadNordCase();
  const nv1::NationalDashboard d = Get();
  // The social landlords: 12 attended but 2 contributions: the cell goes.
  EXPECT_TRUE(d.by_category(1).suppressed());
  EXPECT_EQ(d.by_category(1).attended_count(), 0);
  EXPECT_EQ(d.by_category(1).contribution_count(), 0);
  // Totals and the Nord's own figures keep the small counts.
  EXPECT_EQ(d.attended_count(), 130);
  EXPECT_EQ(d.prefectures(1).attended_count(), 90);
  // Threshold 0 (or 1) disables suppression.
  Reset(0);
  const nv1::NationalDashboard raw = Get();
  EXPECT_EQ(raw.small_count_threshold(), 0);
  EXPECT_FALSE(raw.by_category(2).suppressed());
  EXPECT_EQ(raw.by_category(2).attended_count(), 3);
  EXPECT_EQ(raw.by_category(1).contribution_count(), 2);
  // A theme cell with few contributions keeps its workshop count.
  Reset(10);
  nv1::GetNationalDashboardRequest req;
  req.set_theme(THEME_HEALTH);
  const nv1::NationalDashboard health = Get(req);
  ASSERT_EQ(health.by_theme_size(), 1);
  EXPECT_TRUE(health.by_theme(0).suppressed());
  EXPECT_EQ(health.by_theme(0).workshop_count(), 1);
  EXPECT_EQ(health.by_theme(0).contribution_count(), 0);
  EXPECT_EQ(health.contribution_count(), 8);
}

TEST_F(DashboardTest, ThemeRegionAndPeriodFilters) {
  LoadNordCase();
  nv1::GetNationalDashboardRequest req;
  req.set_theme(THEME_DISCRIMINATION);
  nv1::NationalDashboard d = Get(req);
  // The discrimination workshop, and the contributions carrying the theme
  // from any workshop (2 of them came from the employment one).
  EXPECT_EQ(d.workshop_count(), 1);
  EXPECT_EQ(d.attended_count(), 30);
  EXPECT_EQ(d.contribution_count(), 14);
  ASSERT_EQ(d.by_theme_size(), 1);
  EXPECT_EQ(d.by_theme(0).theme(), THEME_DISCRIMINATION);
  EXPECT_EQ(d.reporting_prefecture_count(), 3);

  req.Clear();
  req.set_region("32");
  d = Get(req);
  EXPECT_EQ(d.workshop_count(), 4);
  EXPECT_EQ(d.prefectures_size(), 2);
  EXPECT_EQ(d.coverage().known_prefecture_count(), 5);  // Hauts-de-France
  EXPECT_EQ(d.coverage().reporting_prefecture_count(), 2);

  // 7-10 Feb: the discrimination workshop only (inside one month: exact).
  req.Clear();
  *req.mutable_start_time() = ToProto(Utc(2018, 2, 7, 0));
  *req.mutable_end_time() = ToProto(Utc(2018, 2, 10, 0));
  d = Get(req);
  EXPECT_EQ(d.workshop_count(), 1);
  EXPECT_EQ(d.attended_count(), 30);
  // 8 Feb 09:00 exactly is in [start, end); at end it is out.
  *req.mutable_start_time() = ToProto(Utc(2018, 2, 8, 9));
  *req.mutable_end_time() = ToProto(Utc(2018, 3, 15, 9));
  d = Get(req);
  EXPECT_EQ(d.workshop_count(), 3);  // 8 Feb, 13 Feb, 20 Feb (Marseille)
  // Whole months.
  *req.mutable_start_time() = ToProto(Utc(2018, 3, 1, 0));
  req.clear_end_time();
  d = Get(req);
  EXPECT_EQ(d.workshop_count(), 1);
  EXPECT_EQ(d.prefectures_size(), 3);  // every reporting préfecture is listed
  EXPECT_EQ(d.prefectures(1).workshop_count(), 0);
}

TEST_F(DashboardTest, BadFiltersNamed) {
  nv1::GetNationalDashboardRequest req;
  req.set_theme(static_cast<Theme>(42));
  req.set_region("99");
  req.mutable_start_time()->set_nanos(-1);
  req.mutable_start_time()->set_seconds(10);
  auto r = logic_->GetNationalDashboard(req);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  std::set<std::string> fields;
  for (const auto& [f, why] : FieldViolationsOf(r.status())) fields.insert(f);
  EXPECT_EQ(fields, (std::set<std::string>{"theme", "region", "start_time"}));
  req.Clear();
  *req.mutable_start_time() = ToProto(Utc(2018, 3, 1));
  *req.mutable_end_time() = ToProto(Utc(2018, 3, 1));
  EXPECT_THAT(logic_->GetNationalDashboard(req), StatusIs(absl::StatusCode::kInvalidArgument));
}

// What the dashboard should say, computed from the snapshots themselves.
struct Expected {
  int64_t workshops = 0, attended = 0, contributions = 0;
  std::map<std::string, std::array<int64_t, 3>> prefectures;
  std::map<std::string, std::array<int64_t, 3>> regions;
  std::map<int, std::array<int64_t, 2>> themes;      // workshops, contributions
  std::map<int, std::array<int64_t, 2>> categories;  // attended, contributions
};

Expected BruteForce(const std::map<std::string, nv1::PrefectureSnapshot>& snapshots, int theme,
                    const std::string& region, absl::Time start, absl::Time end) {
  Expected e;
  for (const auto& [code, s] : snapshots) {
    const std::string r(territory::RegionOf(code));
    if (!region.empty() && r != region) continue;
    auto& pf = e.prefectures[code];
    for (const auto& w : s.workshops()) {
      if (w.state() == Workshop::STATE_CANCELLED) continue;
      const absl::Time t = FromProto(w.start_time());
      if (t < start || t >= end) continue;
      const bool carries = theme == 0 || std::count(w.themes().begin(), w.themes().end(), theme);
      int64_t contributions = 0;
      for (const auto& cell : w.contribution_cells()) {
        if (cell.theme() == theme) {
          contributions += cell.count();
          e.categories[cell.category()][1] += cell.count();
        }
        if (cell.theme() != 0 && (theme == 0 || cell.theme() == theme)) {
          e.themes[cell.theme()][1] += cell.count();
        }
      }
      if (theme == 0) contributions = w.contribution_count();
      std::array<int64_t, 3> add = {0, 0, contributions};
      if (carries) {
        add[0] = 1;
        add[1] = w.attended_count();
        for (const auto& c : w.attendance_by_category()) e.categories[c.category()][0] += c.count();
        for (int t : w.themes()) {
          if (theme == 0 || t == theme) e.themes[t][0] += 1;
        }
      }
      for (int i = 0; i < 3; ++i) {
        pf[i] += add[i];
        e.regions[r][i] += add[i];
      }
      e.workshops += add[0];
      e.attended += add[1];
      e.contributions += add[2];
    }
  }
  return e;
}

// Random snapshots, random filters: the dashboard (no suppression) equals
// the brute-force figures, and the totals the sum of the préfectures'.
TEST_F(DashboardTest, MatchesBruteForceOnRandomData) {
  Reset(0);
  std::mt19937 rng(59);
  const std::vector<std::string> codes = {"59", "62", "13", "69", "75", "93", "971", "2B"};
  std::map<std::string, nv1::PrefectureSnapshot> current;
  for (int round = 0; round < 60; ++round) {
    const std::string& p = codes[rng() % codes.size()];
    const int64_t version = 1 + round;
    const auto s = RandomSnapshot(rng, p, version);
    Submit(s);
    current[p] = s;
    for (int q = 0; q < 5; ++q) {
      nv1::GetNationalDashboardRequest req;
      const int theme = rng() % 3 == 0 ? 0 : static_cast<int>(rng() % 12);
      req.set_theme(static_cast<Theme>(theme));
      if (rng() % 3 == 0) req.set_region(rng() % 2 ? "32" : "11");
      absl::Time start = absl::InfinitePast(), end = absl::InfiniteFuture();
      if (rng() % 2) {
        start = Utc(2023, 11, 1, 0) + absl::Minutes(rng() % (150 * 24 * 60));
        *req.mutable_start_time() = ToProto(start);
      }
      if (rng() % 2) {
        end = (start == absl::InfinitePast() ? Utc(2023, 11, 1, 0) : start) +
              absl::Minutes(1 + rng() % (150 * 24 * 60));
        *req.mutable_end_time() = ToProto(end);
      }
      if (rng() % 4 == 0 && start != absl::InfinitePast()) {  // whole months
        start = MonthStart(MonthOf(start));
        *req.mutable_start_time() = ToProto(start);
      }
      const Expected e = BruteForce(current, theme, req.region(), start, end);
      const nv1::NationalDashboard d = Get(req);
      SCOPED_TRACE(absl::StrCat("round ", round, " query ", req.ShortDebugString()));
      EXPECT_EQ(d.workshop_count(), e.workshops);
      EXPECT_EQ(d.attended_count(), e.attended);
      EXPECT_EQ(d.contribution_count(), e.contributions);
      int64_t sum_w = 0, sum_a = 0, sum_c = 0;
      for (const auto& pf : d.prefectures()) {
        const auto& x = e.prefectures.at(pf.prefecture());
        EXPECT_EQ(pf.workshop_count(), x[0]) << pf.prefecture();
        EXPECT_EQ(pf.attended_count(), x[1]) << pf.prefecture();
        EXPECT_EQ(pf.contribution_count(), x[2]) << pf.prefecture();
        sum_w += pf.workshop_count();
        sum_a += pf.attended_count();
        sum_c += pf.contribution_count();
      }
      EXPECT_EQ(d.prefectures_size(), static_cast<int>(e.prefectures.size()));
      EXPECT_EQ(sum_w, d.workshop_count());
      EXPECT_EQ(sum_a, d.attended_count());
      EXPECT_EQ(sum_c, d.contribution_count());
      for (const auto& rf : d.by_region()) {
        const auto found = e.regions.find(rf.region());
        const std::array<int64_t, 3> x =
            found == e.regions.end() ? std::array<int64_t, 3>{} : found->second;
        EXPECT_EQ(rf.workshop_count(), x[0]);
        EXPECT_EQ(rf.attended_count(), x[1]);
        EXPECT_EQ(rf.contribution_count(), x[2]);
      }
      std::map<int, std::array<int64_t, 2>> themes, categories;
      for (const auto& t : d.by_theme())
        themes[t.theme()] = {t.workshop_count(), t.contribution_count()};
      for (const auto& c : d.by_category()) {
        categories[c.category()] = {c.attended_count(), c.contribution_count()};
      }
      auto nonzero = [](std::map<int, std::array<int64_t, 2>> m) {
        for (auto it = m.begin(); it != m.end();) {
          it = it->second == std::array<int64_t, 2>{0, 0} ? m.erase(it) : ++it;
        }
        return m;
      };
      EXPECT_EQ(themes, nonzero(e.themes));
      EXPECT_EQ(categories, nonzero(e.categories));
    }
  }
}

TEST_F(DashboardTest, ReplicasAgreeAndReloadOnlyWhatChanged) {
  LoadNordCase();
  NationalLogic other(&store_, &clock_, {});
  ASSERT_THAT(other.Refresh(), IsOk());
  auto first = other.View();
  EXPECT_EQ(first->revision, 3);
  // A submit through this instance; the other one sees it on its next poll.
  auto w = MakeWorkshop("62", "sante", Utc(2018, 3, 15), {THEME_HEALTH});
  AddAttendance(w, ACTOR_CATEGORY_ASSOCIATION, 40);
  Submit(MakeSnapshot("62", 2, {w}));
  EXPECT_EQ(other.View()->revision, 3);
  ASSERT_THAT(other.Refresh(), IsOk());
  auto second = other.View();
  EXPECT_EQ(second->revision, 4);
  nv1::GetNationalDashboardRequest req;
  auto mine = logic_->GetNationalDashboard(req);
  auto theirs = other.GetNationalDashboard(req);
  ASSERT_THAT(mine, IsOk());
  ASSERT_THAT(theirs, IsOk());
  mine->clear_as_of_time();
  theirs->clear_as_of_time();
  EXPECT_EQ(mine->SerializeAsString(), theirs->SerializeAsString());
  // Only the Pas-de-Calais was reloaded: the Nord's entry is the same object.
  const int nord = DepartementIndex("59");
  const int pdc = DepartementIndex("62");
  EXPECT_EQ(first->prefectures[nord].get(), second->prefectures[nord].get());
  EXPECT_NE(first->prefectures[pdc].get(), second->prefectures[pdc].get());
  // A repeated submit is acknowledged and changes nothing.
  const auto again = Submit(MakeSnapshot("62", 2, {}));
  EXPECT_FALSE(again.applied());
  EXPECT_EQ(again.current_version(), 2);
  EXPECT_EQ(logic_->View()->revision, 4);
}

// Counts the snapshots read back from the store.
class CountingStore : public MemoryNationalStore {
 public:
  absl::StatusOr<std::vector<StoredSnapshot>> Load(
      const std::vector<std::string>& prefectures) override {
    loads += static_cast<int>(prefectures.size());
    return MemoryNationalStore::Load(prefectures);
  }
  int loads = 0;
};

TEST(LocalSnapshotTest, OwnSnapshotIsNotReadBackAndMatchesAReload) {
  log::SetQuiet(true);
  CountingStore store;
  // Not a whole microsecond: the store keeps microseconds.
  FakeClock clock(Utc(2018, 3, 20, 12) + absl::Nanoseconds(1500));
  NationalLogic writer(&store, &clock, {});
  ASSERT_THAT(writer.Refresh(), IsOk());
  std::mt19937 rng(7);
  nv1::SubmitPrefectureSnapshotRequest req;
  *req.mutable_snapshot() = RandomSnapshot(rng, "59", 3);
  *req.mutable_snapshot()->add_reproducible_actions() =
      MakeAction("59", "w1", "c1", "Café des parents", "Un café des parents à l'école.",
                 {THEME_HEALTH}, 4, {"QN05981M"});
  ASSERT_THAT(writer.SubmitPrefectureSnapshot(req), IsOk());
  EXPECT_EQ(store.loads, 0);  // built from the request

  NationalLogic reader(&store, &clock, {});  // another replica reads it back
  ASSERT_THAT(reader.Refresh(), IsOk());
  EXPECT_EQ(store.loads, 1);
  const int i = DepartementIndex("59");
  const PrefectureEntry& ea = *writer.View()->prefectures[i];
  const PrefectureEntry& eb = *reader.View()->prefectures[i];
  EXPECT_EQ(ea.version, eb.version);
  EXPECT_EQ(ea.receive_time, eb.receive_time);
  EXPECT_EQ(ea.workshop_count, eb.workshop_count);
  const ActionSet& a = *ea.action_set;
  const ActionSet& b = *eb.action_set;
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.arena, b.arena);
  ASSERT_EQ(a.actions.size(), 1u);
  ASSERT_EQ(b.actions.size(), 1u);
  EXPECT_EQ(a.Title(a.actions[0]), b.Title(b.actions[0]));
  EXPECT_EQ(a.texts->Block(a.actions[0].text.block), b.texts->Block(b.actions[0].text.block));
  auto da = writer.GetNationalDashboard({});
  auto db = reader.GetNationalDashboard({});
  ASSERT_THAT(da, IsOk());
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(da->SerializeAsString(), db->SerializeAsString());
  const auto sa = writer.ListPrefectureStatus({});
  const auto sb = reader.ListPrefectureStatus({});
  ASSERT_THAT(sa, IsOk());
  ASSERT_THAT(sb, IsOk());
  EXPECT_EQ(sa->SerializeAsString(), sb->SerializeAsString());
}

// Stores a snapshot, then holds the submitter's answer until released: a
// refresh meanwhile sees the new version in the index before the submitter
// knows it was taken.
class SlowAnswerStore : public CountingStore {
 public:
  absl::StatusOr<ApplyResult> ApplySnapshot(absl::string_view prefecture,
                                            absl::string_view region, int64_t version,
                                            absl::Time receive_time,
                                            const google::protobuf::MessageLite& snapshot,
                                            const CellList& cells) override {
    auto result = CountingStore::ApplySnapshot(prefecture, region, version, receive_time,
                                               snapshot, cells);
    stored.Notify();
    answer.WaitForNotification();
    return result;
  }
  absl::Notification stored, answer;
};

TEST(LocalSnapshotTest, ARefreshDuringTheStoreLeavesThePrefectureToItsSubmitter) {
  log::SetQuiet(true);
  SlowAnswerStore store;
  FakeClock clock(Utc(2018, 3, 20, 12));
  NationalLogic logic(&store, &clock, {});
  ASSERT_THAT(logic.Refresh(), IsOk());
  const int64_t empty_revision = logic.View()->revision;
  std::mt19937 rng(11);
  nv1::SubmitPrefectureSnapshotRequest req;
  *req.mutable_snapshot() = RandomSnapshot(rng, "59", 3);
  absl::StatusOr<nv1::SubmitPrefectureSnapshotResponse> submitted;
  std::thread submitter([&] { submitted = logic.SubmitPrefectureSnapshot(req); });
  store.stored.WaitForNotification();
  // The poller's refresh: Nord's snapshot is in the store, its submitter
  // has not heard yet. It is not read back, and the view keeps its old
  // revision so that the next refresh looks again.
  ASSERT_THAT(logic.Refresh(), IsOk());
  EXPECT_EQ(store.loads, 0);
  const int nord = DepartementIndex("59");
  EXPECT_EQ(logic.View()->prefectures[nord], nullptr);
  EXPECT_EQ(logic.View()->revision, empty_revision);
  store.answer.Notify();
  submitter.join();
  ASSERT_THAT(submitted, IsOk());
  EXPECT_TRUE(submitted->applied());
  EXPECT_EQ(store.loads, 0);  // the submitter's refresh used the parsed request
  ASSERT_NE(logic.View()->prefectures[nord], nullptr);
  EXPECT_EQ(logic.View()->prefectures[nord]->version, 3);
  EXPECT_EQ(logic.View()->revision, *store.Revision());
  // And a refresh now has nothing to read.
  ASSERT_THAT(logic.Refresh(), IsOk());
  EXPECT_EQ(store.loads, 0);
}

TEST_F(DashboardTest, PrefectureStatusListsEveryDepartement) {
  LoadNordCase();
  nv1::ListPrefectureStatusRequest req;
  req.set_region("32");
  auto r = logic_->ListPrefectureStatus(req);
  ASSERT_THAT(r, IsOk());
  std::vector<std::string> codes;
  for (const auto& s : r->statuses()) codes.push_back(s.prefecture());
  EXPECT_THAT(codes, ElementsAre("02", "59", "60", "62", "80"));
  const auto& nord = r->statuses(1);
  EXPECT_EQ(nord.version(), 3);
  EXPECT_EQ(nord.workshop_count(), 3);
  EXPECT_EQ(nord.workshops_held(), 3);
  EXPECT_EQ(nord.workshops_reported(), 1);
  EXPECT_EQ(nord.missing_reports(), 2);
  EXPECT_EQ(nord.prefecture_name(), "Nord");
  EXPECT_TRUE(nord.has_receive_time());
  EXPECT_EQ(r->statuses(0).version(), 0);  // Aisne never reported
  EXPECT_FALSE(r->statuses(0).has_receive_time());

  // Paging through all 101, two pages of 60 then 41.
  req.Clear();
  req.set_page_size(60);
  auto page1 = logic_->ListPrefectureStatus(req);
  ASSERT_THAT(page1, IsOk());
  EXPECT_EQ(page1->statuses_size(), 60);
  ASSERT_FALSE(page1->next_page_token().empty());
  req.set_page_token(page1->next_page_token());
  auto page2 = logic_->ListPrefectureStatus(req);
  ASSERT_THAT(page2, IsOk());
  EXPECT_EQ(page2->statuses_size(), 41);
  EXPECT_TRUE(page2->next_page_token().empty());
  EXPECT_EQ(page2->statuses(40).prefecture(), "976");
  // The token is bound to its request.
  req.set_region("32");
  EXPECT_THAT(logic_->ListPrefectureStatus(req), StatusIs(absl::StatusCode::kInvalidArgument));
  req.Clear();
  req.set_page_size(-1);
  EXPECT_THAT(logic_->ListPrefectureStatus(req), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(DashboardTest, NotLoadedIsUnavailable) {
  NationalLogic cold(&store_, &clock_, {});
  EXPECT_THAT(cold.GetNationalDashboard({}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(cold.Loaded());
}

}  // namespace
}  // namespace qpv::national
