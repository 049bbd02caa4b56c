// WorkshopService through its real gRPC adapter, in-process, with the
// in-memory store and the fake person directory (and Redis for outages).
#include <set>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "qpv/workshop/v1/workshop_service.grpc.pb.h"
#include "services/workshop/fake_person_directory.h"
#include "services/workshop/memory_workshop_store.h"
#include "services/workshop/redis_workshop_store.h"
#include "services/workshop/workshop_logic.h"
#include "services/workshop/workshop_service.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::workshop {
namespace {

using ::qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION;
using ::qpv::common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
using ::qpv::common::v1::THEME_DISCRIMINATION;
using ::qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT;
using ::qpv::common::v1::THEME_HEALTH;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAre;
using wsv1::WorkshopService;

const absl::Time kStart = absl::FromUnixSeconds(1517900400);  // 2018-02-06 07:00 UTC

std::set<std::string> BadFields(const grpc::Status& status) {
  std::set<std::string> out;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) out.insert(v.field());
    }
  }
  return out;
}

Workshop ValidWorkshop() {
  Workshop w;
  w.set_title("Emploi et développement économique");
  w.add_themes(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  *w.mutable_start_time() = ToProto(kStart + absl::Hours(48));
  *w.mutable_end_time() = ToProto(kStart + absl::Hours(51));
  w.set_venue("Préfecture du Nord, Lille");
  w.set_capacity(40);
  w.add_qpv_codes("QN05981M");
  return w;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetQuiet(true);
    directory_.AddOrganization("prefectures/59/organizations/asso", ACTOR_CATEGORY_ASSOCIATION);
    directory_.AddOrganization("prefectures/59/organizations/bailleur",
                               ACTOR_CATEGORY_SOCIAL_LANDLORD);
    for (int i = 1; i <= 5; ++i) {
      directory_.AddPerson(absl::StrCat("prefectures/59/persons/p", i),
                           "prefectures/59/organizations/asso");
    }
    directory_.AddPerson("prefectures/59/persons/noconsent",
                         "prefectures/59/organizations/asso", /*consent=*/false);
    Start(&memory_store_, {});
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  void Start(WorkshopStore* store, std::vector<std::string> prefectures) {
    if (server_) server_->Shutdown();
    server_.reset();
    WorkshopLogic::Options options;
    options.prefectures = std::move(prefectures);
    logic_ = std::make_unique<WorkshopLogic>(store, &directory_, &clock_, &ids_, options);
    service_ = std::make_unique<WorkshopServiceImpl>(logic_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = WorkshopService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (WorkshopService::Stub::*method)(grpc::ClientContext*,
                                                                   const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return (stub_.get()->*method)(&ctx, req, resp);
  }

  Workshop Create(const std::string& parent = "prefectures/59", Workshop w = ValidWorkshop()) {
    wsv1::CreateWorkshopRequest req;
    req.set_parent(parent);
    if (parent != "prefectures/59") w.clear_qpv_codes();  // QN05981M is in the Nord
    *req.mutable_workshop() = w;
    Workshop out;
    grpc::Status s = Call(&WorkshopService::Stub::CreateWorkshop, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  Workshop Schedule(const Workshop& w) {
    wsv1::ScheduleWorkshopRequest req;
    req.set_name(w.name());
    Workshop out;
    grpc::Status s = Call(&WorkshopService::Stub::ScheduleWorkshop, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  Workshop Hold(const Workshop& w) {
    wsv1::MarkWorkshopHeldRequest req;
    req.set_name(w.name());
    Workshop out;
    grpc::Status s = Call(&WorkshopService::Stub::MarkWorkshopHeld, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Register(const Workshop& w, const std::string& person, Registration* out,
                        const std::string& request_id = "") {
    wsv1::RegisterParticipantRequest req;
    req.set_parent(w.name());
    req.set_person(person);
    req.set_request_id(request_id);
    return Call(&WorkshopService::Stub::RegisterParticipant, req, out);
  }

  grpc::Status AddContribution(const Workshop& w, Contribution c, Contribution* out) {
    wsv1::CreateContributionRequest req;
    req.set_parent(w.name());
    *req.mutable_contribution() = c;
    return Call(&WorkshopService::Stub::CreateContribution, req, out);
  }

  FakeClock clock_{kStart};
  SequentialIdGenerator ids_{"id"};
  FakePersonDirectory directory_;
  MemoryWorkshopStore memory_store_;
  std::unique_ptr<WorkshopLogic> logic_;
  std::unique_ptr<WorkshopServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<WorkshopService::Stub> stub_;
};

TEST_F(ServiceTest, CreateAndGet) {
  Workshop input = ValidWorkshop();
  // Output-only fields are ignored.
  input.set_name("prefectures/62/workshops/forged");
  input.set_state(Workshop::STATE_HELD);
  input.set_registered_count(12);
  input.set_etag("forged");
  Workshop w = Create("prefectures/59", input);
  EXPECT_EQ(w.name(), "prefectures/59/workshops/id1");
  EXPECT_EQ(w.state(), Workshop::STATE_DRAFT);
  EXPECT_EQ(w.registered_count(), 0);
  EXPECT_NE(w.etag(), "forged");
  EXPECT_FALSE(w.etag().empty());
  EXPECT_EQ(FromProto(w.create_time()), kStart);
  wsv1::GetWorkshopRequest get;
  get.set_name(w.name());
  Workshop got;
  ASSERT_TRUE(Call(&WorkshopService::Stub::GetWorkshop, get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), w.SerializeAsString());
  get.set_name("prefectures/59/workshops/nope");
  EXPECT_EQ(Call(&WorkshopService::Stub::GetWorkshop, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  get.set_name("prefectures/59/ateliers/x");
  grpc::Status s = Call(&WorkshopService::Stub::GetWorkshop, get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("name"));
}

TEST_F(ServiceTest, CreateNamesEveryBadField) {
  wsv1::CreateWorkshopRequest req;
  req.set_parent("prefectures/59");
  req.set_request_id("not valid!");
  Workshop* w = req.mutable_workshop();
  *w = ValidWorkshop();
  w->set_title(std::string(201, 'x'));
  w->clear_themes();
  w->add_themes(static_cast<qpv::common::v1::Theme>(99));
  w->add_themes(qpv::common::v1::THEME_UNSPECIFIED);
  w->set_venue(std::string(301, 'v'));
  w->set_description(std::string(5001, 'd'));
  w->set_capacity(0);
  *w->mutable_end_time() = w->start_time();
  w->clear_qpv_codes();
  w->add_qpv_codes("QN05981M");
  w->add_qpv_codes("QX123");
  w->add_qpv_codes("QN06201M");  // another département
  Workshop out;
  grpc::Status s = Call(&WorkshopService::Stub::CreateWorkshop, req, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s),
              UnorderedElementsAre("request_id", "workshop.title", "workshop.themes[0]",
                                   "workshop.themes[1]", "workshop.venue",
                                   "workshop.description", "workshop.capacity",
                                   "workshop.end_time", "workshop.qpv_codes[1]",
                                   "workshop.qpv_codes[2]"));
  // Nothing was written.
  wsv1::ListWorkshopsRequest list;
  list.set_parent("prefectures/59");
  wsv1::ListWorkshopsResponse listed;
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListWorkshops, list, &listed).ok());
  EXPECT_EQ(listed.workshops_size(), 0);
}

TEST_F(ServiceTest, CreateRequiredFields) {
  wsv1::CreateWorkshopRequest req;
  req.set_parent("prefectures/99");
  req.mutable_workshop()->set_capacity(10001);
  Workshop out;
  grpc::Status s = Call(&WorkshopService::Stub::CreateWorkshop, req, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s),
              UnorderedElementsAre("parent", "workshop.title", "workshop.themes",
                                   "workshop.start_time", "workshop.end_time",
                                   "workshop.capacity"));
  req.clear_workshop();
  req.set_parent("prefectures/59");
  s = Call(&WorkshopService::Stub::CreateWorkshop, req, &out);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("workshop"));
}

TEST_F(ServiceTest, InvalidUtf8IsInvalidArgument) {
  wsv1::CreateWorkshopRequest req;
  req.set_parent("prefectures/59");
  *req.mutable_workshop() = ValidWorkshop();
  req.mutable_workshop()->set_title("Atelier \xC3\x28");
  req.mutable_workshop()->add_qpv_codes("QN\xFF");
  Workshop out;
  grpc::Status s = Call(&WorkshopService::Stub::CreateWorkshop, req, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("workshop.title", "workshop.qpv_codes[1]"));
  // Garbage bytes are INVALID_ARGUMENT too, and the server lives on.
  EXPECT_THAT(server::ParseRequest("\xff\xff\xff", &req), qpv::testing::StatusIs(
                                                      absl::StatusCode::kInvalidArgument));
  Create();
}

TEST_F(ServiceTest, IdempotentCreate) {
  wsv1::CreateWorkshopRequest req;
  req.set_parent("prefectures/59");
  req.set_request_id("0b6f9c1e-create");
  *req.mutable_workshop() = ValidWorkshop();
  Workshop first, second;
  ASSERT_TRUE(Call(&WorkshopService::Stub::CreateWorkshop, req, &first).ok());
  ASSERT_TRUE(Call(&WorkshopService::Stub::CreateWorkshop, req, &second).ok());
  EXPECT_EQ(first.name(), second.name());
  req.set_request_id(std::string(129, 'a'));
  grpc::Status s = Call(&WorkshopService::Stub::CreateWorkshop, req, &second);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("request_id"));
}

TEST_F(ServiceTest, Lifecycle) {
  Workshop w = Create();
  wsv1::MarkWorkshopHeldRequest held;
  held.set_name(w.name());
  Workshop out;
  EXPECT_EQ(Call(&WorkshopService::Stub::MarkWorkshopHeld, held, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  wsv1::ScheduleWorkshopRequest schedule;
  schedule.set_name(w.name());
  schedule.set_etag("stale");
  EXPECT_EQ(Call(&WorkshopService::Stub::ScheduleWorkshop, schedule, &out).error_code(),
            grpc::StatusCode::ABORTED);
  schedule.set_etag(w.etag());
  ASSERT_TRUE(Call(&WorkshopService::Stub::ScheduleWorkshop, schedule, &out).ok());
  EXPECT_EQ(out.state(), Workshop::STATE_SCHEDULED);
  EXPECT_NE(out.etag(), w.etag());
  // The same etag again is stale now.
  EXPECT_EQ(Call(&WorkshopService::Stub::ScheduleWorkshop, schedule, &out).error_code(),
            grpc::StatusCode::ABORTED);
  ASSERT_TRUE(Call(&WorkshopService::Stub::MarkWorkshopHeld, held, &out).ok());
  wsv1::CancelWorkshopRequest cancel;
  cancel.set_name(w.name());
  EXPECT_EQ(Call(&WorkshopService::Stub::CancelWorkshop, cancel, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  wsv1::MarkWorkshopReportedRequest reported;
  reported.set_name(w.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::MarkWorkshopReported, reported, &out).ok());
  EXPECT_EQ(out.state(), Workshop::STATE_REPORTED);

  Workshop other = Create();
  cancel.set_name(other.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::CancelWorkshop, cancel, &out).ok());
  EXPECT_EQ(out.state(), Workshop::STATE_CANCELLED);
  schedule.set_name(other.name());
  schedule.clear_etag();
  EXPECT_EQ(Call(&WorkshopService::Stub::ScheduleWorkshop, schedule, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ServiceTest, UpdateWithMaskAndEtag) {
  Workshop w = Create();
  wsv1::UpdateWorkshopRequest req;
  *req.mutable_workshop() = ValidWorkshop();
  req.mutable_workshop()->set_name(w.name());
  req.mutable_workshop()->set_title("Image des quartiers");
  req.mutable_workshop()->set_capacity(-5);  // not in the mask: ignored
  req.mutable_update_mask()->add_paths("title");
  req.mutable_update_mask()->add_paths("state");  // output only: ignored
  Workshop out;
  grpc::Status s = Call(&WorkshopService::Stub::UpdateWorkshop, req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.title(), "Image des quartiers");
  EXPECT_EQ(out.capacity(), 40);
  EXPECT_EQ(out.state(), Workshop::STATE_DRAFT);

  req.mutable_update_mask()->add_paths("colour");
  s = Call(&WorkshopService::Stub::UpdateWorkshop, req, &out);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("update_mask"));

  req.clear_update_mask();
  req.mutable_update_mask()->add_paths("capacity");
  s = Call(&WorkshopService::Stub::UpdateWorkshop, req, &out);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("workshop.capacity"));

  // End before the stored start.
  req.clear_update_mask();
  req.mutable_update_mask()->add_paths("end_time");
  *req.mutable_workshop()->mutable_end_time() = ToProto(kStart);
  s = Call(&WorkshopService::Stub::UpdateWorkshop, req, &out);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("workshop.end_time"));

  req.mutable_workshop()->set_etag(w.etag());  // stale: the title changed it
  req.clear_update_mask();
  req.mutable_update_mask()->add_paths("venue");
  EXPECT_EQ(Call(&WorkshopService::Stub::UpdateWorkshop, req, &out).error_code(),
            grpc::StatusCode::ABORTED);

  // Empty mask: every updatable field.
  wsv1::UpdateWorkshopRequest all;
  *all.mutable_workshop() = ValidWorkshop();
  all.mutable_workshop()->set_name(w.name());
  all.mutable_workshop()->clear_themes();
  s = Call(&WorkshopService::Stub::UpdateWorkshop, all, &out);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("workshop.themes"));
  all.mutable_workshop()->add_themes(THEME_HEALTH);
  all.mutable_workshop()->set_description("Ligne 1\nLigne 2");
  ASSERT_TRUE(Call(&WorkshopService::Stub::UpdateWorkshop, all, &out).ok());
  EXPECT_EQ(out.title(), ValidWorkshop().title());
  EXPECT_EQ(out.description(), "Ligne 1\nLigne 2");
}

TEST_F(ServiceTest, CapacityUpdatesAndWaitlist) {
  Workshop input = ValidWorkshop();
  input.set_capacity(2);
  Workshop w = Schedule(Create("prefectures/59", input));
  Registration r;
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(Register(w, absl::StrCat("prefectures/59/persons/p", i), &r).ok());
  }
  EXPECT_EQ(r.state(), Registration::STATE_WAITLISTED);
  wsv1::UpdateWorkshopRequest req;
  req.mutable_workshop()->set_name(w.name());
  req.mutable_workshop()->set_capacity(1);
  req.mutable_update_mask()->add_paths("capacity");
  Workshop out;
  EXPECT_EQ(Call(&WorkshopService::Stub::UpdateWorkshop, req, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  req.mutable_workshop()->set_capacity(3);
  ASSERT_TRUE(Call(&WorkshopService::Stub::UpdateWorkshop, req, &out).ok());
  EXPECT_EQ(out.registered_count(), 3);
  EXPECT_EQ(out.waitlisted_count(), 1);

  // Withdrawal promotes the last waitlisted one.
  wsv1::WithdrawRegistrationRequest withdraw;
  withdraw.set_name(absl::StrCat(w.name(), "/registrations/id2"));
  ASSERT_TRUE(Call(&WorkshopService::Stub::WithdrawRegistration, withdraw, &r).ok());
  EXPECT_EQ(r.state(), Registration::STATE_WITHDRAWN);
  wsv1::ListRegistrationsRequest list;
  list.set_parent(w.name());
  list.set_filter("state = STATE_WAITLISTED");
  wsv1::ListRegistrationsResponse listed;
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListRegistrations, list, &listed).ok());
  EXPECT_EQ(listed.registrations_size(), 0);
  list.set_filter("person = \"prefectures/59/persons/p4\"");
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListRegistrations, list, &listed).ok());
  ASSERT_EQ(listed.registrations_size(), 1);
  EXPECT_EQ(listed.registrations(0).state(), Registration::STATE_REGISTERED);
  list.set_filter("state = STATE_NOPE");
  EXPECT_THAT(BadFields(Call(&WorkshopService::Stub::ListRegistrations, list, &listed)),
              UnorderedElementsAre("filter"));
}

TEST_F(ServiceTest, RegisterParticipantChecksThePerson) {
  Workshop w = Create();
  Registration r;
  grpc::Status s = Register(w, "prefectures/59/persons/ghost", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("person"));
  s = Register(w, "prefectures/59/persons/noconsent", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  s = Register(w, "prefectures/62/persons/p1", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("person"));
  s = Register(w, "persons/p1", &r);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("person"));
  directory_.SetUnavailable(true);
  EXPECT_EQ(Register(w, "prefectures/59/persons/p1", &r).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  directory_.SetUnavailable(false);

  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &r, "reg-1").ok());
  EXPECT_EQ(r.state(), Registration::STATE_REGISTERED);
  EXPECT_EQ(r.organization(), "prefectures/59/organizations/asso");
  EXPECT_EQ(r.organization_category(), ACTOR_CATEGORY_ASSOCIATION);
  Registration again;
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &again, "reg-1").ok());
  EXPECT_EQ(again.name(), r.name());
  EXPECT_EQ(Register(w, "prefectures/59/persons/p1", &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  // Not once the workshop is held.
  Schedule(w);
  ASSERT_EQ(Hold(w).state(), Workshop::STATE_HELD);
  EXPECT_EQ(Register(w, "prefectures/59/persons/p2", &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A retry of the first registration still gets its first result (AIP-155),
  // even with the workshop held and the stakeholder service down.
  directory_.SetUnavailable(true);
  Registration replay;
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &replay, "reg-1").ok());
  EXPECT_EQ(replay.name(), r.name());
  EXPECT_EQ(Register(w, "prefectures/59/persons/p3", &replay, "reg-unknown").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  directory_.SetUnavailable(false);
}

// The workshop is checked before the stakeholder call only when it is in
// memory (the memory store above, the read cache); else the person is looked
// up first, yet a workshop's error still comes before the person's.
TEST_F(ServiceTest, RegisterParticipantWithTheWorkshopNotInMemory) {
  auto client = qpv::testing::FlushedSharedRedisClient();
  ASSERT_NE(client, nullptr);
  RedisWorkshopStore store(client.get());  // no read cache: nothing in memory
  Start(&store, {});
  Workshop w = Create();
  Registration r;
  int calls = directory_.calls();
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &r).ok());
  EXPECT_EQ(directory_.calls(), calls + 1);

  Workshop absent = w;
  absent.set_name("prefectures/59/workshops/absent");
  grpc::Status s = Register(absent, "prefectures/59/persons/ghost", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(BadFields(s), IsEmpty()) << "the workshop's error, not the person's";
  EXPECT_EQ(Register(absent, "prefectures/59/persons/p2", &r).error_code(),
            grpc::StatusCode::NOT_FOUND);

  Schedule(w);
  ASSERT_EQ(Hold(w).state(), Workshop::STATE_HELD);
  // The person is looked up, then the store refuses.
  calls = directory_.calls();
  EXPECT_EQ(Register(w, "prefectures/59/persons/p2", &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(directory_.calls(), calls + 1);
  // The stakeholder service down, or the person unknown: still the
  // workshop's state first.
  s = Register(w, "prefectures/59/persons/noconsent", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(BadFields(s), IsEmpty());
  directory_.SetUnavailable(true);
  EXPECT_EQ(Register(w, "prefectures/59/persons/p3", &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  directory_.SetUnavailable(false);
  server_->Shutdown();
  server_.reset();
}

TEST_F(ServiceTest, RegisterParticipantChecksAWorkshopInMemoryFirst) {
  Workshop w = Schedule(Create());
  ASSERT_EQ(Hold(w).state(), Workshop::STATE_HELD);
  const int calls = directory_.calls();
  Registration r;
  EXPECT_EQ(Register(w, "prefectures/59/persons/p2", &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(directory_.calls(), calls) << "no stakeholder call for a closed workshop";
}

TEST_F(ServiceTest, RecordAttendanceOnTheDay) {
  Workshop input = ValidWorkshop();
  input.set_capacity(1);
  Workshop w = Schedule(Create("prefectures/59", input));
  Registration seat, waiting;
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &seat).ok());
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p2", &waiting).ok());
  wsv1::RecordAttendanceRequest req;
  req.set_name(seat.name());
  req.set_attended(true);
  Registration out;
  // Two days before: too early.
  EXPECT_EQ(Call(&WorkshopService::Stub::RecordAttendance, req, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  clock_.Advance(absl::Hours(48) - absl::Hours(11));
  ASSERT_TRUE(Call(&WorkshopService::Stub::RecordAttendance, req, &out).ok());
  EXPECT_EQ(out.state(), Registration::STATE_ATTENDED);
  req.set_name(waiting.name());
  EXPECT_EQ(Call(&WorkshopService::Stub::RecordAttendance, req, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  wsv1::GetWorkshopRequest get;
  get.set_name(w.name());
  Workshop now;
  ASSERT_TRUE(Call(&WorkshopService::Stub::GetWorkshop, get, &now).ok());
  EXPECT_EQ(now.attended_count(), 1);
  EXPECT_EQ(now.registered_count(), 1);
  EXPECT_EQ(now.waitlisted_count(), 1);
}

TEST_F(ServiceTest, ListingChildrenOfAnAbsentWorkshopIsNotFound) {
  Workshop w = Create();
  wsv1::ListRegistrationsRequest regs;
  wsv1::ListRegistrationsResponse reg_out;
  regs.set_parent(w.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListRegistrations, regs, &reg_out).ok());
  EXPECT_EQ(reg_out.registrations_size(), 0);
  wsv1::ListContributionsRequest contribs;
  wsv1::ListContributionsResponse contrib_out;
  contribs.set_parent(w.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListContributions, contribs, &contrib_out).ok());
  regs.set_parent("prefectures/59/workshops/nope");
  EXPECT_EQ(Call(&WorkshopService::Stub::ListRegistrations, regs, &reg_out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  contribs.set_parent("prefectures/59/workshops/nope");
  EXPECT_EQ(Call(&WorkshopService::Stub::ListContributions, contribs, &contrib_out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, ListPagingFiltersAndTokens) {
  for (int i = 0; i < 7; ++i) {
    Workshop input = ValidWorkshop();
    input.set_title(absl::StrCat(i % 2 ? "Santé " : "Emploi ", i));
    input.clear_themes();
    input.add_themes(i % 2 ? THEME_HEALTH : THEME_DISCRIMINATION);
    *input.mutable_start_time() = ToProto(kStart + absl::Hours(24 * (i + 1)));
    *input.mutable_end_time() = ToProto(kStart + absl::Hours(24 * (i + 1) + 2));
    Workshop w = Create("prefectures/59", input);
    if (i < 3) Schedule(w);
  }
  wsv1::ListWorkshopsRequest req;
  req.set_parent("prefectures/59");
  req.set_page_size(3);
  std::vector<std::string> names;
  wsv1::ListWorkshopsResponse resp;
  do {
    ASSERT_TRUE(Call(&WorkshopService::Stub::ListWorkshops, req, &resp).ok());
    for (const auto& w : resp.workshops()) names.push_back(w.name());
    req.set_page_token(resp.next_page_token());
  } while (!resp.next_page_token().empty());
  ASSERT_EQ(names.size(), 7u);
  EXPECT_EQ(names.front(), "prefectures/59/workshops/id1");
  EXPECT_EQ(names.back(), "prefectures/59/workshops/id7");

  auto count = [&](const std::string& filter) {
    wsv1::ListWorkshopsRequest r;
    r.set_parent("prefectures/59");
    r.set_filter(filter);
    wsv1::ListWorkshopsResponse out;
    grpc::Status s = Call(&WorkshopService::Stub::ListWorkshops, r, &out);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    return out.workshops_size();
  };
  EXPECT_EQ(count("state = STATE_SCHEDULED"), 3);
  EXPECT_EQ(count("state != STATE_SCHEDULED"), 4);
  EXPECT_EQ(count("themes:THEME_HEALTH"), 3);
  EXPECT_EQ(count("state = STATE_SCHEDULED AND themes:THEME_HEALTH"), 1);
  EXPECT_EQ(count("start_time >= \"2018-02-09T00:00:00Z\""), 5);
  EXPECT_EQ(count("start_time >= \"2018-02-09T00:00:00Z\" AND start_time < \"2018-02-11T00:00:00Z\""), 2);
  EXPECT_EQ(count("end_time <= \"2018-02-07T10:00:00Z\""), 1);
  EXPECT_EQ(count("title:\"sante\""), 3);
  EXPECT_EQ(count("qpv_codes:QN05981M"), 7);
  EXPECT_EQ(count("qpv_codes:QN05982M"), 0);

  // Filtered paging: 3 health workshops, pages of 2.
  wsv1::ListWorkshopsRequest filtered;
  filtered.set_parent("prefectures/59");
  filtered.set_filter("themes:THEME_HEALTH");
  filtered.set_page_size(2);
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListWorkshops, filtered, &resp).ok());
  EXPECT_EQ(resp.workshops_size(), 2);
  ASSERT_FALSE(resp.next_page_token().empty());
  const std::string token = resp.next_page_token();
  filtered.set_page_token(token);
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListWorkshops, filtered, &resp).ok());
  EXPECT_EQ(resp.workshops_size(), 1);
  EXPECT_TRUE(resp.next_page_token().empty());

  // A token from another filter, a forged token, a negative size, a bad filter.
  wsv1::ListWorkshopsRequest bad;
  bad.set_parent("prefectures/59");
  bad.set_page_token(token);
  grpc::Status s = Call(&WorkshopService::Stub::ListWorkshops, bad, &resp);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("page_token"));
  bad.set_page_token("bm90IGEgdG9rZW4");
  bad.set_page_size(-1);
  bad.set_filter("colour = red");
  s = Call(&WorkshopService::Stub::ListWorkshops, bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("page_token", "page_size", "filter"));
  for (const char* f : {"state = STATE_NOPE", "themes:THEME_NOPE", "start_time >= yesterday",
                        "state:STATE_DRAFT", "title"}) {
    bad.Clear();
    bad.set_parent("prefectures/59");
    bad.set_filter(f);
    EXPECT_THAT(BadFields(Call(&WorkshopService::Stub::ListWorkshops, bad, &resp)),
                UnorderedElementsAre("filter"))
        << f;
  }
}

TEST_F(ServiceTest, ListAcrossPrefectures) {
  Create("prefectures/62");
  Create("prefectures/59");
  Create("prefectures/62");
  Create("prefectures/2A");
  wsv1::ListWorkshopsRequest req;
  req.set_parent("prefectures/-");
  req.set_page_size(1);
  std::vector<std::string> names;
  wsv1::ListWorkshopsResponse resp;
  do {
    ASSERT_TRUE(Call(&WorkshopService::Stub::ListWorkshops, req, &resp).ok());
    for (const auto& w : resp.workshops()) names.push_back(w.name());
    req.set_page_token(resp.next_page_token());
  } while (!resp.next_page_token().empty());
  EXPECT_THAT(names, ::testing::ElementsAre(
                         "prefectures/2A/workshops/id4", "prefectures/59/workshops/id2",
                         "prefectures/62/workshops/id1", "prefectures/62/workshops/id3"));

  // A stack serving 59 and 62 only.
  Start(&memory_store_, {"62", "59"});
  req.clear_page_token();
  req.set_page_size(10);
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListWorkshops, req, &resp).ok());
  EXPECT_EQ(resp.workshops_size(), 3);
  wsv1::GetWorkshopRequest get;
  get.set_name("prefectures/2A/workshops/id4");
  Workshop w;
  EXPECT_EQ(Call(&WorkshopService::Stub::GetWorkshop, get, &w).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  wsv1::CreateWorkshopRequest create;
  create.set_parent("prefectures/2A");
  *create.mutable_workshop() = ValidWorkshop();
  create.mutable_workshop()->clear_qpv_codes();
  EXPECT_EQ(Call(&WorkshopService::Stub::CreateWorkshop, create, &w).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

Contribution ValidContribution() {
  Contribution c;
  c.set_title("Parrainage vers l'emploi des jeunes");
  c.set_text("Des cadres d'entreprises accompagnent des jeunes du quartier.");
  c.set_kind(Contribution::KIND_ACTION);
  c.add_themes(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  c.set_reproducible(true);
  c.add_qpv_codes("QN05981M");
  c.set_organization("prefectures/59/organizations/bailleur");
  return c;
}

TEST_F(ServiceTest, Contributions) {
  Workshop w = Create();
  Contribution c;
  EXPECT_EQ(AddContribution(w, ValidContribution(), &c).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  Schedule(w);
  Contribution bad = ValidContribution();
  bad.set_kind(Contribution::KIND_UNSPECIFIED);
  bad.add_themes(THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  bad.set_title("");
  bad.set_text(std::string(10001, 't'));
  bad.add_qpv_codes("QP59001");
  bad.set_organization("prefectures/59/persons/p1");
  grpc::Status s = AddContribution(w, bad, &c);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("contribution.kind", "contribution.themes[1]",
                                                 "contribution.title", "contribution.text",
                                                 "contribution.qpv_codes[1]",
                                                 "contribution.organization"));
  bad = ValidContribution();
  bad.set_kind(static_cast<Contribution::Kind>(42));
  EXPECT_THAT(BadFields(AddContribution(w, bad, &c)), UnorderedElementsAre("contribution.kind"));
  bad = ValidContribution();
  bad.set_organization("prefectures/59/organizations/ghost");
  s = AddContribution(w, bad, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("contribution.organization"));

  ASSERT_TRUE(AddContribution(w, ValidContribution(), &c).ok());
  EXPECT_EQ(c.organization_category(), ACTOR_CATEGORY_SOCIAL_LANDLORD);
  EXPECT_EQ(c.vote_count(), 0);
  Contribution idea = ValidContribution();
  idea.set_kind(Contribution::KIND_IDEA);
  idea.set_reproducible(false);
  idea.clear_organization();
  Contribution second;
  ASSERT_TRUE(AddContribution(w, idea, &second).ok());
  EXPECT_EQ(second.organization_category(), qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED);

  wsv1::ListContributionsRequest list;
  list.set_parent(w.name());
  list.set_filter("kind = KIND_ACTION AND reproducible = true AND themes:THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT");
  wsv1::ListContributionsResponse listed;
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListContributions, list, &listed).ok());
  ASSERT_EQ(listed.contributions_size(), 1);
  EXPECT_EQ(listed.contributions(0).name(), c.name());
  list.set_filter("organization = \"prefectures/59/organizations/bailleur\" AND title:\"JEUNES\"");
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListContributions, list, &listed).ok());
  EXPECT_EQ(listed.contributions_size(), 1);
  list.set_filter("qpv_codes:QN05981M");
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListContributions, list, &listed).ok());
  EXPECT_EQ(listed.contributions_size(), 2);
  list.set_filter("reproducible = maybe");
  EXPECT_THAT(BadFields(Call(&WorkshopService::Stub::ListContributions, list, &listed)),
              UnorderedElementsAre("filter"));

  // Update with mask and etag.
  wsv1::UpdateContributionRequest update;
  update.mutable_contribution()->set_name(c.name());
  update.mutable_contribution()->set_title("Parrainage renforcé");
  update.mutable_contribution()->set_etag(c.etag());
  update.mutable_update_mask()->add_paths("title");
  Contribution updated;
  ASSERT_TRUE(Call(&WorkshopService::Stub::UpdateContribution, update, &updated).ok());
  EXPECT_EQ(updated.title(), "Parrainage renforcé");
  EXPECT_EQ(updated.kind(), Contribution::KIND_ACTION);
  EXPECT_EQ(Call(&WorkshopService::Stub::UpdateContribution, update, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  update.mutable_contribution()->clear_etag();
  update.mutable_update_mask()->add_paths("votes");
  EXPECT_THAT(BadFields(Call(&WorkshopService::Stub::UpdateContribution, update, &updated)),
              UnorderedElementsAre("update_mask"));
  update.clear_update_mask();
  update.mutable_update_mask()->add_paths("organization");
  update.mutable_contribution()->set_organization("prefectures/59/organizations/asso");
  ASSERT_TRUE(Call(&WorkshopService::Stub::UpdateContribution, update, &updated).ok());
  EXPECT_EQ(updated.organization_category(), ACTOR_CATEGORY_ASSOCIATION);

  // Votes: registered persons only, once each.
  Registration r;
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &r).ok());
  wsv1::VoteContributionRequest vote;
  vote.set_name(c.name());
  vote.set_person("prefectures/59/persons/p1");
  Contribution voted;
  ASSERT_TRUE(Call(&WorkshopService::Stub::VoteContribution, vote, &voted).ok());
  EXPECT_EQ(voted.vote_count(), 1);
  EXPECT_EQ(Call(&WorkshopService::Stub::VoteContribution, vote, &voted).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  vote.set_person("prefectures/59/persons/p2");
  EXPECT_EQ(Call(&WorkshopService::Stub::VoteContribution, vote, &voted).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  vote.set_person("nobody");
  EXPECT_THAT(BadFields(Call(&WorkshopService::Stub::VoteContribution, vote, &voted)),
              UnorderedElementsAre("person"));
  wsv1::GetContributionRequest get;
  get.set_name(c.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::GetContribution, get, &voted).ok());
  EXPECT_EQ(voted.vote_count(), 1);

  // Closed once reported.
  ASSERT_EQ(Hold(w).state(), Workshop::STATE_HELD);
  Workshop out;
  wsv1::MarkWorkshopReportedRequest reported;
  reported.set_name(w.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::MarkWorkshopReported, reported, &out).ok());
  EXPECT_EQ(AddContribution(w, ValidContribution(), &c).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  vote.set_person("prefectures/59/persons/p1");
  vote.set_name(second.name());
  EXPECT_EQ(Call(&WorkshopService::Stub::VoteContribution, vote, &voted).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// ListContributions on the Redis store with its workshop cache and its
// pages, as the service runs: a filtered list walks several fetches per
// page (some answered from memory), pages follow the writes, and an absent
// workshop is NOT_FOUND.
TEST_F(ServiceTest, ContributionPagesFromMemoryFollowTheWrites) {
  auto client = qpv::testing::FlushedSharedRedisClient();
  ASSERT_NE(client, nullptr);
  auto cache = redis::TrackedReads::Create(client->options(), 100);
  ASSERT_THAT(cache, qpv::testing::IsOk());
  ASSERT_TRUE((*cache)->WaitTracking(absl::Seconds(5)));
  ContributionPages pages(1 << 20);
  RedisWorkshopStore store(client.get(), cache->get(), &pages);
  Start(&store, {});
  Workshop w = Schedule(Create());
  // 60 contributions, every third an idea: more than one fetch (21 items
  // at page_size 20) holds the 20 ideas of a page.
  std::vector<std::string> ideas;
  for (int i = 0; i < 60; ++i) {
    Contribution c = ValidContribution();
    c.clear_organization();
    c.set_title(absl::StrCat("Contribution ", i));
    if (i % 3 == 0) c.set_kind(Contribution::KIND_IDEA);
    Contribution out;
    ASSERT_TRUE(AddContribution(w, c, &out).ok());
    if (i % 3 == 0) ideas.push_back(out.name());
  }
  const auto list_all = [&](const std::string& filter, int page_size) {
    std::vector<std::string> names;
    wsv1::ListContributionsRequest req;
    req.set_parent(w.name());
    req.set_filter(filter);
    req.set_page_size(page_size);
    do {
      wsv1::ListContributionsResponse resp;
      grpc::Status s = Call(&WorkshopService::Stub::ListContributions, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& c : resp.contributions()) names.push_back(c.name());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return names;
  };
  for (int round = 0; round < 2; ++round) {  // the second from memory
    EXPECT_EQ(list_all("kind = KIND_IDEA", 7), ideas);
    EXPECT_EQ(list_all("", 25).size(), 60u);
  }
  EXPECT_GT(pages.stats().hits, 5);
  // A new contribution, then a vote, are listed at once by this process.
  Contribution added;
  Contribution idea = ValidContribution();
  idea.clear_organization();
  idea.set_kind(Contribution::KIND_IDEA);
  ASSERT_TRUE(AddContribution(w, idea, &added).ok());
  ideas.push_back(added.name());
  EXPECT_EQ(list_all("kind = KIND_IDEA", 7), ideas);
  Registration r;
  ASSERT_TRUE(Register(w, "prefectures/59/persons/p1", &r).ok());
  wsv1::VoteContributionRequest vote;
  vote.set_name(ideas[0]);
  vote.set_person("prefectures/59/persons/p1");
  Contribution voted;
  ASSERT_TRUE(Call(&WorkshopService::Stub::VoteContribution, vote, &voted).ok());
  wsv1::ListContributionsRequest first;
  first.set_parent(w.name());
  first.set_page_size(1);
  wsv1::ListContributionsResponse resp;
  ASSERT_TRUE(Call(&WorkshopService::Stub::ListContributions, first, &resp).ok());
  ASSERT_EQ(resp.contributions_size(), 1);
  EXPECT_EQ(resp.contributions(0).vote_count(), 1);
  first.set_parent("prefectures/59/workshops/absent");
  EXPECT_EQ(Call(&WorkshopService::Stub::ListContributions, first, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  server_->Shutdown();
  server_.reset();
}

TEST_F(ServiceTest, RedisDownIsUnavailableThenRecovers) {
  qpv::testing::RedisServer redis_server;
  redis::Options options;
  options.url = redis_server.url();
  options.command_timeout = absl::Milliseconds(500);
  auto client = redis::RedisClient::Create(options);
  ASSERT_TRUE(client.ok());
  RedisWorkshopStore store(client->get());
  Start(&store, {});
  Workshop w = Create();
  ASSERT_FALSE(w.name().empty());

  redis_server.Stop();
  wsv1::GetWorkshopRequest get;
  get.set_name(w.name());
  Workshop out;
  grpc::Status s = Call(&WorkshopService::Stub::GetWorkshop, get, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(s.error_message().find("hiredis"), std::string::npos);
  wsv1::CreateWorkshopRequest create;
  create.set_parent("prefectures/59");
  *create.mutable_workshop() = ValidWorkshop();
  EXPECT_EQ(Call(&WorkshopService::Stub::CreateWorkshop, create, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  redis_server.Start();
  ASSERT_TRUE(Call(&WorkshopService::Stub::CreateWorkshop, create, &out).ok());
  get.set_name(out.name());
  ASSERT_TRUE(Call(&WorkshopService::Stub::GetWorkshop, get, &out).ok());
  server_->Shutdown();
  server_.reset();
}

}  // namespace
}  // namespace qpv::workshop
