// qpvctl workshop|registration|attendance|contribution|vote: WorkshopService.
#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/util/clock.h"
#include "tools/qpvctl/cli.h"

namespace qpv::ctl {

namespace wv1 = qpv::workshop::v1;
using qpv::common::v1::ActorCategory_descriptor;
using qpv::common::v1::Theme_descriptor;

namespace {

FlagSpec QpvFlag() {
  return Repeated("qpv", "CODE",
                  "QPV code (QN05981M, QP059001); repeat or comma-separate; '' clears on update");
}
FlagSpec ThemeFlag() {
  return Repeated("theme", "THEME",
                  "employment, discrimination, image, participation, education, safety, "
                  "housing, health, culture, mobility, other; repeat or comma-separate");
}
FlagSpec KindFlag() {
  return Value("kind", "KIND", "idea, action, good-practice, obstacle, recommendation");
}
FlagSpec EtagFlag() { return Value("etag", "ETAG", "fail with ABORTED unless the etag matches"); }
FlagSpec RequestIdFlag() {
  return Value("request-id", "ID", "idempotency key: a retried create returns the first result");
}
FlagSpec PrefectureFlag() {
  return Value("prefecture", "CODE",
               "département code (59, 2A, 971; '-' for all on list); default $QPV_PREFECTURE");
}

const std::string& Name(const Context& ctx) { return ctx.args.positional()[0]; }

void SetIfGiven(const Args& args, std::initializer_list<const char*> flags, std::string* field,
                google::protobuf::FieldMask* mask, const char* path) {
  if (auto v = FirstOf(args, flags)) {
    *field = *v;
    if (mask != nullptr) mask->add_paths(path);
  }
}

absl::Status SetThemes(const Args& args, google::protobuf::RepeatedField<int>* themes,
                       google::protobuf::FieldMask* mask) {
  if (!args.Has("theme")) return absl::OkStatus();
  QPV_ASSIGN_OR_RETURN(std::vector<int> values, EnumValues(args, "theme", Theme_descriptor()));
  for (int v : values) themes->Add(v);
  if (mask != nullptr) mask->add_paths("themes");
  return absl::OkStatus();
}

void SetQpv(const Args& args, google::protobuf::RepeatedPtrField<std::string>* codes,
            google::protobuf::FieldMask* mask) {
  if (!args.Has("qpv")) return;
  for (const auto& q : args.GetAll("qpv")) *codes->Add() = q;
  if (mask != nullptr) mask->add_paths("qpv_codes");
}

// The workshop fields shared by create and update.
absl::Status ApplyWorkshopFields(const Args& args, absl::Time now, wv1::Workshop* w,
                                 google::protobuf::FieldMask* mask) {
  SetIfGiven(args, {"title"}, w->mutable_title(), mask, "title");
  QPV_RETURN_IF_ERROR(SetThemes(args, w->mutable_themes(), mask));
  if (auto v = args.Get("start")) {
    QPV_ASSIGN_OR_RETURN(*w->mutable_start_time(), ParseTimestamp(*v, now, "start"));
    if (mask != nullptr) mask->add_paths("start_time");
  }
  if (auto v = args.Get("end")) {
    QPV_ASSIGN_OR_RETURN(*w->mutable_end_time(), ParseTimestamp(*v, now, "end"));
    if (mask != nullptr) mask->add_paths("end_time");
  }
  SetIfGiven(args, {"venue"}, w->mutable_venue(), mask, "venue");
  if (auto v = args.Get("capacity")) {
    QPV_ASSIGN_OR_RETURN(int n, ParseInt(*v, "capacity"));
    w->set_capacity(n);
    if (mask != nullptr) mask->add_paths("capacity");
  }
  SetQpv(args, w->mutable_qpv_codes(), mask);
  SetIfGiven(args, {"description"}, w->mutable_description(), mask, "description");
  if (w->has_start_time() && w->has_end_time() &&
      FromProto(w->end_time()) <= FromProto(w->start_time())) {
    return absl::InvalidArgumentError("--end must be after --start");
  }
  return absl::OkStatus();
}

absl::Status ApplyContributionFields(const Args& args, wv1::Contribution* c,
                                     google::protobuf::FieldMask* mask) {
  SetIfGiven(args, {"title"}, c->mutable_title(), mask, "title");
  SetIfGiven(args, {"text"}, c->mutable_text(), mask, "text");
  if (auto v = args.Get("kind")) {
    QPV_ASSIGN_OR_RETURN(int k, ParseEnum(wv1::Contribution::Kind_descriptor(), *v, "kind"));
    c->set_kind(static_cast<wv1::Contribution::Kind>(k));
    if (mask != nullptr) mask->add_paths("kind");
  }
  QPV_RETURN_IF_ERROR(SetThemes(args, c->mutable_themes(), mask));
  if (args.Has("reproducible")) {
    c->set_reproducible(args.GetBool("reproducible"));
    if (mask != nullptr) mask->add_paths("reproducible");
  }
  SetQpv(args, c->mutable_qpv_codes(), mask);
  SetIfGiven(args, {"org", "organization"}, c->mutable_organization(), mask, "organization");
  return absl::OkStatus();
}

std::string Seats(const wv1::Workshop& w) {
  return absl::StrCat(w.registered_count(), "/", w.capacity());
}

const Columns<wv1::Workshop>& WorkshopColumns() {
  static const auto* cols = new Columns<wv1::Workshop>{
      {"NAME", [](const wv1::Workshop& w) { return w.name(); }},
      {"TITLE", [](const wv1::Workshop& w) { return w.title(); }},
      {"STATE",
       [](const wv1::Workshop& w) {
         return EnumShortName(wv1::Workshop::State_descriptor(), w.state());
       }},
      {"START", [](const wv1::Workshop& w) { return TimeText(w.start_time()); }},
      {"THEMES", [](const wv1::Workshop& w) { return ThemesText(w.themes()); }},
      {"SEATS", Seats},
      {"WAITLIST", [](const wv1::Workshop& w) { return absl::StrCat(w.waitlisted_count()); }},
      {"VENUE", [](const wv1::Workshop& w) { return w.venue(); }},
  };
  return *cols;
}

const Columns<wv1::Registration>& RegistrationColumns() {
  static const auto* cols = new Columns<wv1::Registration>{
      {"NAME", [](const wv1::Registration& r) { return r.name(); }},
      {"PERSON", [](const wv1::Registration& r) { return r.person(); }},
      {"STATE",
       [](const wv1::Registration& r) {
         return EnumShortName(wv1::Registration::State_descriptor(), r.state());
       }},
      {"CATEGORY",
       [](const wv1::Registration& r) {
         return r.organization_category() == 0
                    ? std::string()
                    : EnumShortName(ActorCategory_descriptor(), r.organization_category());
       }},
      {"UPDATED", [](const wv1::Registration& r) { return TimeText(r.update_time()); }},
  };
  return *cols;
}

const Columns<wv1::Contribution>& ContributionColumns() {
  static const auto* cols = new Columns<wv1::Contribution>{
      {"NAME", [](const wv1::Contribution& c) { return c.name(); }},
      {"TITLE", [](const wv1::Contribution& c) { return c.title(); }},
      {"KIND",
       [](const wv1::Contribution& c) {
         return EnumShortName(wv1::Contribution::Kind_descriptor(), c.kind());
       }},
      {"THEMES", [](const wv1::Contribution& c) { return ThemesText(c.themes()); }},
      {"REPRODUCIBLE",
       [](const wv1::Contribution& c) { return std::string(c.reproducible() ? "yes" : "no"); }},
      {"VOTES", [](const wv1::Contribution& c) { return absl::StrCat(c.vote_count()); }},
      {"ORGANIZATION", [](const wv1::Contribution& c) { return c.organization(); }},
  };
  return *cols;
}

// The four lifecycle commands differ only in the RPC.
template <typename Req>
Command Lifecycle(std::string verb, std::string summary,
                  grpc::Status (wv1::WorkshopService::Stub::*method)(grpc::ClientContext*,
                                                                     const Req&, wv1::Workshop*)) {
  return Command{"workshop", std::move(verb), "NAME [--etag ETAG]", std::move(summary),
                 {EtagFlag()}, 1, 1, [method](Context& ctx) {
                   Req req;
                   req.set_name(Name(ctx));
                   req.set_etag(ctx.args.GetOr("etag", ""));
                   return RunGet<wv1::Workshop>(
                       ctx, [&](grpc::ClientContext* c, wv1::Workshop* r) {
                         return (ctx.workshop()->*method)(c, req, r);
                       });
                 }};
}

}  // namespace

absl::StatusOr<wv1::CreateWorkshopRequest> BuildCreateWorkshop(const Args& args, absl::Time now) {
  wv1::CreateWorkshopRequest req;
  QPV_ASSIGN_OR_RETURN(*req.mutable_parent(), PrefectureFromArgs(args));
  for (const char* f : {"title", "start", "end"}) {
    if (!args.Has(f)) return absl::InvalidArgumentError(absl::StrCat("--", f, " is required"));
  }
  if (args.GetAll("theme").empty()) {
    return absl::InvalidArgumentError("--theme is required (at least one)");
  }
  QPV_RETURN_IF_ERROR(ApplyWorkshopFields(args, now, req.mutable_workshop(), nullptr));
  SetIfGiven(args, {"request-id"}, req.mutable_request_id(), nullptr, "");
  return req;
}

absl::StatusOr<wv1::UpdateWorkshopRequest> BuildUpdateWorkshop(const Args& args, absl::Time now) {
  wv1::UpdateWorkshopRequest req;
  wv1::Workshop* w = req.mutable_workshop();
  w->set_name(args.positional().at(0));
  QPV_RETURN_IF_ERROR(ApplyWorkshopFields(args, now, w, req.mutable_update_mask()));
  if (req.update_mask().paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to update: give --title, --theme, --start, --end, --venue, --capacity, --qpv "
        "or --description");
  }
  SetIfGiven(args, {"etag"}, w->mutable_etag(), nullptr, "");
  return req;
}

absl::StatusOr<std::string> WorkshopFilter(const Args& args, absl::Time now) {
  std::vector<std::string> terms{args.GetOr("filter", "")};
  if (auto s = args.Get("state")) {
    QPV_ASSIGN_OR_RETURN(int v, ParseEnum(wv1::Workshop::State_descriptor(), *s, "state"));
    terms.push_back("state = " + EnumFullName(wv1::Workshop::State_descriptor(), v));
  }
  QPV_ASSIGN_OR_RETURN(std::vector<int> themes, EnumValues(args, "theme", Theme_descriptor()));
  for (int t : themes) terms.push_back("themes:" + EnumFullName(Theme_descriptor(), t));
  if (auto v = args.Get("from")) {
    QPV_ASSIGN_OR_RETURN(auto ts, ParseTimestamp(*v, now, "from"));
    terms.push_back("start_time >= " + QuoteFilterValue(TimeText(ts)));
  }
  if (auto v = args.Get("to")) {
    QPV_ASSIGN_OR_RETURN(auto ts, ParseTimestamp(*v, now, "to"));
    terms.push_back("start_time < " + QuoteFilterValue(TimeText(ts)));
  }
  return JoinFilter(terms);
}

absl::StatusOr<std::string> RegistrationFilter(const Args& args) {
  std::vector<std::string> terms{args.GetOr("filter", "")};
  if (auto s = args.Get("state")) {
    QPV_ASSIGN_OR_RETURN(int v, ParseEnum(wv1::Registration::State_descriptor(), *s, "state"));
    terms.push_back("state = " + EnumFullName(wv1::Registration::State_descriptor(), v));
  }
  return JoinFilter(terms);
}

absl::StatusOr<wv1::CreateContributionRequest> BuildCreateContribution(const Args& args) {
  wv1::CreateContributionRequest req;
  req.set_parent(args.positional().at(0));
  for (const char* f : {"title", "kind"}) {
    if (!args.Has(f)) return absl::InvalidArgumentError(absl::StrCat("--", f, " is required"));
  }
  QPV_RETURN_IF_ERROR(ApplyContributionFields(args, req.mutable_contribution(), nullptr));
  SetIfGiven(args, {"request-id"}, req.mutable_request_id(), nullptr, "");
  return req;
}

absl::StatusOr<wv1::UpdateContributionRequest> BuildUpdateContribution(const Args& args) {
  wv1::UpdateContributionRequest req;
  wv1::Contribution* c = req.mutable_contribution();
  c->set_name(args.positional().at(0));
  QPV_RETURN_IF_ERROR(ApplyContributionFields(args, c, req.mutable_update_mask()));
  if (req.update_mask().paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to update: give --title, --text, --kind, --theme, --reproducible[=false], "
        "--qpv or --org");
  }
  SetIfGiven(args, {"etag"}, c->mutable_etag(), nullptr, "");
  return req;
}

absl::StatusOr<std::string> ContributionFilter(const Args& args) {
  std::vector<std::string> terms{args.GetOr("filter", "")};
  if (auto k = args.Get("kind")) {
    QPV_ASSIGN_OR_RETURN(int v, ParseEnum(wv1::Contribution::Kind_descriptor(), *k, "kind"));
    terms.push_back("kind = " + EnumFullName(wv1::Contribution::Kind_descriptor(), v));
  }
  QPV_ASSIGN_OR_RETURN(std::vector<int> themes, EnumValues(args, "theme", Theme_descriptor()));
  for (int t : themes) terms.push_back("themes:" + EnumFullName(Theme_descriptor(), t));
  if (args.Has("reproducible")) {
    terms.push_back(std::string("reproducible = ") +
                    (args.GetBool("reproducible") ? "true" : "false"));
  }
  return JoinFilter(terms);
}

std::vector<Command> WorkshopCommands() {
  std::vector<Command> cmds;
  auto list_flags = [](std::vector<FlagSpec> extra) {
    for (auto& f : ListFlags()) extra.push_back(f);
    return extra;
  };
  const std::vector<FlagSpec> workshop_fields{
      Value("title", "TEXT", "title"),
      ThemeFlag(),
      Value("start", "TIME", "start, RFC 3339 with offset: 2018-02-06T09:00:00+01:00"),
      Value("end", "TIME", "end, RFC 3339 with offset"),
      Value("venue", "TEXT", "venue"),
      Value("capacity", "N", "seats; registrations beyond are waitlisted"),
      QpvFlag(),
      Value("description", "TEXT", "description")};

  // --- workshop --------------------------------------------------------------
  {
    auto flags = workshop_fields;
    flags.insert(flags.begin(), PrefectureFlag());
    flags.push_back(RequestIdFlag());
    cmds.push_back(Command{
        "workshop", "create",
        "--prefecture CODE --title TEXT --theme THEME... --start TIME --end TIME "
        "[--venue TEXT] [--capacity N] [--qpv CODE]... [--description TEXT] [--request-id ID]",
        "create a workshop (atelier), in DRAFT", flags, 0, 0, [](Context& ctx) {
          auto req = BuildCreateWorkshop(ctx.args, ctx.now);
          if (!req.ok()) return ctx.Usage(req.status());
          return RunGet<wv1::Workshop>(ctx, [&](grpc::ClientContext* c, wv1::Workshop* r) {
            return ctx.workshop()->CreateWorkshop(c, *req, r);
          });
        }});
  }
  cmds.push_back(Command{"workshop", "get", "NAME", "show a workshop", {}, 1, 1,
                         [](Context& ctx) {
                           wv1::GetWorkshopRequest req;
                           req.set_name(Name(ctx));
                           return RunGet<wv1::Workshop>(
                               ctx, [&](grpc::ClientContext* c, wv1::Workshop* r) {
                                 return ctx.workshop()->GetWorkshop(c, req, r);
                               });
                         }});
  cmds.push_back(Command{
      "workshop", "list",
      "--prefecture CODE|- [--state STATE] [--theme THEME]... [--from TIME] [--to TIME] "
      "[--filter F] [--page-size N] [--all]",
      "list workshops ('-' lists every préfecture)",
      list_flags({PrefectureFlag(),
                  Value("state", "STATE", "draft, scheduled, held, reported, cancelled"),
                  ThemeFlag(), Value("from", "TIME", "starting at or after TIME"),
                  Value("to", "TIME", "starting before TIME")}),
      0, 0, [](Context& ctx) {
        wv1::ListWorkshopsRequest req;
        auto parent = PrefectureFromArgs(ctx.args);
        if (!parent.ok()) return ctx.Usage(parent.status());
        auto filter = WorkshopFilter(ctx.args, ctx.now);
        if (!filter.ok()) return ctx.Usage(filter.status());
        req.set_parent(*parent);
        req.set_filter(*filter);
        return RunList<wv1::Workshop, wv1::ListWorkshopsRequest, wv1::ListWorkshopsResponse>(
            ctx, req,
            [&](grpc::ClientContext* c, const wv1::ListWorkshopsRequest& rq,
                wv1::ListWorkshopsResponse* r) { return ctx.workshop()->ListWorkshops(c, rq, r); },
            [](const wv1::ListWorkshopsResponse& r) -> const auto& { return r.workshops(); },
            WorkshopColumns(), "workshops");
      }});
  {
    auto flags = workshop_fields;
    flags.push_back(EtagFlag());
    cmds.push_back(Command{
        "workshop", "update",
        "NAME [--title TEXT] [--theme THEME]... [--start TIME] [--end TIME] [--venue TEXT] "
        "[--capacity N] [--qpv CODE]... [--description TEXT] [--etag ETAG]",
        "change a workshop (the update mask is the flags given)", flags, 1, 1,
        [](Context& ctx) {
          auto req = BuildUpdateWorkshop(ctx.args, ctx.now);
          if (!req.ok()) return ctx.Usage(req.status());
          return RunGet<wv1::Workshop>(ctx, [&](grpc::ClientContext* c, wv1::Workshop* r) {
            return ctx.workshop()->UpdateWorkshop(c, *req, r);
          });
        }});
  }
  for (Command c : {Lifecycle<wv1::ScheduleWorkshopRequest>(
                        "schedule", "DRAFT -> SCHEDULED", &wv1::WorkshopService::Stub::ScheduleWorkshop),
                    Lifecycle<wv1::MarkWorkshopHeldRequest>(
                        "held", "SCHEDULED -> HELD", &wv1::WorkshopService::Stub::MarkWorkshopHeld),
                    Lifecycle<wv1::MarkWorkshopReportedRequest>(
                        "reported", "HELD -> REPORTED (the préfecture validated its report)",
                        &wv1::WorkshopService::Stub::MarkWorkshopReported),
                    Lifecycle<wv1::CancelWorkshopRequest>(
                        "cancel", "DRAFT or SCHEDULED -> CANCELLED",
                        &wv1::WorkshopService::Stub::CancelWorkshop)}) {
    cmds.push_back(std::move(c));
  }

  // --- registration ------------------------------------------------------------
  cmds.push_back(Command{
      "registration", "create", "WORKSHOP --person PERSON [--request-id ID]",
      "register a person to a workshop (waitlisted when full)",
      {Value("person", "PERSON", "the person (resource name); must have given consent"),
       RequestIdFlag()},
      1, 1, [](Context& ctx) {
        wv1::RegisterParticipantRequest req;
        req.set_parent(Name(ctx));
        auto person = ctx.args.Get("person");
        if (!person) return ctx.Usage("--person is required");
        req.set_person(*person);
        req.set_request_id(ctx.args.GetOr("request-id", ""));
        return RunGet<wv1::Registration>(ctx, [&](grpc::ClientContext* c, wv1::Registration* r) {
          return ctx.workshop()->RegisterParticipant(c, req, r);
        });
      }});
  cmds.push_back(Command{
      "registration", "list", "WORKSHOP [--state STATE] [--filter F] [--page-size N] [--all]",
      "list the registrations of a workshop",
      list_flags({Value("state", "STATE",
                        "registered, waitlisted, attended, absent, withdrawn")}),
      1, 1, [](Context& ctx) {
        wv1::ListRegistrationsRequest req;
        auto filter = RegistrationFilter(ctx.args);
        if (!filter.ok()) return ctx.Usage(filter.status());
        req.set_parent(Name(ctx));
        req.set_filter(*filter);
        return RunList<wv1::Registration, wv1::ListRegistrationsRequest,
                       wv1::ListRegistrationsResponse>(
            ctx, req,
            [&](grpc::ClientContext* c, const wv1::ListRegistrationsRequest& rq,
                wv1::ListRegistrationsResponse* r) {
              return ctx.workshop()->ListRegistrations(c, rq, r);
            },
            [](const wv1::ListRegistrationsResponse& r) -> const auto& {
              return r.registrations();
            },
            RegistrationColumns(), "registrations");
      }});
  cmds.push_back(Command{
      "registration", "withdraw", "NAME",
      "withdraw a registration (the first waitlisted person takes the seat)", {}, 1, 1,
      [](Context& ctx) {
        wv1::WithdrawRegistrationRequest req;
        req.set_name(Name(ctx));
        return RunGet<wv1::Registration>(ctx, [&](grpc::ClientContext* c, wv1::Registration* r) {
          return ctx.workshop()->WithdrawRegistration(c, req, r);
        });
      }});
  cmds.push_back(Command{
      "attendance", "", "REGISTRATION --attended|--absent", "record attendance",
      {Switch("attended", "the person came"), Switch("absent", "the person did not come")}, 1,
      1, [](Context& ctx) {
        const bool attended = ctx.args.GetBool("attended");
        const bool absent = ctx.args.GetBool("absent");
        if (attended == absent) return ctx.Usage("give exactly one of --attended or --absent");
        wv1::RecordAttendanceRequest req;
        req.set_name(Name(ctx));
        req.set_attended(attended);
        return RunGet<wv1::Registration>(ctx, [&](grpc::ClientContext* c, wv1::Registration* r) {
          return ctx.workshop()->RecordAttendance(c, req, r);
        });
      }});

  // --- contribution ------------------------------------------------------------
  const std::vector<FlagSpec> contribution_fields{
      Value("title", "TEXT", "title"),
      Value("text", "TEXT", "the contribution itself"),
      KindFlag(),
      ThemeFlag(),
      Switch("reproducible", "can be reproduced in other neighbourhoods (=false: cannot)"),
      QpvFlag(),
      Value("org", "ORG", "contributing organization (resource name)"),
      Value("organization", "ORG", "same as --org")};
  {
    auto flags = contribution_fields;
    flags.push_back(RequestIdFlag());
    cmds.push_back(Command{
        "contribution", "create",
        "WORKSHOP --title TEXT --kind KIND [--text TEXT] [--theme THEME]... [--reproducible] "
        "--org ORG [--qpv CODE]... [--request-id ID]",
        "capture a contribution during a workshop", flags, 1, 1, [](Context& ctx) {
          auto req = BuildCreateContribution(ctx.args);
          if (!req.ok()) return ctx.Usage(req.status());
          return RunGet<wv1::Contribution>(ctx, [&](grpc::ClientContext* c, wv1::Contribution* r) {
            return ctx.workshop()->CreateContribution(c, *req, r);
          });
        }});
  }
  cmds.push_back(Command{"contribution", "get", "NAME", "show a contribution", {}, 1, 1,
                         [](Context& ctx) {
                           wv1::GetContributionRequest req;
                           req.set_name(Name(ctx));
                           return RunGet<wv1::Contribution>(
                               ctx, [&](grpc::ClientContext* c, wv1::Contribution* r) {
                                 return ctx.workshop()->GetContribution(c, req, r);
                               });
                         }});
  cmds.push_back(Command{
      "contribution", "list",
      "WORKSHOP [--kind KIND] [--theme THEME]... [--reproducible[=false]] [--filter F] "
      "[--page-size N] [--all]",
      "list the contributions of a workshop",
      list_flags({KindFlag(), ThemeFlag(),
                  Switch("reproducible", "only reproducible ones (=false: only the others)")}),
      1, 1, [](Context& ctx) {
        wv1::ListContributionsRequest req;
        auto filter = ContributionFilter(ctx.args);
        if (!filter.ok()) return ctx.Usage(filter.status());
        req.set_parent(Name(ctx));
        req.set_filter(*filter);
        return RunList<wv1::Contribution, wv1::ListContributionsRequest,
                       wv1::ListContributionsResponse>(
            ctx, req,
            [&](grpc::ClientContext* c, const wv1::ListContributionsRequest& rq,
                wv1::ListContributionsResponse* r) {
              return ctx.workshop()->ListContributions(c, rq, r);
            },
            [](const wv1::ListContributionsResponse& r) -> const auto& {
              return r.contributions();
            },
            ContributionColumns(), "contributions");
      }});
  {
    auto flags = contribution_fields;
    flags.push_back(EtagFlag());
    cmds.push_back(Command{
        "contribution", "update",
        "NAME [--title TEXT] [--text TEXT] [--kind KIND] [--theme THEME]... "
        "[--reproducible[=false]] [--qpv CODE]... [--org ORG] [--etag ETAG]",
        "change a contribution (the update mask is the flags given)", flags, 1, 1,
        [](Context& ctx) {
          auto req = BuildUpdateContribution(ctx.args);
          if (!req.ok()) return ctx.Usage(req.status());
          return RunGet<wv1::Contribution>(ctx, [&](grpc::ClientContext* c, wv1::Contribution* r) {
            return ctx.workshop()->UpdateContribution(c, *req, r);
          });
        }});
  }
  cmds.push_back(Command{
      "vote", "", "CONTRIBUTION --person PERSON",
      "vote for a contribution (one vote per attendee)",
      {Value("person", "PERSON", "the voting person, registered to the workshop")}, 1, 1,
      [](Context& ctx) {
        wv1::VoteContributionRequest req;
        req.set_name(Name(ctx));
        auto person = ctx.args.Get("person");
        if (!person) return ctx.Usage("--person is required");
        req.set_person(*person);
        return RunGet<wv1::Contribution>(ctx, [&](grpc::ClientContext* c, wv1::Contribution* r) {
          return ctx.workshop()->VoteContribution(c, req, r);
        });
      }});
  return cmds;
}

}  // namespace qpv::ctl
