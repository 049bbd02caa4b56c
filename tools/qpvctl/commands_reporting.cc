// qpvctl report ... and qpvctl feed ...: ReportingService.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/logging/log.h"
#include "common/status/status.h"
#include "tools/qpvctl/cli.h"
#include "tools/qpvctl/report_view.h"

namespace qpv::ctl {

namespace rv1 = qpv::reporting::v1;
using Format = rv1::ExportReportRequest::Format;

namespace {

FlagSpec FormatFlag() {
  return Value("format", "FORMAT",
               "csv, json, markdown (md) or html; default: from the --output extension");
}

// Extensions that say the format, and the one each format is saved with.
struct FormatExtension {
  const char* extension;
  Format format;
};
constexpr FormatExtension kExtensions[] = {
    {".csv", rv1::ExportReportRequest::FORMAT_CSV},
    {".json", rv1::ExportReportRequest::FORMAT_JSON},
    {".md", rv1::ExportReportRequest::FORMAT_MARKDOWN},
    {".markdown", rv1::ExportReportRequest::FORMAT_MARKDOWN},
    {".html", rv1::ExportReportRequest::FORMAT_HTML},
    {".htm", rv1::ExportReportRequest::FORMAT_HTML},
};

const char* ExtensionOf(Format format) {
  for (const auto& e : kExtensions) {
    if (e.format == format) return e.extension;
  }
  return ".txt";
}

absl::StatusOr<Format> ParseFormat(const Args& args) {
  if (auto v = args.Get("format")) {
    if (absl::AsciiStrToLower(*v) == "md") return rv1::ExportReportRequest::FORMAT_MARKDOWN;
    QPV_ASSIGN_OR_RETURN(int f,
                         ParseEnum(rv1::ExportReportRequest::Format_descriptor(), *v, "format"));
    return static_cast<Format>(f);
  }
  const std::string out = absl::AsciiStrToLower(args.GetOr("output", ""));
  for (const auto& e : kExtensions) {
    if (absl::EndsWith(out, e.extension)) return e.format;
  }
  return absl::InvalidArgumentError(
      "--format is required (csv, json, markdown or html) unless --output ends in .csv, .json, "
      ".md or .html");
}

// Prints a report: JSON, or the readable view.
template <typename Resp, typename Call, typename Render>
int RunReport(Context& ctx, Call call, Render render) {
  Resp resp;
  grpc::ClientContext cc;
  ctx.Prepare(&cc);
  grpc::Status status = call(&cc, &resp);
  if (!status.ok()) return ctx.Fail(status);
  if (ctx.json) {
    *ctx.out << MessageJson(resp) << "\n";
  } else {
    *ctx.out << render(resp, ctx.view());
  }
  return kExitOk;
}

absl::Status WriteDirectly(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (f) f.close();
  if (!f) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// Writes through a temporary file and a rename, so that an interrupted
// export never leaves half a report under the final name. Something that
// is not a regular file (/dev/stdout, a fifo) is written to as it is: a
// rename would replace it.
absl::Status WriteFile(const std::string& path, const std::string& content) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return WriteDirectly(path, content);
  }
  const std::string tmp = path + ".qpvctl-tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return absl::UnavailableError(absl::StrCat("cannot write ", tmp, ": ", std::strerror(errno)));
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    f.close();
    if (!f) {
      std::remove(tmp.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", why));
  }
  return absl::OkStatus();
}

int RunExport(Context& ctx) {
  auto req = BuildExportReport(ctx.args);
  if (!req.ok()) return ctx.Usage(req.status());
  rv1::ExportReportResponse resp;
  grpc::ClientContext cc;
  ctx.Prepare(&cc);
  grpc::Status status = ctx.reporting()->ExportReport(&cc, *req, &resp);
  if (!status.ok()) return ctx.Fail(status);
  const std::string path = ExportPath(ctx.args, resp.filename(), req->format());
  if (resp.stale()) {
    *ctx.err << "qpvctl: warning: the report is stale: the workshop service could not be "
                "reached, figures are those of the last report computed\n";
  }
  if (path == "-") {
    *ctx.out << resp.content();
    ctx.out->flush();
    return kExitOk;
  }
  if (absl::Status w = WriteFile(path, resp.content()); !w.ok()) {
    *ctx.err << "qpvctl: " << w.message() << "\n";
    return kExitRpcError;
  }
  if (ctx.json) {
    *ctx.out << "{\"path\":\"" << qpv::log::JsonEscape(path) << "\",\"filename\":\""
             << qpv::log::JsonEscape(resp.filename()) << "\",\"contentType\":\""
             << qpv::log::JsonEscape(resp.content_type()) << "\",\"bytes\":"
             << resp.content().size() << ",\"stale\":" << (resp.stale() ? "true" : "false")
             << "}\n";
  } else {
    *ctx.err << "wrote " << path << " (" << resp.content().size() << " bytes, "
             << resp.content_type() << ")\n";
  }
  return kExitOk;
}

std::string OptionalCode(const Context& ctx) {
  return ctx.args.positional().empty() ? std::string() : ctx.args.positional()[0];
}

}  // namespace

absl::StatusOr<std::string> PrefectureCode(absl::string_view code) {
  std::string c(absl::StripAsciiWhitespace(code));
  if (c.empty()) {
    const char* env = std::getenv("QPV_PREFECTURE");
    if (env == nullptr || *env == '\0') {
      return absl::InvalidArgumentError(
          "a préfecture code is required, e.g. 59 (or set QPV_PREFECTURE)");
    }
    c = std::string(absl::StripAsciiWhitespace(env));
  }
  absl::string_view bare = c;
  absl::ConsumePrefix(&bare, "prefectures/");
  bool ok = !bare.empty() && bare.size() <= 3;
  for (char ch : bare) ok = ok && absl::ascii_isalnum(static_cast<unsigned char>(ch));
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", c, "\" is not a département code such as 59, 2A or 971"));
  }
  return absl::AsciiStrToUpper(bare);
}

absl::StatusOr<rv1::ExportReportRequest> BuildExportReport(const Args& args) {
  rv1::ExportReportRequest req;
  const auto workshop = args.Get("workshop");
  const auto prefecture = args.Get("prefecture");
  if (workshop && prefecture) {
    return absl::InvalidArgumentError("give --workshop or --prefecture, not both");
  }
  if (workshop) {
    if (workshop->empty()) return absl::InvalidArgumentError("--workshop: empty name");
    req.set_workshop(*workshop);
  } else {
    auto code = PrefectureCode(prefecture.value_or(""));
    if (!code.ok()) {
      return absl::InvalidArgumentError(
          prefecture ? absl::StrCat("--prefecture: ", code.status().message())
                     : "give --workshop NAME or --prefecture CODE (or set QPV_PREFECTURE)");
    }
    req.set_prefecture(*code);
  }
  QPV_ASSIGN_OR_RETURN(Format format, ParseFormat(args));
  req.set_format(format);
  return req;
}

std::string ExportPath(const Args& args, const std::string& suggested, Format format) {
  if (auto v = args.Get("output")) return *v;
  // Only a base name, of safe characters: the name comes from the server.
  absl::string_view base = suggested;
  const size_t slash = base.find_last_of("/\\");
  if (slash != absl::string_view::npos) base.remove_prefix(slash + 1);
  std::string name;
  for (char c : base) {
    const bool safe = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                      c == '-' || c == '_';
    name.push_back(safe ? c : '-');
  }
  while (!name.empty() && (name[0] == '.' || name[0] == '-')) name.erase(0, 1);
  if (name.empty()) name = absl::StrCat("rapport", ExtensionOf(format));
  return name;
}

std::vector<Command> ReportingCommands() {
  std::vector<Command> cmds;
  cmds.push_back(Command{
      "report", "workshop", "NAME",
      "a workshop's report: attendance by category, representativeness, contributions", {}, 1, 1,
      [](Context& ctx) {
        rv1::GetWorkshopReportRequest req;
        req.set_workshop(ctx.args.positional()[0]);
        return RunReport<rv1::WorkshopReport>(
            ctx,
            [&](grpc::ClientContext* c, rv1::WorkshopReport* r) {
              return ctx.reporting()->GetWorkshopReport(c, req, r);
            },
            RenderWorkshopReport);
      }});
  cmds.push_back(Command{
      "report", "prefecture", "[CODE]",
      "a préfecture's report: every workshop side by side (CODE default $QPV_PREFECTURE)", {},
      0, 1, [](Context& ctx) {
        auto code = PrefectureCode(OptionalCode(ctx));
        if (!code.ok()) return ctx.Usage(code.status());
        rv1::GetPrefectureReportRequest req;
        req.set_prefecture(*code);
        return RunReport<rv1::PrefectureReport>(
            ctx,
            [&](grpc::ClientContext* c, rv1::PrefectureReport* r) {
              return ctx.reporting()->GetPrefectureReport(c, req, r);
            },
            RenderPrefectureReport);
      }});
  cmds.push_back(Command{
      "report", "export",
      "(--workshop NAME | --prefecture CODE) [--format csv|json|markdown|html] [-o FILE]",
      "save a report as a file (default name: the one the service suggests; -o - for stdout)",
      {Value("workshop", "NAME", "the workshop (prefectures/59/workshops/ID)"),
       Value("prefecture", "CODE", "the préfecture (59, 2A, 971); default $QPV_PREFECTURE"),
       FormatFlag(),
       WithShort(Value("output", "FILE",
                       "where to write; '-' is stdout; default: the suggested file name"),
                 'o')},
      0, 0, RunExport});
  cmds.push_back(Command{
      "feed", "status", "[CODE]",
      "where the préfecture's feed to national stands (CODE default $QPV_PREFECTURE)", {}, 0, 1,
      [](Context& ctx) {
        auto code = PrefectureCode(OptionalCode(ctx));
        if (!code.ok()) return ctx.Usage(code.status());
        rv1::GetFeedStatusRequest req;
        req.set_prefecture(*code);
        return RunReport<rv1::FeedStatus>(
            ctx,
            [&](grpc::ClientContext* c, rv1::FeedStatus* r) {
              return ctx.reporting()->GetFeedStatus(c, req, r);
            },
            RenderFeedStatus);
      }});
  return cmds;
}

}  // namespace qpv::ctl
