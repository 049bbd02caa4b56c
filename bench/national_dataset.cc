#include "bench/national_dataset.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "bench/action_texts.h"
#include "common/territory/territory.h"
#include "common/util/clock.h"

namespace qpv::bench {
namespace {

namespace cv1 = ::qpv::common::v1;
namespace nv1 = ::qpv::national::v1;
namespace wv1 = ::qpv::workshop::v1;

// QPV per département, 2024 list (ANCT, shared/data/qpv.csv): the weight of
// each préfecture.
// clang-format off
const absl::flat_hash_map<std::string, int>& QpvCounts() {
  static const auto* counts = new absl::flat_hash_map<std::string, int>{
    {"01", 7}, {"02", 17}, {"03", 6}, {"04", 3}, {"05", 1}, {"06", 14}, {"07", 5}, {"08", 8},
    {"09", 3}, {"10", 10}, {"11", 10}, {"12", 5}, {"13", 71}, {"14", 8}, {"15", 1}, {"16", 6},
    {"17", 7}, {"18", 4}, {"19", 3}, {"21", 6}, {"22", 7}, {"23", 1}, {"24", 5}, {"25", 17},
    {"26", 12}, {"27", 12}, {"28", 11}, {"29", 9}, {"30", 17}, {"31", 19}, {"32", 1}, {"33", 25},
    {"34", 21}, {"35", 6}, {"36", 4}, {"37", 15}, {"38", 24}, {"39", 4}, {"40", 5}, {"41", 4},
    {"42", 24}, {"43", 2}, {"44", 19}, {"45", 19}, {"46", 1}, {"47", 7}, {"48", 1}, {"49", 15},
    {"50", 7}, {"51", 13}, {"52", 4}, {"53", 3}, {"54", 18}, {"55", 3}, {"56", 9}, {"57", 26},
    {"58", 4}, {"59", 94}, {"60", 19}, {"61", 7}, {"62", 64}, {"63", 7}, {"64", 4}, {"65", 4},
    {"66", 10}, {"67", 24}, {"68", 11}, {"69", 48}, {"70", 5}, {"71", 12}, {"72", 7}, {"73", 3},
    {"74", 6}, {"75", 21}, {"76", 29}, {"77", 25}, {"78", 22}, {"79", 5}, {"80", 10}, {"81", 11},
    {"82", 5}, {"83", 23}, {"84", 23}, {"85", 4}, {"86", 6}, {"87", 9}, {"88", 6}, {"89", 7},
    {"90", 7}, {"91", 47}, {"92", 19}, {"93", 75}, {"94", 47}, {"95", 42}, {"2A", 3}, {"2B", 2},
    {"971", 19}, {"972", 9}, {"973", 29}, {"974", 57}, {"976", 17}};
  return *counts;
}
// clang-format on

// Index i of a weighted list: weights need not sum to 1.
template <size_t N>
int Weighted(Rng& rng, const double (&weights)[N]) {
  double total = 0;
  for (double w : weights) total += w;
  double x = rng.Unit() * total;
  for (size_t i = 0; i < N; ++i) {
    if (x < weights[i]) return static_cast<int>(i);
    x -= weights[i];
  }
  return N - 1;
}

// Themes 1..11.
constexpr double kThemeWeights[] = {20, 8, 8, 10, 12, 8, 10, 8, 8, 5, 3};
// Categories 1..10: local authority, association, social landlord, citizen
// council, adult relay, resource center, state service, business,
// resident, other.
constexpr double kCategoryWeights[] = {18, 30, 8, 12, 6, 3, 6, 3, 12, 2};
// Kinds 1..5: idea, action, good practice, obstacle, recommendation.
constexpr double kKindWeights[] = {35, 25, 15, 15, 10};
// Chance that a contribution of kind 1..5 is flagged reproducible, at a
// reproducible_share of 0.10.
constexpr double kReproducible[] = {0, 0.18, 0.35, 0, 0.04};

cv1::Theme RandomTheme(Rng& rng) { return static_cast<cv1::Theme>(1 + Weighted(rng, kThemeWeights)); }
cv1::ActorCategory RandomCategory(Rng& rng) {
  return static_cast<cv1::ActorCategory>(1 + Weighted(rng, kCategoryWeights));
}

// 16 lowercase base32 characters starting with a letter, as IdGenerator.
std::string NewId(Rng& rng) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string id(16, 'a');
  uint64_t bits = rng.Next();
  id[0] = kAlphabet[bits % 26];
  for (int i = 1; i < 16; ++i) {
    if (i == 12) bits = rng.Next();
    bits >>= 5;
    id[i] = kAlphabet[bits & 31];
  }
  return id;
}

// "QN05907M": QN, the département on three characters, a number, M.
std::string QpvCode(const std::string& departement, int n) {
  const std::string d = departement.size() == 3 ? departement : absl::StrCat("0", departement);
  return absl::StrCat("QN", d, n < 10 ? "0" : "", n, "M");
}

struct WorkshopDraw {
  std::string id;
  wv1::Workshop::State state = wv1::Workshop::STATE_REPORTED;
  absl::Time start;
  std::vector<cv1::Theme> themes;
  int64_t contributions = 0;
};

}  // namespace

std::vector<int64_t> Apportion(int64_t total, const std::vector<double>& weights) {
  std::vector<int64_t> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (weights.empty() || sum <= 0) return out;
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double exact = total * weights[i] / sum;
    out[i] = static_cast<int64_t>(std::floor(exact));
    given += out[i];
    remainders.push_back({exact - out[i], i});
  }
  // Largest remainders first; ties by position, so the result is stable.
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t k = 0; given < total; k = (k + 1) % remainders.size(), ++given) {
    ++out[remainders[k].second];
  }
  return out;
}

DatasetPlan MakePlan(const DatasetOptions& options) {
  DatasetPlan plan;
  plan.options = options;
  std::vector<double> workshop_weights;
  for (const auto& d : territory::Departements()) {
    PrefecturePlan p;
    p.code = std::string(d.code);
    auto it = QpvCounts().find(p.code);
    p.qpv_count = it == QpvCounts().end() ? 1 : it->second;
    workshop_weights.push_back(p.qpv_count + 2.0);
    plan.prefectures.push_back(std::move(p));
  }
  const std::vector<int64_t> workshops = Apportion(options.workshops, workshop_weights);
  std::vector<double> contribution_weights;
  for (size_t i = 0; i < plan.prefectures.size(); ++i) {
    plan.prefectures[i].workshops = workshops[i];
    // Bigger workshops where there are more QPV.
    contribution_weights.push_back(workshops[i] *
                                   (1.0 + 0.08 * std::log2(1.0 + plan.prefectures[i].qpv_count)));
  }
  const std::vector<int64_t> contributions = Apportion(options.contributions, contribution_weights);
  for (size_t i = 0; i < plan.prefectures.size(); ++i) {
    plan.prefectures[i].contributions = contributions[i];
  }
  return plan;
}

nv1::PrefectureSnapshot BuildSnapshot(const DatasetPlan& plan, int index, int64_t version,
                                      uint64_t salt) {
  const PrefecturePlan& p = plan.prefectures[index];
  const DatasetOptions& o = plan.options;
  // Workshops (names, dates, states, sizes) from one stream, the details
  // (attendance, cells, actions) from another that the salt changes.
  Rng rng(MixSeed(o.seed, static_cast<uint64_t>(index)));
  Rng details(MixSeed(MixSeed(o.seed, static_cast<uint64_t>(index)), salt + 1));

  std::vector<WorkshopDraw> draws(p.workshops);
  const int64_t days = std::max<int64_t>(1, (o.period_end - o.period_start) / absl::Hours(24));
  std::vector<double> weights(draws.size(), 0);
  for (size_t i = 0; i < draws.size(); ++i) {
    WorkshopDraw& w = draws[i];
    w.id = NewId(rng);
    const double u = rng.Unit();
    // The first workshop is always held, so each préfecture has contributions.
    w.state = (u < 0.06 && i > 0)   ? wv1::Workshop::STATE_SCHEDULED
              : u < 0.28 ? wv1::Workshop::STATE_HELD
                         : wv1::Workshop::STATE_REPORTED;
    const int64_t day = w.state == wv1::Workshop::STATE_SCHEDULED
                            ? days - 1 - static_cast<int64_t>(rng.Below(45))
                            : static_cast<int64_t>(rng.Below(days));
    w.start = o.period_start + absl::Hours(24 * day + 9 + rng.Below(10));
    w.themes.push_back(RandomTheme(rng));
    if (rng.Chance(0.4)) {
      const cv1::Theme second = RandomTheme(rng);
      if (second != w.themes[0]) w.themes.push_back(second);
    }
    if (w.state != wv1::Workshop::STATE_SCHEDULED) weights[i] = rng.LogNormal(1.0, 0.45);
  }
  const std::vector<int64_t> sizes = Apportion(p.contributions, weights);
  for (size_t i = 0; i < draws.size(); ++i) draws[i].contributions = sizes[i];

  nv1::PrefectureSnapshot s;
  s.set_prefecture(p.code);
  s.set_version(version);
  *s.mutable_build_time() = ToProto(absl::Now());
  const double reproducible_scale = o.reproducible_share / 0.10;
  const std::string prefix = absl::StrCat("prefectures/", p.code, "/workshops/");
  std::vector<nv1::ReproducibleAction> actions;
  for (const WorkshopDraw& w : draws) {
    nv1::WorkshopFigures* f = s.add_workshops();
    const std::string name = prefix + w.id;
    f->set_workshop(name);
    f->set_state(w.state);
    for (cv1::Theme t : w.themes) f->add_themes(t);
    *f->mutable_start_time() = ToProto(w.start);
    const int64_t c = w.contributions;
    int64_t attended = 0;
    if (w.state != wv1::Workshop::STATE_SCHEDULED) {
      attended = std::max<int64_t>(8, std::llround(c / (3.5 + 2.5 * details.Unit())));
      f->set_registered_count(attended + std::llround(attended * (0.05 + 0.25 * details.Unit())));
      f->set_representativeness_index(std::round((0.4 + 0.55 * details.Unit()) * 100) / 100);
    } else {
      f->set_registered_count(10 + details.Below(50));
    }
    f->set_attended_count(attended);
    f->set_contribution_count(c);
    std::array<int64_t, 11> by_category{};
    for (int64_t k = 0; k < attended; ++k) ++by_category[RandomCategory(details)];
    for (int k = 1; k < 11; ++k) {
      if (by_category[k] == 0) continue;
      cv1::CategoryCount* cc = f->add_attendance_by_category();
      cc->set_category(static_cast<cv1::ActorCategory>(k));
      cc->set_count(by_category[k]);
    }
    std::map<std::tuple<int, int, int>, int64_t> cells;  // (theme, kind, category)
    for (int64_t k = 0; k < c; ++k) {
      const int kind = 1 + Weighted(details, kKindWeights);
      const cv1::ActorCategory category = RandomCategory(details);
      const bool reproducible = details.Chance(kReproducible[kind - 1] * reproducible_scale);
      ActionText text;
      cv1::Theme first = details.Chance(0.9) ? w.themes[details.Below(w.themes.size())]
                                             : RandomTheme(details);
      if (reproducible) {
        text = MakeActionText(details);
        first = text.theme;
      }
      cv1::Theme second = cv1::THEME_UNSPECIFIED;
      if (details.Chance(0.25)) {
        second = RandomTheme(details);
        if (second == first) second = cv1::THEME_UNSPECIFIED;
      }
      ++cells[{0, kind, category}];
      ++cells[{first, kind, category}];
      if (second != cv1::THEME_UNSPECIFIED) ++cells[{second, kind, category}];
      if (!reproducible) continue;
      nv1::ReproducibleAction a;
      a.set_contribution(absl::StrCat(name, "/contributions/", NewId(details)));
      a.set_title(std::move(text.title));
      a.set_text(std::move(text.text));
      a.add_themes(first);
      if (second != cv1::THEME_UNSPECIFIED) a.add_themes(second);
      a.add_qpv_codes(QpvCode(p.code, 1 + static_cast<int>(details.Below(p.qpv_count))));
      if (p.qpv_count > 1 && details.Chance(0.15)) {
        const std::string other = QpvCode(p.code, 1 + static_cast<int>(details.Below(p.qpv_count)));
        if (other != a.qpv_codes(0)) a.add_qpv_codes(other);
      }
      a.set_kind(static_cast<wv1::Contribution::Kind>(kind));
      a.set_vote_count(std::min<int64_t>(500, std::llround(details.LogNormal(4, 1.0))));
      a.set_organization_category(category);
      actions.push_back(std::move(a));
    }
    for (const auto& [key, count] : cells) {
      nv1::ContributionCell* cell = f->add_contribution_cells();
      cell->set_theme(static_cast<cv1::Theme>(std::get<0>(key)));
      cell->set_kind(static_cast<wv1::Contribution::Kind>(std::get<1>(key)));
      cell->set_category(static_cast<cv1::ActorCategory>(std::get<2>(key)));
      cell->set_count(count);
    }
  }
  // As reporting's snapshot builder: workshops and actions by name.
  std::sort(s.mutable_workshops()->begin(), s.mutable_workshops()->end(),
            [](const auto& a, const auto& b) { return a.workshop() < b.workshop(); });
  std::sort(actions.begin(), actions.end(),
            [](const auto& a, const auto& b) { return a.contribution() < b.contribution(); });
  s.mutable_reproducible_actions()->Reserve(static_cast<int>(actions.size()));
  for (auto& a : actions) *s.add_reproducible_actions() = std::move(a);
  return s;
}

}  // namespace qpv::bench
