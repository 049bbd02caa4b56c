// The command table of qpvctl and what the commands share: the context of
// one invocation (flags, stubs, deadline, output) and the list/get/print
// helpers. Request builders are exposed so the tests can check them without
// a server.
#ifndef QPV_TOOLS_QPVCTL_CLI_H_
#define QPV_TOOLS_QPVCTL_CLI_H_

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "grpcpp/grpcpp.h"
#include "qpv/national/v1/national_service.grpc.pb.h"
#include "qpv/reporting/v1/reporting_service.grpc.pb.h"
#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"
#include "qpv/workshop/v1/workshop_service.grpc.pb.h"
#include "tools/qpvctl/args.h"
#include "tools/qpvctl/output.h"
#include "tools/qpvctl/report_view.h"
#include "tools/qpvctl/table.h"

namespace qpv::ctl {

constexpr int kExitOk = 0;
constexpr int kExitRpcError = 1;
constexpr int kExitUsage = 2;

class Context {
 public:
  Args args;
  bool json = false;
  absl::Duration timeout = absl::Seconds(5);
  std::string stakeholder_addr = "127.0.0.1:50051";
  std::string workshop_addr = "127.0.0.1:50052";
  std::string reporting_addr = "127.0.0.1:50053";
  std::string national_addr = "127.0.0.1:50054";
  // Whether the address came from a flag or the environment: `health`
  // checks reporting and national only then (or when asked by --service).
  bool reporting_addr_set = false;
  bool national_addr_set = false;
  absl::Time now = absl::Now();
  // Reports and dashboards show times here ($TZ, else the system's zone).
  absl::TimeZone tz = absl::UTCTimeZone();
  // Whether out is a terminal: `national watch` then redraws in place.
  bool terminal = false;
  std::string command_path;  // "org create", for "see ... --help"
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;

  qpv::stakeholder::v1::StakeholderService::Stub* stakeholder();
  qpv::workshop::v1::WorkshopService::Stub* workshop();
  qpv::reporting::v1::ReportingService::Stub* reporting();
  qpv::national::v1::NationalAggregationService::Stub* national();
  std::shared_ptr<grpc::Channel> Channel(const std::string& addr);
  ViewOptions view() const { return ViewOptions{tz, now}; }

  // Sets the deadline (--timeout) on a call.
  void Prepare(grpc::ClientContext* context) const;
  // Prints the RPC error; returns kExitRpcError.
  int Fail(const grpc::Status& status);
  // Prints "qpvctl: message" and a pointer to --help; returns kExitUsage.
  int Usage(absl::string_view message);
  int Usage(const absl::Status& status) { return Usage(status.message()); }
  // JSON or the detail view.
  int PrintResource(const google::protobuf::Message& message);

 private:
  std::unique_ptr<qpv::stakeholder::v1::StakeholderService::Stub> stakeholder_;
  std::unique_ptr<qpv::workshop::v1::WorkshopService::Stub> workshop_;
  std::unique_ptr<qpv::reporting::v1::ReportingService::Stub> reporting_;
  std::unique_ptr<qpv::national::v1::NationalAggregationService::Stub> national_;
};

struct Command {
  std::string group;     // "org"
  std::string verb;      // "create"; empty for "attendance", "vote", "health"
  std::string synopsis;  // "--prefecture CODE --name TEXT --category CAT ..."
  std::string summary;   // one line
  std::vector<FlagSpec> flags;
  int min_positional = 0;
  int max_positional = 0;
  std::function<int(Context&)> run;
};

std::vector<Command> StakeholderCommands();
std::vector<Command> WorkshopCommands();
std::vector<Command> ReportingCommands();
std::vector<Command> NationalCommands();
std::vector<Command> HealthCommands();
std::vector<Command> AllCommands();
// Flags every command accepts.
std::vector<FlagSpec> GlobalFlags();

// Help texts.
std::string MainHelp(const std::vector<Command>& commands);
std::string GroupHelp(const std::vector<Command>& commands, absl::string_view group);
std::string CommandHelp(const Command& command);

// Runs qpvctl with argv (without the program name); returns the exit code.
int RunMain(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err);

// --- shared by the command files -------------------------------------------

// --page-size, --page-token, --all, --filter.
std::vector<FlagSpec> ListFlags();
// --page-size, --page-token, --all: for List methods without a filter.
std::vector<FlagSpec> PageFlags();
// The parent from --prefecture, or from $QPV_PREFECTURE when the flag is
// absent.
absl::StatusOr<std::string> PrefectureFromArgs(const Args& args);
// The first of several synonymous flags that was given (--org / --organization).
std::optional<std::string> FirstOf(const Args& args, std::initializer_list<const char*> flags);
// Parses every value of a repeatable enum flag.
absl::StatusOr<std::vector<int>> EnumValues(const Args& args, const char* flag,
                                            const google::protobuf::EnumDescriptor* type);
std::string ThemesText(const google::protobuf::RepeatedField<int>& themes);
std::string JoinStrings(const google::protobuf::RepeatedPtrField<std::string>& values);
std::string TimeText(const google::protobuf::Timestamp& ts);

template <typename Item>
using Columns = std::vector<std::pair<std::string, std::function<std::string(const Item&)>>>;

// Calls a List method once, or until the last page with --all, and prints
// the items with `render` (called only when there are some) or as
// {"items":[...],"nextPageToken":...}. `call(context, request, response)`
// makes the RPC; `items(response)` returns the repeated field.
template <typename Item, typename Req, typename Resp, typename Call, typename Items,
          typename Render>
int RunListRendered(Context& ctx, Req req, Call call, Items items, Render render,
                    absl::string_view noun) {
  if (auto v = ctx.args.Get("page-size")) {
    auto n = ParseInt(*v, "page-size");
    if (!n.ok()) return ctx.Usage(n.status());
    req.set_page_size(*n);
  }
  if (auto v = ctx.args.Get("page-token")) req.set_page_token(*v);
  const bool all = ctx.args.GetBool("all");
  google::protobuf::RepeatedPtrField<Item> collected;
  std::string next;
  std::set<std::string> seen;
  while (true) {
    Resp resp;
    grpc::ClientContext cc;
    ctx.Prepare(&cc);
    grpc::Status status = call(&cc, req, &resp);
    if (!status.ok()) return ctx.Fail(status);
    for (const Item& it : items(resp)) *collected.Add() = it;
    next = resp.next_page_token();
    if (!all || next.empty()) break;
    if (!seen.insert(next).second) {
      *ctx.err << "qpvctl: the server returned the same page token twice; stopping\n";
      return kExitRpcError;
    }
    req.set_page_token(next);
  }
  if (ctx.json) {
    std::vector<const google::protobuf::Message*> ptrs;
    for (const Item& it : collected) ptrs.push_back(&it);
    *ctx.out << ListJson(ptrs, next) << "\n";
    return kExitOk;
  }
  if (collected.empty()) {
    *ctx.err << "no " << noun << "\n";
  } else {
    *ctx.out << render(collected);
  }
  if (!next.empty()) {
    *ctx.err << "more " << noun << ": add --page-token " << next << " (or --all)\n";
  }
  return kExitOk;
}

// The items as a table of `columns`.
template <typename Item>
std::string RenderColumns(const google::protobuf::RepeatedPtrField<Item>& items,
                          const Columns<Item>& columns, std::vector<size_t> right = {}) {
  std::vector<std::string> headers;
  for (const auto& c : columns) headers.push_back(c.first);
  Table table(headers);
  table.AlignRight(std::move(right));
  for (const Item& it : items) {
    std::vector<std::string> row;
    for (const auto& c : columns) row.push_back(c.second(it));
    table.AddRow(std::move(row));
  }
  return table.Render();
}

// RunListRendered with a table.
template <typename Item, typename Req, typename Resp, typename Call, typename Items>
int RunList(Context& ctx, Req req, Call call, Items items, const Columns<Item>& columns,
            absl::string_view noun) {
  return RunListRendered<Item, Req, Resp>(
      ctx, std::move(req), call, items,
      [&](const google::protobuf::RepeatedPtrField<Item>& all) {
        return RenderColumns(all, columns);
      },
      noun);
}

// Makes one unary call and prints the resource it returns.
template <typename Resp, typename Call>
int RunGet(Context& ctx, Call call) {
  Resp resp;
  grpc::ClientContext cc;
  ctx.Prepare(&cc);
  grpc::Status status = call(&cc, &resp);
  if (!status.ok()) return ctx.Fail(status);
  return ctx.PrintResource(resp);
}

// --- request builders (tested) ----------------------------------------------
absl::StatusOr<qpv::stakeholder::v1::CreateOrganizationRequest> BuildCreateOrganization(
    const Args& args);
absl::StatusOr<qpv::stakeholder::v1::UpdateOrganizationRequest> BuildUpdateOrganization(
    const Args& args);
absl::StatusOr<std::string> OrganizationFilter(const Args& args);
absl::StatusOr<qpv::stakeholder::v1::CreatePersonRequest> BuildCreatePerson(const Args& args,
                                                                             absl::Time now);
absl::StatusOr<qpv::stakeholder::v1::UpdatePersonRequest> BuildUpdatePerson(const Args& args,
                                                                             absl::Time now);
absl::StatusOr<std::string> PersonFilter(const Args& args);
absl::StatusOr<qpv::workshop::v1::CreateWorkshopRequest> BuildCreateWorkshop(const Args& args,
                                                                             absl::Time now);
absl::StatusOr<qpv::workshop::v1::UpdateWorkshopRequest> BuildUpdateWorkshop(const Args& args,
                                                                             absl::Time now);
absl::StatusOr<std::string> WorkshopFilter(const Args& args, absl::Time now);
absl::StatusOr<std::string> RegistrationFilter(const Args& args);
absl::StatusOr<qpv::workshop::v1::CreateContributionRequest> BuildCreateContribution(
    const Args& args);
absl::StatusOr<qpv::workshop::v1::UpdateContributionRequest> BuildUpdateContribution(
    const Args& args);
absl::StatusOr<std::string> ContributionFilter(const Args& args);

// "59" from "59", "prefectures/59", or $QPV_PREFECTURE when `code` is empty.
absl::StatusOr<std::string> PrefectureCode(absl::string_view code);
// An INSEE region code from a code ("32") or a name ("Hauts-de-France",
// any case; accents and dashes may be left out).
absl::StatusOr<std::string> RegionCode(absl::string_view text);
absl::StatusOr<qpv::reporting::v1::ExportReportRequest> BuildExportReport(const Args& args);
// Where `report export` writes: "-" (stdout), --output, or the server's
// suggested name reduced to a safe file name in the current directory.
std::string ExportPath(const Args& args, const std::string& suggested,
                       qpv::reporting::v1::ExportReportRequest::Format format);
absl::StatusOr<qpv::national::v1::GetNationalDashboardRequest> BuildDashboardRequest(
    const Args& args, absl::Time now);
absl::StatusOr<qpv::national::v1::ListPrefectureStatusRequest> BuildPrefectureStatusRequest(
    const Args& args);
absl::StatusOr<qpv::national::v1::ListGoodPracticesRequest> BuildGoodPracticesRequest(
    const Args& args);
// The proto JSON of a PrefectureSnapshot (unknown fields are errors).
absl::StatusOr<qpv::national::v1::SubmitPrefectureSnapshotRequest> BuildSubmitRequest(
    absl::string_view json);

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_CLI_H_
