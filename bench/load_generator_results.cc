#include "bench/load_generator_results.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/json.h"

namespace qpv::bench {
namespace {

// {"evalsha":1.00,...} per call, and the sum.
std::string PerCallJson(const CommandCounts& counts, int64_t calls, double* total) {
  std::vector<std::string> members;
  *total = 0;
  for (const auto& [cmd, n] : counts) {
    const double per = calls > 0 ? static_cast<double>(n) / calls : 0;
    *total += per;
    members.push_back(absl::StrFormat("%s:%.3f", JsonString(cmd), per));
  }
  return absl::StrCat("{", absl::StrJoin(members, ","), "}");
}

double Scripts(const CommandCounts& counts, int64_t calls) {
  int64_t n = 0;
  for (const char* s : {"evalsha", "eval"}) {
    auto it = counts.find(s);
    if (it != counts.end()) n += it->second;
  }
  return calls > 0 ? static_cast<double>(n) / calls : 0;
}

std::string Ms(int64_t us) { return absl::StrFormat("%.2f", us / 1000.0); }

}  // namespace

std::string ResultJson(const GeneratorOptions& o, const RunReport& r) {
  const EngineResult& e = r.result;
  std::vector<std::string> errors;
  std::vector<std::string> first;
  for (const auto& [code, n] : e.errors) errors.push_back(absl::StrCat(JsonString(code), ":", n));
  for (const auto& [code, msg] : e.first_error) {
    first.push_back(absl::StrCat(JsonString(code), ":", JsonString(msg)));
  }
  std::string json = absl::StrCat(
      "{\"scenario\":", JsonString(o.scenario), ",\"label\":", JsonString(o.label),
      ",\"service\":", JsonString(r.service), ",\"description\":", JsonString(r.description),
      ",\"target\":", JsonString(r.target), ",\"concurrency\":", o.engine.concurrency,
      ",\"channels\":", o.channels, ",\"threads\":", o.engine.threads,
      absl::StrFormat(",\"warmup_s\":%.3f,\"duration_s\":%.3f,\"seconds\":%.3f,\"setup_s\":%.3f",
                      absl::ToDoubleSeconds(o.engine.warmup),
                      absl::ToDoubleSeconds(o.engine.duration), e.seconds, r.setup_seconds),
      ",\"calls\":", e.calls, ",\"prep_calls\":", e.prep_calls,
      absl::StrFormat(",\"qps\":%.1f", e.qps()), ",\"latency_us\":", PercentilesJson(e.latency_us),
      ",\"error_count\":", e.error_count(), ",\"errors\":{", absl::StrJoin(errors, ","), "}",
      ",\"first_errors\":{", absl::StrJoin(first, ","), "}",
      ",\"warmup_errors\":", e.warmup_errors);
  if (e.labels.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& l : e.labels) {
      parts.push_back(
          absl::StrCat("{\"label\":", JsonString(l.label), ",\"calls\":", l.calls,
                       absl::StrFormat(",\"qps\":%.1f", e.seconds > 0 ? l.calls / e.seconds : 0),
                       ",\"latency_us\":", PercentilesJson(l.latency_us), "}"));
    }
    absl::StrAppend(&json, ",\"parts\":[", absl::StrJoin(parts, ","), "]");
  }
  if (r.redis_window || r.redis_probe) {
    std::vector<std::string> redis;
    double total = 0;
    if (r.redis_window) {
      redis.push_back(
          absl::StrCat("\"commands_per_call\":", PerCallJson(*r.redis_window, e.calls, &total)));
      redis.push_back(absl::StrFormat("\"all_commands_per_call\":%.3f", total));
      redis.push_back(
          absl::StrFormat("\"scripts_per_call\":%.3f", Scripts(*r.redis_window, e.calls)));
    }
    if (r.redis_probe) {
      redis.push_back(absl::StrCat("\"probe_calls\":", r.probe_calls));
      redis.push_back(absl::StrCat("\"probe_prep_calls\":", r.probe_prep_calls));
      redis.push_back(
          absl::StrCat("\"sent_per_call\":", PerCallJson(*r.redis_probe, r.probe_calls, &total)));
      redis.push_back(absl::StrFormat("\"round_trips_per_call\":%.3f", total));
    }
    absl::StrAppend(&json, ",\"redis\":{", absl::StrJoin(redis, ","), "}");
  }
  if (!r.cpu_us_per_call.empty()) {
    std::vector<std::string> cpu;
    for (const auto& [name, us] : r.cpu_us_per_call) {
      cpu.push_back(absl::StrFormat("%s:%.1f", JsonString(name), us));
    }
    absl::StrAppend(&json, ",\"cpu_us_per_call\":{", absl::StrJoin(cpu, ","), "}");
  }
  if (!r.extra_json.empty()) absl::StrAppend(&json, ",\"extra\":{", r.extra_json, "}");
  return json + "}";
}

std::string ResultText(const GeneratorOptions& o, const RunReport& r) {
  const EngineResult& e = r.result;
  const Histogram& h = e.latency_us;
  std::string text = absl::StrFormat(
      "%s on %s (%s): concurrency %d over %d channels, setup %.1f s, window %.1f s\n"
      "  %d calls, %.1f calls/s, %d errors\n"
      "  latency ms: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
      o.scenario, r.target, r.service, o.engine.concurrency, o.channels, r.setup_seconds, e.seconds,
      e.calls, e.qps(), e.error_count(), Ms(h.Percentile(0.5)), Ms(h.Percentile(0.9)),
      Ms(h.Percentile(0.99)), Ms(h.Percentile(0.999)), Ms(h.max()));
  if (e.labels.size() > 1) {
    for (const auto& l : e.labels) {
      absl::StrAppendFormat(&text, "  part %s: %d calls, p50 %s ms, p99 %s ms\n", l.label, l.calls,
                            Ms(l.latency_us.Percentile(0.5)), Ms(l.latency_us.Percentile(0.99)));
    }
  }
  for (const auto& [code, n] : e.errors) {
    auto it = e.first_error.find(code);
    absl::StrAppendFormat(&text, "  error %s x%d, first: %s\n", code, n,
                          it == e.first_error.end() ? "" : it->second);
  }
  if (e.warmup_errors > 0)
    absl::StrAppendFormat(&text, "  (%d errors during warm-up)\n", e.warmup_errors);
  if (r.redis_window) {
    double total = 0;
    std::vector<std::string> items;
    for (const auto& [cmd, n] : *r.redis_window) {
      const double per = e.calls > 0 ? static_cast<double>(n) / e.calls : 0;
      // Other parts of the stack (health checks, reporting's feed) add a
      // little background that rounds to nothing per call.
      if (per >= 0.005) items.push_back(absl::StrFormat("%s %.2f", cmd, per));
    }
    PerCallJson(*r.redis_window, e.calls, &total);
    absl::StrAppendFormat(&text, "  redis commands per call (scripts' own included): %.2f [%s]\n",
                          total, absl::StrJoin(items, ", "));
  }
  if (r.redis_probe) {
    double total = 0;
    PerCallJson(*r.redis_probe, r.probe_calls, &total);
    absl::StrAppendFormat(&text, "  redis commands sent per call (MONITOR, %d calls): %.2f\n",
                          r.probe_calls, total);
  }
  if (!r.cpu_us_per_call.empty()) {
    std::vector<std::string> items;
    for (const auto& [name, us] : r.cpu_us_per_call) {
      items.push_back(absl::StrFormat("%s %.1f", name, us));
    }
    absl::StrAppend(&text, "  CPU us per call: ", absl::StrJoin(items, ", "), "\n");
  }
  if (!r.extra_json.empty()) absl::StrAppend(&text, "  extra: {", r.extra_json, "}\n");
  return text;
}

}  // namespace qpv::bench
