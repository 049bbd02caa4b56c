#include "bench/national_dataset.h"

#include <map>
#include <numeric>
#include <set>

#include "bench/action_texts.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/national/snapshot_validation.h"
#include "services/national/text_similarity.h"

namespace qpv::bench {
namespace {

namespace nv1 = ::qpv::national::v1;

int64_t Contributions(const nv1::PrefectureSnapshot& s) {
  int64_t n = 0;
  for (const auto& w : s.workshops()) n += w.contribution_count();
  return n;
}

// Everything but build_time, which is the time of the build.
std::string Bytes(nv1::PrefectureSnapshot s) {
  s.clear_build_time();
  return s.SerializeAsString();
}

TEST(ApportionTest, PartsSumToTheTotalInProportion) {
  const std::vector<int64_t> parts = Apportion(10, {1, 1, 1});
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), int64_t{0}), 10);
  EXPECT_THAT(parts, testing::ElementsAre(4, 3, 3));
  EXPECT_THAT(Apportion(100, {3, 1}), testing::ElementsAre(75, 25));
  EXPECT_THAT(Apportion(5, {0, 0}), testing::ElementsAre(0, 0));
}

TEST(NationalPlanTest, TotalsAreExactAndUrbanPrefecturesGetMore) {
  const DatasetPlan plan = MakePlan(DatasetOptions());
  ASSERT_EQ(plan.prefectures.size(), 101u);
  int64_t workshops = 0, contributions = 0;
  for (const auto& p : plan.prefectures) {
    workshops += p.workshops;
    contributions += p.contributions;
    EXPECT_GT(p.workshops, 0) << p.code;
  }
  EXPECT_EQ(workshops, 10452);
  EXPECT_EQ(contributions, 1930000);
  const auto find = [&](const std::string& code) {
    for (const auto& p : plan.prefectures) {
      if (p.code == code) return p;
    }
    return PrefecturePlan();
  };
  EXPECT_GT(find("59").workshops, 10 * find("05").workshops);
  // Bigger workshops where there are more QPV.
  EXPECT_GT(static_cast<double>(find("59").contributions) / find("59").workshops,
            static_cast<double>(find("05").contributions) / find("05").workshops);
}

DatasetOptions Small() {
  DatasetOptions o;
  o.workshops = 400;
  o.contributions = 60000;
  return o;
}

TEST(NationalSnapshotTest, MatchesThePlanAndValidates) {
  const DatasetPlan plan = MakePlan(Small());
  int64_t workshops = 0, contributions = 0, actions = 0;
  for (size_t i = 0; i < plan.prefectures.size(); ++i) {
    const nv1::PrefectureSnapshot s = BuildSnapshot(plan, static_cast<int>(i), 7);
    ASSERT_TRUE(national::ValidateSnapshot(s, "snapshot").ok())
        << national::ValidateSnapshot(s, "snapshot");
    EXPECT_EQ(s.prefecture(), plan.prefectures[i].code);
    EXPECT_EQ(s.version(), 7);
    EXPECT_EQ(s.workshops_size(), plan.prefectures[i].workshops);
    EXPECT_EQ(Contributions(s), plan.prefectures[i].contributions);
    workshops += s.workshops_size();
    contributions += Contributions(s);
    actions += s.reproducible_actions_size();
  }
  EXPECT_EQ(workshops, 400);
  EXPECT_EQ(contributions, 60000);
  // About 10% reproducible.
  EXPECT_GT(actions, 60000 * 0.08);
  EXPECT_LT(actions, 60000 * 0.12);
}

TEST(NationalSnapshotTest, CellsCountEveryContributionOnce) {
  const DatasetPlan plan = MakePlan(Small());
  const nv1::PrefectureSnapshot s = BuildSnapshot(plan, 58, 1);  // the Nord
  for (const auto& w : s.workshops()) {
    int64_t unthemed = 0, attended = 0;
    for (const auto& c : w.contribution_cells()) {
      if (c.theme() == common::v1::THEME_UNSPECIFIED) unthemed += c.count();
    }
    for (const auto& a : w.attendance_by_category()) attended += a.count();
    EXPECT_EQ(unthemed, w.contribution_count()) << w.workshop();
    EXPECT_EQ(attended, w.attended_count()) << w.workshop();
  }
}

TEST(NationalSnapshotTest, DeterministicAndTheSaltOnlyRedrawsDetails) {
  const DatasetPlan plan = MakePlan(Small());
  const nv1::PrefectureSnapshot a = BuildSnapshot(plan, 12, 3);
  EXPECT_EQ(Bytes(a), Bytes(BuildSnapshot(plan, 12, 3)));
  const nv1::PrefectureSnapshot b = BuildSnapshot(plan, 12, 4, /*salt=*/1);
  ASSERT_EQ(a.workshops_size(), b.workshops_size());
  for (int i = 0; i < a.workshops_size(); ++i) {
    EXPECT_EQ(a.workshops(i).workshop(), b.workshops(i).workshop());
    EXPECT_EQ(a.workshops(i).contribution_count(), b.workshops(i).contribution_count());
  }
  EXPECT_NE(Bytes(a), Bytes(b));
  DatasetOptions other = Small();
  other.seed = 99;
  EXPECT_NE(Bytes(a), Bytes(BuildSnapshot(MakePlan(other), 12, 3)));
}

TEST(ActionTextTest, SizesAndNearDuplicates) {
  Rng rng(1);
  std::map<int, std::vector<ActionText>> families;
  int own = 0;
  for (int i = 0; i < 8000; ++i) {
    ActionText t = MakeActionText(rng);
    EXPECT_GE(t.title.size(), 20u) << t.title;
    EXPECT_LE(t.title.size(), 200u) << t.title;
    EXPECT_GE(t.text.size(), 150u) << t.text;
    EXPECT_LE(t.text.size(), 600u) << t.text;
    if (t.family < 0) {
      ++own;
    } else {
      families[t.family].push_back(std::move(t));
    }
  }
  EXPECT_GT(own, 8000 * 0.5);
  EXPECT_LT(own, 8000 * 0.6);
  // Members of a family mostly pass the grouping threshold, not always;
  // different families almost never.
  const auto similar = [](const ActionText& a, const ActionText& b) {
    return national::Jaccard(national::Shingles(a.title, a.text),
                             national::Shingles(b.title, b.text)) >= national::kSimilarityThreshold;
  };
  int pairs = 0, near = 0, across = 0, across_near = 0;
  const ActionText* previous = nullptr;
  for (const auto& [family, members] : families) {
    for (size_t i = 0; i + 1 < members.size(); ++i) {
      ++pairs;
      near += similar(members[i], members[i + 1]);
    }
    if (previous != nullptr) {
      ++across;
      across_near += similar(*previous, members[0]);
    }
    previous = &members[0];
  }
  ASSERT_GT(pairs, 400);
  EXPECT_GT(near, pairs / 2);
  EXPECT_LT(near, pairs);
  EXPECT_LT(across_near, across * 0.02);
}

}  // namespace
}  // namespace qpv::bench
