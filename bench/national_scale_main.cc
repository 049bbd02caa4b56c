// qpv-bench-national-scale: the national service at national scale (see
// --help). Generates the national dataset (national_dataset.h), submits
// every préfecture's snapshot to qpv-national, then measures the dashboard
// and the good practices at that size and the service's memory; or, with
// --soak, keeps the service busy at that size (resubmissions, dashboards,
// good practices, watchers) for run.sh's soak. One JSON line on stdout (and
// --json-out), text for people on stderr.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "bench/json.h"
#include "bench/national_scale.h"
#include "bench/proc_memory.h"
#include "bench/proto/echo.pb.h"
#include "bench/stream_watchers.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace qpv::bench {
namespace {

namespace nv1 = ::qpv::national::v1;

constexpr char kUsage[] = R"(Usage: qpv-bench-national-scale --national-addr HOST:PORT [options]

Generates the national dataset (deterministic from --seed: 101 préfectures,
--workshops workshops and --contributions contributions in all, weighted by
each département's QPV count, ~10% reproducible actions with French texts),
submits every préfecture's snapshot to qpv-national --submit-concurrency at a
time, then measures GetNationalDashboard (6 queries at concurrency 1, the
unfiltered one and a mix of all at --concurrency, each beside a plain echo
when --echo-addr is given) and ListGoodPractices (first call after the
ingest, i.e. the grouping; the cached first page; every page of 1000), and
reads the service's VmRSS/VmHWM between the steps (--national-pid).

Options:
  --national-addr A       qpv-national (required unless --plan)
  --national-pid N        its process id, for its memory [none]
  --echo-addr A           qpv-bench-echo, the baseline of each dashboard run [none]
  --seed N                dataset seed [2018]
  --workshops N           workshops in all [10452]
  --contributions N       contributions in all [1930000]
  --reproducible-share X  share of contributions flagged reproducible [0.10]
  --version N             snapshot version [now, in microseconds]
  --submit-concurrency N  snapshots in flight during the ingest [4]
  --duration D            measured seconds of each dashboard run [3]
  --warmup D              warm-up seconds of each run [0.5]
  --concurrency N         calls outstanding in the loaded runs [64]
  --channels N            connections of the loaded runs [4]
  --ingest-only           submit the dataset, print the ingest figures, exit
  --soak S                after the ingest, for S seconds: one préfecture
                          resubmitted (new version, new details) every
                          --resubmit-interval, ListGoodPractices every
                          --grouping-interval, dashboards at concurrency 2,
                          --watchers watchers
  --no-ingest             (with --soak) the dataset is already loaded
  --resubmit-interval D   [2]
  --grouping-interval D   [15]
  --watchers N            [5]
  --plan                  print the per-préfecture plan and the dataset's
                          size, submit nothing
  --json-out FILE         also append the JSON line to FILE
)";

struct Options {
  std::string national_addr, echo_addr, json_out;
  int national_pid = 0;
  DatasetOptions dataset;
  int64_t version = 0;
  int submit_concurrency = 4;
  absl::Duration duration = absl::Seconds(3);
  absl::Duration warmup = absl::Milliseconds(500);
  int concurrency = 64;
  int channels = 4;
  bool ingest_only = false, plan = false, no_ingest = false;
  absl::Duration soak = absl::ZeroDuration();
  absl::Duration resubmit_interval = absl::Seconds(2);
  absl::Duration grouping_interval = absl::Seconds(15);
  int watchers = 5;
};

int Fail(const std::string& message, int code = 1) {
  std::cerr << "qpv-bench-national-scale: " << message << "\n";
  return code;
}

bool ParseDuration(const std::string& v, absl::Duration* d) {
  double s = 0;
  if (absl::SimpleAtod(v, &s) && s >= 0) {
    *d = absl::Seconds(s);
    return true;
  }
  return absl::ParseDuration(v, d) && *d >= absl::ZeroDuration();
}

absl::StatusOr<Options> Parse(int argc, char** argv) {
  Options o;
  o.version = absl::ToUnixMicros(absl::Now());
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      exit(0);
    }
    if (flag == "--ingest-only") { o.ingest_only = true; continue; }
    if (flag == "--plan") { o.plan = true; continue; }
    if (flag == "--no-ingest") { o.no_ingest = true; continue; }
    if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value"));
    const std::string v = argv[++i];
    bool ok = true;
    int64_t n = 0;
    const auto positive = [&](auto* target) {
      ok = absl::SimpleAtoi(v, &n) && n > 0;
      if (ok) *target = static_cast<std::remove_pointer_t<decltype(target)>>(n);
    };
    if (flag == "--national-addr") o.national_addr = v;
    else if (flag == "--echo-addr") o.echo_addr = v;
    else if (flag == "--json-out") o.json_out = v;
    else if (flag == "--national-pid") positive(&o.national_pid);
    else if (flag == "--seed") ok = absl::SimpleAtoi(v, &o.dataset.seed);
    else if (flag == "--workshops") positive(&o.dataset.workshops);
    else if (flag == "--contributions") positive(&o.dataset.contributions);
    else if (flag == "--reproducible-share")
      ok = absl::SimpleAtod(v, &o.dataset.reproducible_share) &&
           o.dataset.reproducible_share >= 0 && o.dataset.reproducible_share <= 0.5;
    else if (flag == "--version") positive(&o.version);
    else if (flag == "--submit-concurrency") positive(&o.submit_concurrency);
    else if (flag == "--duration") ok = ParseDuration(v, &o.duration);
    else if (flag == "--warmup") ok = ParseDuration(v, &o.warmup);
    else if (flag == "--concurrency") positive(&o.concurrency);
    else if (flag == "--channels") positive(&o.channels);
    else if (flag == "--soak") ok = ParseDuration(v, &o.soak);
    else if (flag == "--resubmit-interval") ok = ParseDuration(v, &o.resubmit_interval);
    else if (flag == "--grouping-interval") ok = ParseDuration(v, &o.grouping_interval);
    else if (flag == "--watchers") ok = absl::SimpleAtoi(v, &o.watchers) && o.watchers >= 0;
    else return absl::InvalidArgumentError(absl::StrCat("unknown option ", flag, " (see --help)"));
    if (!ok) return absl::InvalidArgumentError(absl::StrCat(flag, ": bad value '", v, "'"));
  }
  if (!o.plan && o.national_addr.empty()) {
    return absl::InvalidArgumentError("--national-addr is required (see --help)");
  }
  return o;
}

std::string Ms(double us) { return absl::StrFormat("%.2f", us / 1000.0); }

std::string RunJson(const LoadRun& r) {
  const EngineResult& e = r.result;
  return absl::StrCat("{\"name\":", JsonString(r.name), ",\"concurrency\":", r.concurrency,
                      ",\"calls\":", e.calls, absl::StrFormat(",\"qps\":%.1f", e.qps()),
                      ",\"errors\":", e.error_count(), ",\"latency_us\":",
                      PercentilesJson(e.latency_us), "}");
}

void PrintRun(const LoadRun& r) {
  const Histogram& h = r.result.latency_us;
  std::cerr << absl::StrFormat("  %-34s c=%-3d %8.0f calls/s  p50 %s  p99 %s  max %s ms  errors %d\n",
                               r.name, r.concurrency, r.result.qps(), Ms(h.Percentile(0.5)),
                               Ms(h.Percentile(0.99)), Ms(h.max()), r.result.error_count());
}

// "after_ingest":{"rss_kb":..,"hwm_kb":..}, or nothing without a pid. Read
// a second after the step: the service gives freed memory back on its next
// poll (malloc_trim, QPV_REFRESH_INTERVAL), not within the call.
std::string MemoryJson(const Options& o, const std::string& point) {
  if (o.national_pid <= 0) return "";
  if (point != "start") absl::SleepFor(absl::Seconds(1));
  auto m = ReadProcMemory(o.national_pid);
  if (!m.ok()) return "";
  std::cerr << absl::StrFormat("  national memory %-22s VmRSS %6.1f MiB  VmHWM %6.1f MiB\n", point,
                               m->rss_kb / 1024.0, m->hwm_kb / 1024.0);
  return absl::StrCat(JsonString(point), ":{\"rss_kb\":", m->rss_kb, ",\"hwm_kb\":", m->hwm_kb, "}");
}

std::string DatasetJson(const Options& o, const DatasetStats& d) {
  return absl::StrCat(
      "{\"seed\":", o.dataset.seed, ",\"prefectures\":101,\"workshops\":", d.workshops,
      ",\"contributions\":", d.contributions, ",\"actions\":", d.actions,
      absl::StrFormat(",\"reproducible_share\":%.3f", o.dataset.reproducible_share),
      ",\"bytes\":", d.bytes, ",\"max_bytes\":", d.max_bytes,
      ",\"max_prefecture\":", JsonString(d.max_prefecture),
      absl::StrFormat(",\"generate_s\":%.2f}", d.seconds));
}

std::string IngestJson(const IngestResult& r) {
  return absl::StrCat(absl::StrFormat("{\"seconds\":%.3f", r.seconds), ",\"applied\":", r.applied,
                      ",\"errors\":", r.errors, ",\"first_error\":", JsonString(r.first_error),
                      ",\"latency_us\":", PercentilesJson(r.latency_us), "}");
}

int PrintPlan(const Options& o) {
  const DatasetPlan plan = MakePlan(o.dataset);
  DatasetStats stats;
  const auto requests = GenerateRequests(plan, o.version, 0, 2, &stats);
  for (size_t i = 0; i < plan.prefectures.size(); ++i) {
    const auto& p = plan.prefectures[i];
    nv1::SubmitPrefectureSnapshotRequest req;
    req.ParseFromString(requests[i]);
    std::cout << absl::StrFormat("%-4s qpv %3d  workshops %4d  contributions %6d  actions %5d  %7.2f MiB\n",
                                 p.code, p.qpv_count, p.workshops, p.contributions,
                                 req.snapshot().reproducible_actions_size(),
                                 requests[i].size() / 1048576.0);
  }
  std::cout << DatasetJson(o, stats) << "\n";
  return 0;
}

std::vector<std::shared_ptr<grpc::Channel>> LargeChannels(const std::string& target, int n) {
  // Each its own connection: distinct arguments keep gRPC from sharing one.
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < n; ++i) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    args.SetInt("qpv.bench.channel", i);
    out.push_back(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
  }
  return out;
}

// The dashboard runs: each query alone at concurrency 1, then the
// unfiltered one and a mix at --concurrency; an echo run before each kind.
std::vector<std::string> MeasureDashboards(const Options& o) {
  std::vector<std::string> runs;
  const std::string method = "/qpv.national.v1.NationalAggregationService/GetNationalDashboard";
  EngineOptions single;
  single.concurrency = 1;
  single.threads = 1;
  single.warmup = o.warmup;
  single.duration = o.duration;
  EngineOptions loaded = single;
  loaded.concurrency = o.concurrency;
  loaded.threads = 2;
  const auto one = MakeChannels(o.national_addr, 1);
  const auto many = MakeChannels(o.national_addr, o.channels);
  std::vector<std::pair<std::string, std::string>> echo;
  if (!o.echo_addr.empty()) {
    v1::EchoRequest req;
    req.set_payload(std::string(100, 'q'));
    echo.push_back({"/qpv.bench.v1.EchoService/Echo", req.SerializeAsString()});
  }
  const auto run = [&](const std::string& name, const std::vector<std::shared_ptr<grpc::Channel>>& ch,
                       const std::vector<std::pair<std::string, std::string>>& calls,
                       const EngineOptions& eo) {
    const LoadRun r = RunCalls(name, ch, calls, eo);
    PrintRun(r);
    runs.push_back(RunJson(r));
  };
  std::vector<std::pair<std::string, std::string>> mix;
  if (!echo.empty()) run("echo", MakeChannels(o.echo_addr, 1), echo, single);
  for (const auto& q : DashboardQueries()) {
    mix.push_back({method, q.request.SerializeAsString()});
    run(q.name, one, {mix.back()}, single);
  }
  if (!echo.empty()) run("echo", MakeChannels(o.echo_addr, o.channels), echo, loaded);
  run("unfiltered", many, {mix.front()}, loaded);
  run("mix", many, mix, loaded);
  return runs;
}

std::string GoodPracticesJson(const GoodPracticesResult& g) {
  return absl::StrCat(
      absl::StrFormat("{\"first_call_ms\":%.1f", g.first_call_ms), ",\"cached_calls\":",
      g.cached.calls, ",\"cached_latency_us\":", PercentilesJson(g.cached.latency_us),
      ",\"cached_errors\":", g.cached.error_count(),
      absl::StrFormat(",\"walk_s\":%.2f", g.walk_seconds), ",\"pages\":", g.pages,
      ",\"groups\":", g.groups, ",\"sources\":", g.sources,
      ",\"multi_prefecture_groups\":", g.multi_prefecture_groups, ",\"singletons\":", g.singletons,
      ",\"largest_sources\":", g.largest_sources, ",\"largest_prefectures\":",
      g.largest_prefectures, ",\"largest_title\":", JsonString(g.largest_title),
      ",\"largest_response_bytes\":", g.largest_response_bytes, "}");
}

// The soak's national load; returns its JSON members.
std::string Soak(const Options& o, const DatasetPlan& plan) {
  const auto channel = LargeMessageChannel(o.national_addr);
  auto stub = nv1::NationalAggregationService::NewStub(channel);
  std::unique_ptr<StreamWatchers> watchers;
  if (o.watchers > 0) {
    watchers = std::make_unique<StreamWatchers>(
        grpc::CreateChannel(o.national_addr, grpc::InsecureChannelCredentials()),
        "/qpv.national.v1.NationalAggregationService/WatchNationalDashboard",
        nv1::GetNationalDashboardRequest().SerializeAsString(), o.watchers);
    if (absl::Status s = watchers->Start(absl::Seconds(30)); !s.ok()) {
      std::cerr << "  watchers did not start: " << s << "\n";
    }
    watchers->BeginWindow();
  }
  std::vector<std::pair<std::string, std::string>> dashboards;
  for (const auto& q : DashboardQueries()) {
    dashboards.push_back({"/qpv.national.v1.NationalAggregationService/GetNationalDashboard",
                          q.request.SerializeAsString()});
  }
  EngineOptions eo;
  eo.concurrency = 2;
  eo.threads = 1;
  eo.warmup = absl::ZeroDuration();
  eo.duration = o.soak;
  LoadRun dash;
  std::thread dash_thread(
      [&] { dash = RunCalls("dashboards", MakeChannels(o.national_addr, 1), dashboards, eo); });
  Histogram submit_us, grouping_us;
  int64_t submits = 0, submit_errors = 0, grouping_errors = 0;
  std::string first_error;
  const absl::Time end = absl::Now() + o.soak;
  absl::Time next_grouping = absl::Now() + o.grouping_interval;
  for (int64_t round = 1; absl::Now() < end; ++round) {
    const absl::Time tick = absl::Now();
    const int index = static_cast<int>((round - 1) % plan.prefectures.size());
    nv1::SubmitPrefectureSnapshotRequest req;
    *req.mutable_snapshot() = BuildSnapshot(plan, index, o.version + round, round);
    nv1::SubmitPrefectureSnapshotResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    const absl::Time sent = absl::Now();
    const grpc::Status s = stub->SubmitPrefectureSnapshot(&ctx, req, &resp);
    submit_us.Record(absl::ToInt64Microseconds(absl::Now() - sent));
    ++submits;
    if (!s.ok() && submit_errors++ == 0) first_error = s.error_message();
    if (absl::Now() >= next_grouping) {
      nv1::ListGoodPracticesRequest g;
      g.set_page_size(50);
      nv1::ListGoodPracticesResponse gr;
      absl::Duration took;
      if (!ListGoodPracticesPage(*stub, g, absl::Seconds(60), &gr, &took).ok()) ++grouping_errors;
      grouping_us.Record(absl::ToInt64Microseconds(took));
      next_grouping = absl::Now() + o.grouping_interval;
    }
    absl::SleepFor(std::max(absl::ZeroDuration(),
                            std::min(end - absl::Now(), tick + o.resubmit_interval - absl::Now())));
  }
  dash_thread.join();
  int64_t updates = 0, watch_failures = 0;
  if (watchers) {
    watchers->EndWindow();
    updates = watchers->updates();
    watch_failures = watchers->failures();
    watchers->Stop();
  }
  PrintRun(dash);
  std::cerr << absl::StrFormat(
      "  soak: %d resubmissions (p99 %s ms, %d errors), %d ListGoodPractices calls (max %s ms), %d watch "
      "updates, %d watch failures\n",
      submits, Ms(submit_us.Percentile(0.99)), submit_errors, grouping_us.count(),
      Ms(grouping_us.max()), updates, watch_failures);
  return absl::StrCat(
      "\"soak\":{\"seconds\":", absl::ToDoubleSeconds(o.soak), ",\"resubmissions\":", submits,
      ",\"resubmit_errors\":", submit_errors, ",\"first_error\":", JsonString(first_error),
      ",\"resubmit_latency_us\":", PercentilesJson(submit_us), ",\"groupings\":",
      grouping_us.count(), ",\"grouping_errors\":", grouping_errors,
      ",\"grouping_latency_us\":", PercentilesJson(grouping_us), ",\"dashboards\":", RunJson(dash),
      ",\"watchers\":", o.watchers, ",\"watch_updates\":", updates,
      ",\"watch_failures\":", watch_failures, "}");
}

int Main(int argc, char** argv) {
  // As in the servers (server::Init): Debian's Abseil otherwise keeps a
  // global lock-order graph on every lock, gRPC's own, for deadlock reports.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto parsed = Parse(argc, argv);
  if (!parsed.ok()) return Fail(std::string(parsed.status().message()), 2);
  const Options o = *parsed;
  if (o.plan) return PrintPlan(o);

  const DatasetPlan plan = MakePlan(o.dataset);
  std::vector<std::string> members = {"\"kind\":\"national_scale\""};
  const auto add = [&](const std::string& m) {
    if (!m.empty()) members.push_back(m);
  };
  std::vector<std::string> memory;
  const auto sample = [&](const std::string& point) {
    const std::string m = MemoryJson(o, point);
    if (!m.empty()) memory.push_back(m);
  };
  const auto channel = LargeMessageChannel(o.national_addr);
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
    return Fail(absl::StrCat("cannot connect to ", o.national_addr));
  }
  sample("start");
  bool failed = false;
  if (!o.no_ingest) {
    DatasetStats stats;
    std::cerr << "qpv-bench-national-scale: generating the dataset (seed " << o.dataset.seed
              << ")\n";
    std::vector<std::string> requests = GenerateRequests(plan, o.version, 0, 2, &stats);
    std::cerr << absl::StrFormat(
        "  %d préfectures, %d workshops, %d contributions, %d reproducible actions; snapshots "
        "%.1f MiB in all, the largest %.2f MiB (%s); generated in %.1f s\n",
        requests.size(), stats.workshops, stats.contributions, stats.actions,
        stats.bytes / 1048576.0, stats.max_bytes / 1048576.0, stats.max_prefecture, stats.seconds);
    add(absl::StrCat("\"dataset\":", DatasetJson(o, stats)));
    const IngestResult ingest = Ingest(channel, requests, o.submit_concurrency);
    requests.clear();
    requests.shrink_to_fit();
    std::cerr << absl::StrFormat(
        "  ingest: %.2f s for %d snapshots (%d in flight), per snapshot p50 %s p99 %s max %s ms, "
        "%d errors%s\n",
        ingest.seconds, ingest.latency_us.count(), o.submit_concurrency,
        Ms(ingest.latency_us.Percentile(0.5)), Ms(ingest.latency_us.Percentile(0.99)),
        Ms(ingest.latency_us.max()), ingest.errors,
        ingest.errors ? absl::StrCat(" (first: ", ingest.first_error, ")") : "");
    add(absl::StrCat("\"ingest\":", IngestJson(ingest)));
    add(absl::StrCat("\"submit_concurrency\":", o.submit_concurrency));
    failed = ingest.errors > 0;
    sample("after_ingest");
  }
  if (o.soak > absl::ZeroDuration()) {
    add(Soak(o, plan));
    sample("after_soak");
  } else if (!o.ingest_only) {
    std::cerr << "  GetNationalDashboard at this size:\n";
    add(absl::StrCat("\"dashboards\":[", absl::StrJoin(MeasureDashboards(o), ","), "]"));
    sample("after_dashboards");
    EngineOptions cached;
    cached.concurrency = 1;
    cached.threads = 1;
    cached.warmup = o.warmup;
    cached.duration = o.duration;
    auto gp = MeasureGoodPractices(channel, LargeChannels(o.national_addr, 1), cached);
    if (!gp.ok()) {
      failed = true;
      add(absl::StrCat("\"good_practices_error\":", JsonString(gp.status().ToString())));
      std::cerr << "  ListGoodPractices failed: " << gp.status() << "\n";
    } else {
      std::cerr << absl::StrFormat(
          "  ListGoodPractices: first call %.0f ms (the grouping), cached p50 %s p99 %s ms; "
          "%d groups (%d in several préfectures, %d singletons), the largest %d actions in %d "
          "préfectures (\"%s\"); every page of 1000 in %.2f s\n",
          gp->first_call_ms, Ms(gp->cached.latency_us.Percentile(0.5)),
          Ms(gp->cached.latency_us.Percentile(0.99)), gp->groups, gp->multi_prefecture_groups,
          gp->singletons, gp->largest_sources, gp->largest_prefectures, gp->largest_title,
          gp->walk_seconds);
      add(absl::StrCat("\"good_practices\":", GoodPracticesJson(*gp)));
    }
    sample("after_good_practices");
  }
  add(absl::StrCat("\"memory\":{", absl::StrJoin(memory, ","), "}"));
  const std::string json = absl::StrCat("{", absl::StrJoin(members, ","), "}");
  std::cout << json << std::endl;
  if (!o.json_out.empty()) {
    std::ofstream out(o.json_out, std::ios::app);
    out << json << "\n";
    if (!out) return Fail(absl::StrCat("cannot write ", o.json_out));
  }
  return failed ? 3 : 0;
}

}  // namespace
}  // namespace qpv::bench

int main(int argc, char** argv) { return qpv::bench::Main(argc, argv); }
