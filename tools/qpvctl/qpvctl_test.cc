// The pure parts of qpvctl: argument parsing, enum/time parsing, request
// building (update masks, filters), table rendering, error and JSON output.
#include <cstdlib>
#include <sstream>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "common/util/clock.h"
#include "gtest/gtest.h"
#include "qpv/common/v1/error_info.pb.h"
#include "tools/qpvctl/args.h"
#include "tools/qpvctl/cli.h"
#include "tools/qpvctl/output.h"
#include "tools/qpvctl/table.h"

namespace qpv::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using qpv::common::v1::ActorCategory_descriptor;
using qpv::common::v1::Theme_descriptor;

const absl::Time kNow = absl::FromUnixSeconds(1517900400);  // 2018-02-06T07:00:00Z

Args MustParse(std::vector<std::string> tokens, const std::vector<FlagSpec>& specs) {
  auto args = ParseArgs(tokens, specs);
  EXPECT_TRUE(args.ok()) << args.status();
  return args.ok() ? *args : Args();
}

std::vector<FlagSpec> FlagsOf(absl::string_view group, absl::string_view verb) {
  for (const auto& c : AllCommands()) {
    if (c.group == group && c.verb == verb) {
      auto flags = c.flags;
      for (const auto& g : GlobalFlags()) flags.push_back(g);
      return flags;
    }
  }
  ADD_FAILURE() << "no command " << group << " " << verb;
  return {};
}

// --- args ----------------------------------------------------------------------

TEST(ParseArgs, ValuesSwitchesRepeatsAndPositionals) {
  std::vector<FlagSpec> specs{Value("name", "X", ""), Switch("all", ""),
                              Repeated("theme", "T", ""), Switch("reproducible", "")};
  Args a = MustParse({"prefectures/59/workshops/w1", "--name", "Régie", "--all", "--theme=health",
                      "--theme", "employment,image", "--reproducible=false"},
                     specs);
  EXPECT_THAT(a.positional(), ElementsAre("prefectures/59/workshops/w1"));
  EXPECT_EQ(a.GetOr("name", ""), "Régie");
  EXPECT_TRUE(a.GetBool("all"));
  EXPECT_THAT(a.GetAll("theme"), ElementsAre("health", "employment", "image"));
  EXPECT_TRUE(a.Has("reproducible"));
  EXPECT_FALSE(a.GetBool("reproducible"));
  EXPECT_FALSE(a.Has("missing"));
}

TEST(ParseArgs, DoubleDashEndsFlagsAndDashValuesAreValues) {
  std::vector<FlagSpec> specs{Value("page-size", "N", "")};
  Args a = MustParse({"--page-size", "-1", "--", "--not-a-flag"}, specs);
  EXPECT_EQ(a.GetOr("page-size", ""), "-1");
  EXPECT_THAT(a.positional(), ElementsAre("--not-a-flag"));
}

TEST(ParseArgs, Errors) {
  std::vector<FlagSpec> specs{Value("name", "X", ""), Switch("all", "")};
  EXPECT_THAT(ParseArgs({"--nope"}, specs).status().message(), HasSubstr("unknown flag --nope"));
  EXPECT_THAT(ParseArgs({"--name"}, specs).status().message(), HasSubstr("needs a value"));
  EXPECT_THAT(ParseArgs({"--name", "a", "--name", "b"}, specs).status().message(),
              HasSubstr("given twice"));
  EXPECT_THAT(ParseArgs({"--all=maybe"}, specs).status().message(), HasSubstr("=true"));
  EXPECT_THAT(ParseArgs({"-x"}, specs).status().message(), HasSubstr("unknown flag"));
  EXPECT_FALSE(ParseArgs({"--name", "caf\xE9"}, specs).ok());  // Latin-1, not UTF-8
}

TEST(ParseArgs, StopsAtFirstPositional) {
  size_t consumed = 0;
  auto a = ParseArgs({"--json", "--timeout", "2s", "org", "list", "--all"}, GlobalFlags(), true,
                     &consumed);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(consumed, 3u);
  EXPECT_TRUE(a->GetBool("json"));
  EXPECT_EQ(a->GetOr("timeout", ""), "2s");
}

// --- enums, times, durations ------------------------------------------------------

TEST(ParseEnum, ShortFullAndBareNames) {
  const auto* theme = Theme_descriptor();
  EXPECT_EQ(*ParseEnum(theme, "employment", "theme"),
            qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  EXPECT_EQ(*ParseEnum(theme, "image", "theme"), qpv::common::v1::THEME_NEIGHBOURHOOD_IMAGE);
  EXPECT_EQ(*ParseEnum(theme, "THEME_SAFETY_PREVENTION", "theme"),
            qpv::common::v1::THEME_SAFETY_PREVENTION);
  EXPECT_EQ(*ParseEnum(theme, "housing-urban-renewal", "theme"),
            qpv::common::v1::THEME_HOUSING_URBAN_RENEWAL);
  EXPECT_EQ(*ParseEnum(theme, "Culture", "theme"), qpv::common::v1::THEME_CULTURE_SPORT);
  const auto* cat = ActorCategory_descriptor();
  EXPECT_EQ(*ParseEnum(cat, "local-authority", "category"),
            qpv::common::v1::ACTOR_CATEGORY_LOCAL_AUTHORITY);
  EXPECT_EQ(*ParseEnum(cat, "social_landlord", "category"),
            qpv::common::v1::ACTOR_CATEGORY_SOCIAL_LANDLORD);
  EXPECT_EQ(*ParseEnum(cat, "ACTOR_CATEGORY_ADULT_RELAY", "category"),
            qpv::common::v1::ACTOR_CATEGORY_ADULT_RELAY);
  const auto* kind = qpv::workshop::v1::Contribution::Kind_descriptor();
  EXPECT_EQ(*ParseEnum(kind, "good-practice", "kind"),
            qpv::workshop::v1::Contribution::KIND_GOOD_PRACTICE);
  EXPECT_EQ(*ParseEnum(kind, "action", "kind"), qpv::workshop::v1::Contribution::KIND_ACTION);
}

TEST(ParseEnum, RejectsUnknownAndUnspecified) {
  auto bad = ParseEnum(Theme_descriptor(), "sport", "theme");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--theme"));
  EXPECT_THAT(bad.status().message(), HasSubstr("employment, discrimination, image"));
  EXPECT_FALSE(ParseEnum(Theme_descriptor(), "unspecified", "theme").ok());
  EXPECT_FALSE(ParseEnum(Theme_descriptor(), "THEME_UNSPECIFIED", "theme").ok());
  EXPECT_FALSE(ParseEnum(Theme_descriptor(), "", "theme").ok());
}

TEST(EnumShortName, RoundTripsEveryValue) {
  for (const auto* type : {Theme_descriptor(), ActorCategory_descriptor(),
                           qpv::workshop::v1::Contribution::Kind_descriptor(),
                           qpv::workshop::v1::Workshop::State_descriptor(),
                           qpv::workshop::v1::Registration::State_descriptor()}) {
    for (int i = 0; i < type->value_count(); ++i) {
      const int n = type->value(i)->number();
      if (n == 0) continue;
      auto back = ParseEnum(type, EnumShortName(type, n), "x");
      ASSERT_TRUE(back.ok()) << type->full_name() << " " << n;
      EXPECT_EQ(*back, n);
    }
  }
  EXPECT_EQ(EnumShortName(Theme_descriptor(), qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT),
            "employment");
  EXPECT_EQ(EnumShortName(qpv::workshop::v1::Workshop::State_descriptor(),
                          qpv::workshop::v1::Workshop::STATE_SCHEDULED),
            "scheduled");
  EXPECT_EQ(EnumShortName(Theme_descriptor(), 99), "99");
}

TEST(ParseTimestamp, Rfc3339WithOffset) {
  auto ts = ParseTimestamp("2018-02-06T09:00:00+01:00", kNow, "start");
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(ts->seconds(), absl::ToUnixSeconds(absl::FromCivil(
                               absl::CivilSecond(2018, 2, 6, 8, 0, 0), absl::UTCTimeZone())));
  auto z = ParseTimestamp("2018-02-06T08:00:00.5Z", kNow, "start");
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(z->seconds(), ts->seconds());
  EXPECT_EQ(z->nanos(), 500000000);
  EXPECT_EQ(ParseTimestamp("now", kNow, "start")->seconds(), 1517900400);
  EXPECT_FALSE(ParseTimestamp("2018-02-06T09:00:00", kNow, "start").ok());  // no offset
  EXPECT_FALSE(ParseTimestamp("2018-02-06", kNow, "start").ok());
  EXPECT_THAT(ParseTimestamp("demain", kNow, "end").status().message(), HasSubstr("--end"));
}

TEST(ParseTimeout, Durations) {
  EXPECT_EQ(*ParseTimeout("5s"), absl::Seconds(5));
  EXPECT_EQ(*ParseTimeout("500ms"), absl::Milliseconds(500));
  EXPECT_EQ(*ParseTimeout("2"), absl::Seconds(2));
  EXPECT_FALSE(ParseTimeout("0s").ok());
  EXPECT_FALSE(ParseTimeout("-1s").ok());
  EXPECT_FALSE(ParseTimeout("soon").ok());
}

TEST(PrefectureParent, Codes) {
  EXPECT_EQ(*PrefectureParent("59"), "prefectures/59");
  EXPECT_EQ(*PrefectureParent("2A"), "prefectures/2A");
  EXPECT_EQ(*PrefectureParent("-"), "prefectures/-");
  EXPECT_EQ(*PrefectureParent("prefectures/971"), "prefectures/971");
  EXPECT_FALSE(PrefectureParent("").ok());
  EXPECT_FALSE(PrefectureParent("59/x").ok());
}

// --- request builders -------------------------------------------------------------

TEST(Builders, CreateOrganization) {
  Args a = MustParse({"--prefecture", "59", "--name", "Régie de quartier de Roubaix",
                      "--category", "association", "--qpv", "QN05981M", "--email",
                      "contact@x.fr", "--request-id", "r1"},
                     FlagsOf("org", "create"));
  auto req = BuildCreateOrganization(a);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->parent(), "prefectures/59");
  EXPECT_EQ(req->organization().display_name(), "Régie de quartier de Roubaix");
  EXPECT_EQ(req->organization().category(), qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_THAT(req->organization().qpv_codes(), ElementsAre("QN05981M"));
  EXPECT_EQ(req->request_id(), "r1");
  EXPECT_FALSE(BuildCreateOrganization(MustParse({"--prefecture", "59", "--name", "x"},
                                                 FlagsOf("org", "create")))
                   .ok());
}

TEST(Builders, UpdateMaskIsTheFlagsGiven) {
  Args a = MustParse({"prefectures/59/organizations/o1", "--display-name", "Nouveau nom",
                      "--qpv", "", "--etag", "e1"},
                     FlagsOf("org", "update"));
  auto req = BuildUpdateOrganization(a);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->organization().name(), "prefectures/59/organizations/o1");
  EXPECT_THAT(req->update_mask().paths(), ElementsAre("display_name", "qpv_codes"));
  EXPECT_TRUE(req->organization().qpv_codes().empty());  // '' clears
  EXPECT_EQ(req->organization().etag(), "e1");
  auto none = BuildUpdateOrganization(
      MustParse({"prefectures/59/organizations/o1", "--etag", "e1"}, FlagsOf("org", "update")));
  EXPECT_THAT(none.status().message(), HasSubstr("nothing to update"));
}

TEST(Builders, PersonConsent) {
  auto create = BuildCreatePerson(
      MustParse({"--prefecture", "59", "--org", "prefectures/59/organizations/o1",
                 "--given-name", "Aïcha", "--consent"},
                FlagsOf("person", "create")),
      kNow);
  ASSERT_TRUE(create.ok()) << create.status();
  EXPECT_EQ(create->person().consent_time().seconds(), 1517900400);
  EXPECT_EQ(create->person().organization(), "prefectures/59/organizations/o1");

  auto clear = BuildUpdatePerson(
      MustParse({"prefectures/59/persons/p1", "--consent=false"}, FlagsOf("person", "update")),
      kNow);
  ASSERT_TRUE(clear.ok()) << clear.status();
  EXPECT_THAT(clear->update_mask().paths(), ElementsAre("consent_time"));
  EXPECT_FALSE(clear->person().has_consent_time());

  auto at = BuildUpdatePerson(MustParse({"prefectures/59/persons/p1", "--consent-time",
                                         "2018-01-01T00:00:00Z", "--phone", "0600000000"},
                                        FlagsOf("person", "update")),
                              kNow);
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_THAT(at->update_mask().paths(), ElementsAre("phone", "consent_time"));
  EXPECT_EQ(at->person().consent_time().seconds(), 1514764800);

  EXPECT_FALSE(BuildUpdatePerson(MustParse({"prefectures/59/persons/p1", "--consent",
                                            "--consent-time", "now"},
                                           FlagsOf("person", "update")),
                                 kNow)
                   .ok());
}

TEST(Builders, CreateWorkshop) {
  Args a = MustParse({"--prefecture", "59", "--title", "Emploi et développement économique",
                      "--theme", "employment", "--theme", "discrimination", "--start",
                      "2018-02-06T09:00:00+01:00", "--end", "2018-02-06T12:30:00+01:00",
                      "--venue", "Préfecture du Nord, Lille", "--capacity", "40", "--qpv",
                      "QN05981M"},
                     FlagsOf("workshop", "create"));
  auto req = BuildCreateWorkshop(a, kNow);
  ASSERT_TRUE(req.ok()) << req.status();
  const auto& w = req->workshop();
  EXPECT_EQ(req->parent(), "prefectures/59");
  EXPECT_THAT(w.themes(), ElementsAre(qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT,
                                      qpv::common::v1::THEME_DISCRIMINATION));
  EXPECT_EQ(w.end_time().seconds() - w.start_time().seconds(), 3.5 * 3600);
  EXPECT_EQ(w.capacity(), 40);

  Args backwards = MustParse({"--prefecture", "59", "--title", "t", "--theme", "health",
                              "--start", "2018-02-06T12:00:00Z", "--end",
                              "2018-02-06T09:00:00Z"},
                             FlagsOf("workshop", "create"));
  EXPECT_THAT(BuildCreateWorkshop(backwards, kNow).status().message(), HasSubstr("after"));
  Args bad_cap = MustParse({"w", "--capacity", "forty"}, FlagsOf("workshop", "update"));
  EXPECT_THAT(BuildUpdateWorkshop(bad_cap, kNow).status().message(), HasSubstr("--capacity"));
}

TEST(Builders, ContributionUpdateAndFilters) {
  auto up = BuildUpdateContribution(MustParse(
      {"prefectures/59/workshops/w/contributions/c", "--reproducible=false", "--kind",
       "good-practice"},
      FlagsOf("contribution", "update")));
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_THAT(up->update_mask().paths(), ElementsAre("kind", "reproducible"));
  EXPECT_FALSE(up->contribution().reproducible());

  auto f = ContributionFilter(MustParse({"w", "--kind", "action", "--theme", "education",
                                         "--reproducible"},
                                        FlagsOf("contribution", "list")));
  EXPECT_EQ(*f, "kind = KIND_ACTION AND themes:THEME_EDUCATION AND reproducible = true");

  auto wf = WorkshopFilter(MustParse({"--state", "scheduled", "--from", "2018-02-01T00:00:00+01:00",
                                      "--filter", "themes:THEME_HEALTH"},
                                     FlagsOf("workshop", "list")),
                           kNow);
  EXPECT_EQ(*wf,
            "themes:THEME_HEALTH AND state = STATE_SCHEDULED AND start_time >= "
            "\"2018-01-31T23:00:00Z\"");
  auto of = OrganizationFilter(
      MustParse({"--category", "citizen-council", "--qpv", "QN05981M"}, FlagsOf("org", "list")));
  EXPECT_EQ(*of, "category = ACTOR_CATEGORY_CITIZEN_COUNCIL AND qpv_codes:\"QN05981M\"");
  EXPECT_EQ(*PersonFilter(MustParse({"--org", "prefectures/59/organizations/o\"1"},
                                    FlagsOf("person", "list"))),
            "organization = \"prefectures/59/organizations/o\\\"1\"");
}

// --- tables ------------------------------------------------------------------------

TEST(Table, WidthsCountCodePoints) {
  EXPECT_EQ(DisplayWidth("Régie"), 5u);
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
  EXPECT_EQ(DisplayWidth("Préfecture — Nord"), 17u);
  Table t({"NAME", "DISPLAY NAME", "CATEGORY"});
  t.AddRow({"o1", "Régie de quartier", "association"});
  t.AddRow({"o22", "Centre social", "other"});
  EXPECT_EQ(t.Render(),
            "NAME  DISPLAY NAME       CATEGORY\n"
            "o1    Régie de quartier  association\n"
            "o22   Centre social      other\n");
}

TEST(Table, CellsAreCutAndCleaned) {
  EXPECT_EQ(FitCell("Égalité des chances", 8), "Égalité\u2026");
  EXPECT_EQ(DisplayWidth(FitCell("Égalité des chances", 8)), 8u);
  EXPECT_EQ(FitCell("a\nb\tc", 10), "a b c");
  EXPECT_EQ(FitCell("court", 10), "court");
  Table t({"A", "B"}, 4);
  t.AddRow({"àéîõü", ""});
  EXPECT_EQ(t.Render(), "A     B\nàéî…\n");
  Table names({"NAME"}, 10);
  names.AddRow({"prefectures/59/workshops/w1/contributions/c1"});
  EXPECT_EQ(names.Render(), "NAME\nprefectures/59/workshops/w1/contributions/c1\n");
}

TEST(Detail, FlattensAndFormats) {
  qpv::stakeholder::v1::PersonDataExport e;
  e.mutable_person()->set_name("prefectures/59/persons/p1");
  e.mutable_person()->set_given_name("Aïcha");
  *e.mutable_person()->mutable_consent_time() = ToProto(kNow);
  e.mutable_organization()->set_category(qpv::common::v1::ACTOR_CATEGORY_ADULT_RELAY);
  e.mutable_organization()->add_qpv_codes("QN05981M");
  e.mutable_organization()->add_qpv_codes("QP059001");
  e.set_processing_notice("line one\nline two");
  const auto rows = MessageDetailRows(e);
  auto find = [&](const std::string& k) {
    for (const auto& [key, v] : rows) {
      if (key == k) return v;
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(find("person.given_name"), "Aïcha");
  EXPECT_EQ(find("person.consent_time"), "2018-02-06T07:00:00Z");
  EXPECT_EQ(find("person.phone"), "-");
  EXPECT_EQ(find("organization.category"), "adult-relay");
  EXPECT_EQ(find("organization.qpv_codes"), "QN05981M, QP059001");
  EXPECT_EQ(find("export_time"), "-");
  EXPECT_EQ(RenderDetail({{"a", "1"}, {"long_key", "x\ny"}}),
            "a:        1\n"
            "long_key: x\n"
            "          y\n");
}

// --- output ------------------------------------------------------------------------

TEST(Output, RpcErrorWithDetails) {
  google::rpc::Status details;
  details.set_code(3);
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("workshop.capacity");
  v->set_description("must be between 1 and 10000");
  details.add_details()->PackFrom(bad);
  qpv::common::v1::ErrorInfo info;
  info.set_reason("INVALID_FIELD");
  auto* any = details.add_details();
  any->set_type_url("type.googleapis.com/google.rpc.ErrorInfo");
  any->set_value(info.SerializeAsString());
  grpc::Status s(grpc::StatusCode::INVALID_ARGUMENT, "bad workshop",
                 details.SerializeAsString());
  EXPECT_EQ(FormatRpcError(s),
            "qpvctl: INVALID_ARGUMENT: bad workshop\n"
            "  reason: INVALID_FIELD\n"
            "  workshop.capacity: must be between 1 and 10000\n");
  EXPECT_EQ(FormatRpcError(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such workshop")),
            "qpvctl: NOT_FOUND: no such workshop\n");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
}

TEST(Output, JsonMapping) {
  qpv::stakeholder::v1::Organization o;
  o.set_name("prefectures/59/organizations/o1");
  o.set_display_name("Régie \"Roubaix\"");
  o.set_category(qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION);
  EXPECT_EQ(MessageJson(o),
            "{\"name\":\"prefectures/59/organizations/o1\",\"displayName\":\"Régie "
            "\\\"Roubaix\\\"\",\"category\":\"ACTOR_CATEGORY_ASSOCIATION\"}");
  EXPECT_EQ(ListJson({&o}, "tok"),
            "{\"items\":[" + MessageJson(o) + "],\"nextPageToken\":\"tok\"}");
  EXPECT_EQ(ListJson({}, ""), "{\"items\":[],\"nextPageToken\":\"\"}");
}

// --- the command line as a whole (no RPC is made) ------------------------------------

int RunCli(std::vector<std::string> argv, std::string* out, std::string* err) {
  std::ostringstream o, e;
  const int rc = RunMain(argv, o, e);
  *out = o.str();
  *err = e.str();
  return rc;
}

TEST(RunMain, HelpAndUsageErrors) {
  std::string out, err;
  EXPECT_EQ(RunCli({"--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("workshop schedule"));
  EXPECT_EQ(RunCli({"org", "--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("qpvctl org update NAME"));
  EXPECT_EQ(RunCli({"--help", "workshop"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("qpvctl workshop cancel"));
  EXPECT_EQ(RunCli({"workshop", "create", "--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("--capacity N"));
  EXPECT_EQ(RunCli({"vote", "--help"}, &out, &err), 0);
  EXPECT_EQ(RunCli({}, &out, &err), 2);
  EXPECT_EQ(RunCli({"frobnicate"}, &out, &err), 2);
  EXPECT_EQ(RunCli({"org", "frobnicate"}, &out, &err), 2);
  EXPECT_EQ(RunCli({"org", "get"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("missing argument"));
  EXPECT_EQ(RunCli({"org", "get", "a", "b"}, &out, &err), 2);
  EXPECT_EQ(RunCli({"attendance", "prefectures/59/workshops/w/registrations/r"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("--attended or --absent"));
  EXPECT_EQ(RunCli({"workshop", "create", "--prefecture", "59", "--title", "t", "--theme", "sport",
                 "--start", "now", "--end", "now"},
                &out, &err),
            2);
  EXPECT_THAT(err, HasSubstr("unknown value \"sport\""));
  EXPECT_THAT(err, HasSubstr("see 'qpvctl workshop create --help'"));
  EXPECT_EQ(RunCli({"--timeout", "never", "org", "get", "x"}, &out, &err), 2);
}

TEST(RunMain, UnreachableServerIsAnRpcError) {
  std::string out, err;
  // Port 1 on loopback: nothing listens; the deadline keeps the test short.
  EXPECT_EQ(RunCli({"org", "get", "prefectures/59/organizations/o1", "--stakeholder-addr",
                 "127.0.0.1:1", "--timeout", "2s"},
                &out, &err),
            1);
  EXPECT_THAT(err, HasSubstr("qpvctl: UNAVAILABLE"));
  EXPECT_EQ(RunCli({"health", "--stakeholder-addr", "127.0.0.1:1", "--workshop-addr", "127.0.0.1:1",
                 "--reporting-addr", "127.0.0.1:1", "--national-addr", "127.0.0.1:1",
                 "--timeout", "2s", "--json"},
                &out, &err),
            1);
  EXPECT_THAT(out, HasSubstr("\"stakeholder\":{\"address\":\"127.0.0.1:1\",\"status\":\"unreachable\"}"));
  EXPECT_THAT(out, HasSubstr("\"national\":{\"address\":\"127.0.0.1:1\",\"status\":\"unreachable\"}"));
  // Without their addresses, reporting and national are not checked.
  unsetenv("QPV_REPORTING_ADDR");
  unsetenv("QPV_NATIONAL_ADDR");
  EXPECT_EQ(RunCli({"health", "--stakeholder-addr", "127.0.0.1:1", "--workshop-addr",
                    "127.0.0.1:1", "--timeout", "2s", "--json"},
                   &out, &err),
            1);
  EXPECT_THAT(out, Not(HasSubstr("reporting")));
  setenv("QPV_NATIONAL_ADDR", "127.0.0.1:1", 1);
  EXPECT_EQ(RunCli({"health", "--stakeholder-addr", "127.0.0.1:1", "--workshop-addr",
                    "127.0.0.1:1", "--timeout", "2s", "--json"},
                   &out, &err),
            1);
  unsetenv("QPV_NATIONAL_ADDR");
  EXPECT_THAT(out, HasSubstr("\"national\":{\"address\":\"127.0.0.1:1\""));
  EXPECT_THAT(out, Not(HasSubstr("reporting")));
  // --service narrows the check.
  EXPECT_EQ(RunCli({"health", "--service", "reporting", "--reporting-addr", "127.0.0.1:1",
                    "--timeout", "2s", "--json"},
                   &out, &err),
            1);
  EXPECT_EQ(out, "{\"reporting\":{\"address\":\"127.0.0.1:1\",\"status\":\"unreachable\"}}\n");
  EXPECT_EQ(RunCli({"health", "--service", "all", "--stakeholder-addr", "127.0.0.1:1",
                    "--workshop-addr", "127.0.0.1:1", "--reporting-addr", "127.0.0.1:1",
                    "--national-addr", "127.0.0.1:1", "--timeout", "2s"},
                   &out, &err),
            1);
  EXPECT_THAT(out, HasSubstr("stakeholder  127.0.0.1:1  unreachable"));
  EXPECT_THAT(out, HasSubstr("national     127.0.0.1:1  unreachable"));
  EXPECT_EQ(RunCli({"health", "--service", "gateway"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("unknown service \"gateway\""));
  EXPECT_EQ(RunCli({"report", "workshop", "prefectures/59/workshops/w1", "--reporting-addr",
                    "127.0.0.1:1", "--timeout", "2s"},
                   &out, &err),
            1);
  EXPECT_THAT(err, HasSubstr("qpvctl: UNAVAILABLE"));
}

// --- reporting and national: parsing and request building ---------------------------

TEST(ParseArgs, ShortFlags) {
  std::vector<FlagSpec> specs{WithShort(Value("output", "FILE", ""), 'o'), Switch("all", "")};
  Args a = MustParse({"-o", "rapport.csv", "--all"}, specs);
  EXPECT_EQ(a.GetOr("output", ""), "rapport.csv");
  EXPECT_THAT(ParseArgs({"-x"}, specs).status().message(), HasSubstr("unknown flag '-x'"));
  EXPECT_THAT(ParseArgs({"-ofile"}, specs).status().message(), HasSubstr("unknown flag"));
  EXPECT_THAT(ParseArgs({"-o"}, specs).status().message(), HasSubstr("--output needs a value"));
  EXPECT_THAT(ParseArgs({"-o", "a", "--output", "b"}, specs).status().message(),
              HasSubstr("given twice"));
}

TEST(Builders, PrefectureAndRegionCodes) {
  unsetenv("QPV_PREFECTURE");
  EXPECT_EQ(*PrefectureCode("59"), "59");
  EXPECT_EQ(*PrefectureCode(" prefectures/2a "), "2A");
  EXPECT_EQ(*PrefectureCode("971"), "971");
  EXPECT_THAT(PrefectureCode("").status().message(), HasSubstr("QPV_PREFECTURE"));
  EXPECT_FALSE(PrefectureCode("59/x").ok());
  EXPECT_FALSE(PrefectureCode("5900").ok());
  setenv("QPV_PREFECTURE", "13", 1);
  EXPECT_EQ(*PrefectureCode(""), "13");
  unsetenv("QPV_PREFECTURE");

  EXPECT_EQ(*RegionCode("32"), "32");
  EXPECT_EQ(*RegionCode("Hauts-de-France"), "32");
  EXPECT_EQ(*RegionCode("provence alpes cote d'azur"), "93");
  EXPECT_EQ(*RegionCode("AUVERGNE-RHÔNE-ALPES"), "84");
  EXPECT_EQ(*RegionCode("ile de france"), "11");
  auto bad = RegionCode("Flandre");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--region: unknown region \"Flandre\""));
  EXPECT_FALSE(RegionCode("").ok());
}

TEST(Builders, ExportReport) {
  unsetenv("QPV_PREFECTURE");
  using Export = qpv::reporting::v1::ExportReportRequest;
  auto w = BuildExportReport(MustParse(
      {"--workshop", "prefectures/59/workshops/w1", "--format", "html"}, FlagsOf("report", "export")));
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->workshop(), "prefectures/59/workshops/w1");
  EXPECT_EQ(w->format(), Export::FORMAT_HTML);

  auto p = BuildExportReport(
      MustParse({"--prefecture", "59", "-o", "Rapport.MD"}, FlagsOf("report", "export")));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->prefecture(), "59");
  EXPECT_EQ(p->format(), Export::FORMAT_MARKDOWN);  // from the extension
  EXPECT_EQ(BuildExportReport(MustParse({"--prefecture", "59", "--format", "md"},
                                        FlagsOf("report", "export")))
                ->format(),
            Export::FORMAT_MARKDOWN);

  EXPECT_THAT(BuildExportReport(MustParse({"--prefecture", "59"}, FlagsOf("report", "export")))
                  .status()
                  .message(),
              HasSubstr("--format is required"));
  EXPECT_THAT(BuildExportReport(MustParse({"--prefecture", "59", "--format", "pdf"},
                                          FlagsOf("report", "export")))
                  .status()
                  .message(),
              HasSubstr("--format: unknown value \"pdf\""));
  EXPECT_THAT(BuildExportReport(MustParse({"--workshop", "w", "--prefecture", "59", "--format",
                                           "csv"},
                                          FlagsOf("report", "export")))
                  .status()
                  .message(),
              HasSubstr("not both"));
  EXPECT_THAT(BuildExportReport(MustParse({"--format", "csv"}, FlagsOf("report", "export")))
                  .status()
                  .message(),
              HasSubstr("give --workshop NAME or --prefecture CODE"));
  EXPECT_THAT(BuildExportReport(MustParse({"--prefecture", "../59", "--format", "csv"},
                                          FlagsOf("report", "export")))
                  .status()
                  .message(),
              HasSubstr("--prefecture:"));
}

TEST(Builders, ExportPathNeverLeavesTheCurrentDirectory) {
  const auto csv = qpv::reporting::v1::ExportReportRequest::FORMAT_CSV;
  const Args none = MustParse({}, FlagsOf("report", "export"));
  EXPECT_EQ(ExportPath(none, "rapport-59-atelier-abc.csv", csv), "rapport-59-atelier-abc.csv");
  EXPECT_EQ(ExportPath(none, "../../etc/passwd", csv), "passwd");
  EXPECT_EQ(ExportPath(none, "C:\\x\\r.csv", csv), "r.csv");
  EXPECT_EQ(ExportPath(none, ".bashrc", csv), "bashrc");
  EXPECT_EQ(ExportPath(none, "rapport préfecture.csv", csv), "rapport-pr--fecture.csv");
  EXPECT_EQ(ExportPath(none, "", csv), "rapport.csv");
  EXPECT_EQ(ExportPath(none, "..", qpv::reporting::v1::ExportReportRequest::FORMAT_HTML),
            "rapport.html");
  EXPECT_EQ(ExportPath(MustParse({"-o", "-"}, FlagsOf("report", "export")), "x.csv", csv), "-");
  EXPECT_EQ(ExportPath(MustParse({"-o", "/tmp/a.csv"}, FlagsOf("report", "export")), "x.csv", csv),
            "/tmp/a.csv");
}

TEST(Builders, DashboardRequest) {
  auto req = BuildDashboardRequest(
      MustParse({"--theme", "health", "--region", "Hauts-de-France", "--from",
                 "2018-02-01T00:00:00+01:00", "--to", "2018-03-01T00:00:00+01:00"},
                FlagsOf("national", "dashboard")),
      kNow);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->theme(), qpv::common::v1::THEME_HEALTH);
  EXPECT_EQ(req->region(), "32");
  EXPECT_EQ(req->start_time().seconds(), 1517439600);  // 2018-01-31T23:00:00Z
  EXPECT_EQ(req->end_time().seconds(), 1519858800);    // 2018-02-28T23:00:00Z

  auto empty = BuildDashboardRequest(MustParse({}, FlagsOf("national", "watch")), kNow);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->theme(), 0);
  EXPECT_FALSE(empty->has_start_time());

  EXPECT_THAT(BuildDashboardRequest(MustParse({"--from", "2018-03-01T00:00:00Z", "--to",
                                               "2018-02-01T00:00:00Z"},
                                              FlagsOf("national", "dashboard")),
                                    kNow)
                  .status()
                  .message(),
              HasSubstr("--to must be after --from"));
  EXPECT_FALSE(BuildDashboardRequest(MustParse({"--theme", "sport"}, FlagsOf("national", "dashboard")),
                                     kNow)
                   .ok());
  EXPECT_FALSE(BuildDashboardRequest(MustParse({"--from", "hier"}, FlagsOf("national", "dashboard")),
                                     kNow)
                   .ok());
}

TEST(Builders, StatusAndGoodPractices) {
  auto st = BuildPrefectureStatusRequest(MustParse({"--region", "84"}, FlagsOf("national", "status")));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->region(), "84");
  EXPECT_FALSE(
      BuildPrefectureStatusRequest(MustParse({"--region", "99"}, FlagsOf("national", "status")))
          .ok());

  auto gp = BuildGoodPracticesRequest(MustParse({"--theme", "employment", "--min-prefectures", "2"},
                                                FlagsOf("national", "good-practices")));
  ASSERT_TRUE(gp.ok()) << gp.status();
  EXPECT_EQ(gp->theme(), qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  EXPECT_EQ(gp->min_prefecture_count(), 2);
  EXPECT_THAT(BuildGoodPracticesRequest(MustParse({"--min-prefectures", "0"},
                                                  FlagsOf("national", "good-practices")))
                  .status()
                  .message(),
              HasSubstr("at least 1"));
  EXPECT_THAT(BuildGoodPracticesRequest(MustParse({"--min-prefectures", "two"},
                                                  FlagsOf("national", "good-practices")))
                  .status()
                  .message(),
              HasSubstr("--min-prefectures"));
}

TEST(Builders, SubmitSnapshotJson) {
  auto req = BuildSubmitRequest(R"({"prefecture":"59","version":"3",
      "buildTime":"2018-02-13T12:00:00Z",
      "workshops":[{"workshop":"prefectures/59/workshops/w1","state":"STATE_HELD",
                    "themes":["THEME_HEALTH"],"attendedCount":"12"}]})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->snapshot().prefecture(), "59");
  EXPECT_EQ(req->snapshot().version(), 3);
  ASSERT_EQ(req->snapshot().workshops_size(), 1);
  EXPECT_EQ(req->snapshot().workshops(0).attended_count(), 12);
  EXPECT_EQ(req->snapshot().workshops(0).themes(0), qpv::common::v1::THEME_HEALTH);

  EXPECT_THAT(BuildSubmitRequest(R"({"prefecture":"59","versoin":3})").status().message(),
              HasSubstr("not the proto JSON of a PrefectureSnapshot"));
  EXPECT_FALSE(BuildSubmitRequest("not json").ok());
  // A whole request is not a snapshot.
  EXPECT_FALSE(BuildSubmitRequest(R"({"snapshot":{"prefecture":"59"}})").ok());
}

TEST(RunMain, ReportingAndNationalUsage) {
  unsetenv("QPV_PREFECTURE");
  std::string out, err;
  EXPECT_EQ(RunCli({"--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("national good-practices"));
  EXPECT_THAT(out, HasSubstr("--reporting-addr"));
  EXPECT_EQ(RunCli({"report", "export", "--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("-o, --output FILE"));
  EXPECT_EQ(RunCli({"national", "--help"}, &out, &err), 0);
  EXPECT_THAT(out, HasSubstr("qpvctl national watch"));
  EXPECT_EQ(RunCli({"report", "prefecture"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("QPV_PREFECTURE"));
  EXPECT_EQ(RunCli({"report", "workshop"}, &out, &err), 2);
  EXPECT_EQ(RunCli({"feed", "status", "59", "60"}, &out, &err), 2);
  EXPECT_EQ(RunCli({"national", "dashboard", "--region", "Flandre"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("see 'qpvctl national dashboard --help'"));
  EXPECT_EQ(RunCli({"national", "watch", "--count", "0"}, &out, &err), 2);
  EXPECT_EQ(RunCli({"national", "submit"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("--file is required"));
  EXPECT_EQ(RunCli({"national", "submit", "--file", "/nonexistent/snapshot.json"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("cannot read"));
}

}  // namespace
}  // namespace qpv::ctl
