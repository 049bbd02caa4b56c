// qpvctl org ... and qpvctl person ...: StakeholderService.
#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/util/clock.h"
#include "google/protobuf/empty.pb.h"
#include "tools/qpvctl/cli.h"

namespace qpv::ctl {

namespace sv1 = qpv::stakeholder::v1;
using qpv::common::v1::ActorCategory_descriptor;

namespace {

FlagSpec QpvFlag() {
  return Repeated("qpv", "CODE",
                  "QPV code (QN05981M, QP059001); repeat or comma-separate; '' clears on update");
}
FlagSpec CategoryFlag() {
  return Value("category", "CAT",
               "association, local-authority, social-landlord, citizen-council, adult-relay, "
               "resource-center, state-service, business, resident, other");
}
FlagSpec EtagFlag() { return Value("etag", "ETAG", "fail with ABORTED unless the etag matches"); }
FlagSpec RequestIdFlag() {
  return Value("request-id", "ID", "idempotency key: a retried create returns the first result");
}
FlagSpec PrefectureFlag() {
  return Value("prefecture", "CODE", "département code (59, 2A, 971); default $QPV_PREFECTURE");
}

// Sets a string field and its mask path when the flag was given.
void SetIfGiven(const Args& args, std::initializer_list<const char*> flags, std::string* field,
                google::protobuf::FieldMask* mask, const char* path) {
  if (auto v = FirstOf(args, flags)) {
    *field = *v;
    if (mask != nullptr) mask->add_paths(path);
  }
}

// --consent (now), --consent=false (clears, on update), --consent-time T.
absl::Status ApplyConsent(const Args& args, absl::Time now, sv1::Person* p,
                          google::protobuf::FieldMask* mask) {
  if (args.Has("consent") && args.Has("consent-time")) {
    return absl::InvalidArgumentError("give --consent or --consent-time, not both");
  }
  if (auto t = args.Get("consent-time")) {
    auto ts = ParseTimestamp(*t, now, "consent-time");
    if (!ts.ok()) return ts.status();
    *p->mutable_consent_time() = *ts;
    if (mask != nullptr) mask->add_paths("consent_time");
  } else if (args.Has("consent")) {
    if (args.GetBool("consent")) {
      *p->mutable_consent_time() = ToProto(now);
    } else {
      p->clear_consent_time();
    }
    if (mask != nullptr) mask->add_paths("consent_time");
  }
  return absl::OkStatus();
}

const Columns<sv1::Organization>& OrganizationColumns() {
  static const auto* cols = new Columns<sv1::Organization>{
      {"NAME", [](const sv1::Organization& o) { return o.name(); }},
      {"DISPLAY NAME", [](const sv1::Organization& o) { return o.display_name(); }},
      {"CATEGORY",
       [](const sv1::Organization& o) {
         return EnumShortName(ActorCategory_descriptor(), o.category());
       }},
      {"QPV", [](const sv1::Organization& o) { return JoinStrings(o.qpv_codes()); }},
      {"EMAIL", [](const sv1::Organization& o) { return o.email(); }},
  };
  return *cols;
}

const Columns<sv1::Person>& PersonColumns() {
  static const auto* cols = new Columns<sv1::Person>{
      {"NAME", [](const sv1::Person& p) { return p.name(); }},
      {"GIVEN NAME", [](const sv1::Person& p) { return p.given_name(); }},
      {"FAMILY NAME", [](const sv1::Person& p) { return p.family_name(); }},
      {"ORGANIZATION", [](const sv1::Person& p) { return p.organization(); }},
      {"EMAIL", [](const sv1::Person& p) { return p.email(); }},
      {"CONSENT",
       [](const sv1::Person& p) {
         if (p.has_erase_time()) return std::string("erased");
         return p.has_consent_time() ? TimeText(p.consent_time()) : std::string("no");
       }},
  };
  return *cols;
}

const std::string& Name(const Context& ctx) { return ctx.args.positional()[0]; }

int Deleted(Context& ctx) {
  if (ctx.json) {
    *ctx.out << "{}\n";
  } else {
    *ctx.out << "deleted " << Name(ctx) << "\n";
  }
  return kExitOk;
}

}  // namespace

absl::StatusOr<sv1::CreateOrganizationRequest> BuildCreateOrganization(const Args& args) {
  sv1::CreateOrganizationRequest req;
  QPV_ASSIGN_OR_RETURN(*req.mutable_parent(), PrefectureFromArgs(args));
  sv1::Organization* o = req.mutable_organization();
  SetIfGiven(args, {"display-name", "name"}, o->mutable_display_name(), nullptr, "");
  if (o->display_name().empty()) return absl::InvalidArgumentError("--name is required");
  auto cat = args.Get("category");
  if (!cat) return absl::InvalidArgumentError("--category is required");
  QPV_ASSIGN_OR_RETURN(int c, ParseEnum(ActorCategory_descriptor(), *cat, "category"));
  o->set_category(static_cast<qpv::common::v1::ActorCategory>(c));
  for (const auto& q : args.GetAll("qpv")) o->add_qpv_codes(q);
  SetIfGiven(args, {"email"}, o->mutable_email(), nullptr, "");
  SetIfGiven(args, {"request-id"}, req.mutable_request_id(), nullptr, "");
  return req;
}

absl::StatusOr<sv1::UpdateOrganizationRequest> BuildUpdateOrganization(const Args& args) {
  sv1::UpdateOrganizationRequest req;
  sv1::Organization* o = req.mutable_organization();
  o->set_name(args.positional().at(0));
  auto* mask = req.mutable_update_mask();
  SetIfGiven(args, {"display-name"}, o->mutable_display_name(), mask, "display_name");
  if (auto cat = args.Get("category")) {
    QPV_ASSIGN_OR_RETURN(int c, ParseEnum(ActorCategory_descriptor(), *cat, "category"));
    o->set_category(static_cast<qpv::common::v1::ActorCategory>(c));
    mask->add_paths("category");
  }
  if (args.Has("qpv")) {
    for (const auto& q : args.GetAll("qpv")) o->add_qpv_codes(q);
    mask->add_paths("qpv_codes");
  }
  SetIfGiven(args, {"email"}, o->mutable_email(), mask, "email");
  if (mask->paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to update: give --display-name, --category, --qpv or --email");
  }
  SetIfGiven(args, {"etag"}, o->mutable_etag(), nullptr, "");
  return req;
}

absl::StatusOr<std::string> OrganizationFilter(const Args& args) {
  std::vector<std::string> terms{args.GetOr("filter", "")};
  if (auto cat = args.Get("category")) {
    QPV_ASSIGN_OR_RETURN(int c, ParseEnum(ActorCategory_descriptor(), *cat, "category"));
    terms.push_back("category = " + EnumFullName(ActorCategory_descriptor(), c));
  }
  for (const auto& q : args.GetAll("qpv")) terms.push_back("qpv_codes:" + QuoteFilterValue(q));
  if (auto t = args.Get("search")) terms.push_back("display_name:" + QuoteFilterValue(*t));
  return JoinFilter(terms);
}

absl::StatusOr<sv1::CreatePersonRequest> BuildCreatePerson(const Args& args, absl::Time now) {
  sv1::CreatePersonRequest req;
  QPV_ASSIGN_OR_RETURN(*req.mutable_parent(), PrefectureFromArgs(args));
  sv1::Person* p = req.mutable_person();
  SetIfGiven(args, {"org", "organization"}, p->mutable_organization(), nullptr, "");
  if (p->organization().empty()) return absl::InvalidArgumentError("--org is required");
  SetIfGiven(args, {"given-name"}, p->mutable_given_name(), nullptr, "");
  SetIfGiven(args, {"family-name"}, p->mutable_family_name(), nullptr, "");
  SetIfGiven(args, {"email"}, p->mutable_email(), nullptr, "");
  SetIfGiven(args, {"phone"}, p->mutable_phone(), nullptr, "");
  QPV_RETURN_IF_ERROR(ApplyConsent(args, now, p, nullptr));
  SetIfGiven(args, {"request-id"}, req.mutable_request_id(), nullptr, "");
  return req;
}

absl::StatusOr<sv1::UpdatePersonRequest> BuildUpdatePerson(const Args& args, absl::Time now) {
  sv1::UpdatePersonRequest req;
  sv1::Person* p = req.mutable_person();
  p->set_name(args.positional().at(0));
  auto* mask = req.mutable_update_mask();
  SetIfGiven(args, {"org", "organization"}, p->mutable_organization(), mask, "organization");
  SetIfGiven(args, {"given-name"}, p->mutable_given_name(), mask, "given_name");
  SetIfGiven(args, {"family-name"}, p->mutable_family_name(), mask, "family_name");
  SetIfGiven(args, {"email"}, p->mutable_email(), mask, "email");
  SetIfGiven(args, {"phone"}, p->mutable_phone(), mask, "phone");
  QPV_RETURN_IF_ERROR(ApplyConsent(args, now, p, mask));
  if (mask->paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to update: give --org, --given-name, --family-name, --email, --phone, "
        "--consent[=false] or --consent-time");
  }
  SetIfGiven(args, {"etag"}, p->mutable_etag(), nullptr, "");
  return req;
}

absl::StatusOr<std::string> PersonFilter(const Args& args) {
  std::vector<std::string> terms{args.GetOr("filter", "")};
  if (auto o = FirstOf(args, {"org", "organization"})) {
    terms.push_back("organization = " + QuoteFilterValue(*o));
  }
  if (args.Has("consent")) {
    terms.push_back(std::string("has_consent = ") + (args.GetBool("consent") ? "true" : "false"));
  }
  return JoinFilter(terms);
}

std::vector<Command> StakeholderCommands() {
  std::vector<Command> cmds;
  auto list_flags = [](std::vector<FlagSpec> extra) {
    for (auto& f : ListFlags()) extra.push_back(f);
    return extra;
  };

  // --- org -------------------------------------------------------------------
  cmds.push_back(Command{
      "org", "create",
      "--prefecture CODE --name TEXT --category CAT [--qpv CODE]... [--email ADDR] "
      "[--request-id ID]",
      "create an organization (acteur)",
      {PrefectureFlag(), Value("name", "TEXT", "display name"),
       Value("display-name", "TEXT", "same as --name"), CategoryFlag(), QpvFlag(),
       Value("email", "ADDR", "contact e-mail of the organization"), RequestIdFlag()},
      0, 0, [](Context& ctx) {
        auto req = BuildCreateOrganization(ctx.args);
        if (!req.ok()) return ctx.Usage(req.status());
        return RunGet<sv1::Organization>(ctx, [&](grpc::ClientContext* c, sv1::Organization* r) {
          return ctx.stakeholder()->CreateOrganization(c, *req, r);
        });
      }});
  cmds.push_back(Command{
      "org", "get", "NAME", "show an organization", {}, 1, 1, [](Context& ctx) {
        sv1::GetOrganizationRequest req;
        req.set_name(Name(ctx));
        return RunGet<sv1::Organization>(ctx, [&](grpc::ClientContext* c, sv1::Organization* r) {
          return ctx.stakeholder()->GetOrganization(c, req, r);
        });
      }});
  cmds.push_back(Command{
      "org", "list",
      "--prefecture CODE [--category CAT] [--qpv CODE]... [--search TEXT] [--filter F] "
      "[--page-size N] [--all]",
      "list organizations",
      list_flags({PrefectureFlag(), CategoryFlag(), Repeated("qpv", "CODE", "works in this QPV"),
                  Value("search", "TEXT", "display name contains TEXT")}),
      0, 0, [](Context& ctx) {
        sv1::ListOrganizationsRequest req;
        auto parent = PrefectureFromArgs(ctx.args);
        if (!parent.ok()) return ctx.Usage(parent.status());
        auto filter = OrganizationFilter(ctx.args);
        if (!filter.ok()) return ctx.Usage(filter.status());
        req.set_parent(*parent);
        req.set_filter(*filter);
        return RunList<sv1::Organization, sv1::ListOrganizationsRequest,
                       sv1::ListOrganizationsResponse>(
            ctx, req,
            [&](grpc::ClientContext* c, const sv1::ListOrganizationsRequest& rq,
                sv1::ListOrganizationsResponse* r) {
              return ctx.stakeholder()->ListOrganizations(c, rq, r);
            },
            [](const sv1::ListOrganizationsResponse& r) -> const auto& {
              return r.organizations();
            },
            OrganizationColumns(), "organizations");
      }});
  cmds.push_back(Command{
      "org", "update",
      "NAME [--display-name TEXT] [--category CAT] [--qpv CODE]... [--email ADDR] "
      "[--etag ETAG]",
      "change an organization (the update mask is the flags given)",
      {Value("display-name", "TEXT", "display name"), CategoryFlag(), QpvFlag(),
       Value("email", "ADDR", "contact e-mail"), EtagFlag()},
      1, 1, [](Context& ctx) {
        auto req = BuildUpdateOrganization(ctx.args);
        if (!req.ok()) return ctx.Usage(req.status());
        return RunGet<sv1::Organization>(ctx, [&](grpc::ClientContext* c, sv1::Organization* r) {
          return ctx.stakeholder()->UpdateOrganization(c, *req, r);
        });
      }});
  cmds.push_back(Command{
      "org", "delete", "NAME [--etag ETAG]", "delete an organization", {EtagFlag()}, 1, 1,
      [](Context& ctx) {
        sv1::DeleteOrganizationRequest req;
        req.set_name(Name(ctx));
        req.set_etag(ctx.args.GetOr("etag", ""));
        google::protobuf::Empty resp;
        grpc::ClientContext cc;
        ctx.Prepare(&cc);
        grpc::Status s = ctx.stakeholder()->DeleteOrganization(&cc, req, &resp);
        if (!s.ok()) return ctx.Fail(s);
        return Deleted(ctx);
      }});

  // --- person ------------------------------------------------------------------
  const std::vector<FlagSpec> person_fields{
      Value("org", "ORG", "the person's organization (resource name)"),
      Value("organization", "ORG", "same as --org"),
      Value("given-name", "TEXT", "given name"),
      Value("family-name", "TEXT", "family name"),
      Value("email", "ADDR", "e-mail"),
      Value("phone", "PHONE", "phone number"),
      Switch("consent", "consent given now (=false clears it on update)"),
      Value("consent-time", "TIME", "consent given at TIME (RFC 3339)")};
  {
    auto flags = person_fields;
    flags.insert(flags.begin(), PrefectureFlag());
    flags.push_back(RequestIdFlag());
    cmds.push_back(Command{
        "person", "create",
        "--prefecture CODE --org ORG [--given-name TEXT] [--family-name TEXT] [--email ADDR] "
        "[--phone PHONE] [--consent | --consent-time TIME] [--request-id ID]",
        "create a person (participant)", flags, 0, 0, [](Context& ctx) {
          auto req = BuildCreatePerson(ctx.args, ctx.now);
          if (!req.ok()) return ctx.Usage(req.status());
          return RunGet<sv1::Person>(ctx, [&](grpc::ClientContext* c, sv1::Person* r) {
            return ctx.stakeholder()->CreatePerson(c, *req, r);
          });
        }});
  }
  cmds.push_back(Command{"person", "get", "NAME", "show a person", {}, 1, 1, [](Context& ctx) {
                           sv1::GetPersonRequest req;
                           req.set_name(Name(ctx));
                           return RunGet<sv1::Person>(
                               ctx, [&](grpc::ClientContext* c, sv1::Person* r) {
                                 return ctx.stakeholder()->GetPerson(c, req, r);
                               });
                         }});
  cmds.push_back(Command{
      "person", "list",
      "--prefecture CODE [--org ORG] [--consent[=false]] [--filter F] [--page-size N] [--all]",
      "list persons",
      list_flags({PrefectureFlag(), Value("org", "ORG", "belongs to this organization"),
                  Value("organization", "ORG", "same as --org"),
                  Switch("consent", "has given consent (=false: has not)")}),
      0, 0, [](Context& ctx) {
        sv1::ListPersonsRequest req;
        auto parent = PrefectureFromArgs(ctx.args);
        if (!parent.ok()) return ctx.Usage(parent.status());
        auto filter = PersonFilter(ctx.args);
        if (!filter.ok()) return ctx.Usage(filter.status());
        req.set_parent(*parent);
        req.set_filter(*filter);
        return RunList<sv1::Person, sv1::ListPersonsRequest, sv1::ListPersonsResponse>(
            ctx, req,
            [&](grpc::ClientContext* c, const sv1::ListPersonsRequest& rq,
                sv1::ListPersonsResponse* r) { return ctx.stakeholder()->ListPersons(c, rq, r); },
            [](const sv1::ListPersonsResponse& r) -> const auto& { return r.persons(); },
            PersonColumns(), "persons");
      }});
  {
    auto flags = person_fields;
    flags.push_back(EtagFlag());
    cmds.push_back(Command{
        "person", "update",
        "NAME [--org ORG] [--given-name TEXT] [--family-name TEXT] [--email ADDR] "
        "[--phone PHONE] [--consent[=false] | --consent-time TIME] [--etag ETAG]",
        "change a person (the update mask is the flags given)", flags, 1, 1, [](Context& ctx) {
          auto req = BuildUpdatePerson(ctx.args, ctx.now);
          if (!req.ok()) return ctx.Usage(req.status());
          return RunGet<sv1::Person>(ctx, [&](grpc::ClientContext* c, sv1::Person* r) {
            return ctx.stakeholder()->UpdatePerson(c, *req, r);
          });
        }});
  }
  cmds.push_back(Command{
      "person", "delete", "NAME [--etag ETAG]", "delete a person", {EtagFlag()}, 1, 1,
      [](Context& ctx) {
        sv1::DeletePersonRequest req;
        req.set_name(Name(ctx));
        req.set_etag(ctx.args.GetOr("etag", ""));
        google::protobuf::Empty resp;
        grpc::ClientContext cc;
        ctx.Prepare(&cc);
        grpc::Status s = ctx.stakeholder()->DeletePerson(&cc, req, &resp);
        if (!s.ok()) return ctx.Fail(s);
        return Deleted(ctx);
      }});
  cmds.push_back(Command{
      "person", "export", "NAME", "everything held on a person (GDPR right of access)", {}, 1, 1,
      [](Context& ctx) {
        sv1::ExportPersonDataRequest req;
        req.set_name(Name(ctx));
        return RunGet<sv1::PersonDataExport>(
            ctx, [&](grpc::ClientContext* c, sv1::PersonDataExport* r) {
              return ctx.stakeholder()->ExportPersonData(c, req, r);
            });
      }});
  cmds.push_back(Command{
      "person", "erase", "NAME [--etag ETAG]",
      "erase a person's personal data for good (GDPR right to erasure)", {EtagFlag()}, 1, 1,
      [](Context& ctx) {
        sv1::ErasePersonRequest req;
        req.set_name(Name(ctx));
        req.set_etag(ctx.args.GetOr("etag", ""));
        return RunGet<sv1::Person>(ctx, [&](grpc::ClientContext* c, sv1::Person* r) {
          return ctx.stakeholder()->ErasePerson(c, req, r);
        });
      }});
  return cmds;
}

}  // namespace qpv::ctl
