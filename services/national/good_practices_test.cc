// Grouping of reproducible actions, and ListGoodPractices over the view.
#include "services/national/good_practices.h"

#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "common/logging/log.h"
#include "common/pagination/page_token.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/national/memory_national_store.h"
#include "services/national/national_logic.h"
#include "services/national/national_test_util.h"
#include "tests/support/status_matchers.h"

namespace qpv::national {
namespace {

using namespace ::qpv::national::testing;  // NOLINT: builders
using ::qpv::common::v1::THEME_CULTURE_SPORT;
using ::qpv::common::v1::THEME_DISCRIMINATION;
using ::qpv::common::v1::THEME_EDUCATION;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::common::v1::THEME_NEIGHBOURHOOD_IMAGE;
using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::ElementsAre;

constexpr char kParrainage[] =
    "Des chefs d'entreprise locaux parrainent les jeunes diplômés du quartier pour leur "
    "accès à l'emploi.";

class GoodPracticesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    logic_ = std::make_unique<NationalLogic>(&store_, &clock_, Unpaced());
    ASSERT_THAT(logic_->Refresh(), IsOk());
  }

  // Regroups as soon as asked (the service paces them: QPV_REGROUP_PAUSE).
  static NationalLogic::Options Unpaced() {
    NationalLogic::Options options;
    options.regroup_pause = absl::ZeroDuration();
    return options;
  }

  // The logic again, on the same store, pacing its regroups by `pause`.
  void UsePause(absl::Duration pause) {
    NationalLogic::Options options;
    options.regroup_pause = pause;
    logic_ = std::make_unique<NationalLogic>(&store_, &clock_, options);
    ASSERT_THAT(logic_->Refresh(), IsOk());
  }

  void Submit(const std::string& p, int64_t version, std::vector<nv1::ReproducibleAction> a) {
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = MakeSnapshot(p, version, {}, std::move(a));
    ASSERT_THAT(logic_->SubmitPrefectureSnapshot(req), IsOk());
  }

  // Nord, Bouches-du-Rhône and Rhône reword the same sponsorship action; the
  // Nord and the Rhône share a parents' café; the rest is unique.
  static std::vector<nv1::ReproducibleAction> NordActions() {
    return {MakeAction("59", "w1", "c1", "Parrainage des jeunes diplômés", kParrainage,
                       {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 12, {"QN05981M"}),
            MakeAction("59", "w2", "c2", "Café des parents",
                       "Un café des parents hebdomadaire à l'école pour rapprocher les "
                       "familles de l'institution scolaire.",
                       {THEME_EDUCATION}, 4),
            MakeAction("59", "w3", "c3", "Fête de quartier",
                       "Une fête de quartier annuelle organisée par le conseil citoyen.",
                       {THEME_NEIGHBOURHOOD_IMAGE}, 30)};
  }
  void LoadActions() {
    Submit("59", 1, NordActions());
    Submit("13", 1,
           {MakeAction("13", "w1", "c9", "PARRAINAGE DE JEUNES DIPLOMES",
                       "Des chefs d'entreprises locales parrainent des jeunes diplomés des "
                       "quartiers pour accéder à l'emploi.",
                       {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, THEME_DISCRIMINATION}, 20,
                       {"QN01301M"}),
            MakeAction("13", "w1", "c10", "Tournoi de football mixte",
                       "Un tournoi de football mixte entre les quartiers de la ville.",
                       {THEME_CULTURE_SPORT}, 2)});
    Submit("69", 1,
           {MakeAction("69", "w5", "c1", "Parrainage des jeunes diplômés", kParrainage,
                       {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 1),
            MakeAction("69", "w5", "c2", "Cafés des parents",
                       "Un café des parents chaque semaine dans l'école pour rapprocher les "
                       "familles et l'institution scolaire.",
                       {THEME_EDUCATION}, 6)});
  }

  nv1::ListGoodPracticesResponse List(nv1::ListGoodPracticesRequest req = {}) {
    auto r = logic_->ListGoodPractices(req);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : nv1::ListGoodPracticesResponse();
  }

  FakeClock clock_;
  MemoryNationalStore store_;
  std::unique_ptr<NationalLogic> logic_;
};

TEST(TextSimilarityTest, NormalisesCaseAccentsPunctuationAndStopWords) {
  EXPECT_THAT(NormalizedWords("L'ÉCOLE, c'est « génial » !"), ElementsAre("ecol", "genial"));
  EXPECT_THAT(NormalizedWords("Cœur  des quartiers—Œuvre"),
              ElementsAre("coeur", "quartier", "oeuvr"));
  EXPECT_THAT(NormalizedWords("locaux locale locales local"),
              ElementsAre("local", "local", "local", "local"));
  EXPECT_THAT(NormalizedWords("Straße 2024"), ElementsAre("strass", "2024"));
  EXPECT_THAT(NormalizedWords(""), ElementsAre());
  EXPECT_EQ(Shingles("Un café", "à l'école"), Shingles("UN CAFE", "a l ecole"));
  EXPECT_TRUE(Shingles("le la les", "de des du").empty());
  EXPECT_EQ(Shingles("Insertion", "").size(), 1u);  // one word: one 1-shingle
}

struct Pair {
  const char* t1;
  const char* x1;
  const char* t2;
  const char* x2;
};

TEST(TextSimilarityTest, ShinglesAreTheWordsAndWordPairsHashed) {
  const std::string title = "Atelier de couture géré par des bénévoles";
  const std::string text = "Ouvrir un atelier de couture au centre social, chaque semaine.";
  std::vector<std::string> words = NormalizedWords(title);
  for (auto& w : NormalizedWords(text)) words.push_back(w);
  std::vector<uint64_t> expected;
  for (const auto& w : words) expected.push_back(pagination::StableHash64(w));
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    expected.push_back(pagination::StableHash64(words[i] + " " + words[i + 1]));
  }
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  EXPECT_EQ(Shingles(title, text), expected);
}

// The tuning corpus of text_similarity.h: rewordings of one action must
// reach the threshold, different actions on the same theme must not.
TEST(TextSimilarityTest, ThresholdSeparatesRewordingsFromDifferentActions) {
  const std::vector<Pair> same = {
      {"Parrainage des jeunes diplômés", kParrainage, "Parrainage de jeunes diplomés",
       "Des chefs d'entreprises locales parrainent des jeunes diplômés des quartiers pour "
       "accéder à l'emploi."},
      {"Forum emploi en pied d'immeuble",
       "Organiser un forum de l'emploi au pied des immeubles avec les employeurs du territoire.",
       "FORUM DE L'EMPLOI EN BAS DES IMMEUBLES",
       "Organiser des forums emploi en pied d'immeuble avec les employeurs locaux du territoire."},
      {"Café des parents",
       "Un café des parents hebdomadaire à l'école pour rapprocher les familles de "
       "l'institution scolaire.",
       "Cafés des parents",
       "Un café des parents chaque semaine dans l'école pour rapprocher les familles et "
       "l'institution scolaire."},
      {"Marches exploratoires de femmes",
       "Des marches exploratoires de femmes pour repérer les lieux où elles ne se sentent pas "
       "en sécurité et proposer des aménagements.",
       "Marche exploratoire des femmes",
       "Marches exploratoires avec des habitantes pour repérer les endroits où elles ne se "
       "sentent pas en sécurité et proposer des aménagements."},
      {"Testing des discriminations à l'embauche",
       "Des associations réalisent des tests de discrimination à l'embauche auprès des "
       "entreprises du bassin d'emploi.",
       "Testing discrimination embauche",
       "Une association réalise des testings de discrimination à l'embauche auprès des "
       "entreprises du bassin d'emploi local."},
      {"Journal de quartier fait par les habitants",
       "Un journal de quartier écrit par les habitants pour changer l'image du quartier.",
       "Journal du quartier réalisé par les habitants",
       "Un journal écrit par des habitants du quartier pour changer l'image des quartiers."},
      {"Clauses d'insertion dans la rénovation urbaine",
       "Clauses d'insertion dans les marchés publics de la rénovation urbaine pour embaucher "
       "des habitants du quartier.",
       "Clause d'insertion et rénovation urbaine",
       "Clause d'insertion dans les marchés de rénovation urbaine pour l'embauche d'habitants "
       "des quartiers prioritaires."},
      {"ATELIER D'ÉCRITURE AVEC LES JEUNES",
       "Un atelier d'écriture hebdomadaire avec les jeunes du quartier, restitué lors d'une "
       "lecture publique.",
       "atelier d'ecriture avec les jeunes",
       "un atelier d'ecriture hebdomadaire avec les jeunes du quartier, restitue lors d'une "
       "lecture publique"},
      {"Job dating dans le quartier",
       "Un job dating organisé dans le quartier avec Pôle emploi, la mission locale et des "
       "entreprises qui recrutent.",
       "Job-dating au cœur du quartier",
       "Organiser un job dating au coeur du quartier avec la mission locale, Pôle emploi et "
       "des entreprises qui recrutent localement."},
  };
  const std::vector<Pair> different = {
      {"Chantier éducatif pour les jeunes",
       "Un chantier éducatif pour les jeunes du quartier pendant les vacances scolaires.",
       "Chantier d'insertion pour les habitants",
       "Un chantier d'insertion pour les habitants du quartier éloignés de l'emploi."},
      {"Permanence emploi au centre social",
       "Une permanence emploi chaque mardi au centre social du quartier.",
       "Permanence santé au centre social",
       "Une permanence santé chaque jeudi au centre social du quartier."},
      {"Fête de quartier",
       "Une fête de quartier annuelle organisée par le conseil citoyen pour valoriser l'image "
       "du quartier.",
       "Journal de quartier fait par les habitants",
       "Un journal de quartier écrit par les habitants pour changer l'image du quartier."},
      {"Parrainage des jeunes diplômés", kParrainage, "Forum emploi en pied d'immeuble",
       "Organiser un forum de l'emploi au pied des immeubles avec les employeurs du territoire."},
      {"Café des parents",
       "Un café des parents hebdomadaire à l'école pour rapprocher les familles de "
       "l'institution scolaire.",
       "Aide aux devoirs",
       "Aide aux devoirs des élèves du quartier par des étudiants "
       "bénévoles, le soir à l'école."},
      {"Testing des discriminations à l'embauche",
       "Des associations réalisent des tests de discrimination à l'embauche auprès des "
       "entreprises du bassin d'emploi.",
       "Formation des recruteurs à la non-discrimination",
       "Former les recruteurs des entreprises du bassin d'emploi à la non-discrimination à "
       "l'embauche."},
      {"Journal de quartier fait par les habitants",
       "Un journal de quartier écrit par les habitants pour changer l'image du quartier.",
       "Web radio des jeunes du quartier",
       "Une web radio animée par les jeunes du quartier pour changer l'image du quartier."},
  };
  for (const auto& p : same) {
    EXPECT_GE(Jaccard(Shingles(p.t1, p.x1), Shingles(p.t2, p.x2)), kSimilarityThreshold)
        << p.t1 << " / " << p.t2;
  }
  for (const auto& p : different) {
    EXPECT_LT(Jaccard(Shingles(p.t1, p.x1), Shingles(p.t2, p.x2)), kSimilarityThreshold)
        << p.t1 << " / " << p.t2;
  }
}

TEST(TextSimilarityTest, MinHashIsStableAndEstimatesJaccard) {
  const auto a = Shingles("Parrainage des jeunes diplômés", kParrainage);
  const auto b = Shingles("Parrainage de jeunes diplomés",
                          "Des chefs d'entreprises locales parrainent des jeunes diplômés des "
                          "quartiers pour accéder à l'emploi.");
  EXPECT_EQ(MinHash(a), MinHash(a));
  EXPECT_EQ(Bands(MinHash(a)),
            Bands(MinHash(Shingles("PARRAINAGE DES JEUNES DIPLOMES", kParrainage))));
  // A band's key alone is the signature's.
  for (int band = 0; band < kBands; ++band) {
    EXPECT_EQ(BandKey(band, a), Bands(MinHash(a))[band]) << band;
    EXPECT_EQ(BandKey(band, b), Bands(MinHash(b))[band]) << band;
  }
  EXPECT_EQ(BandKey(3, {}), Bands(MinHash({}))[3]);
  int equal = 0;
  const Signature sa = MinHash(a), sb = MinHash(b);
  for (int i = 0; i < kMinHashes; ++i) equal += sa[i] == sb[i];
  const double estimate = static_cast<double>(equal) / kMinHashes;
  EXPECT_NEAR(estimate, Jaccard(a, b), 0.25);
  EXPECT_EQ(Jaccard({}, {}), 0);
  EXPECT_EQ(Jaccard({1, 2, 3}, {2, 3, 4}), 0.5);
}

TEST_F(GoodPracticesTest, GroupsRewordingsAcrossPrefecturesMostSpreadFirst) {
  LoadActions();
  const auto r = List();
  ASSERT_EQ(r.groups_size(), 4);
  const auto& parrainage = r.groups(0);
  EXPECT_EQ(parrainage.prefecture_count(), 3);
  EXPECT_THAT(parrainage.prefectures(), ElementsAre("13", "59", "69"));
  EXPECT_THAT(parrainage.sources(), ElementsAre("prefectures/13/workshops/w1/contributions/c9",
                                                "prefectures/59/workshops/w1/contributions/c1",
                                                "prefectures/69/workshops/w5/contributions/c1"));
  // Title and text of the most voted (Marseille, 20 votes).
  EXPECT_EQ(parrainage.title(), "PARRAINAGE DE JEUNES DIPLOMES");
  EXPECT_EQ(parrainage.vote_count(), 33);
  EXPECT_THAT(parrainage.themes(),
              ElementsAre(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, THEME_DISCRIMINATION));
  EXPECT_THAT(parrainage.qpv_codes(), ElementsAre("QN01301M", "QN05981M"));

  EXPECT_EQ(r.groups(1).prefecture_count(), 2);
  EXPECT_EQ(r.groups(1).title(), "Cafés des parents");  // 6 votes against 4
  // Singletons, by title.
  EXPECT_EQ(r.groups(2).title(), "Fête de quartier");
  EXPECT_EQ(r.groups(2).prefecture_count(), 1);
  EXPECT_EQ(r.groups(3).title(), "Tournoi de football mixte");
}

TEST_F(GoodPracticesTest, FiltersAndPages) {
  LoadActions();
  nv1::ListGoodPracticesRequest req;
  req.set_min_prefecture_count(2);
  EXPECT_EQ(List(req).groups_size(), 2);
  req.set_theme(THEME_EDUCATION);
  auto r = List(req);
  ASSERT_EQ(r.groups_size(), 1);
  EXPECT_EQ(r.groups(0).prefecture_count(), 2);

  req.Clear();
  req.set_page_size(1);
  std::vector<std::string> titles;
  for (int page = 0; page < 10; ++page) {
    r = List(req);
    for (const auto& g : r.groups()) titles.push_back(g.title());
    if (r.next_page_token().empty()) break;
    req.set_page_token(r.next_page_token());
  }
  EXPECT_THAT(titles, ElementsAre("PARRAINAGE DE JEUNES DIPLOMES", "Cafés des parents",
                                  "Fête de quartier", "Tournoi de football mixte"));
  req.set_theme(THEME_EDUCATION);  // a token from another request
  EXPECT_THAT(logic_->ListGoodPractices(req), StatusIs(absl::StatusCode::kInvalidArgument));
  req.Clear();
  req.set_min_prefecture_count(-1);
  req.set_theme(static_cast<Theme>(12));
  EXPECT_THAT(logic_->ListGoodPractices(req), StatusIs(absl::StatusCode::kInvalidArgument));
}

// A page stops early once its groups pass max_page_bytes (at least one
// group per page), and the pages still hold every group once.
TEST_F(GoodPracticesTest, PagesEndEarlyPastTheirByteBudget) {
  LoadActions();
  std::vector<std::string> all;
  const nv1::ListGoodPracticesResponse whole = List();
  for (const auto& g : whole.groups()) all.push_back(g.title());
  ASSERT_EQ(all.size(), 4u);
  NationalLogic::Options options;
  options.max_page_bytes = 1;  // every group is over it: one group a page
  NationalLogic small(&store_, &clock_, options);
  ASSERT_THAT(small.Refresh(), IsOk());
  nv1::ListGoodPracticesRequest req;
  req.set_page_size(1000);
  std::vector<std::string> titles;
  for (int page = 0; page < 10; ++page) {
    auto r = small.ListGoodPractices(req);
    ASSERT_THAT(r, IsOk());
    ASSERT_EQ(r->groups_size(), 1);
    titles.push_back(r->groups(0).title());
    if (r->next_page_token().empty()) break;
    req.set_page_token(r->next_page_token());
  }
  EXPECT_EQ(titles, all);
  small.Stop();
}

TEST_F(GoodPracticesTest, RecomputedOnlyWhenTheActionsChange) {
  LoadActions();
  EXPECT_EQ(List().groups_size(), 4);
  const auto first = logic_->CurrentGrouping();
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(SameActionSets(first->action_sets, *logic_->View()));
  List();
  EXPECT_EQ(logic_->CurrentGrouping(), first);
  // The Rhône withdraws its parents' café: the group falls apart once the
  // regroup that the next call starts in the background is done.
  Submit("69", 2,
         {MakeAction("69", "w5", "c1", "Parrainage des jeunes diplômés", kParrainage,
                     {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 1)});
  List();
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  const auto r = List();
  ASSERT_EQ(r.groups_size(), 4);
  EXPECT_EQ(r.groups(1).prefecture_count(), 1);
}

// Regroups are paced: after a grouping, the next waits for the pause (the
// previous one is served meanwhile), and Stop() does not wait for it.
TEST_F(GoodPracticesTest, RegroupsWaitForThePause) {
  UsePause(absl::Hours(1));
  LoadActions();
  EXPECT_EQ(List().groups_size(), 4);  // the first grouping is never paced
  const auto first = logic_->CurrentGrouping();
  Submit("69", 2,
         {MakeAction("69", "w5", "c1", "Parrainage des jeunes diplômés", kParrainage,
                     {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 1)});
  EXPECT_EQ(List().groups(1).prefecture_count(), 2);  // the previous grouping
  EXPECT_FALSE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Milliseconds(500)));
  EXPECT_EQ(logic_->CurrentGrouping(), first);
  const absl::Time stop = absl::Now();
  logic_->Stop();
  EXPECT_LT(absl::Now() - stop, absl::Seconds(30));
}

// A regroup wanted during the pause groups the view that is newest when the
// pause ends, not the one of the call that wanted it: the latter would keep
// alive the entries replaced meanwhile and be stale when served.
TEST_F(GoodPracticesTest, RegroupAfterThePauseTakesTheNewestView) {
  UsePause(absl::Seconds(5));  // room for the two submits below
  LoadActions();
  EXPECT_EQ(List().groups_size(), 4);
  Submit("69", 2,
         {MakeAction("69", "w5", "c1", "Parrainage des jeunes diplômés", kParrainage,
                     {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 1)});
  const auto wanted = logic_->View();
  List();               // wants a regroup, paced
  Submit("13", 2, {});  // no call after this one
  ASSERT_NE(logic_->View(), wanted);
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  // Marseille withdrew its sponsorship: the Nord and the Rhône share it.
  EXPECT_EQ(List().groups(0).prefecture_count(), 2);
}

// A grouping that counts its runs and can hold one of them until released.
class GroupingGate {
 public:
  explicit GroupingGate(int hold_run) : hold_run_(hold_run) {}

  std::function<PracticeIndex(const ActionSets&, const PreviousGrouping&)> Fn() {
    return [this](const ActionSets& sets, const PreviousGrouping& previous) {
      int run = 0;
      {
        absl::MutexLock lock(&mu_);
        run = ++runs_;
        max_running_ = std::max(max_running_, ++running_);
      }
      if (run == hold_run_) {
        held_.Notify();
        release_.WaitForNotification();
      }
      PracticeIndex index = IndexActionSets(sets, previous);
      absl::MutexLock lock(&mu_);
      --running_;
      return index;
    };
  }
  void AwaitHeld() { held_.WaitForNotification(); }
  bool HeldWithin(absl::Duration timeout) { return held_.WaitForNotificationWithTimeout(timeout); }
  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
  }
  int runs() {
    absl::MutexLock lock(&mu_);
    return runs_;
  }
  int max_running() {
    absl::MutexLock lock(&mu_);
    return max_running_;
  }

 private:
  const int hold_run_;
  absl::Mutex mu_;
  int runs_ = 0, running_ = 0, max_running_ = 0;
  absl::Notification held_, release_;
};

class BackgroundGroupingTest : public GoodPracticesTest {
 protected:
  // A held grouping is let go (a failed expectation must not hang the
  // test), and the logic stopped before the gate goes.
  void TearDown() override {
    if (gate_) gate_->Release();
    logic_.reset();
  }
  // The logic again, on the same store, grouping through a gate that holds
  // its run `hold_run` (0: none).
  GroupingGate& UseGate(int hold_run) {
    gate_ = std::make_unique<GroupingGate>(hold_run);
    NationalLogic::Options options = Unpaced();
    options.group_practices = gate_->Fn();
    logic_ = std::make_unique<NationalLogic>(&store_, &clock_, options);
    EXPECT_THAT(logic_->Refresh(), IsOk());
    return *gate_;
  }
  void WithdrawCafe(int64_t version) {
    Submit("69", version,
           {MakeAction("69", "w5", "c1", "Parrainage des jeunes diplômés", kParrainage,
                       {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 1)});
  }
  // Every group, every page of `page_size`, as messages.
  std::vector<std::string> AllGroups(int page_size) {
    nv1::ListGoodPracticesRequest req;
    req.set_page_size(page_size);
    std::vector<std::string> out;
    for (int page = 0; page < 100; ++page) {
      const auto r = List(req);
      for (const auto& g : r.groups()) out.push_back(g.SerializeAsString());
      if (r.next_page_token().empty()) break;
      req.set_page_token(r.next_page_token());
    }
    return out;
  }

  std::unique_ptr<GroupingGate> gate_;
};

TEST_F(BackgroundGroupingTest, PreviousGroupingServedWhileRegrouping) {
  GroupingGate& gate = UseGate(/*hold_run=*/2);
  LoadActions();
  EXPECT_EQ(List().groups(1).prefecture_count(), 2);  // the first grouping: waited for
  const int rhone = DepartementIndex("69");
  std::weak_ptr<const PrefectureEntry> old_entry = logic_->View()->prefectures[rhone];
  std::weak_ptr<const ActionSet> old_actions = logic_->View()->prefectures[rhone]->action_set;
  WithdrawCafe(2);
  // Answered at once from the previous grouping (the café still in two
  // préfectures), while the regroup it started is held.
  EXPECT_EQ(List().groups(1).prefecture_count(), 2);
  gate.AwaitHeld();
  const auto stale = List();
  ASSERT_EQ(stale.groups_size(), 4);
  EXPECT_EQ(stale.groups(1).prefecture_count(), 2);
  // It keeps the Rhône's former actions alive, not the rest of its entry.
  EXPECT_FALSE(old_actions.expired());
  EXPECT_TRUE(old_entry.expired());
  EXPECT_NE(logic_->View()->prefectures[rhone]->action_set, old_actions.lock());
  gate.Release();
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  EXPECT_EQ(List().groups(1).prefecture_count(), 1);
  EXPECT_EQ(gate.runs(), 2);
  // Gone with the grouping that held them (the grouper drops it just after
  // the swap).
  for (int i = 0; i < 1000 && !old_actions.expired(); ++i) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_TRUE(old_actions.expired());
}

// A running regroup holds its view's action sets, not the view: a
// préfecture resubmitted meanwhile leaves only its former actions alive.
TEST_F(BackgroundGroupingTest, RunningRegroupKeepsActionsNotEntries) {
  GroupingGate& gate = UseGate(/*hold_run=*/2);
  LoadActions();
  List();
  WithdrawCafe(2);
  const int rhone = DepartementIndex("69");
  std::weak_ptr<const PrefectureEntry> grouped_entry = logic_->View()->prefectures[rhone];
  std::weak_ptr<const ActionSet> grouped_actions = logic_->View()->prefectures[rhone]->action_set;
  List();  // starts the regroup of this view, held
  gate.AwaitHeld();
  Submit("69", 3, {});  // other actions (the same would keep the set)
  EXPECT_TRUE(grouped_entry.expired());
  EXPECT_FALSE(grouped_actions.expired());
}

// A snapshot resubmitted for its figures alone (a workshop held since,
// the same actions) keeps its préfecture's action set: no second copy of
// the actions, and the served grouping stays current, with no regroup. One
// vote more makes a new set, and a regroup.
TEST_F(BackgroundGroupingTest, FiguresAloneKeepTheActionsAndTheGrouping) {
  GroupingGate& gate = UseGate(/*hold_run=*/2);
  LoadActions();
  List();
  const int nord = DepartementIndex("59");
  const std::shared_ptr<const PrefectureEntry> first = logic_->View()->prefectures[nord];
  nv1::SubmitPrefectureSnapshotRequest req;
  *req.mutable_snapshot() = MakeSnapshot(
      "59", 2, {MakeWorkshop("59", "w9", Utc(2024, 3, 1), {THEME_EDUCATION})}, NordActions());
  ASSERT_THAT(logic_->SubmitPrefectureSnapshot(req), IsOk());
  const std::shared_ptr<const PrefectureEntry> second = logic_->View()->prefectures[nord];
  ASSERT_EQ(second->version, 2);
  EXPECT_EQ(second->workshop_count, first->workshop_count + 1);
  EXPECT_EQ(second->action_set, first->action_set);
  EXPECT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::ZeroDuration()));
  EXPECT_EQ(List().groups_size(), 4);
  EXPECT_FALSE(gate.HeldWithin(absl::Milliseconds(300)));  // no second run

  std::vector<nv1::ReproducibleAction> voted = NordActions();
  voted[1].set_vote_count(voted[1].vote_count() + 1);
  Submit("59", 3, voted);
  EXPECT_NE(logic_->View()->prefectures[nord]->action_set, first->action_set);
  List();
  gate.AwaitHeld();
  gate.Release();
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  EXPECT_EQ(gate.runs(), 2);
  EXPECT_EQ(List().groups(1).vote_count(), 4 + 1 + 6);  // the café: the Nord's and the Rhône's
}

// Another instance on the same store, which reads snapshots back instead
// of taking them as parsed, keeps its own action set as well.
TEST_F(GoodPracticesTest, AReplicaKeepsTheActionSetOfTheSameActions) {
  NationalLogic replica(&store_, &clock_, Unpaced());
  Submit("59", 1, NordActions());
  ASSERT_THAT(replica.Refresh(), IsOk());
  const int nord = DepartementIndex("59");
  const std::shared_ptr<const PrefectureEntry> first = replica.View()->prefectures[nord];
  ASSERT_NE(first, nullptr);
  nv1::SubmitPrefectureSnapshotRequest req;
  *req.mutable_snapshot() = MakeSnapshot(
      "59", 2, {MakeWorkshop("59", "w9", Utc(2024, 3, 1), {THEME_EDUCATION})}, NordActions());
  ASSERT_THAT(logic_->SubmitPrefectureSnapshot(req), IsOk());
  ASSERT_THAT(replica.Refresh(), IsOk());
  const std::shared_ptr<const PrefectureEntry> second = replica.View()->prefectures[nord];
  ASSERT_EQ(second->version, 2);
  EXPECT_EQ(second->action_set, first->action_set);
  Submit("59", 3, {});
  ASSERT_THAT(replica.Refresh(), IsOk());
  EXPECT_NE(replica.View()->prefectures[nord]->action_set, first->action_set);
}

TEST_F(BackgroundGroupingTest, OneRegroupAtATimeLaterRevisionsFolded) {
  GroupingGate& gate = UseGate(/*hold_run=*/2);
  LoadActions();
  List();
  WithdrawCafe(2);
  List();
  gate.AwaitHeld();
  // Three revisions, each listed, while the regroup of the first is held:
  // one more regroup, of the newest view, once it ends.
  WithdrawCafe(3);
  List();
  Submit("13", 2, {});
  List();
  WithdrawCafe(4);
  List();
  gate.Release();
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  EXPECT_EQ(gate.runs(), 3);
  EXPECT_EQ(gate.max_running(), 1);
  // Marseille withdrew its sponsorship: the Nord and the Rhône share it.
  EXPECT_EQ(List().groups(0).prefecture_count(), 2);
}

TEST_F(BackgroundGroupingTest, SameGroupsAsASynchronousGrouping) {
  UseGate(/*hold_run=*/0);
  LoadActions();
  List();
  WithdrawCafe(2);
  List();
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  std::vector<std::string> expected;
  const PracticeIndex sync = IndexActionSets(ActionSetsOf(*logic_->View()));
  for (const auto& g : sync.groups) expected.push_back(sync.Materialize(g).SerializeAsString());
  EXPECT_EQ(AllGroups(2), expected);
  EXPECT_EQ(AllGroups(1000), expected);
}

TEST_F(BackgroundGroupingTest, PageTokenCarriesOnAcrossARegroup) {
  UseGate(/*hold_run=*/0);
  LoadActions();
  nv1::ListGoodPracticesRequest req;
  req.set_page_size(1);
  const auto first = List(req);
  ASSERT_EQ(first.groups(0).title(), "PARRAINAGE DE JEUNES DIPLOMES");
  // The café group falls apart between two pages: the next page starts
  // after the sponsorship in the new order (the café's two singletons,
  // then the others by title), nothing twice, nothing skipped.
  WithdrawCafe(2);
  Submit("69", 3,
         {MakeAction("69", "w5", "c1", "Parrainage des jeunes diplômés", kParrainage,
                     {THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT}, 1),
          MakeAction("69", "w5", "c3", "Atelier vélo", "Un atelier de réparation de vélos.",
                     {THEME_CULTURE_SPORT}, 1)});
  List();
  ASSERT_TRUE(logic_->AwaitGroupingOf(logic_->View().get(), absl::Seconds(60)));
  req.set_page_token(first.next_page_token());
  std::vector<std::string> titles;
  for (int page = 0; page < 10; ++page) {
    const auto r = List(req);
    for (const auto& g : r.groups()) titles.push_back(g.title());
    if (r.next_page_token().empty()) break;
    req.set_page_token(r.next_page_token());
  }
  EXPECT_THAT(titles, ElementsAre("Atelier vélo", "Café des parents", "Fête de quartier",
                                  "Tournoi de football mixte"));
}

TEST_F(GoodPracticesTest, UnavailableOnceStopped) {
  LoadActions();
  logic_->Stop();
  EXPECT_THAT(logic_->ListGoodPractices({}), StatusIs(absl::StatusCode::kUnavailable));
}

// The action set of préfecture p's view entry, built from a stored snapshot.
std::shared_ptr<const ActionSet> Actions(const std::string& p,
                                         std::vector<nv1::ReproducibleAction> actions) {
  StoredSnapshot stored;
  stored.prefecture = p;
  stored.version = 1;
  stored.snapshot = MakeSnapshot(p, 1, {}, std::move(actions)).SerializeAsString();
  auto entry = BuildEntry(stored);
  EXPECT_THAT(entry, IsOk());
  return entry.ok() ? (*entry)->action_set : std::make_shared<ActionSet>();
}

// A bicycle workshop, and the same reworded by another préfecture.
constexpr char kVelo[] =
    "Un atelier de réparation de vélos au pied des immeubles avec les jeunes du quartier le "
    "samedi matin, des outils prêtés et un mécanicien bénévole.";
constexpr char kVeloReworded[] =
    "Un atelier de réparation des vélos au pied des immeubles, avec les jeunes du quartier, le "
    "samedi matin : outils prêtés, mécanicien bénévole.";

constexpr char kVeloOpening[] = "Un atelier de réparation de vélos au pied des immeubles n°";

// Every action of `entries`, in order: the input of a grouping.
std::vector<PracticeSource> SourcesOf(std::initializer_list<const ActionSet*> entries) {
  std::vector<PracticeSource> sources;
  for (const ActionSet* e : entries) {
    for (const auto& action : e->actions) sources.push_back({e, &action});
  }
  return sources;
}

// Titles live in the text blocks, before their texts: each comes back
// whole past the first block, and a block that could not be read ("")
// gives "" for both.
TEST(ActionSetTest, TitlesAndTextsComeBackFromTheirBlocks) {
  std::vector<nv1::ReproducibleAction> actions;
  const int n = 2 * kTextBlock + 5;
  for (int i = 0; i < n; ++i) {
    actions.push_back(MakeAction("59", "w1", absl::StrCat("c", i), absl::StrCat("Titre é ", i),
                                 i % 9 == 0 ? "" : absl::StrCat(kVeloOpening, i),
                                 {THEME_EDUCATION}));
  }
  const auto entry = Actions("59", actions);
  ASSERT_EQ(entry->actions.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const ActionRecord& a = entry->actions[i];
    EXPECT_EQ(entry->Title(a), actions[i].title()) << i;
    EXPECT_EQ(ActionSet::TextIn(entry->texts->Block(a.text.block), a), actions[i].text()) << i;
  }
  EXPECT_EQ(ActionSet::TitleIn("", entry->actions[1]), "");
  EXPECT_EQ(ActionSet::TextIn("", entry->actions[1]), "");
}

// An entry built with the one it replaces shares its action set when, and
// only when, its actions are the same in every field a set keeps; its
// figures are its own either way.
TEST(ActionSetTest, AnEntryKeepsTheActionSetOfTheSameActions) {
  const auto stored = [](int64_t version, std::vector<nv1::WorkshopFigures> workshops,
                         std::vector<nv1::ReproducibleAction> actions) {
    StoredSnapshot s;
    s.prefecture = "59";
    s.version = version;
    s.snapshot =
        MakeSnapshot("59", version, std::move(workshops), std::move(actions)).SerializeAsString();
    return s;
  };
  std::vector<nv1::ReproducibleAction> actions;
  for (int i = 0; i < kTextBlock + 3; ++i) {
    actions.push_back(MakeAction("59", "w1", absl::StrCat("c", i), absl::StrCat("Titre ", i),
                                 absl::StrCat(kVeloOpening, i), {THEME_EDUCATION}, i,
                                 {"QN05981M"}));
  }
  auto first = BuildEntry(stored(1, {}, actions));
  ASSERT_THAT(first, IsOk());
  auto again =
      BuildEntry(stored(2, {MakeWorkshop("59", "w1", Utc(2024, 3, 1), {THEME_EDUCATION})}, actions),
                 first->get());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->action_set, (*first)->action_set);
  EXPECT_EQ((*again)->workshop_count, 1);
  // Without the entry it replaces, a set of its own (equal to the first).
  auto alone = BuildEntry(stored(2, {}, actions));
  ASSERT_THAT(alone, IsOk());
  EXPECT_NE((*alone)->action_set, (*first)->action_set);
  EXPECT_TRUE((*alone)->action_set->SameAs(*(*first)->action_set));
  // Any one field changed, in the last block: a set of its own, which
  // shares the first one's texts unless a title or a text changed.
  const std::vector<std::pair<bool, std::function<void(nv1::ReproducibleAction&)>>> changes = {
      {true, [](auto& a) { a.set_vote_count(a.vote_count() + 1); }},
      {false, [](auto& a) { a.set_title(a.title() + "!"); }},
      {false, [](auto& a) { a.set_text(a.text() + "!"); }},
      {true, [](auto& a) { a.add_themes(THEME_CULTURE_SPORT); }},
      {true, [](auto& a) { a.set_qpv_codes(0, "QN05982M"); }},
      {true, [](auto& a) { a.set_contribution("prefectures/59/workshops/w2/contributions/c1"); }},
  };
  for (size_t c = 0; c < changes.size(); ++c) {
    std::vector<nv1::ReproducibleAction> changed = actions;
    changes[c].second(changed.back());
    auto next = BuildEntry(stored(3, {}, changed), first->get());
    ASSERT_THAT(next, IsOk());
    const ActionSet& set = *(*next)->action_set;
    EXPECT_NE(&set, (*first)->action_set.get()) << c;
    EXPECT_EQ(set.texts == (*first)->action_set->texts, changes[c].first) << c;
    EXPECT_EQ(set.SameTextsAs(*(*first)->action_set), changes[c].first) << c;
    EXPECT_EQ(set.Title(set.actions.back()), changed.back().title()) << c;
  }
  // One action fewer.
  actions.pop_back();
  auto fewer = BuildEntry(stored(4, {}, actions), first->get());
  ASSERT_THAT(fewer, IsOk());
  EXPECT_NE((*fewer)->action_set, (*first)->action_set);
}

TEST(GroupPracticesTest, ChainsJoinDuplicatesJoinEmptyTextsStayAlone) {
  // a ~ b (0.58) and b ~ c (0.55), but a and c alone are not alike (0.21).
  const std::string a = "Un atelier de réparation de vélos au pied des immeubles";
  const std::string b =
      "Un atelier de réparation de vélos au pied des immeubles avec les jeunes du quartier "
      "le samedi matin";
  const std::string c = "Un atelier de vélos avec les jeunes du quartier le samedi matin";
  ASSERT_LT(Jaccard(Shingles("Atelier vélo", a), Shingles("Atelier vélo", c)),
            kSimilarityThreshold);
  const auto nord = Actions("59", {MakeAction("59", "w1", "a", "Atelier vélo", a, {}, 1),
                                   MakeAction("59", "w1", "e", "Les", "de la", {})});
  const auto pdc = Actions("62", {MakeAction("62", "w1", "b", "Atelier vélo", b, {}, 1),
                                  MakeAction("62", "w1", "e", "Les", "de la", {})});
  const auto somme = Actions("80", {MakeAction("80", "w1", "c", "Atelier vélo", c, {}, 1),
                                    // The same text twice, and a third time in another case.
                                    MakeAction("80", "w2", "d1", "Fête", "Fête de quartier", {}),
                                    MakeAction("80", "w2", "d2", "Fête", "Fête de quartier", {}),
                                    MakeAction("80", "w3", "d3", "FÊTE", "fete de quartier", {})});
  const auto groups = GroupPractices(SourcesOf({nord.get(), pdc.get(), somme.get()}));
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].prefecture_count(), 3);
  EXPECT_EQ(groups[0].sources_size(), 3);
  EXPECT_EQ(groups[0].title(), "Atelier vélo");
  EXPECT_EQ(groups[1].sources_size(), 3);  // the three fêtes
  EXPECT_EQ(groups[1].prefecture_count(), 1);
  // Actions with no word are never grouped, not even with each other.
  EXPECT_EQ(groups[2].sources_size(), 1);
  EXPECT_EQ(groups[3].sources_size(), 1);
  EXPECT_EQ(groups[2].title(), "Les");
}

TEST(GroupPracticesTest, NamesAreRebuiltAndSortedAsFullNames) {
  // "2A" sorts after "29", and within a préfecture the workshop "w" before
  // "w-2" (as the full names do: '/' after '-').
  const auto corse =
      Actions("2A", {MakeAction("2A", "w", "c1", "Forum emploi", "Un forum", {}, 1)});
  const auto finistere =
      Actions("29", {MakeAction("29", "w-2", "c1", "Forum emploi", "Un forum", {}, 1),
                     MakeAction("29", "w", "c2", "Forum emploi", "Un forum", {}, 1)});
  EXPECT_EQ(finistere->ContributionName(finistere->actions[0]),
            "prefectures/29/workshops/w-2/contributions/c1");
  const auto groups = GroupPractices(SourcesOf({corse.get(), finistere.get()}));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_THAT(groups[0].sources(), ElementsAre("prefectures/29/workshops/w-2/contributions/c1",
                                               "prefectures/29/workshops/w/contributions/c2",
                                               "prefectures/2A/workshops/w/contributions/c1"));
  EXPECT_EQ(groups[0].text(), "Un forum");
}

// The grouping orders its groups without building their keys: the order
// is KeyBefore's all the same, through ties on counts and titles (names
// decide: "2A" after "29", workshop "w" before "w-2"), titles in byte
// order ("É" after "z"), across several text blocks.
TEST(GroupPracticesTest, GroupsAreInKeyOrder) {
  const char* const kTitles[] = {"Forum", "forum", "Écoute", "zumba", "Forum", "Atelier"};
  const char* const kTopics[] = {"couture", "poterie", "échecs", "théâtre", "cuisine",
                                 "robotique", "chorale", "jardinage", "photographie", "slam"};
  std::vector<std::shared_ptr<const ActionSet>> entries;
  for (const std::string p : {"2A", "29", "59"}) {
    std::vector<nv1::ReproducibleAction> actions;
    for (int i = 0; i < kTextBlock + 30; ++i) {
      // Texts shared across préfectures (i % 20 < 2) make groups of 3.
      // Otherwise alike in a few shingles only: every group is one action.
      const std::string text =
          i % 20 < 2 ? absl::StrCat("Partagé s", i * 7919, " t", i * 31, " u", i * 17 + 5)
                     : absl::StrCat("Atelier ", kTopics[i % 10], " ", p, "x", i * 7919, " ",
                                    p, "y", i * 31, " ", p, "z", i * 17 + 5);
      actions.push_back(MakeAction(p, i % 3 == 0 ? "w-2" : "w", absl::StrCat("c", i),
                                   kTitles[i % 6], text, {}, i % 4));
    }
    entries.push_back(Actions(p, actions));
  }
  const PracticeIndex index =
      IndexPractices(SourcesOf({entries[0].get(), entries[1].get(), entries[2].get()}));
  ASSERT_GT(index.groups.size(), 200u);
  EXPECT_EQ(index.groups[0].count, 3u);
  EXPECT_EQ(index.groups[10].count, 1u);
  for (size_t i = 1; i < index.groups.size(); ++i) {
    EXPECT_TRUE(KeyBefore(index.KeyOf(index.groups[i - 1]), index.KeyOf(index.groups[i])))
        << i << ": " << index.KeyOf(index.groups[i - 1]).title << " / "
        << index.KeyOf(index.groups[i]).first_source;
    // A cursor's search compares its key with the groups as KeyBefore does.
    EXPECT_TRUE(index.Before(index.KeyOf(index.groups[i - 1]), index.groups[i])) << i;
    EXPECT_FALSE(index.Before(index.KeyOf(index.groups[i]), index.groups[i - 1])) << i;
    EXPECT_FALSE(index.Before(index.KeyOf(index.groups[i]), index.groups[i])) << i;
  }
}

// At scale, phrasing shared by many actions of a préfecture ("L'objectif est
// de...", the same partners) must neither hide real rewordings nor group
// unrelated actions.
TEST(GroupPracticesTest, CommonPhrasingNeitherHidesNorMakesGroups) {
  const std::string boilerplate =
      " L'objectif est de mobiliser les habitants du quartier avec le centre social, la "
      "mission locale et le conseil citoyen.";
  const char* const kTopics[] = {"couture", "poterie", "échecs", "théâtre", "cuisine",
                                 "robotique", "chorale", "jardinage", "photographie", "slam"};
  std::vector<nv1::ReproducibleAction> nord;
  for (int i = 0; i < 400; ++i) {
    const std::string topic = absl::StrCat(kTopics[i % 10], " ", i);
    nord.push_back(MakeAction("59", "w1", absl::StrCat("c", i), absl::StrCat("Atelier ", topic),
                              absl::StrCat("Un atelier de ", topic, " numéro ", i * 7919,
                                           " tous les mardis.", boilerplate),
                              {}, 1));
  }
  nord.push_back(MakeAction("59", "w2", "velo", "Atelier vélo solidaire", kVelo + boilerplate, {}, 1));
  const auto e59 = Actions("59", std::move(nord));
  const auto e62 = Actions(
      "62", {MakeAction("62", "w1", "velo", "Atelier de vélos solidaire", kVeloReworded, {}, 1)});
  const auto groups = GroupPractices(SourcesOf({e59.get(), e62.get()}));
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups[0].prefecture_count(), 2);
  EXPECT_THAT(groups[0].sources(), ElementsAre("prefectures/59/workshops/w2/contributions/velo",
                                               "prefectures/62/workshops/w1/contributions/velo"));
  // The 400 workshops share a sentence and a word, not what they do.
  EXPECT_EQ(groups.size(), 401u);
}

// One action reworded 104 times across 13 préfectures (8 each: too few for
// its words to be common in any of them) fills buckets of more than
// kCrowdedBucket actions in most bands, where a pair is compared only if it
// shares a second band and only in the first band where it meets: those
// that a band's largest bucket misses must still join in a later band.
TEST(GroupPracticesTest, RewordingsJoinThroughCrowdedBuckets) {
  constexpr int kPrefectures = 13, kEach = 8;
  std::vector<std::shared_ptr<const ActionSet>> entries;
  for (int p = 0; p < kPrefectures; ++p) {
    const std::string code = absl::StrFormat("%02d", p + 1);
    std::vector<nv1::ReproducibleAction> actions;
    for (int i = 0; i < kEach; ++i) {
      const int n = p * kEach + i;
      // Two words of its own: each action's set differs from the others'.
      actions.push_back(MakeAction(code, "w1", absl::StrCat("c", i), "Atelier vélo solidaire",
                                   absl::StrCat(kVelo, " Avec m", n, "q et r", n, "z."), {}, 1));
    }
    entries.push_back(Actions(code, std::move(actions)));
  }
  std::vector<PracticeSource> sources;
  for (const auto& e : entries) {
    for (const auto& action : e->actions) sources.push_back({e.get(), &action});
  }
  const auto groups = GroupPractices(std::move(sources));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].sources_size(), kPrefectures * kEach);
  EXPECT_EQ(groups[0].prefecture_count(), kPrefectures);
}

// The index keeps its members as ids (an entry's first id plus the
// action's place): with some actions of each entry, given out of order,
// every member still names its own action.
TEST(GroupPracticesTest, MembersOfSomeActionsInAnyOrderNameTheirOwn) {
  const auto lille =
      Actions("59", {MakeAction("59", "w1", "a", "Vélo", kVelo, {}, 3),
                     MakeAction("59", "w1", "b", "Fête", "Une fête de quartier.", {}),
                     MakeAction("59", "w2", "c", "Vélo", kVeloReworded, {}, 1)});
  const auto arras = Actions("62", {MakeAction("62", "w7", "d", "Café", "Un café des parents.", {}),
                                    MakeAction("62", "w7", "e", "Vélo", kVelo, {}, 5)});
  const PracticeIndex index = IndexPractices({{arras.get(), &arras->actions[1]},
                                              {lille.get(), &lille->actions[2]},
                                              {arras.get(), &arras->actions[0]},
                                              {lille.get(), &lille->actions[0]}});
  ASSERT_EQ(index.groups.size(), 2u);
  const nv1::GoodPracticeGroup velo = index.Materialize(index.groups[0]);
  EXPECT_THAT(velo.sources(), ElementsAre("prefectures/59/workshops/w1/contributions/a",
                                          "prefectures/59/workshops/w2/contributions/c",
                                          "prefectures/62/workshops/w7/contributions/e"));
  EXPECT_EQ(velo.vote_count(), 9);
  EXPECT_EQ(velo.text(), kVelo);  // arras's, the most voted
  const PracticeSource best = index.SourceOf(index.groups[0].best);
  EXPECT_EQ(best.set, arras.get());
  EXPECT_EQ(best.action, &arras->actions[1]);
  EXPECT_THAT(index.Materialize(index.groups[1]).sources(),
              ElementsAre("prefectures/62/workshops/w7/contributions/d"));
}

// Sets whose texts did not change (votes did) keep the groups of the
// grouping given as previous, whatever order it took the actions in, and
// compare no text: from a grouping that joined only exact duplicates (a
// threshold no rewording reaches), the two bicycle workshops stay apart.
// Once a text changes, the previous grouping is not used.
TEST(GroupPracticesTest, VotesAloneKeepThePreviousGroups) {
  const auto nord = [](int votes) {
    return Actions("59", {MakeAction("59", "w1", "a", "Vélo", kVelo, {THEME_EDUCATION}, votes),
                          MakeAction("59", "w1", "b", "Parrainage", kParrainage, {}, 1),
                          MakeAction("59", "w2", "c", "Fête", "Une fête de quartier.", {}, 2)});
  };
  const auto pas_de_calais = [](const std::string& velo) {
    return Actions("62", {MakeAction("62", "w2", "c", "Fête", "Une fête de quartier.", {}, 2),
                          MakeAction("62", "w1", "a", "Vélo", velo, {THEME_EDUCATION}, 5),
                          MakeAction("62", "w1", "b", "Parrainage", kParrainage, {}, 1)});
  };
  // Not an exact duplicate: more words.
  const std::string velo = std::string(kVelo) + " Les vélos réparés vont aux familles.";
  const ActionSets before = {nord(1), Actions("2A", {}), pas_de_calais(velo)};
  const ActionSets after = {nord(9), Actions("2A", {}), pas_de_calais(velo)};
  ASSERT_TRUE(SameTexts(after, before));
  const auto messages = [](const PracticeIndex& index) {
    std::vector<std::string> out;
    for (const auto& g : index.groups) out.push_back(index.Materialize(g).SerializeAsString());
    return out;
  };
  const PracticeIndex fresh = IndexActionSets(after);
  ASSERT_EQ(fresh.groups.size(), 3u);  // each action in both préfectures
  const PracticeIndex grouped = IndexActionSets(before);
  EXPECT_EQ(messages(IndexActionSets(after, {&before, &grouped})), messages(fresh));

  std::vector<PracticeSource> backwards;
  for (auto set = before.rbegin(); set != before.rend(); ++set) {
    const auto& actions = (*set)->actions;
    for (auto a = actions.rbegin(); a != actions.rend(); ++a)
      backwards.push_back({set->get(), &*a});
  }
  const PracticeIndex duplicates = IndexPractices(backwards, /*threshold=*/1.1);
  ASSERT_EQ(duplicates.groups.size(), 4u);
  const PracticeIndex kept = IndexActionSets(after, {&before, &duplicates});
  EXPECT_TRUE(kept.joins_kept);
  EXPECT_FALSE(fresh.joins_kept);
  std::vector<std::vector<std::string>> sources;
  for (const auto& g : kept.groups) {
    const auto m = kept.Materialize(g);
    sources.emplace_back(m.sources().begin(), m.sources().end());
    if (m.sources_size() == 1) {
      EXPECT_EQ(m.vote_count(), absl::StrContains(m.sources(0), "/59/") ? 9 : 5);
    }
  }
  const std::string w = "/workshops/w";
  EXPECT_THAT(sources, ElementsAre(ElementsAre("prefectures/59" + w + "2/contributions/c",
                                               "prefectures/62" + w + "2/contributions/c"),
                                   ElementsAre("prefectures/59" + w + "1/contributions/b",
                                               "prefectures/62" + w + "1/contributions/b"),
                                   ElementsAre("prefectures/59" + w + "1/contributions/a"),
                                   ElementsAre("prefectures/62" + w + "1/contributions/a")));

  ActionSets reworded = after;
  reworded[2] = pas_de_calais(velo + " Le dimanche aussi.");
  EXPECT_FALSE(SameTexts(reworded, before));
  EXPECT_FALSE(IndexActionSets(reworded, {&before, &duplicates}).joins_kept);
  EXPECT_EQ(messages(IndexActionSets(reworded, {&before, &duplicates})),
            messages(IndexActionSets(reworded)));
  EXPECT_FALSE(SameTexts({after[0], after[2]}, before));
}

// Past the first 65,536 distinct shingles the grouping stores them as
// 32-bit values, with differences of 4 bytes: rewordings must still join
// whether their sets hold ids, such values or both.
TEST(GroupPracticesTest, GroupsBeyondTheShingleDictionary) {
  std::vector<nv1::ReproducibleAction> nord = {
      MakeAction("59", "w0", "velo", "Atelier vélo solidaire", kVelo, {}, 1)};
  // 1,200 actions of 30 words found nowhere else: ~71,000 distinct shingles.
  constexpr int kFillers = 1200;
  for (int i = 0; i < kFillers; ++i) {
    std::string text;
    for (int k = 0; k < 30; ++k) absl::StrAppend(&text, " m", i, "q", k);
    nord.push_back(MakeAction("59", "w1", absl::StrCat("c", i), absl::StrCat("t", i, "z"), text,
                              {}, 1));
  }
  const auto e59 = Actions("59", std::move(nord));
  // Read after the dictionary is full: the vélo rewording's new words and
  // both kermesses' are stored as 32-bit values.
  const auto e62 = Actions(
      "62", {MakeAction("62", "w1", "velo", "Atelier de vélos solidaire", kVeloReworded, {}, 1),
             MakeAction("62", "w2", "k1", "Kermesse interculturelle",
                        "Une kermesse interculturelle sur le parvis avec des stands tenus par "
                        "les associations du quartier.",
                        {}, 1),
             MakeAction("62", "w2", "k2", "Kermesse interculturelle",
                        "Une kermesse interculturelle sur le parvis, des stands tenus par les "
                        "associations des quartiers.",
                        {}, 1)});
  const auto groups = GroupPractices(SourcesOf({e59.get(), e62.get()}));
  ASSERT_EQ(groups.size(), kFillers + 2u);
  EXPECT_THAT(groups[0].sources(), ElementsAre("prefectures/59/workshops/w0/contributions/velo",
                                               "prefectures/62/workshops/w1/contributions/velo"));
  EXPECT_THAT(groups[1].sources(), ElementsAre("prefectures/62/workshops/w2/contributions/k1",
                                               "prefectures/62/workshops/w2/contributions/k2"));
  EXPECT_EQ(groups[2].sources_size(), 1);
}

}  // namespace
}  // namespace qpv::national
