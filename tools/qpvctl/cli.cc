#include "tools/qpvctl/cli.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/logging/log.h"
#include "common/util/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace qpv::ctl {

// --- Context -----------------------------------------------------------------

std::shared_ptr<grpc::Channel> Context::Channel(const std::string& addr) {
  return grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
}

qpv::stakeholder::v1::StakeholderService::Stub* Context::stakeholder() {
  if (!stakeholder_) {
    stakeholder_ = qpv::stakeholder::v1::StakeholderService::NewStub(Channel(stakeholder_addr));
  }
  return stakeholder_.get();
}

qpv::workshop::v1::WorkshopService::Stub* Context::workshop() {
  if (!workshop_) workshop_ = qpv::workshop::v1::WorkshopService::NewStub(Channel(workshop_addr));
  return workshop_.get();
}

qpv::reporting::v1::ReportingService::Stub* Context::reporting() {
  if (!reporting_) {
    reporting_ = qpv::reporting::v1::ReportingService::NewStub(Channel(reporting_addr));
  }
  return reporting_.get();
}

qpv::national::v1::NationalAggregationService::Stub* Context::national() {
  if (!national_) {
    national_ = qpv::national::v1::NationalAggregationService::NewStub(Channel(national_addr));
  }
  return national_.get();
}

void Context::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(timeout));
}

int Context::Fail(const grpc::Status& status) {
  *err << FormatRpcError(status);
  return kExitRpcError;
}

int Context::Usage(absl::string_view message) {
  *err << "qpvctl: " << message << "\n";
  if (!command_path.empty()) *err << "see 'qpvctl " << command_path << " --help'\n";
  return kExitUsage;
}

int Context::PrintResource(const google::protobuf::Message& message) {
  if (json) {
    *out << MessageJson(message) << "\n";
  } else {
    *out << RenderDetail(MessageDetailRows(message));
  }
  return kExitOk;
}

// --- shared helpers -------------------------------------------------------------

std::vector<FlagSpec> ListFlags() {
  return {Value("filter", "F", "AIP-160 filter, ANDed with the filter flags"),
          Value("page-size", "N", "items per page (server default 50, at most 1000)"),
          Value("page-token", "TOKEN", "continue from a previous page"),
          Switch("all", "follow page tokens to the last page")};
}

std::vector<FlagSpec> PageFlags() {
  std::vector<FlagSpec> flags = ListFlags();
  flags.erase(flags.begin());  // --filter
  return flags;
}

std::vector<FlagSpec> GlobalFlags() {
  return {Switch("json", "print the proto JSON mapping instead of tables"),
          Value("timeout", "DURATION", "deadline of each call (default 5s)"),
          Value("stakeholder-addr", "HOST:PORT",
                "StakeholderService (default $QPV_STAKEHOLDER_ADDR or 127.0.0.1:50051)"),
          Value("workshop-addr", "HOST:PORT",
                "WorkshopService (default $QPV_WORKSHOP_ADDR or 127.0.0.1:50052)"),
          Value("reporting-addr", "HOST:PORT",
                "ReportingService (default $QPV_REPORTING_ADDR or 127.0.0.1:50053)"),
          Value("national-addr", "HOST:PORT",
                "NationalAggregationService (default $QPV_NATIONAL_ADDR or 127.0.0.1:50054)"),
          Switch("help", "show help")};
}

absl::StatusOr<std::string> PrefectureFromArgs(const Args& args) {
  std::optional<std::string> code = args.Get("prefecture");
  if (!code) {
    const char* env = std::getenv("QPV_PREFECTURE");
    if (env == nullptr || *env == '\0') {
      return absl::InvalidArgumentError("--prefecture is required (or set QPV_PREFECTURE)");
    }
    code = env;
  }
  return PrefectureParent(*code);
}

std::optional<std::string> FirstOf(const Args& args, std::initializer_list<const char*> flags) {
  for (const char* f : flags) {
    if (auto v = args.Get(f)) return v;
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<int>> EnumValues(const Args& args, const char* flag,
                                            const google::protobuf::EnumDescriptor* type) {
  std::vector<int> out;
  for (const auto& v : args.GetAll(flag)) {
    auto n = ParseEnum(type, v, flag);
    if (!n.ok()) return n.status();
    out.push_back(*n);
  }
  return out;
}

std::string ThemesText(const google::protobuf::RepeatedField<int>& themes) {
  std::vector<std::string> names;
  for (int t : themes) names.push_back(EnumShortName(qpv::common::v1::Theme_descriptor(), t));
  return absl::StrJoin(names, ", ");
}

std::string JoinStrings(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return absl::StrJoin(values, ", ");
}

std::string TimeText(const google::protobuf::Timestamp& ts) { return TimestampText(ts); }

// --- health --------------------------------------------------------------------

std::vector<Command> HealthCommands() {
  return {Command{
      "health", "", "[--service NAME]...",
      "check grpc.health.v1.Health: stakeholder and workshop, and reporting and national "
      "when their address is set",
      {Repeated("service", "NAME",
                "stakeholder, workshop, reporting, national or all; repeat or "
                "comma-separate")},
      0, 0,
      [](Context& ctx) {
        struct Target {
          const char* service;
          std::string addr;
        };
        const std::vector<Target> known{{"stakeholder", ctx.stakeholder_addr},
                                        {"workshop", ctx.workshop_addr},
                                        {"reporting", ctx.reporting_addr},
                                        {"national", ctx.national_addr}};
        std::vector<Target> targets;
        const std::vector<std::string> wanted = ctx.args.GetAll("service");
        for (const auto& w : wanted) {
          if (w == "all") {
            targets = known;
            break;
          }
          auto it = std::find_if(known.begin(), known.end(),
                                 [&](const Target& t) { return w == t.service; });
          if (it == known.end()) {
            return ctx.Usage(absl::StrCat("--service: unknown service \"", w,
                                          "\" (one of: stakeholder, workshop, reporting, "
                                          "national, all)"));
          }
          targets.push_back(*it);
        }
        if (wanted.empty()) {
          // A préfecture stack may run without national, and older set-ups
          // without reporting: check those only when pointed at them.
          targets = {known[0], known[1]};
          if (ctx.reporting_addr_set) targets.push_back(known[2]);
          if (ctx.national_addr_set) targets.push_back(known[3]);
        }
        Table table({"SERVICE", "ADDRESS", "STATUS"});
        std::vector<std::string> json_parts;
        bool all_serving = true;
        for (const auto& t : targets) {
          auto stub = grpc::health::v1::Health::NewStub(ctx.Channel(t.addr));
          grpc::health::v1::HealthCheckRequest req;
          grpc::health::v1::HealthCheckResponse resp;
          grpc::ClientContext cc;
          ctx.Prepare(&cc);
          grpc::Status s = stub->Check(&cc, req, &resp);
          std::string status;
          std::string detail;
          if (s.ok()) {
            status = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
          } else if (s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                     s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
            status = "unreachable";
            detail = StatusCodeName(s.error_code());
          } else {
            status = "error";
            detail = absl::StrCat(StatusCodeName(s.error_code()), ": ", s.error_message());
          }
          if (status != "SERVING") all_serving = false;
          table.AddRow({t.service, t.addr, detail.empty() ? status : status + " (" + detail + ")"});
          json_parts.push_back(absl::StrCat("\"", t.service, "\":{\"address\":\"",
                                            qpv::log::JsonEscape(t.addr), "\",\"status\":\"",
                                            status, "\"}"));
        }
        if (ctx.json) {
          *ctx.out << "{" << absl::StrJoin(json_parts, ",") << "}\n";
        } else {
          *ctx.out << table.Render();
        }
        return all_serving ? kExitOk : kExitRpcError;
      }}};
}

std::vector<Command> AllCommands() {
  std::vector<Command> all = StakeholderCommands();
  for (auto& c : WorkshopCommands()) all.push_back(std::move(c));
  for (auto& c : ReportingCommands()) all.push_back(std::move(c));
  for (auto& c : NationalCommands()) all.push_back(std::move(c));
  for (auto& c : HealthCommands()) all.push_back(std::move(c));
  return all;
}

// --- help ----------------------------------------------------------------------

namespace {

std::string Path(const Command& c) { return c.verb.empty() ? c.group : c.group + " " + c.verb; }

std::string FlagLines(const std::vector<FlagSpec>& flags) {
  std::string out;
  for (const auto& f : flags) {
    std::string left = "--" + f.name;
    if (f.short_name != 0) left = absl::StrCat("-", std::string(1, f.short_name), ", ", left);
    if (f.takes_value) absl::StrAppend(&left, " ", f.metavar);
    if (f.repeatable) left += "...";
    left.resize(std::max<size_t>(28, left.size() + 2), ' ');
    absl::StrAppend(&out, "  ", left, f.help, "\n");
  }
  return out;
}

std::vector<std::string> Groups(const std::vector<Command>& commands) {
  std::vector<std::string> groups;
  for (const auto& c : commands) {
    if (groups.empty() || groups.back() != c.group) groups.push_back(c.group);
  }
  return groups;
}

}  // namespace

std::string MainHelp(const std::vector<Command>& commands) {
  std::string out =
      "qpvctl: command-line client of the quartiers backend (StakeholderService, "
      "WorkshopService, ReportingService, NationalAggregationService)\n\nusage: qpvctl [global flags] GROUP [VERB] [ARGS] [flags]\n\n"
      "commands:\n";
  for (const auto& c : commands) {
    std::string left = Path(c);
    if (left.size() < 26) left.resize(26, ' ');
    absl::StrAppend(&out, "  ", left, c.summary, "\n");
  }
  absl::StrAppend(&out, "\nglobal flags (accepted anywhere):\n", FlagLines(GlobalFlags()),
                  "\nNames are full resource names (prefectures/59/workshops/abc...).\n"
                  "Times are RFC 3339 with an offset (2018-02-06T09:00:00+01:00) or 'now'.\n"
                  "Enums take short names (employment, association, good-practice) or full "
                  "names.\n"
                  "Reports and dashboards print times in the local time zone ($TZ).\n"
                  "Exit status: 0 ok, 1 RPC error (or a service not SERVING for 'health'), "
                  "2 usage error.\n"
                  "'qpvctl GROUP --help' and 'qpvctl GROUP VERB --help' give details.\n");
  return out;
}

std::string GroupHelp(const std::vector<Command>& commands, absl::string_view group) {
  std::string out;
  for (const auto& c : commands) {
    if (c.group != group) continue;
    absl::StrAppend(&out, "qpvctl ", Path(c), c.synopsis.empty() ? "" : " ", c.synopsis, "\n    ",
                    c.summary, "\n");
  }
  absl::StrAppend(&out, "\n'qpvctl ", group, " VERB --help' lists a command's flags.\n");
  return out;
}

std::string CommandHelp(const Command& c) {
  std::string out = absl::StrCat("usage: qpvctl ", Path(c), c.synopsis.empty() ? "" : " ",
                                 c.synopsis, "\n\n", c.summary, "\n");
  if (!c.flags.empty()) absl::StrAppend(&out, "\nflags:\n", FlagLines(c.flags));
  absl::StrAppend(&out, "\nglobal flags:\n", FlagLines(GlobalFlags()));
  return out;
}

// --- main ----------------------------------------------------------------------

int RunMain(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const std::vector<Command> commands = AllCommands();
  const std::vector<FlagSpec> globals = GlobalFlags();
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;

  // Global flags before the group.
  size_t consumed = 0;
  auto leading = ParseArgs(argv, globals, /*stop_at_positional=*/true, &consumed);
  if (!leading.ok()) return ctx.Usage(leading.status());
  std::vector<std::string> rest(argv.begin() + consumed, argv.end());
  if (leading->GetBool("help") && !rest.empty()) rest.push_back("--help");
  if (rest.empty()) {
    if (leading->GetBool("help")) {
      out << MainHelp(commands);
      return kExitOk;
    }
    err << MainHelp(commands);
    return kExitUsage;
  }
  const std::string group = rest[0];
  const auto groups = Groups(commands);
  if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
    if (group == "help") {
      out << MainHelp(commands);
      return kExitOk;
    }
    return ctx.Usage(absl::StrCat("unknown command '", group, "' (see 'qpvctl --help')"));
  }
  // A group with one verb-less command ("vote"), or GROUP VERB.
  const Command* cmd = nullptr;
  size_t args_from = 1;
  for (const auto& c : commands) {
    if (c.group == group && c.verb.empty()) cmd = &c;
  }
  if (cmd == nullptr) {
    const bool wants_help =
        rest.size() < 2 || rest[1] == "--help" || rest[1] == "-h" || rest[1] == "help";
    if (wants_help) {
      (rest.size() < 2 ? err : out) << GroupHelp(commands, group);
      return rest.size() < 2 ? kExitUsage : kExitOk;
    }
    for (const auto& c : commands) {
      if (c.group == group && c.verb == rest[1]) cmd = &c;
    }
    if (cmd == nullptr) {
      err << "qpvctl: unknown command '" << group << " " << rest[1] << "'\n"
          << GroupHelp(commands, group);
      return kExitUsage;
    }
    args_from = 2;
  }
  ctx.command_path = Path(*cmd);

  std::vector<FlagSpec> specs = cmd->flags;
  for (const auto& g : globals) specs.push_back(g);
  auto parsed = ParseArgs(std::vector<std::string>(rest.begin() + args_from, rest.end()), specs);
  if (!parsed.ok()) return ctx.Usage(parsed.status());
  // Merge the leading global flags (those after the command win).
  for (const auto& g : globals) {
    if (leading->Has(g.name) && !parsed->Has(g.name)) parsed->Add(g.name, *leading->Get(g.name));
  }
  ctx.args = std::move(*parsed);
  if (ctx.args.GetBool("help")) {
    out << CommandHelp(*cmd);
    return kExitOk;
  }
  const int npos = static_cast<int>(ctx.args.positional().size());
  if (npos < cmd->min_positional || npos > cmd->max_positional) {
    return ctx.Usage(npos < cmd->min_positional
                         ? absl::StrCat("missing argument: qpvctl ", ctx.command_path, " ",
                                        cmd->synopsis)
                         : absl::StrCat("unexpected argument '",
                                        ctx.args.positional()[cmd->max_positional], "'"));
  }

  ctx.json = ctx.args.GetBool("json");
  if (auto t = ctx.args.Get("timeout")) {
    auto d = ParseTimeout(*t);
    if (!d.ok()) return ctx.Usage(d.status());
    ctx.timeout = *d;
  }
  auto addr = [&](const char* flag, const char* env, const std::string& fallback,
                  bool* set = nullptr) {
    const char* e = std::getenv(env);
    const bool from_env = e != nullptr && *e != '\0';
    if (set != nullptr) *set = ctx.args.Has(flag) || from_env;
    if (auto v = ctx.args.Get(flag)) return *v;
    return from_env ? std::string(e) : fallback;
  };
  ctx.stakeholder_addr = addr("stakeholder-addr", "QPV_STAKEHOLDER_ADDR", ctx.stakeholder_addr);
  ctx.workshop_addr = addr("workshop-addr", "QPV_WORKSHOP_ADDR", ctx.workshop_addr);
  ctx.reporting_addr = addr("reporting-addr", "QPV_REPORTING_ADDR", ctx.reporting_addr,
                            &ctx.reporting_addr_set);
  ctx.national_addr = addr("national-addr", "QPV_NATIONAL_ADDR", ctx.national_addr,
                           &ctx.national_addr_set);
  ctx.now = Clock::Real()->Now();
  ctx.tz = absl::LocalTimeZone();
  ctx.terminal = &out == &std::cout && isatty(STDOUT_FILENO) == 1;
  return cmd->run(ctx);
}

}  // namespace qpv::ctl
