// qpv-bench: the load generator (see --help). Wiring only: options, the
// scenario's setup, the measured run, the optional Redis probe, output.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/fixtures.h"
#include "bench/health_wait.h"
#include "bench/load_engine.h"
#include "bench/load_generator_options.h"
#include "bench/load_generator_results.h"
#include "bench/proc_cpu.h"
#include "bench/redis_stats.h"
#include "bench/scenario_registry.h"

namespace {

using qpv::bench::GeneratorOptions;

int Fail(const std::string& message, int code = 1) {
  std::cerr << "qpv-bench: " << message << "\n";
  return code;
}

std::string AddressOf(const GeneratorOptions& o, const std::string& service) {
  if (service == "echo") return o.addresses.echo;
  if (service == "stakeholder") return o.addresses.stakeholder;
  if (service == "workshop") return o.addresses.workshop;
  if (service == "reporting") return o.addresses.reporting;
  return o.addresses.national;
}

// True when every channel connected within `timeout`.
bool Connect(const std::vector<std::shared_ptr<grpc::Channel>>& channels, absl::Duration timeout) {
  const auto deadline = absl::ToChronoTime(absl::Now() + timeout);
  for (const auto& ch : channels) {
    if (!ch->WaitForConnected(deadline)) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // As in the servers (server::Init): Debian's Abseil otherwise keeps a
  // global lock-order graph on every lock, gRPC's own, for deadlock reports.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto parsed = qpv::bench::ParseOptions(argc, argv);
  if (!parsed.ok()) return Fail(std::string(parsed.status().message()), 2);
  GeneratorOptions o = *std::move(parsed);
  if (o.help) {
    std::cout << qpv::bench::UsageText();
    return 0;
  }
  if (!o.wait_serving.empty()) {
    absl::Status s = qpv::bench::WaitServing(o.wait_serving, o.wait_timeout);
    return s.ok() ? 0 : Fail(std::string(s.message()));
  }
  if (o.list) {
    for (const auto& s : qpv::bench::AllScenarios())
      std::cout << s.name << "\t" << s.service << "\n";
    return 0;
  }
  // Unique to this run: request_ids and names never collide with an earlier
  // run on the same Redis.
  o.scenario_options.nonce = absl::StrCat(absl::Hex(absl::ToUnixMicros(absl::Now())), getpid());
  auto made = qpv::bench::MakeScenario(o.scenario, o.scenario_options);
  if (!made.ok()) return Fail(std::string(made.status().message()), 2);
  qpv::bench::Scenario& scenario = *made->scenario;

  qpv::bench::RunReport report;
  report.service = made->service;
  if (const auto* info = qpv::bench::FindScenario(o.scenario))
    report.description = info->description;
  report.target = o.target.empty() ? AddressOf(o, made->service) : o.target;
  auto channels = qpv::bench::MakeChannels(report.target, o.channels);
  std::vector<std::shared_ptr<grpc::Channel>> aux;
  if (!scenario.AuxService().empty()) {
    aux = qpv::bench::MakeChannels(AddressOf(o, scenario.AuxService()), o.channels);
  }
  if (!Connect(channels, absl::Seconds(10)) || !Connect(aux, absl::Seconds(10))) {
    return Fail(absl::StrCat("cannot connect to ", report.target, " (", made->service, ")"));
  }

  std::unique_ptr<qpv::bench::CommandStats> stats;
  if (!o.redis_url.empty()) {
    auto s = qpv::bench::CommandStats::Connect(o.redis_url);
    if (!s.ok()) return Fail(std::string(s.status().message()));
    stats = *std::move(s);
  }

  qpv::bench::Fixtures fixtures(o.addresses, o.scenario_options.nonce, o.prefecture);
  const absl::Time setup_start = absl::Now();
  const double run_seconds = absl::ToDoubleSeconds(o.engine.warmup + o.engine.duration);
  const int64_t calls_hint =
      static_cast<int64_t>(o.expected_qps * run_seconds) + o.redis_probe + o.engine.concurrency;
  if (absl::Status s = scenario.Setup(fixtures, o.engine.concurrency, calls_hint); !s.ok()) {
    scenario.Stop();
    return Fail(absl::StrCat("setup of ", o.scenario, " failed: ", s.ToString()));
  }
  report.setup_seconds = absl::ToDoubleSeconds(absl::Now() - setup_start);

  absl::StatusOr<qpv::bench::CommandCounts> before, after;
  std::map<std::string, int> cpu_pids = o.cpu_pids;
  cpu_pids["client"] = getpid();
  std::map<std::string, double> cpu_before, cpu_after;
  const auto read_cpu = [&](std::map<std::string, double>* out) {
    for (const auto& [name, pid] : cpu_pids) {
      if (auto s = qpv::bench::ReadProcCpuSeconds(pid); s.ok()) (*out)[name] = *s;
    }
  };
  report.result = qpv::bench::RunLoad(
      scenario, channels, aux, o.engine,
      [&] {
        if (stats) before = stats->Read();
        read_cpu(&cpu_before);
      },
      [&] {
        read_cpu(&cpu_after);
        if (stats) after = stats->Read();
      });
  report.cpu_us_per_call =
      qpv::bench::CpuPerCall(cpu_before, cpu_after, report.result.calls);
  if (stats) {
    if (!before.ok() || !after.ok()) return Fail("INFO commandstats failed");
    report.redis_window = qpv::bench::Delta(*after, *before);
  }

  // Before the probe, whose own window would reset the scenario's figures.
  report.extra_json = scenario.ExtraJson();
  if (o.redis_probe > 0) {
    // Sequential calls, so what MONITOR sees is theirs alone (plus the
    // services' background work, small over a probe).
    qpv::bench::EngineOptions probe = o.engine;
    probe.concurrency = 1;
    probe.threads = 1;
    probe.warmup = absl::ZeroDuration();
    probe.duration = absl::Seconds(60);
    probe.max_calls = o.redis_probe;
    auto monitor = qpv::bench::MonitorCounter::Start(o.redis_url, stats.get());
    if (!monitor.ok()) return Fail(std::string(monitor.status().message()));
    auto probed = qpv::bench::RunLoad(scenario, channels, aux, probe);
    auto counts = (*monitor)->Stop();
    if (!counts.ok()) return Fail(absl::StrCat("MONITOR probe: ", counts.status().message()));
    report.redis_probe = *counts;
    report.probe_calls = probed.calls;
    report.probe_prep_calls = probed.prep_calls;
  }
  scenario.Stop();

  const std::string json = qpv::bench::ResultJson(o, report);
  std::cerr << qpv::bench::ResultText(o, report);
  std::cout << json << std::endl;
  if (!o.json_out.empty()) {
    std::ofstream out(o.json_out, std::ios::app);
    out << json << "\n";
    if (!out) return Fail(absl::StrCat("cannot write ", o.json_out));
  }
  if (o.fail_on_errors && report.result.error_count() > 0) return 3;
  return 0;
}
