// qpvctl national ...: NationalAggregationService.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status/status.h"
#include "common/territory/territory.h"
#include "common/util/clock.h"
#include "google/protobuf/util/json_util.h"
#include "tools/qpvctl/cli.h"
#include "tools/qpvctl/dashboard_view.h"
#include "tools/qpvctl/labels.h"

namespace qpv::ctl {

namespace nv1 = qpv::national::v1;
using qpv::common::v1::Theme_descriptor;

namespace {

// U+00C0..U+00FF folded to ASCII ('x' and '/' for × and ÷, never letters
// of a region name).
constexpr char kLatin1Fold[] =
    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
static_assert(sizeof(kLatin1Fold) == 64 + 1, "one letter per code point U+00C0..U+00FF");

// Lowercase ASCII letters and digits only, accents folded: region names
// match however they are typed ("Provence-Alpes-Côte d'Azur",
// "provence alpes cote d azur").
std::string FoldName(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = s[i];
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char next = s[i + 1];
      if (next >= 0x80 && next <= 0xBF) {
        out.push_back(absl::ascii_tolower(kLatin1Fold[next - 0x80]));
        ++i;
        continue;
      }
    }
    if (c == 0xC5 && i + 1 < s.size() && (s[i + 1] == '\x92' || s[i + 1] == '\x93')) {
      out += "oe";  // Œ œ
      ++i;
      continue;
    }
    if (absl::ascii_isalnum(c)) out.push_back(absl::ascii_tolower(c));
  }
  return out;
}

FlagSpec ThemeFilterFlag() {
  return Value("theme", "THEME",
               "only workshops and contributions carrying this theme (employment, "
               "discrimination, image, participation, education, safety, housing, health, "
               "culture, mobility, other)");
}
FlagSpec RegionFlag() {
  return Value("region", "REGION", "an INSEE region code (32) or name (Hauts-de-France)");
}

std::vector<FlagSpec> DashboardFlags() {
  return {ThemeFilterFlag(), RegionFlag(),
          Value("from", "TIME", "workshops starting at or after TIME (RFC 3339)"),
          Value("to", "TIME", "workshops starting before TIME (RFC 3339)")};
}

int RunDashboard(Context& ctx) {
  auto req = BuildDashboardRequest(ctx.args, ctx.now);
  if (!req.ok()) return ctx.Usage(req.status());
  nv1::NationalDashboard d;
  grpc::ClientContext cc;
  ctx.Prepare(&cc);
  grpc::Status status = ctx.national()->GetNationalDashboard(&cc, *req, &d);
  if (!status.ok()) return ctx.Fail(status);
  if (ctx.json) {
    *ctx.out << MessageJson(d) << "\n";
  } else {
    *ctx.out << RenderDashboard(d, *req, ctx.view());
  }
  return kExitOk;
}

// The current dashboard, then one per change, until --count dashboards,
// --timeout (which bounds the whole watch here), Ctrl-C or the server ends.
int RunWatch(Context& ctx) {
  auto req = BuildDashboardRequest(ctx.args, ctx.now);
  if (!req.ok()) return ctx.Usage(req.status());
  int count = 0;
  if (auto v = ctx.args.Get("count")) {
    auto n = ParseInt(*v, "count");
    if (!n.ok()) return ctx.Usage(n.status());
    if (*n < 1) return ctx.Usage("--count must be at least 1");
    count = *n;
  }
  const bool bounded = ctx.args.Has("timeout");
  grpc::ClientContext cc;
  if (bounded) ctx.Prepare(&cc);
  std::unique_ptr<grpc::ClientReader<nv1::NationalDashboard>> reader =
      ctx.national()->WatchNationalDashboard(&cc, *req);
  nv1::NationalDashboard d;
  int received = 0;
  while (reader->Read(&d)) {
    ++received;
    if (ctx.json) {
      *ctx.out << MessageJson(d) << "\n";
    } else {
      ViewOptions view = ctx.view();
      view.now = Clock::Real()->Now();  // ages as of this update
      if (ctx.terminal) {
        *ctx.out << "\x1b[H\x1b[2J";  // redraw in place
      } else if (received > 1) {
        *ctx.out << "\n";
      }
      *ctx.out << "Mise à jour n° " << received << " reçue à "
               << LocalTimeSeconds(ToProto(view.now), view.tz)
               << (count == 0 ? " (Ctrl-C pour arrêter)" : "") << "\n\n"
               << RenderDashboard(d, *req, view);
    }
    ctx.out->flush();
    if (count > 0 && received >= count) {
      cc.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (count > 0 && received >= count) return kExitOk;
  if (bounded && received > 0 && status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return kExitOk;
  }
  if (!status.ok()) return ctx.Fail(status);
  *ctx.err << "qpvctl: the server ended the watch\n";
  return kExitOk;
}

Columns<nv1::PrefectureStatus> StatusColumns(const ViewOptions& view) {
  return {
      {"PRÉF.", [](const nv1::PrefectureStatus& s) { return s.prefecture(); }},
      {"NOM", [](const nv1::PrefectureStatus& s) { return s.prefecture_name(); }},
      {"RÉGION", [](const nv1::PrefectureStatus& s) { return RegionText(s.region()); }},
      // Version 0: national never heard from this préfecture.
      {"VERSION",
       [](const nv1::PrefectureStatus& s) {
         return s.version() == 0 ? std::string("-") : absl::StrCat(s.version());
       }},
      {"REÇU",
       [view](const nv1::PrefectureStatus& s) {
         return s.version() == 0 ? std::string("jamais")
                                 : TimeWithAge(s.receive_time(), view.tz, view.now);
       }},
      {"ATELIERS",
       [](const nv1::PrefectureStatus& s) { return absl::StrCat(s.workshop_count()); }},
      {"TENUS", [](const nv1::PrefectureStatus& s) { return absl::StrCat(s.workshops_held()); }},
      {"VALIDÉS",
       [](const nv1::PrefectureStatus& s) { return absl::StrCat(s.workshops_reported()); }},
      {"À RELANCER",
       [](const nv1::PrefectureStatus& s) {
         return s.missing_reports() > 0 ? absl::StrCat(s.missing_reports(), " \u26A0")
                                        : std::string("0");
       }},
  };
}

const Columns<nv1::GoodPracticeGroup>& GoodPracticeColumns() {
  static const auto* cols = new Columns<nv1::GoodPracticeGroup>{
      {"PRÉF.", [](const nv1::GoodPracticeGroup& g) { return absl::StrCat(g.prefecture_count()); }},
      {"OÙ", [](const nv1::GoodPracticeGroup& g) { return absl::StrJoin(g.prefectures(), ", "); }},
      {"VOTES", [](const nv1::GoodPracticeGroup& g) { return absl::StrCat(g.vote_count()); }},
      {"ACTIONS", [](const nv1::GoodPracticeGroup& g) { return absl::StrCat(g.sources_size()); }},
      {"TITRE", [](const nv1::GoodPracticeGroup& g) { return g.title(); }},
      {"THÈMES", [](const nv1::GoodPracticeGroup& g) { return ThemeLabels(g.themes()); }},
  };
  return *cols;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  std::ostringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return absl::InvalidArgumentError(absl::StrCat("--file: cannot read ", path));
  buf << f.rdbuf();
  return buf.str();
}

}  // namespace

absl::StatusOr<std::string> RegionCode(absl::string_view text) {
  const std::string t(absl::StripAsciiWhitespace(text));
  if (qpv::territory::FindRegion(t) != nullptr) return t;
  const std::string folded = FoldName(t);
  if (!folded.empty()) {
    for (const auto& r : qpv::territory::Regions()) {
      if (FoldName(r.name) == folded) return std::string(r.code);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--region: unknown region \"", text,
      "\" (an INSEE code such as 32 or 84, or a name such as Hauts-de-France)"));
}

absl::StatusOr<nv1::GetNationalDashboardRequest> BuildDashboardRequest(const Args& args,
                                                                       absl::Time now) {
  nv1::GetNationalDashboardRequest req;
  if (auto v = args.Get("theme")) {
    QPV_ASSIGN_OR_RETURN(int t, ParseEnum(Theme_descriptor(), *v, "theme"));
    req.set_theme(static_cast<qpv::common::v1::Theme>(t));
  }
  if (auto v = args.Get("region")) {
    QPV_ASSIGN_OR_RETURN(*req.mutable_region(), RegionCode(*v));
  }
  if (auto v = args.Get("from")) {
    QPV_ASSIGN_OR_RETURN(*req.mutable_start_time(), ParseTimestamp(*v, now, "from"));
  }
  if (auto v = args.Get("to")) {
    QPV_ASSIGN_OR_RETURN(*req.mutable_end_time(), ParseTimestamp(*v, now, "to"));
  }
  if (req.has_start_time() && req.has_end_time() &&
      FromProto(req.end_time()) <= FromProto(req.start_time())) {
    return absl::InvalidArgumentError("--to must be after --from");
  }
  return req;
}

absl::StatusOr<nv1::ListPrefectureStatusRequest> BuildPrefectureStatusRequest(const Args& args) {
  nv1::ListPrefectureStatusRequest req;
  if (auto v = args.Get("region")) {
    QPV_ASSIGN_OR_RETURN(*req.mutable_region(), RegionCode(*v));
  }
  return req;
}

absl::StatusOr<nv1::ListGoodPracticesRequest> BuildGoodPracticesRequest(const Args& args) {
  nv1::ListGoodPracticesRequest req;
  if (auto v = args.Get("theme")) {
    QPV_ASSIGN_OR_RETURN(int t, ParseEnum(Theme_descriptor(), *v, "theme"));
    req.set_theme(static_cast<qpv::common::v1::Theme>(t));
  }
  if (auto v = args.Get("min-prefectures")) {
    QPV_ASSIGN_OR_RETURN(int n, ParseInt(*v, "min-prefectures"));
    if (n < 1) return absl::InvalidArgumentError("--min-prefectures must be at least 1");
    req.set_min_prefecture_count(n);
  }
  return req;
}

absl::StatusOr<nv1::SubmitPrefectureSnapshotRequest> BuildSubmitRequest(absl::string_view json) {
  nv1::SubmitPrefectureSnapshotRequest req;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), req.mutable_snapshot(), options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--file is not the proto JSON of a PrefectureSnapshot: ",
                     std::string(status.message())));
  }
  return req;
}

std::vector<Command> NationalCommands() {
  std::vector<Command> cmds;
  cmds.push_back(Command{
      "national", "dashboard", "[--theme THEME] [--region REGION] [--from TIME] [--to TIME]",
      "national figures: totals, by theme, region and actor category, préfectures",
      DashboardFlags(), 0, 0, RunDashboard});
  {
    auto flags = DashboardFlags();
    flags.push_back(Value("count", "N", "stop after N dashboards (default: until Ctrl-C)"));
    cmds.push_back(Command{
        "national", "watch",
        "[--theme THEME] [--region REGION] [--from TIME] [--to TIME] [--count N]",
        "the dashboard, redrawn after each accepted snapshot (--timeout bounds the whole watch)",
        flags, 0, 0, RunWatch});
  }
  {
    auto flags = PageFlags();
    flags.insert(flags.begin(), RegionFlag());
    cmds.push_back(Command{
        "national", "status", "[--region REGION] [--page-size N] [--all]",
        "which préfectures reported, how fresh, and the workshop reports to chase", flags, 0, 0,
        [](Context& ctx) {
          auto req = BuildPrefectureStatusRequest(ctx.args);
          if (!req.ok()) return ctx.Usage(req.status());
          const Columns<nv1::PrefectureStatus> columns = StatusColumns(ctx.view());
          return RunListRendered<nv1::PrefectureStatus, nv1::ListPrefectureStatusRequest,
                                 nv1::ListPrefectureStatusResponse>(
              ctx, *req,
              [&](grpc::ClientContext* c, const nv1::ListPrefectureStatusRequest& rq,
                  nv1::ListPrefectureStatusResponse* r) {
                return ctx.national()->ListPrefectureStatus(c, rq, r);
              },
              [](const nv1::ListPrefectureStatusResponse& r) -> const auto& {
                return r.statuses();
              },
              [&](const google::protobuf::RepeatedPtrField<nv1::PrefectureStatus>& items) {
                return RenderColumns(items, columns, {3, 5, 6, 7, 8});
              },
              "préfecture status");
        }});
  }
  {
    auto flags = PageFlags();
    flags.insert(flags.begin(),
                 {Value("theme", "THEME", "only groups with an action carrying this theme"),
                  Value("min-prefectures", "N", "only groups that emerged in N préfectures or more"),
                  Switch("long", "one block per group, with its text and the contributions grouped")});
    cmds.push_back(Command{
        "national", "good-practices",
        "[--theme THEME] [--min-prefectures N] [--long] [--page-size N] [--all]",
        "reproducible actions with similar texts, grouped across préfectures, most widespread "
        "first",
        flags, 0, 0, [](Context& ctx) {
          auto req = BuildGoodPracticesRequest(ctx.args);
          if (!req.ok()) return ctx.Usage(req.status());
          const bool long_form = ctx.args.GetBool("long");
          return RunListRendered<nv1::GoodPracticeGroup, nv1::ListGoodPracticesRequest,
                                 nv1::ListGoodPracticesResponse>(
              ctx, *req,
              [&](grpc::ClientContext* c, const nv1::ListGoodPracticesRequest& rq,
                  nv1::ListGoodPracticesResponse* r) {
                return ctx.national()->ListGoodPractices(c, rq, r);
              },
              [](const nv1::ListGoodPracticesResponse& r) -> const auto& { return r.groups(); },
              [&](const google::protobuf::RepeatedPtrField<nv1::GoodPracticeGroup>& items) {
                return long_form ? RenderGoodPracticeBlocks(items)
                                 : RenderColumns(items, GoodPracticeColumns(), {0, 2, 3});
              },
              "good practices");
        }});
  }
  cmds.push_back(Command{
      "national", "submit", "--file SNAPSHOT.json",
      "submit a PrefectureSnapshot (proto JSON; '-' reads stdin), as reporting's feed does",
      {Value("file", "FILE", "the snapshot, proto JSON; '-' for stdin")}, 0, 0,
      [](Context& ctx) {
        auto path = ctx.args.Get("file");
        if (!path) return ctx.Usage("--file is required");
        auto text = ReadInput(*path);
        if (!text.ok()) return ctx.Usage(text.status());
        auto req = BuildSubmitRequest(*text);
        if (!req.ok()) return ctx.Usage(req.status());
        nv1::SubmitPrefectureSnapshotResponse resp;
        grpc::ClientContext cc;
        ctx.Prepare(&cc);
        grpc::Status status = ctx.national()->SubmitPrefectureSnapshot(&cc, *req, &resp);
        if (!status.ok()) return ctx.Fail(status);
        if (ctx.json) {
          *ctx.out << MessageJson(resp) << "\n";
        } else if (resp.applied()) {
          *ctx.out << "applied: préfecture " << resp.prefecture() << " is now at version "
                   << resp.current_version() << "\n";
        } else {
          *ctx.out << "ignored: préfecture " << resp.prefecture() << " is already at version "
                   << resp.current_version() << " (version " << req->snapshot().version()
                   << " is not newer)\n";
        }
        return kExitOk;
      }});
  return cmds;
}

}  // namespace qpv::ctl
