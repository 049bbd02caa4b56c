// The stakeholder service through its real gRPC adapter, in process, on the
// Redis store (shared private redis-server, flushed per test).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "common/status/status.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/stakeholder/memory_stakeholder_store.h"
#include "services/stakeholder/redis_stakeholder_store.h"
#include "services/stakeholder/stakeholder_logic.h"
#include "services/stakeholder/stakeholder_service.h"

#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::stakeholder {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

// The fields named by the BadRequest in a status' details.
std::vector<std::string> BadFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return fields;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

class Harness {
 public:
  Harness(StakeholderStore* store, std::vector<std::string> prefectures)
      : logic_(store, &clock_, &ids_, std::move(prefectures)), service_(&logic_) {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = v1::StakeholderService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  ~Harness() { server_->Shutdown(); }

  FakeClock clock_;
  SequentialIdGenerator ids_{"id"};
  StakeholderLogic logic_;
  StakeholderServiceImpl service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::StakeholderService::Stub> stub_;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = qpv::testing::FlushedSharedRedisClient();
    store_ = std::make_unique<RedisStakeholderStore>(redis_.get());
    Start({});
  }
  void Start(std::vector<std::string> prefectures) {
    harness_.reset();
    harness_ = std::make_unique<Harness>(store_.get(), std::move(prefectures));
  }
  v1::StakeholderService::Stub& stub() { return *harness_->stub_; }
  FakeClock& clock() { return harness_->clock_; }

  static Organization MakeOrg(absl::string_view display_name,
                              common::v1::ActorCategory category =
                                  common::v1::ACTOR_CATEGORY_ASSOCIATION,
                              std::vector<std::string> qpv = {"QN05981M"}) {
    Organization org;
    org.set_display_name(std::string(display_name));
    org.set_category(category);
    for (auto& code : qpv) org.add_qpv_codes(code);
    org.set_email("contact@asso.example.org");
    return org;
  }

  grpc::Status CreateOrg(const Organization& org, Organization* out,
                         absl::string_view parent = "prefectures/59",
                         absl::string_view request_id = "") {
    v1::CreateOrganizationRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_organization() = org;
    request.set_request_id(std::string(request_id));
    grpc::ClientContext context;
    return stub().CreateOrganization(&context, request, out);
  }
  Organization MustCreateOrg(const Organization& org, absl::string_view parent = "prefectures/59") {
    Organization out;
    grpc::Status status = CreateOrg(org, &out, parent);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  Person MakePerson(const std::string& org_name) {
    Person person;
    person.set_organization(org_name);
    person.set_given_name("Samia");
    person.set_family_name("Benali");
    person.set_email("samia.benali@example.org");
    person.set_phone("+33 6 12 34 56 78");
    *person.mutable_consent_time() = ToProto(clock().Now() - absl::Hours(1));
    return person;
  }
  grpc::Status CreatePerson(const Person& person, Person* out,
                            absl::string_view parent = "prefectures/59",
                            absl::string_view request_id = "") {
    v1::CreatePersonRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_person() = person;
    request.set_request_id(std::string(request_id));
    grpc::ClientContext context;
    return stub().CreatePerson(&context, request, out);
  }
  Person MustCreatePerson(const Person& person) {
    Person out;
    grpc::Status status = CreatePerson(person, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  grpc::Status ListOrgs(absl::string_view filter, int page_size, absl::string_view token,
                        v1::ListOrganizationsResponse* out,
                        absl::string_view parent = "prefectures/59") {
    v1::ListOrganizationsRequest request;
    request.set_parent(std::string(parent));
    request.set_filter(std::string(filter));
    request.set_page_size(page_size);
    request.set_page_token(std::string(token));
    grpc::ClientContext context;
    return stub().ListOrganizations(&context, request, out);
  }
  // Every organization name matching `filter`, paging with `page_size`.
  std::vector<std::string> AllOrgs(absl::string_view filter, int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListOrganizationsResponse response;
      grpc::Status status = ListOrgs(filter, page_size, token, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      EXPECT_LE(response.organizations_size(), page_size);
      for (const auto& org : response.organizations()) names.push_back(org.display_name());
      token = response.next_page_token();
      if (token.empty()) break;
    }
    return names;
  }
  std::vector<std::string> AllPersons(absl::string_view filter) {
    std::vector<std::string> names;
    v1::ListPersonsRequest request;
    request.set_parent("prefectures/59");
    request.set_filter(std::string(filter));
    v1::ListPersonsResponse response;
    grpc::ClientContext context;
    grpc::Status status = stub().ListPersons(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& p : response.persons()) names.push_back(p.name());
    return names;
  }

  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<RedisStakeholderStore> store_;
  std::unique_ptr<Harness> harness_;
};

// ------------------------------------------------------------ organizations

TEST_F(ServiceTest, CreateOrganizationIgnoresOutputOnlyFields) {
  Organization in = MakeOrg("Centre social Le Nautilus");
  in.set_name("prefectures/62/organizations/mine");
  in.set_etag("forged");
  *in.mutable_create_time() = ToProto(absl::FromUnixSeconds(1));
  Organization org = MustCreateOrg(in);
  EXPECT_EQ(org.name(), "prefectures/59/organizations/id1");
  EXPECT_EQ(FromProto(org.create_time()), clock().Now());
  EXPECT_EQ(FromProto(org.update_time()), clock().Now());
  EXPECT_FALSE(org.etag().empty());
  EXPECT_NE(org.etag(), "forged");

  v1::GetOrganizationRequest get;
  get.set_name(org.name());
  Organization got;
  grpc::ClientContext context;
  ASSERT_TRUE(stub().GetOrganization(&context, get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), org.SerializeAsString());
}

TEST_F(ServiceTest, BadOrganizationNamesEveryField) {
  Organization bad;
  bad.set_display_name(std::string(201, 'a'));
  bad.set_category(static_cast<common::v1::ActorCategory>(42));
  bad.add_qpv_codes("QN05981M");
  bad.add_qpv_codes("QX1");
  bad.add_qpv_codes("QN05981M");
  bad.set_email("not-an-email");
  Organization out;
  grpc::Status status = CreateOrg(bad, &out, "prefectures/59", "bad id!");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("organization.display_name", "organization.category",
                                   "organization.qpv_codes[1]", "organization.qpv_codes[2]",
                                   "organization.email", "request_id"));

  Organization bad2;
  bad2.set_display_name("   ");
  status = CreateOrg(bad2, &out, "prefectures/20");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("parent", "organization.display_name",
                                                      "organization.category"));

  // Invalid UTF-8 over the wire: the edge decodes the request itself and
  // names the field. The logic checks it too, for in-process callers.
  Organization bad_utf8 = MakeOrg("Bad \xc3\x28 UTF-8");
  status = CreateOrg(bad_utf8, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("organization.display_name"));
  v1::CreateOrganizationRequest direct;
  direct.set_parent("prefectures/59");
  *direct.mutable_organization() = bad_utf8;
  direct.mutable_organization()->set_email("\xff@example.org");
  absl::Status logic_status = harness_->logic_.CreateOrganization(direct).status();
  std::vector<std::string> fields;
  for (const auto& [field, why] : FieldViolationsOf(logic_status)) fields.push_back(field);
  EXPECT_THAT(fields, UnorderedElementsAre("organization.display_name", "organization.email"));

  v1::CreateOrganizationRequest missing;
  missing.set_parent("prefectures/59");
  missing.set_request_id(std::string(129, 'a'));
  grpc::ClientContext context;
  status = stub().CreateOrganization(&context, missing, &out);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("organization", "request_id"));

  // Nothing was written.
  EXPECT_THAT(AllOrgs("", 50), IsEmpty());
}

TEST_F(ServiceTest, MalformedNamesAreInvalidArgument) {
  for (const char* name : {"", "organizations/x", "prefectures/59/organizations/UPPER",
                           "prefectures/99/organizations/x", "prefectures/59/persons/x",
                           "prefectures/59/organizations/x/extra"}) {
    v1::GetOrganizationRequest get;
    get.set_name(name);
    Organization out;
    grpc::ClientContext context;
    grpc::Status status = stub().GetOrganization(&context, get, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(BadFields(status), ElementsAre("name")) << name;
  }
  v1::GetOrganizationRequest get;
  get.set_name("prefectures/59/organizations/absent");
  Organization out;
  grpc::ClientContext context;
  EXPECT_EQ(stub().GetOrganization(&context, get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// GetPerson is served on the callback API: the same checks and answers.
TEST_F(ServiceTest, GetPersonChecksItsNameAndReadsThePerson) {
  for (const char* name : {"", "persons/x", "prefectures/59/persons/UPPER",
                           "prefectures/99/persons/x", "prefectures/59/organizations/x"}) {
    v1::GetPersonRequest get;
    get.set_name(name);
    Person out;
    grpc::ClientContext context;
    grpc::Status status = stub().GetPerson(&context, get, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(BadFields(status), ElementsAre("name")) << name;
  }
  const Person person = MustCreatePerson(MakePerson(MustCreateOrg(MakeOrg("Asso")).name()));
  v1::GetPersonRequest get;
  get.set_name(person.name());
  Person got;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub().GetPerson(&context, get, &got).ok());
  }
  EXPECT_EQ(got.SerializeAsString(), person.SerializeAsString());
  get.set_name("prefectures/59/persons/absent");
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub().GetPerson(&context, get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  // A préfecture this stack does not serve.
  Start({"62"});
  get.set_name(person.name());
  grpc::ClientContext context;
  EXPECT_EQ(stub().GetPerson(&context, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ServiceTest, RequestIdMakesCreateIdempotent) {
  Organization first, second;
  ASSERT_TRUE(CreateOrg(MakeOrg("Once"), &first, "prefectures/59",
                        "0b6c3a5e-5a9e-4c52-9a53-6a3f0e6f4a11").ok());
  ASSERT_TRUE(CreateOrg(MakeOrg("Once"), &second, "prefectures/59",
                        "0b6c3a5e-5a9e-4c52-9a53-6a3f0e6f4a11").ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_THAT(AllOrgs("", 50), ElementsAre("Once"));
}

TEST_F(ServiceTest, PagingIsStableWhileAddingAndTokensAreChecked) {
  for (int i = 0; i < 7; ++i) MustCreateOrg(MakeOrg(absl::StrCat("org ", i)));
  v1::ListOrganizationsResponse page1;
  ASSERT_TRUE(ListOrgs("", 3, "", &page1).ok());
  ASSERT_EQ(page1.organizations_size(), 3);
  ASSERT_FALSE(page1.next_page_token().empty());
  // Added while paging: seen at the end, once.
  MustCreateOrg(MakeOrg("org 7"));
  std::vector<std::string> names;
  for (const auto& o : page1.organizations()) names.push_back(o.display_name());
  std::string token = page1.next_page_token();
  while (!token.empty()) {
    v1::ListOrganizationsResponse page;
    ASSERT_TRUE(ListOrgs("", 3, token, &page).ok());
    for (const auto& o : page.organizations()) names.push_back(o.display_name());
    token = page.next_page_token();
  }
  EXPECT_THAT(names, ElementsAre("org 0", "org 1", "org 2", "org 3", "org 4", "org 5", "org 6",
                                 "org 7"));
  // A full last page has no token.
  v1::ListOrganizationsResponse all;
  ASSERT_TRUE(ListOrgs("", 8, "", &all).ok());
  EXPECT_EQ(all.organizations_size(), 8);
  EXPECT_TRUE(all.next_page_token().empty());

  // Forged, corrupted, or replayed with another filter / parent.
  v1::ListOrganizationsResponse out;
  grpc::Status status = ListOrgs("", 3, "forged-token", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("page_token"));
  std::string edited = page1.next_page_token();
  edited[edited.size() / 2] = edited[edited.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(ListOrgs("", 3, edited, &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  status = ListOrgs("category = ACTOR_CATEGORY_ASSOCIATION", 3, page1.next_page_token(), &out);
  EXPECT_THAT(BadFields(status), ElementsAre("page_token"));
  status = ListOrgs("", 3, page1.next_page_token(), &out, "prefectures/62");
  EXPECT_THAT(BadFields(status), ElementsAre("page_token"));
  status = ListOrgs("", -1, "", &out);
  EXPECT_THAT(BadFields(status), ElementsAre("page_size"));
  status = ListOrgs("", 0, "", &out, "prefectures/xx");
  EXPECT_THAT(BadFields(status), ElementsAre("parent"));
  // Page size 0 is the default, above 1000 is capped.
  ASSERT_TRUE(ListOrgs("", 0, "", &out).ok());
  EXPECT_EQ(out.organizations_size(), 8);
  ASSERT_TRUE(ListOrgs("", 5000, "", &out).ok());
}

TEST_F(ServiceTest, OrganizationFilters) {
  using common::v1::ACTOR_CATEGORY_ASSOCIATION;
  using common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD;
  MustCreateOrg(MakeOrg("Centre Social Éclaté", ACTOR_CATEGORY_ASSOCIATION, {"QN05981M"}));
  MustCreateOrg(MakeOrg("Partenord Habitat", ACTOR_CATEGORY_SOCIAL_LANDLORD, {"QN05981M"}));
  MustCreateOrg(MakeOrg("Vilogia", ACTOR_CATEGORY_SOCIAL_LANDLORD, {"QP059001"}));
  for (int i = 0; i < 5; ++i) {
    MustCreateOrg(MakeOrg(absl::StrCat("Asso ", i), ACTOR_CATEGORY_ASSOCIATION, {"QP059001"}));
  }
  Organization special = MakeOrg("Ville de Roubaix", common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY);
  special.set_email("Politique.Ville@Roubaix.fr");
  MustCreateOrg(special);

  EXPECT_THAT(AllOrgs("category = ACTOR_CATEGORY_SOCIAL_LANDLORD", 1),
              ElementsAre("Partenord Habitat", "Vilogia"));
  EXPECT_THAT(AllOrgs("qpv_codes:QN05981M", 2),
              ElementsAre("Centre Social Éclaté", "Partenord Habitat", "Ville de Roubaix"));
  EXPECT_THAT(AllOrgs("display_name:\"eclate\"", 2), ElementsAre("Centre Social Éclaté"));
  EXPECT_THAT(AllOrgs("display_name:\"SOCIAL\" AND category = ACTOR_CATEGORY_ASSOCIATION", 10),
              ElementsAre("Centre Social Éclaté"));
  EXPECT_THAT(AllOrgs("category = ACTOR_CATEGORY_ASSOCIATION AND qpv_codes:QP059001", 2),
              ElementsAre("Asso 0", "Asso 1", "Asso 2", "Asso 3", "Asso 4"));
  EXPECT_THAT(AllOrgs("email = \"politique.ville@roubaix.fr\"", 10),
              ElementsAre("Ville de Roubaix"));
  EXPECT_EQ(AllOrgs("category != ACTOR_CATEGORY_ASSOCIATION", 3).size(), 3u);

  for (const char* bad : {"category = ACTOR_CATEGORY_MARTIAN", "qpv_codes:nope",
                          "colour = red", "display_name > \"a\"", "category = ",
                          "category = ACTOR_CATEGORY_ASSOCIATION OR qpv_codes:QP059001"}) {
    v1::ListOrganizationsResponse out;
    grpc::Status status = ListOrgs(bad, 10, "", &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(BadFields(status), ElementsAre("filter")) << bad;
  }
}

TEST_F(ServiceTest, UpdateOrganizationHonoursMaskAndEtag) {
  Organization org = MustCreateOrg(MakeOrg("Before"));
  clock().Advance(absl::Minutes(5));

  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(org.name());
  request.mutable_organization()->set_display_name("After");
  request.mutable_organization()->set_etag(org.etag());
  request.mutable_update_mask()->add_paths("display_name");
  Organization updated;
  {
    grpc::ClientContext context;
    grpc::Status status = stub().UpdateOrganization(&context, request, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(updated.display_name(), "After");
  EXPECT_EQ(updated.category(), common::v1::ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_THAT(updated.qpv_codes(), ElementsAre("QN05981M"));
  EXPECT_EQ(updated.email(), org.email());
  EXPECT_NE(updated.etag(), org.etag());
  EXPECT_EQ(FromProto(updated.update_time()), clock().Now());
  EXPECT_EQ(FromProto(updated.create_time()), FromProto(org.create_time()));

  // Stale etag.
  {
    grpc::ClientContext context;
    Organization out;
    EXPECT_EQ(stub().UpdateOrganization(&context, request, &out).error_code(),
              grpc::StatusCode::ABORTED);
  }
  // Unknown paths name update_mask, output-only ones (create_time) are
  // ignored as in every service; bad values in the mask are named too.
  {
    v1::UpdateOrganizationRequest bad = request;
    bad.mutable_organization()->clear_etag();
    bad.mutable_update_mask()->add_paths("colour");
    bad.mutable_update_mask()->add_paths("create_time");
    bad.mutable_update_mask()->add_paths("qpv_codes");
    bad.mutable_organization()->add_qpv_codes("bogus");
    grpc::ClientContext context;
    Organization out;
    grpc::Status status = stub().UpdateOrganization(&context, bad, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(BadFields(status),
                UnorderedElementsAre("update_mask", "organization.qpv_codes[0]"));
  }
  // Empty mask: every updatable field, so all are validated.
  {
    v1::UpdateOrganizationRequest full;
    full.mutable_organization()->set_name(org.name());
    full.mutable_organization()->set_display_name("Full");
    grpc::ClientContext context;
    Organization out;
    grpc::Status status = stub().UpdateOrganization(&context, full, &out);
    EXPECT_THAT(BadFields(status), ElementsAre("organization.category"));
    full.mutable_organization()->set_category(common::v1::ACTOR_CATEGORY_BUSINESS);
    grpc::ClientContext context2;
    ASSERT_TRUE(stub().UpdateOrganization(&context2, full, &out).ok());
    EXPECT_EQ(out.display_name(), "Full");
    EXPECT_EQ(out.category(), common::v1::ACTOR_CATEGORY_BUSINESS);
    EXPECT_THAT(out.qpv_codes(), IsEmpty());
    EXPECT_EQ(out.email(), "");
  }
  // Absent.
  {
    v1::UpdateOrganizationRequest absent = request;
    absent.mutable_organization()->set_name("prefectures/59/organizations/nope");
    absent.mutable_organization()->clear_etag();
    grpc::ClientContext context;
    Organization out;
    EXPECT_EQ(stub().UpdateOrganization(&context, absent, &out).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
}

TEST_F(ServiceTest, DeleteOrganizationWithEtagAndPersons) {
  Organization org = MustCreateOrg(MakeOrg("Org"));
  Person person = MustCreatePerson(MakePerson(org.name()));
  auto del_org = [&](const std::string& etag) {
    v1::DeleteOrganizationRequest request;
    request.set_name(org.name());
    request.set_etag(etag);
    google::protobuf::Empty out;
    grpc::ClientContext context;
    return stub().DeleteOrganization(&context, request, &out).error_code();
  };
  EXPECT_EQ(del_org("stale"), grpc::StatusCode::ABORTED);
  EXPECT_EQ(del_org(org.etag()), grpc::StatusCode::FAILED_PRECONDITION);
  {
    v1::DeletePersonRequest request;
    request.set_name(person.name());
    google::protobuf::Empty out;
    grpc::ClientContext context;
    ASSERT_TRUE(stub().DeletePerson(&context, request, &out).ok());
  }
  EXPECT_EQ(del_org(org.etag()), grpc::StatusCode::OK);
  EXPECT_EQ(del_org(""), grpc::StatusCode::NOT_FOUND);
}

// ------------------------------------------------------------ persons

TEST_F(ServiceTest, BadPersonNamesEveryField) {
  Organization org = MustCreateOrg(MakeOrg("Org"));
  Person bad;
  bad.set_organization("organizations/nope");
  bad.set_given_name(std::string(101, 'x'));
  bad.set_family_name("Ok");
  bad.set_email("samia@");
  bad.set_phone("call me");
  *bad.mutable_consent_time() = ToProto(clock().Now() + absl::Minutes(2));
  bad.set_name("prefectures/59/persons/forged");  // output only: ignored
  Person out;
  grpc::Status status = CreatePerson(bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("person.organization", "person.given_name", "person.email",
                                   "person.phone", "person.consent_time"));

  Person bad2;
  bad2.set_organization("prefectures/62/organizations/" + LastSegment(org.name()));
  bad2.mutable_consent_time()->set_seconds(-99999999999LL);
  status = CreatePerson(bad2, &out);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("person.organization", "person.family_name",
                                                      "person.consent_time"));

  // Well-formed but absent organization.
  Person orphan = MakePerson("prefectures/59/organizations/ghost");
  EXPECT_EQ(CreatePerson(orphan, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(AllPersons(""), IsEmpty());
}

TEST_F(ServiceTest, PersonLifecycleFiltersAndIdempotency) {
  Organization a = MustCreateOrg(MakeOrg("A"));
  Organization b = MustCreateOrg(MakeOrg("B"));
  Person p1 = MustCreatePerson(MakePerson(a.name()));
  Person no_consent = MakePerson(b.name());
  no_consent.clear_consent_time();
  Person p2 = MustCreatePerson(no_consent);
  Person replay1, replay2;
  ASSERT_TRUE(CreatePerson(MakePerson(b.name()), &replay1, "prefectures/59", "req_42").ok());
  ASSERT_TRUE(CreatePerson(MakePerson(b.name()), &replay2, "prefectures/59", "req_42").ok());
  EXPECT_EQ(replay1.name(), replay2.name());
  EXPECT_EQ(p1.name(), "prefectures/59/persons/id3");

  EXPECT_THAT(AllPersons(""), ElementsAre(p1.name(), p2.name(), replay1.name()));
  EXPECT_THAT(AllPersons(absl::StrCat("organization = \"", b.name(), "\"")),
              ElementsAre(p2.name(), replay1.name()));
  EXPECT_THAT(AllPersons("has_consent = true"), ElementsAre(p1.name(), replay1.name()));
  EXPECT_THAT(AllPersons("has_consent = false"), ElementsAre(p2.name()));
  EXPECT_THAT(AllPersons("erased = true"), IsEmpty());
  for (const char* bad : {"has_consent = maybe", "organization = \"nope\"", "given_name = x"}) {
    v1::ListPersonsRequest request;
    request.set_parent("prefectures/59");
    request.set_filter(bad);
    v1::ListPersonsResponse out;
    grpc::ClientContext context;
    grpc::Status status = stub().ListPersons(&context, request, &out);
    EXPECT_THAT(BadFields(status), ElementsAre("filter")) << bad;
  }

  // Update: move to B with a mask, withdraw consent.
  v1::UpdatePersonRequest update;
  update.mutable_person()->set_name(p1.name());
  update.mutable_person()->set_organization(b.name());
  update.mutable_person()->set_etag(p1.etag());
  update.mutable_update_mask()->add_paths("organization");
  update.mutable_update_mask()->add_paths("consent_time");
  Person moved;
  {
    grpc::ClientContext context;
    grpc::Status status = stub().UpdatePerson(&context, update, &moved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(moved.organization(), b.name());
  EXPECT_FALSE(moved.has_consent_time());
  EXPECT_EQ(moved.given_name(), "Samia");
  EXPECT_NE(moved.etag(), p1.etag());
  {
    grpc::ClientContext context;
    Person out;
    EXPECT_EQ(stub().UpdatePerson(&context, update, &out).error_code(),
              grpc::StatusCode::ABORTED);
  }
  // To another préfecture's organization, or clearing both names.
  {
    v1::UpdatePersonRequest bad;
    bad.mutable_person()->set_name(p1.name());
    bad.mutable_person()->set_organization("prefectures/62/organizations/x");
    bad.mutable_update_mask()->add_paths("organization");
    grpc::ClientContext context;
    Person out;
    EXPECT_THAT(BadFields(stub().UpdatePerson(&context, bad, &out)),
                ElementsAre("person.organization"));
    bad.mutable_update_mask()->Clear();
    bad.mutable_update_mask()->add_paths("given_name");
    bad.mutable_update_mask()->add_paths("family_name");
    grpc::ClientContext context2;
    EXPECT_THAT(BadFields(stub().UpdatePerson(&context2, bad, &out)),
                ElementsAre("person.family_name"));
  }
  // A deletes now, B does not.
  v1::DeleteOrganizationRequest del;
  del.set_name(a.name());
  google::protobuf::Empty empty;
  grpc::ClientContext context;
  EXPECT_TRUE(stub().DeleteOrganization(&context, del, &empty).ok());
}

TEST_F(ServiceTest, ExportAndErase) {
  Organization org = MustCreateOrg(MakeOrg("Org"));
  Person person = MustCreatePerson(MakePerson(org.name()));

  v1::ExportPersonDataRequest export_request;
  export_request.set_name(person.name());
  v1::PersonDataExport exported;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub().ExportPersonData(&context, export_request, &exported).ok());
  }
  EXPECT_EQ(exported.person().SerializeAsString(), person.SerializeAsString());
  EXPECT_EQ(exported.organization().name(), org.name());
  EXPECT_EQ(FromProto(exported.export_time()), clock().Now());
  EXPECT_THAT(exported.processing_notice(), HasSubstr("erase"));

  clock().Advance(absl::Hours(1));
  v1::ErasePersonRequest erase;
  erase.set_name(person.name());
  erase.set_etag("stale");
  Person erased;
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub().ErasePerson(&context, erase, &erased).error_code(),
              grpc::StatusCode::ABORTED);
  }
  erase.set_etag(person.etag());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub().ErasePerson(&context, erase, &erased).ok());
  }
  EXPECT_EQ(erased.name(), person.name());
  EXPECT_EQ(erased.organization(), org.name());
  EXPECT_TRUE(erased.given_name().empty());
  EXPECT_TRUE(erased.family_name().empty());
  EXPECT_TRUE(erased.email().empty());
  EXPECT_TRUE(erased.phone().empty());
  EXPECT_FALSE(erased.has_consent_time());
  EXPECT_EQ(FromProto(erased.erase_time()), clock().Now());

  // No trace left in Redis of the personal fields.
  auto raw = redis_->Command({"HGET", "stk:{59}:person:" + LastSegment(person.name()), "pb"});
  ASSERT_TRUE(raw.ok());
  EXPECT_THAT(raw->str, Not(HasSubstr("Samia")));
  EXPECT_THAT(raw->str, Not(HasSubstr("example.org")));
  EXPECT_THAT(raw->str, Not(HasSubstr("34 56")));

  // Second erase: idempotent, unchanged.
  clock().Advance(absl::Hours(1));
  Person again;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub().ErasePerson(&context, erase, &again).ok());
  }
  EXPECT_EQ(again.SerializeAsString(), erased.SerializeAsString());
  // Still countable, still readable by name, not updatable.
  EXPECT_THAT(AllPersons("erased = true"), ElementsAre(person.name()));
  {
    v1::GetPersonRequest get;
    get.set_name(person.name());
    Person got;
    grpc::ClientContext context;
    ASSERT_TRUE(stub().GetPerson(&context, get, &got).ok());
    EXPECT_TRUE(got.has_erase_time());
  }
  {
    v1::UpdatePersonRequest update;
    update.mutable_person()->set_name(person.name());
    update.mutable_person()->set_given_name("Back");
    update.mutable_update_mask()->add_paths("given_name");
    Person out;
    grpc::ClientContext context;
    EXPECT_EQ(stub().UpdatePerson(&context, update, &out).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub().ExportPersonData(&context, export_request, &exported).ok());
    EXPECT_TRUE(exported.person().given_name().empty());
    EXPECT_TRUE(exported.person().has_erase_time());
  }
}

TEST_F(ServiceTest, PrefecturesOutsideTheStackAreDenied) {
  Organization org62 = MustCreateOrg(MakeOrg("Arras"), "prefectures/62");
  Start({"59"});
  Organization out;
  EXPECT_EQ(CreateOrg(MakeOrg("x"), &out, "prefectures/62").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetOrganizationRequest get;
  get.set_name(org62.name());
  grpc::ClientContext context;
  EXPECT_EQ(stub().GetOrganization(&context, get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListOrganizationsResponse list;
  EXPECT_EQ(ListOrgs("", 10, "", &list, "prefectures/62").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(ListOrgs("", 10, "", &list, "prefectures/59").ok());
  EXPECT_EQ(list.organizations_size(), 0);
}

TEST(ServiceRedisDown, UnavailableThenBack) {
  qpv::testing::RedisServer server;
  redis::Options options;
  options.url = server.url();
  options.pool_size = 2;
  options.command_timeout = absl::Milliseconds(500);
  auto client = *redis::RedisClient::Create(options);
  RedisStakeholderStore store(client.get());
  Harness harness(&store, {});
  v1::CreateOrganizationRequest request;
  request.set_parent("prefectures/59");
  request.mutable_organization()->set_display_name("Org");
  request.mutable_organization()->set_category(common::v1::ACTOR_CATEGORY_OTHER);
  Organization out;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(harness.stub_->CreateOrganization(&context, request, &out).ok());
  }
  server.Stop();
  {
    grpc::ClientContext context;
    grpc::Status status = harness.stub_->CreateOrganization(&context, request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_THAT(status.error_message(), Not(HasSubstr("hiredis")));
    EXPECT_THAT(status.error_message(), Not(HasSubstr("redis.sock")));
  }
  {
    v1::ListOrganizationsRequest list;
    list.set_parent("prefectures/59");
    v1::ListOrganizationsResponse response;
    grpc::ClientContext context;
    EXPECT_EQ(harness.stub_->ListOrganizations(&context, list, &response).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  server.Start();
  {
    grpc::ClientContext context;
    grpc::Status status = harness.stub_->CreateOrganization(&context, request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

// The in-memory store behind the same service, for the main paths.
TEST(ServiceOnMemoryStore, CreateListErase) {
  FakeClock store_clock;
  MemoryStakeholderStore store(&store_clock);
  Harness harness(&store, {});
  v1::CreateOrganizationRequest create;
  create.set_parent("prefectures/2A");
  create.mutable_organization()->set_display_name("Conseil citoyen");
  create.mutable_organization()->set_category(common::v1::ACTOR_CATEGORY_CITIZEN_COUNCIL);
  Organization org;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(harness.stub_->CreateOrganization(&context, create, &org).ok());
  }
  v1::CreatePersonRequest person_request;
  person_request.set_parent("prefectures/2A");
  person_request.mutable_person()->set_organization(org.name());
  person_request.mutable_person()->set_family_name("Rossi");
  Person person;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(harness.stub_->CreatePerson(&context, person_request, &person).ok());
  }
  v1::ErasePersonRequest erase;
  erase.set_name(person.name());
  Person erased;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(harness.stub_->ErasePerson(&context, erase, &erased).ok());
  }
  EXPECT_TRUE(erased.family_name().empty());
  v1::ListPersonsRequest list;
  list.set_parent("prefectures/2A");
  list.set_filter("erased = true");
  v1::ListPersonsResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(harness.stub_->ListPersons(&context, list, &response).ok());
  EXPECT_EQ(response.persons_size(), 1);
}

}  // namespace
}  // namespace qpv::stakeholder
