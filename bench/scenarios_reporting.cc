// GetWorkshopReport, cached and uncached, on workshops the size of the Nord
// 2018 ones scaled down: 30 registered persons of 8 actor categories, 20 of
// them attended, 12 contributions (half reproducible) with their
// organizations.
//
// Cached: the reports of 8 such workshops, served from reporting's cache
// once warm-up built them (one GetWorkshop to check the revision).
// Uncached: each slot owns one workshop and, before each measured report,
// makes an unmeasured UpdateContribution there; the workshop's revision moves
// so every measured report is rebuilt from the workshop and stakeholder
// services. (The preparation call's own Redis commands show in the per-call
// Redis figures.)
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/fixtures.h"
#include "bench/scenarios.h"
#include "qpv/reporting/v1/reporting_service.pb.h"
#include "qpv/workshop/v1/workshop_service.pb.h"

namespace qpv::bench {
namespace {

namespace rv1 = ::qpv::reporting::v1;
namespace wv1 = ::qpv::workshop::v1;

constexpr int kPersons = 30;
constexpr int kAttended = 20;
constexpr int kContributions = 12;
constexpr int kMaxUncachedWorkshops = 64;

struct ReportWorkshop {
  std::string name;
  std::string contribution;  // the one the uncached scenario edits
};

// One workshop with its registrations, attendance and contributions.
absl::StatusOr<ReportWorkshop> BuildWorkshop(Fixtures& f, const std::vector<std::string>& persons,
                                             const std::vector<std::string>& orgs) {
  auto w = f.CreateScheduledWorkshop(kPersons + 10);
  if (!w.ok()) return w.status();
  for (int i = 0; i < kPersons; ++i) {
    auto reg = f.RegisterParticipant(*w, persons[i]);
    if (!reg.ok()) return reg.status();
    if (i < kAttended) {
      if (auto s = f.RecordAttendance(*reg); !s.ok()) return s;
    }
  }
  ReportWorkshop out{*w, ""};
  for (int i = 0; i < kContributions; ++i) {
    auto c = f.CreateContribution(*w, i, orgs[i % orgs.size()]);
    if (!c.ok()) return c.status();
    if (i == 0) out.contribution = *c;
  }
  return out;
}

class WorkshopReportScenario : public SingleScenario {
 public:
  WorkshopReportScenario(const ScenarioOptions& o, bool cached)
      : SingleScenario(cached ? "GetWorkshopReport (cached)" : "GetWorkshopReport (uncached)"),
        cached_(cached),
        threads_(o.setup_threads) {}

  absl::Status Setup(Fixtures& f, int slots, int64_t) override {
    // The contributions' organizations (the persons get 8 others).
    std::vector<std::string> orgs;
    for (auto category :
         {common::v1::ACTOR_CATEGORY_ASSOCIATION, common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY,
          common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL}) {
      auto org = f.CreateOrganization(category);
      if (!org.ok()) return org.status();
      orgs.push_back(*org);
    }
    auto persons = f.CreatePersons(kPersons, threads_);
    if (!persons.ok()) return persons.status();
    const int n = cached_ ? 8 : std::min(slots, kMaxUncachedWorkshops);
    workshops_.resize(n);
    absl::Status s = Fixtures::ParallelFor(n, threads_, [&](int i) -> absl::Status {
      auto w = BuildWorkshop(f, *persons, orgs);
      if (!w.ok()) return w.status();
      workshops_[i] = *w;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    for (const auto& w : workshops_) {
      rv1::GetWorkshopReportRequest req;
      req.set_workshop(w.name);
      reports_.push_back(req.SerializeAsString());
    }
    prepared_.assign(slots, false);
    edits_.assign(slots, 0);
    return absl::OkStatus();
  }

  std::string AuxService() const override { return cached_ ? "" : "workshop"; }

  Call Next(int slot) override {
    const size_t w = cached_ ? next_++ % workshops_.size() : slot % workshops_.size();
    if (!cached_ && !prepared_[slot]) {
      prepared_[slot] = true;
      wv1::UpdateContributionRequest req;
      req.mutable_contribution()->set_name(workshops_[w].contribution);
      req.mutable_contribution()->set_text(
          absl::StrCat("Texte revu par l'atelier (édition ", slot, "-", edits_[slot]++, ")."));
      req.mutable_update_mask()->add_paths("text");
      Call call{"/qpv.workshop.v1.WorkshopService/UpdateContribution", req.SerializeAsString(),
                /*measured=*/false};
      call.aux = true;
      return call;
    }
    prepared_[slot] = false;
    return {"/qpv.reporting.v1.ReportingService/GetWorkshopReport", reports_[w]};
  }

 private:
  const bool cached_;
  const int threads_;
  std::vector<ReportWorkshop> workshops_;
  std::vector<std::string> reports_;
  // Per slot (a slot is never run by two threads at once; char, not a
  // packed vector<bool>, so slots never share a word).
  std::vector<char> prepared_;
  std::vector<uint64_t> edits_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace

std::unique_ptr<Scenario> NewWorkshopReportScenario(const ScenarioOptions& o, bool cached) {
  return std::make_unique<WorkshopReportScenario>(o, cached);
}

}  // namespace qpv::bench
