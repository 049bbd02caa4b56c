#include "bench/scenario_registry.h"

#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace qpv::bench {
namespace {

// A weighted mix of scenarios of one service. A part's unmeasured
// preparation call is always followed by that part's next call on the same
// slot, so sequences stay whole.
class MixScenario : public Scenario {
 public:
  struct Part {
    std::unique_ptr<Scenario> scenario;
    int weight;
  };
  explicit MixScenario(std::vector<Part> parts) : parts_(std::move(parts)) {
    for (const auto& p : parts_) total_ += p.weight;
  }

  std::vector<std::string> labels() const override {
    std::vector<std::string> out;
    for (const auto& p : parts_) out.push_back(p.scenario->labels()[0]);
    return out;
  }

  std::string AuxService() const override {
    for (const auto& p : parts_) {
      if (!p.scenario->AuxService().empty()) return p.scenario->AuxService();
    }
    return "";
  }

  absl::Status Setup(Fixtures& f, int slots, int64_t calls_hint) override {
    for (auto& p : parts_) {
      absl::Status s = p.scenario->Setup(f, slots, calls_hint * p.weight / total_ + 1);
      if (!s.ok()) return s;
    }
    pending_.assign(slots, -1);
    rngs_.clear();
    for (int i = 0; i < slots; ++i) rngs_.emplace_back(static_cast<unsigned>(i + 1));
    return absl::OkStatus();
  }

  Call Next(int slot) override {
    int part = pending_[slot];
    if (part < 0) {
      int r = static_cast<int>(rngs_[slot]() % total_);
      part = 0;
      while (r >= parts_[part].weight) r -= parts_[part++].weight;
    }
    Call call = parts_[part].scenario->Next(slot);
    call.label = part;
    pending_[slot] = call.measured ? -1 : part;
    return call;
  }

  void OnMeasureStart() override {
    for (auto& p : parts_) p.scenario->OnMeasureStart();
  }
  void OnMeasureEnd() override {
    for (auto& p : parts_) p.scenario->OnMeasureEnd();
  }
  void Stop() override {
    for (auto& p : parts_) p.scenario->Stop();
  }
  std::string ExtraJson() const override {
    std::vector<std::string> members;
    for (const auto& p : parts_) {
      const std::string extra = p.scenario->ExtraJson();
      if (!extra.empty())
        members.push_back(absl::StrCat("\"", p.scenario->labels()[0], "\":{", extra, "}"));
    }
    if (members.empty()) return "";
    return absl::StrCat("\"parts\":{", absl::StrJoin(members, ","), "}");
  }

 private:
  std::vector<Part> parts_;
  int total_ = 0;
  std::vector<int> pending_;            // per slot: the part owing its measured call, or -1
  std::vector<std::minstd_rand> rngs_;  // per slot: no shared state between threads
};

}  // namespace

const std::vector<ScenarioInfo>& AllScenarios() {
  static const auto* all = new std::vector<ScenarioInfo>{
      {"echo", "echo", "the baseline: Echo of a 100-byte payload (--payload-bytes)",
       NewEchoScenario},
      {"CreateContribution", "workshop",
       "the write path: a new contribution (own request_id) to one of 4 scheduled workshops",
       NewCreateContributionScenario},
      {"GetWorkshop", "workshop",
       "the read path: GetWorkshop over 16 workshops (served from the workshop's cache once "
       "read)",
       NewGetWorkshopScenario},
      {"GetWorkshopFromRedis", "workshop",
       "the same reads from a workshop whose cache is off (QPV_WORKSHOP_CACHE=0): one HGETALL "
       "per call, as a cache miss",
       NewGetWorkshopScenario},
      {"ListContributions", "workshop",
       "first page (50) of a workshop holding 120 contributions; nothing writes to it during "
       "the run, so the page is served from the workshop's memory once read "
       "(QPV_WORKSHOP_PAGE_CACHE)",
       NewListContributionsScenario},
      {"ListContributionsFromRedis", "workshop",
       "the same page from a workshop whose caches are off (QPV_WORKSHOP_CACHE=0): one script "
       "per call, as after every write to the workshop",
       NewListContributionsScenario},
      {"RegisterParticipant", "workshop",
       "a new person (with consent) registers to one workshop of capacity 100 per call "
       "(contention; persons from a pool created at setup, see --pool)",
       NewRegisterParticipantScenario},
      {"VoteContribution", "workshop",
       "200 registered persons vote, each pair (person, contribution) once",
       NewVoteContributionScenario},
      {"GetWorkshopReportCached", "reporting",
       "the report of one of 8 workshops (30 registered, 20 attended, 12 contributions), "
       "served from reporting's cache",
       [](const ScenarioOptions& o) { return NewWorkshopReportScenario(o, true); }},
      {"GetWorkshopReportUncached", "reporting",
       "the same report rebuilt on every call: an unmeasured UpdateContribution moves the "
       "workshop's revision first",
       [](const ScenarioOptions& o) { return NewWorkshopReportScenario(o, false); }},
      {"SubmitPrefectureSnapshot", "national",
       "a newer snapshot of one of the 101 préfectures per call", NewSubmitSnapshotScenario},
      {"GetNationalDashboard", "national", "the unfiltered dashboard, 101 préfectures loaded",
       NewNationalDashboardScenario},
      {"WatchNationalDashboard", "national",
       "--watchers streams open while snapshots are submitted; reports the submissions and "
       "the updates the watchers receive",
       NewWatchDashboardScenario},
  };
  return *all;
}

const ScenarioInfo* FindScenario(absl::string_view name) {
  for (const auto& info : AllScenarios()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

absl::StatusOr<MadeScenario> MakeScenario(absl::string_view spec, const ScenarioOptions& options) {
  std::vector<MixScenario::Part> parts;
  std::string service;
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, '=');
    int weight = 1;
    if (!kv.second.empty() && (!absl::SimpleAtoi(kv.second, &weight) || weight < 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--scenario: the weight of '", kv.first, "' must be a positive integer"));
    }
    const ScenarioInfo* info = FindScenario(kv.first);
    if (info == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("--scenario: unknown scenario '", kv.first,
                                                     "' (qpv-bench --list names them)"));
    }
    if (!service.empty() && info->service != service) {
      return absl::InvalidArgumentError(absl::StrCat("--scenario: a mix drives one service; '",
                                                     kv.first, "' drives ", info->service, ", not ",
                                                     service));
    }
    service = info->service;
    parts.push_back({info->make(options), weight});
  }
  if (parts.empty()) return absl::InvalidArgumentError("--scenario is required");
  if (parts.size() == 1 && spec.find('=') == absl::string_view::npos) {
    return MadeScenario{std::move(parts[0].scenario), service};
  }
  return MadeScenario{std::make_unique<MixScenario>(std::move(parts)), service};
}

}  // namespace qpv::bench
