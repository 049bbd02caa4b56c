#include "bench/fixtures.h"

#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/util/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace qpv::bench {
namespace {

namespace cv1 = ::qpv::common::v1;
namespace sv1 = ::qpv::stakeholder::v1;
namespace wv1 = ::qpv::workshop::v1;
namespace nv1 = ::qpv::national::v1;

absl::Status FromGrpc(const char* what, const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

}  // namespace

wv1::Contribution SampleContribution(uint64_t n) {
  wv1::Contribution c;
  c.set_title(absl::StrCat("Permanence emploi au pied des immeubles n°", n));
  c.set_text(absl::StrCat(
      "Tenir chaque semaine une permanence de la mission locale et de Pôle emploi dans le hall "
      "du centre social, avec les adultes-relais pour aller vers les jeunes qui ne viennent "
      "plus aux rendez-vous. Proposition ",
      n, ": s'appuyer sur le conseil citoyen pour l'annoncer et mesurer la fréquentation."));
  c.set_kind(wv1::Contribution::KIND_ACTION);
  c.add_themes(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  c.add_themes(cv1::THEME_CITIZEN_PARTICIPATION);
  c.set_reproducible(n % 2 == 0);
  return c;
}

Fixtures::Fixtures(Addresses addresses, std::string nonce, std::string prefecture,
                   absl::Duration deadline)
    : addresses_(std::move(addresses)),
      nonce_(std::move(nonce)),
      deadline_(deadline),
      prefecture_(std::move(prefecture)),
      stakeholder_(sv1::StakeholderService::NewStub(Channel(addresses_.stakeholder))),
      workshop_(wv1::WorkshopService::NewStub(Channel(addresses_.workshop))),
      national_(nv1::NationalAggregationService::NewStub(Channel(addresses_.national))) {}

std::string Fixtures::NewRequestId() {
  return absl::StrCat("bench-", nonce_, "-s", counter_.fetch_add(1));
}

std::unique_ptr<grpc::ClientContext> Fixtures::Context() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  return ctx;
}

absl::StatusOr<std::string> Fixtures::CreateOrganization(cv1::ActorCategory category) {
  sv1::CreateOrganizationRequest req;
  req.set_parent(absl::StrCat("prefectures/", prefecture_));
  req.set_request_id(NewRequestId());
  auto* org = req.mutable_organization();
  org->set_display_name(
      absl::StrCat("Acteur ", cv1::ActorCategory_Name(category), " ", req.request_id()));
  org->set_category(category);
  org->set_email("contact@example.org");
  sv1::Organization out;
  auto ctx = Context();
  if (auto s =
          FromGrpc("CreateOrganization", stakeholder_->CreateOrganization(ctx.get(), req, &out));
      !s.ok()) {
    return s;
  }
  return out.name();
}

absl::StatusOr<std::string> Fixtures::CreatePerson(const std::string& organization) {
  sv1::CreatePersonRequest req;
  req.set_parent(absl::StrCat("prefectures/", prefecture_));
  req.set_request_id(NewRequestId());
  auto* p = req.mutable_person();
  p->set_organization(organization);
  p->set_given_name("Camille");
  p->set_family_name(absl::StrCat("Participant ", req.request_id()));
  p->set_email("camille@example.org");
  *p->mutable_consent_time() = ToProto(absl::Now() - absl::Hours(1));
  sv1::Person out;
  auto ctx = Context();
  if (auto s = FromGrpc("CreatePerson", stakeholder_->CreatePerson(ctx.get(), req, &out));
      !s.ok()) {
    return s;
  }
  return out.name();
}

absl::StatusOr<std::string> Fixtures::CreateScheduledWorkshop(int capacity) {
  wv1::CreateWorkshopRequest req;
  req.set_parent(absl::StrCat("prefectures/", prefecture_));
  req.set_request_id(NewRequestId());
  auto* w = req.mutable_workshop();
  w->set_title("Atelier emploi et développement économique (bench)");
  w->add_themes(cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  const absl::Time start = absl::Now() + absl::Hours(1);
  *w->mutable_start_time() = ToProto(start);
  *w->mutable_end_time() = ToProto(start + absl::Hours(3));
  w->set_venue("Centre social, Roubaix");
  w->set_capacity(capacity);
  wv1::Workshop created;
  auto ctx = Context();
  if (auto s = FromGrpc("CreateWorkshop", workshop_->CreateWorkshop(ctx.get(), req, &created));
      !s.ok()) {
    return s;
  }
  wv1::ScheduleWorkshopRequest schedule;
  schedule.set_name(created.name());
  wv1::Workshop scheduled;
  auto ctx2 = Context();
  if (auto s = FromGrpc("ScheduleWorkshop",
                        workshop_->ScheduleWorkshop(ctx2.get(), schedule, &scheduled));
      !s.ok()) {
    return s;
  }
  return created.name();
}

absl::StatusOr<std::string> Fixtures::RegisterParticipant(const std::string& workshop,
                                                          const std::string& person) {
  wv1::RegisterParticipantRequest req;
  req.set_parent(workshop);
  req.set_person(person);
  req.set_request_id(NewRequestId());
  wv1::Registration out;
  auto ctx = Context();
  if (auto s =
          FromGrpc("RegisterParticipant", workshop_->RegisterParticipant(ctx.get(), req, &out));
      !s.ok()) {
    return s;
  }
  return out.name();
}

absl::Status Fixtures::RecordAttendance(const std::string& registration) {
  wv1::RecordAttendanceRequest req;
  req.set_name(registration);
  req.set_attended(true);
  wv1::Registration out;
  auto ctx = Context();
  return FromGrpc("RecordAttendance", workshop_->RecordAttendance(ctx.get(), req, &out));
}

absl::StatusOr<std::string> Fixtures::CreateContribution(const std::string& workshop, int n,
                                                         const std::string& organization) {
  wv1::CreateContributionRequest req;
  req.set_parent(workshop);
  req.set_request_id(NewRequestId());
  *req.mutable_contribution() = SampleContribution(n);
  req.mutable_contribution()->set_organization(organization);
  wv1::Contribution out;
  auto ctx = Context();
  if (auto s = FromGrpc("CreateContribution", workshop_->CreateContribution(ctx.get(), req, &out));
      !s.ok()) {
    return s;
  }
  return out.name();
}

absl::Status Fixtures::VoteContribution(const std::string& contribution,
                                        const std::string& person) {
  wv1::VoteContributionRequest req;
  req.set_name(contribution);
  req.set_person(person);
  wv1::Contribution out;
  auto ctx = Context();
  return FromGrpc("VoteContribution", workshop_->VoteContribution(ctx.get(), req, &out));
}

absl::Status Fixtures::SubmitSnapshot(const nv1::PrefectureSnapshot& snapshot) {
  nv1::SubmitPrefectureSnapshotRequest req;
  *req.mutable_snapshot() = snapshot;
  nv1::SubmitPrefectureSnapshotResponse out;
  auto ctx = Context();
  return FromGrpc("SubmitPrefectureSnapshot",
                  national_->SubmitPrefectureSnapshot(ctx.get(), req, &out));
}

absl::StatusOr<std::vector<std::string>> Fixtures::CreatePersons(int count, int threads) {
  static constexpr cv1::ActorCategory kCategories[] = {
      cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY, cv1::ACTOR_CATEGORY_ASSOCIATION,
      cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD, cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL,
      cv1::ACTOR_CATEGORY_ADULT_RELAY,     cv1::ACTOR_CATEGORY_RESOURCE_CENTER,
      cv1::ACTOR_CATEGORY_STATE_SERVICE,   cv1::ACTOR_CATEGORY_RESIDENT};
  std::vector<std::string> orgs;
  for (auto category : kCategories) {
    auto org = CreateOrganization(category);
    if (!org.ok()) return org.status();
    orgs.push_back(*org);
  }
  std::vector<std::string> persons(count);
  auto status = ParallelFor(count, threads, [&](int i) -> absl::Status {
    auto p = CreatePerson(orgs[i % orgs.size()]);
    if (!p.ok()) return p.status();
    persons[i] = *p;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return persons;
}

absl::Status Fixtures::ParallelFor(int n, int threads, const std::function<absl::Status(int)>& fn) {
  std::atomic<int> next{0};
  std::mutex mu;
  absl::Status first;
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, std::min(threads, n)); ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        absl::Status s = fn(i);
        if (!s.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (first.ok()) first = s;
          next = n;  // stop handing out work
          return;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  return first;
}

}  // namespace qpv::bench
