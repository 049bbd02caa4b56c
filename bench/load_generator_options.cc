#include "bench/load_generator_options.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/scenario_registry.h"
#include "common/status/status.h"

namespace qpv::bench {
namespace {

// "10", "10s", "1.5s", "300ms": plain numbers are seconds.
absl::StatusOr<absl::Duration> ParseSeconds(const std::string& flag, const std::string& v) {
  double seconds = 0;
  absl::Duration d;
  if (absl::SimpleAtod(v, &seconds)) {
    d = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(v, &d)) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": '", v, "' is not a duration (10, 10s, 1.5s, 300ms)"));
  }
  if (d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " must not be negative"));
  }
  return d;
}

absl::StatusOr<int64_t> ParseInt(const std::string& flag, const std::string& v, int64_t min,
                                 int64_t max) {
  int64_t n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < min || n > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": '", v, "' must be an integer from ", min, " to ", max));
  }
  return n;
}

}  // namespace

std::string UsageText() {
  std::string scenarios;
  for (const auto& s : AllScenarios()) {
    absl::StrAppend(&scenarios, "  ", s.name, " (", s.service, "): ", s.description, "\n");
  }
  return absl::StrCat(
      "Usage: qpv-bench --scenario NAME[=WEIGHT][,NAME=WEIGHT...] [options]\n"
      "\n"
      "Closed-loop gRPC load generator: keeps --concurrency calls outstanding over --channels\n"
      "connections, measures after --warmup for --duration, prints one JSON line of results\n"
      "on stdout (human text on stderr). Each scenario first creates the data it needs through\n"
      "the services' APIs. Several names with weights make a request mix of one service.\n"
      "\n"
      "Scenarios:\n",
      scenarios,
      "\n"
      "Options:\n"
      "  --scenario SPEC        scenario name, or a mix such as "
      "GetWorkshop=4,CreateContribution=1\n"
      "  --list                 print the scenario names and exit\n"
      "  --concurrency N        calls outstanding at all times [64]\n"
      "  --channels N           gRPC channels, each its own connection [4]\n"
      "  --threads N            CompletionQueue polling threads [2]\n"
      "  --duration D           measured window: 10, 10s, 1.5s, 300ms [10s]\n"
      "  --warmup D             calls before the window are not counted [2s]\n"
      "  --deadline D           deadline of each call [10s]\n"
      "  --max-calls N          end the window after N measured calls [0: no limit]\n"
      "  --target HOST:PORT     address of the measured service (default: its --*-addr)\n"
      "  --echo-addr, --stakeholder-addr, --workshop-addr, --reporting-addr, --national-addr\n"
      "                         the services [127.0.0.1:50090, 50051, 50052, 50053, 50054]\n"
      "  --payload-bytes N      echo payload size [100]\n"
      "  --pool N               persons (RegisterParticipant) or (person, contribution) pairs\n"
      "                         (VoteContribution) created at setup [expected-qps x run length]\n"
      "  --expected-qps N       sizes --pool when it is not given [6000]\n"
      "  --watchers N           WatchNationalDashboard streams [100]\n"
      "  --setup-threads N      parallel setup calls [8]\n"
      "  --redis-url URL        the Redis the service uses (unix:///path or redis://host:port):\n"
      "                         INFO commandstats before/after the window, per call\n"
      "  --redis-probe N        after the run, N sequential calls under Redis MONITOR to count\n"
      "                         the commands the services send (round trips) per call [0: off]\n"
      "  --cpu-pid NAME=PID     also report the CPU time process PID used per measured call,\n"
      "                         as NAME (repeatable; the load generator's own is always\n"
      "                         reported, as client)\n"
      "  --prefecture CODE      the préfecture the scenarios create their data in [59]\n"
      "  --label TEXT           free text copied into the JSON line\n"
      "  --json-out FILE        also append the JSON line to FILE\n"
      "  --fail-on-errors       exit 3 if any measured call failed\n"
      "  --help                 this text\n"
      "\n"
      "Other mode:\n"
      "  qpv-bench --wait-serving HOST:PORT[,...] [--wait-timeout D]\n"
      "                         wait until each answers SERVING on grpc.health.v1 (exit 0), or\n"
      "                         exit 1 naming the first that did not within --wait-timeout "
      "[30s]\n");
}

absl::StatusOr<GeneratorOptions> ParseOptions(int argc, char** argv) {
  GeneratorOptions o;
  for (int i = 1; i < argc; ++i) {
    // "--name value" or "--name=value".
    std::string arg = argv[i];
    std::optional<std::string> inline_value;
    if (const size_t eq = arg.find('='); absl::StartsWith(arg, "--") && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    auto text = [&]() -> absl::StatusOr<std::string> {
      if (inline_value) return *inline_value;
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(arg, " needs a value"));
      return std::string(argv[++i]);
    };
    auto integer = [&](int64_t min, int64_t max) -> absl::StatusOr<int64_t> {
      QPV_ASSIGN_OR_RETURN(std::string v, text());
      return ParseInt(arg, v, min, max);
    };
    auto duration = [&]() -> absl::StatusOr<absl::Duration> {
      QPV_ASSIGN_OR_RETURN(std::string v, text());
      return ParseSeconds(arg, v);
    };
    const bool is_switch =
        arg == "--help" || arg == "-h" || arg == "--list" || arg == "--fail-on-errors";
    if (is_switch && inline_value) {
      return absl::InvalidArgumentError(absl::StrCat(arg, " takes no value"));
    }
    if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else if (arg == "--list") {
      o.list = true;
    } else if (arg == "--fail-on-errors") {
      o.fail_on_errors = true;
    } else if (arg == "--scenario") {
      QPV_ASSIGN_OR_RETURN(o.scenario, text());
    } else if (arg == "--target") {
      QPV_ASSIGN_OR_RETURN(o.target, text());
    } else if (arg == "--echo-addr") {
      QPV_ASSIGN_OR_RETURN(o.addresses.echo, text());
    } else if (arg == "--stakeholder-addr") {
      QPV_ASSIGN_OR_RETURN(o.addresses.stakeholder, text());
    } else if (arg == "--workshop-addr") {
      QPV_ASSIGN_OR_RETURN(o.addresses.workshop, text());
    } else if (arg == "--reporting-addr") {
      QPV_ASSIGN_OR_RETURN(o.addresses.reporting, text());
    } else if (arg == "--national-addr") {
      QPV_ASSIGN_OR_RETURN(o.addresses.national, text());
    } else if (arg == "--concurrency") {
      QPV_ASSIGN_OR_RETURN(o.engine.concurrency, integer(1, 100000));
    } else if (arg == "--channels") {
      QPV_ASSIGN_OR_RETURN(o.channels, integer(1, 1024));
    } else if (arg == "--threads") {
      QPV_ASSIGN_OR_RETURN(o.engine.threads, integer(1, 64));
    } else if (arg == "--duration") {
      QPV_ASSIGN_OR_RETURN(o.engine.duration, duration());
    } else if (arg == "--warmup") {
      QPV_ASSIGN_OR_RETURN(o.engine.warmup, duration());
    } else if (arg == "--deadline") {
      QPV_ASSIGN_OR_RETURN(o.engine.call_deadline, duration());
    } else if (arg == "--max-calls") {
      QPV_ASSIGN_OR_RETURN(o.engine.max_calls, integer(0, INT64_MAX));
    } else if (arg == "--payload-bytes") {
      QPV_ASSIGN_OR_RETURN(o.scenario_options.payload_bytes, integer(0, 4 << 20));
    } else if (arg == "--pool") {
      QPV_ASSIGN_OR_RETURN(o.scenario_options.pool, integer(1, 10000000));
    } else if (arg == "--expected-qps") {
      QPV_ASSIGN_OR_RETURN(o.expected_qps, integer(1, 10000000));
    } else if (arg == "--watchers") {
      QPV_ASSIGN_OR_RETURN(o.scenario_options.watchers, integer(1, 10000));
    } else if (arg == "--setup-threads") {
      QPV_ASSIGN_OR_RETURN(o.scenario_options.setup_threads, integer(1, 256));
    } else if (arg == "--redis-url") {
      QPV_ASSIGN_OR_RETURN(o.redis_url, text());
    } else if (arg == "--redis-probe") {
      QPV_ASSIGN_OR_RETURN(o.redis_probe, integer(0, 100000));
    } else if (arg == "--cpu-pid") {
      QPV_ASSIGN_OR_RETURN(std::string spec, text());
      std::pair<std::string, std::string> parts = absl::StrSplit(spec, absl::MaxSplits('=', 1));
      int pid = 0;
      if (parts.first.empty() || parts.first == "client" || !absl::SimpleAtoi(parts.second, &pid) ||
          pid <= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("--cpu-pid takes NAME=PID with a positive PID and a NAME other than "
                         "client, not '", spec, "'"));
      }
      o.cpu_pids[parts.first] = pid;
    } else if (arg == "--prefecture") {
      QPV_ASSIGN_OR_RETURN(o.prefecture, text());
    } else if (arg == "--wait-serving") {
      QPV_ASSIGN_OR_RETURN(std::string list, text());
      o.wait_serving = absl::StrSplit(list, ',', absl::SkipWhitespace());
      if (o.wait_serving.empty()) {
        return absl::InvalidArgumentError("--wait-serving needs HOST:PORT[,HOST:PORT...]");
      }
    } else if (arg == "--wait-timeout") {
      QPV_ASSIGN_OR_RETURN(o.wait_timeout, duration());
    } else if (arg == "--label") {
      QPV_ASSIGN_OR_RETURN(o.label, text());
    } else if (arg == "--json-out") {
      QPV_ASSIGN_OR_RETURN(o.json_out, text());
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown option '", arg, "' (see --help)"));
    }
  }
  if (!o.help && !o.list && o.wait_serving.empty() && o.scenario.empty()) {
    return absl::InvalidArgumentError("--scenario is required (see --help, --list)");
  }
  if (o.engine.duration <= absl::ZeroDuration() && !o.help && !o.list) {
    return absl::InvalidArgumentError("--duration must be positive");
  }
  if (o.redis_probe > 0 && o.redis_url.empty()) {
    return absl::InvalidArgumentError("--redis-probe needs --redis-url");
  }
  return o;
}

}  // namespace qpv::bench
