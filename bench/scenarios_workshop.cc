// Scenarios of qpv.workshop.v1.WorkshopService: the write path
// (CreateContribution), the read path (GetWorkshop), a page of 50
// contributions, registrations racing for one workshop's seats, votes.
#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/fixtures.h"
#include "bench/scenarios.h"
#include "qpv/workshop/v1/workshop_service.pb.h"

namespace qpv::bench {
namespace {

namespace wv1 = ::qpv::workshop::v1;

constexpr char kService[] = "/qpv.workshop.v1.WorkshopService/";

std::string Method(const char* name) { return absl::StrCat(kService, name); }

// Creates `n` scheduled workshops of `capacity`.
absl::StatusOr<std::vector<std::string>> Workshops(Fixtures& f, int n, int capacity) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    auto w = f.CreateScheduledWorkshop(capacity);
    if (!w.ok()) return w.status();
    out.push_back(*w);
  }
  return out;
}

// Each call a new contribution (with its own request_id, so the idempotency
// record is written too) to one of a few scheduled workshops.
class CreateContributionScenario : public SingleScenario {
 public:
  explicit CreateContributionScenario(const ScenarioOptions& o)
      : SingleScenario("CreateContribution"),
        ids_(o.nonce),
        method_(Method("CreateContribution")) {}

  absl::Status Setup(Fixtures& f, int slots, int64_t) override {
    auto w = Workshops(f, kWorkshops, 100);
    if (!w.ok()) return w.status();
    workshops_ = *w;
    ids_.Resize(slots);
    return absl::OkStatus();
  }

  Call Next(int slot) override {
    wv1::CreateContributionRequest req;
    req.set_parent(workshops_[slot % workshops_.size()]);
    *req.mutable_contribution() = SampleContribution(counter_.fetch_add(1));
    req.set_request_id(ids_.Next(slot));
    return {method_, req.SerializeAsString()};
  }

 private:
  static constexpr int kWorkshops = 4;
  RequestIds ids_;
  const std::string method_;
  std::vector<std::string> workshops_;
  std::atomic<uint64_t> counter_{0};
};

// GetWorkshop over a few workshops.
class GetWorkshopScenario : public SingleScenario {
 public:
  GetWorkshopScenario() : SingleScenario("GetWorkshop"), method_(Method("GetWorkshop")) {}

  absl::Status Setup(Fixtures& f, int, int64_t) override {
    auto w = Workshops(f, 16, 100);
    if (!w.ok()) return w.status();
    for (const auto& name : *w) {
      wv1::GetWorkshopRequest req;
      req.set_name(name);
      payloads_.push_back(req.SerializeAsString());
    }
    return absl::OkStatus();
  }

  Call Next(int slot) override {
    return {method_, payloads_[next_.fetch_add(1) % payloads_.size()]};
  }

 private:
  const std::string method_;
  std::vector<std::string> payloads_;
  std::atomic<uint64_t> next_{0};
};

// The first page (50) of a workshop holding 120 contributions.
class ListContributionsScenario : public SingleScenario {
 public:
  explicit ListContributionsScenario(const ScenarioOptions& o)
      : SingleScenario("ListContributions"),
        method_(Method("ListContributions")),
        threads_(o.setup_threads) {}

  absl::Status Setup(Fixtures& f, int, int64_t) override {
    auto w = f.CreateScheduledWorkshop(100);
    if (!w.ok()) return w.status();
    absl::Status s = Fixtures::ParallelFor(
        kContributions, threads_, [&](int i) { return f.CreateContribution(*w, i).status(); });
    if (!s.ok()) return s;
    wv1::ListContributionsRequest req;
    req.set_parent(*w);
    req.set_page_size(50);
    payload_ = req.SerializeAsString();
    return absl::OkStatus();
  }

  Call Next(int) override { return {method_, payload_}; }

 private:
  static constexpr int kContributions = 120;
  const std::string method_;
  const int threads_;
  std::string payload_;
};

// Every call registers a new person to the same workshop (capacity 100: the
// rest are waitlisted), so all calls contend for one workshop's counters.
// Persons come from a pool created at setup; when it runs out the calls
// fail with ALREADY_EXISTS and the results say so (raise --pool).
class RegisterParticipantScenario : public SingleScenario {
 public:
  explicit RegisterParticipantScenario(const ScenarioOptions& o)
      : SingleScenario("RegisterParticipant"),
        ids_(o.nonce),
        method_(Method("RegisterParticipant")),
        pool_(o.pool),
        threads_(o.setup_threads) {}

  absl::Status Setup(Fixtures& f, int slots, int64_t calls_hint) override {
    auto w = f.CreateScheduledWorkshop(100);
    if (!w.ok()) return w.status();
    workshop_ = *w;
    const int64_t n = pool_ > 0 ? pool_ : std::max<int64_t>(200, calls_hint);
    auto persons = f.CreatePersons(static_cast<int>(n), threads_);
    if (!persons.ok()) return persons.status();
    persons_ = *std::move(persons);
    ids_.Resize(slots);
    return absl::OkStatus();
  }

  Call Next(int slot) override {
    const uint64_t i = next_.fetch_add(1);
    if (i >= persons_.size()) exhausted_ = true;
    wv1::RegisterParticipantRequest req;
    req.set_parent(workshop_);
    req.set_person(persons_[i % persons_.size()]);
    req.set_request_id(ids_.Next(slot));
    return {method_, req.SerializeAsString()};
  }

  std::string ExtraJson() const override {
    return absl::StrCat("\"pool\":", persons_.size(),
                        ",\"pool_exhausted\":", exhausted_.load() ? "true" : "false");
  }

 private:
  RequestIds ids_;
  const std::string method_;
  const int64_t pool_;
  const int threads_;
  std::string workshop_;
  std::vector<std::string> persons_;
  std::atomic<uint64_t> next_{0};
  std::atomic<bool> exhausted_{false};
};

// Votes of registered persons on a workshop's contributions, each
// (person, contribution) pair once: kVoters persons times enough
// contributions for the run.
class VoteContributionScenario : public SingleScenario {
 public:
  explicit VoteContributionScenario(const ScenarioOptions& o)
      : SingleScenario("VoteContribution"),
        method_(Method("VoteContribution")),
        pool_(o.pool),
        threads_(o.setup_threads) {}

  absl::Status Setup(Fixtures& f, int, int64_t calls_hint) override {
    auto w = f.CreateScheduledWorkshop(kVoters);
    if (!w.ok()) return w.status();
    auto persons = f.CreatePersons(kVoters, threads_);
    if (!persons.ok()) return persons.status();
    persons_ = *std::move(persons);
    absl::Status s = Fixtures::ParallelFor(
        kVoters, threads_, [&](int i) { return f.RegisterParticipant(*w, persons_[i]).status(); });
    if (!s.ok()) return s;
    // Votes run faster than the hint assumes and cost little to set up:
    // four times the hint.
    const int64_t pairs = pool_ > 0 ? pool_ : std::max<int64_t>(kVoters, 4 * calls_hint);
    const int n = static_cast<int>((pairs + kVoters - 1) / kVoters);
    contributions_.resize(n);
    return Fixtures::ParallelFor(n, threads_, [&](int i) -> absl::Status {
      auto c = f.CreateContribution(*w, i);
      if (!c.ok()) return c.status();
      contributions_[i] = *c;
      return absl::OkStatus();
    });
  }

  Call Next(int) override {
    const uint64_t k = next_.fetch_add(1);
    const uint64_t c = contributions_.size();
    if (k >= c * persons_.size()) exhausted_ = true;
    wv1::VoteContributionRequest req;
    req.set_name(contributions_[k % c]);
    req.set_person(persons_[(k / c) % persons_.size()]);
    return {method_, req.SerializeAsString()};
  }

  std::string ExtraJson() const override {
    return absl::StrCat("\"pool\":", contributions_.size() * persons_.size(),
                        ",\"pool_exhausted\":", exhausted_.load() ? "true" : "false");
  }

 private:
  static constexpr int kVoters = 200;
  const std::string method_;
  const int64_t pool_;
  const int threads_;
  std::vector<std::string> persons_;
  std::vector<std::string> contributions_;
  std::atomic<uint64_t> next_{0};
  std::atomic<bool> exhausted_{false};
};

}  // namespace

std::string RequestIds::Next(int slot) {
  return absl::StrCat("b", nonce_, "-", slot, "-", next_[slot]++);
}

std::unique_ptr<Scenario> NewCreateContributionScenario(const ScenarioOptions& o) {
  return std::make_unique<CreateContributionScenario>(o);
}
std::unique_ptr<Scenario> NewGetWorkshopScenario(const ScenarioOptions&) {
  return std::make_unique<GetWorkshopScenario>();
}
std::unique_ptr<Scenario> NewListContributionsScenario(const ScenarioOptions& o) {
  return std::make_unique<ListContributionsScenario>(o);
}
std::unique_ptr<Scenario> NewRegisterParticipantScenario(const ScenarioOptions& o) {
  return std::make_unique<RegisterParticipantScenario>(o);
}
std::unique_ptr<Scenario> NewVoteContributionScenario(const ScenarioOptions& o) {
  return std::make_unique<VoteContributionScenario>(o);
}

}  // namespace qpv::bench
