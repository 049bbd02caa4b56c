#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the JSON lines qpv-bench wrote during bench/run.sh.

Each service run is compared with the plain echo run made just before it
(same machine, same moment, same load settings); the Redis echo run is
compared with the first echo. With --check (the smoke test) it fails unless
every run produced numbers with zero errors.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

WRITE_PATH = "CreateContribution"
READ_PATH = "GetWorkshop"
P99_TARGET_MS = 10.0


def ms(us):
    return f"{us / 1000:.2f}"


def machine():
    cores = os.cpu_count()
    model = "unknown"
    ram_gb = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram_gb = f"{int(line.split()[1]) / 1024 / 1024:.1f}"
                    break
    except OSError:
        pass
    return cores, model, ram_gb


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def build_type(build_dir):
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load_runs(path):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    return runs


def pair_runs(runs):
    """[(baseline_echo, run)] for every run but the plain echo ones."""
    pairs = []
    first_echo = None
    last_echo = None
    for run in runs:
        if run["label"] == "echo":
            last_echo = run
            first_echo = first_echo or run
        elif run["label"] == "echo-redis":
            pairs.append((first_echo, run))
        else:
            pairs.append((last_echo, run))
    return pairs


def name_of(run):
    return "echo + one Redis SET" if run["label"] == "echo-redis" else run["scenario"]


def ratio(run, echo):
    if not echo or not echo["qps"]:
        return None
    return run["qps"] / echo["qps"]


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.2f}"


def redis_sent(run):
    redis = run.get("redis", {})
    return redis.get("round_trips_per_call")


def redis_all(run):
    redis = run.get("redis", {})
    return redis.get("all_commands_per_call")


def fmt_num(v, digits=2):
    return "n/a" if v is None else f"{v:.{digits}f}"


def per_call(counts):
    """"evalsha 1.00, hgetall 1.00": the background work of other parts of
    the stack (health checks, reporting's feed) rounds to 0.00 and is left out."""
    return ", ".join(f"{cmd} {n:.2f}" for cmd, n in sorted(counts.items(), key=lambda kv: -kv[1])
                     if n >= 0.005)


def errors_text(run):
    if not run["error_count"]:
        return "0"
    return ", ".join(f"{code} {n}" for code, n in sorted(run["errors"].items()))


def targets(pairs, concurrency):
    """Rows (target, measured, verdict)."""
    rows = []
    by_name = {run["scenario"]: (echo, run) for echo, run in pairs if run["label"] == "service"}

    def qps_target(name, share, what):
        if name not in by_name:
            rows.append((f"{what} ({name}) >= {share:.0%} of echo QPS", "not run", "n/a"))
            return
        echo, run = by_name[name]
        r = ratio(run, echo)
        verdict = "n/a" if r is None else ("holds" if r >= share else "MISSES")
        rows.append((f"{what} ({name}) >= {share:.0%} of echo QPS",
                     f"{fmt_ratio(r)} x echo ({run['qps']:.0f} vs {echo['qps']:.0f} calls/s)",
                     verdict))

    qps_target(WRITE_PATH, 0.50, "write path")
    qps_target(READ_PATH, 0.60, "read path")
    for name in (WRITE_PATH, READ_PATH):
        if name not in by_name:
            continue
        run = by_name[name][1]
        sent = redis_sent(run)
        detail = per_call(run.get("redis", {}).get("sent_per_call", {}))
        verdict = "n/a" if sent is None else ("holds" if sent <= 1.05 else "MISSES")
        rows.append((f"at most one Redis round trip per call ({name})",
                     f"{fmt_num(sent)} commands sent per call ({detail})", verdict))
    if concurrency != 64:
        rows.append((f"p99 < {P99_TARGET_MS:.0f} ms on every scenario at concurrency 64",
                     f"this run used concurrency {concurrency}", "n/a"))
    else:
        misses = [f"{name_of(run)} {ms(run['latency_us']['p99'])}"
                  for _, run in pairs
                  if run["label"] == "service" and run["latency_us"]["p99"] / 1000 >= P99_TARGET_MS]
        echo_p99 = max((echo["latency_us"]["p99"] for echo, _ in pairs if echo), default=None)
        context = "" if echo_p99 is None else f" (the plain echo's worst p99 in this run: {ms(echo_p99)} ms)"
        rows.append((f"p99 < {P99_TARGET_MS:.0f} ms on every scenario at concurrency 64",
                     ("all under" if not misses else "over: " + ", ".join(misses) + " ms") + context,
                     "holds" if not misses else "MISSES"))
    return rows


def write_report(args, runs, pairs, rss, skipped):
    cores, model, ram_gb = machine()
    first = runs[0]
    out = []
    add = out.append
    add("# Benchmarks")
    add("")
    add("Written by `bench/run.sh` (do not edit by hand; run it again). Every service figure is set")
    add("against a plain echo server (`qpv-bench-echo`: same gRPC bootstrap, thread pool,")
    add("interceptors, metrics and logging as the services, no work) measured just before it in the")
    add("same run, so the ratios say what the service's work costs on this machine, whatever else")
    add("the machine is doing. Client and servers share the machine.")
    add("")
    add("## Run")
    add("")
    add(f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    add(f"- Machine: {cores} cores ({model}), {ram_gb} GB RAM, {platform.system()} "
        f"{platform.release()}")
    load_now = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
    add(f"- Load average (1, 5, 15 min): {args.loadavg_start or '?'} at the start, {load_now} at the end")
    redis_version = command_output(["redis-server", "--version"]).split(" ")
    redis_version = next((w[2:] for w in redis_version if w.startswith("v=")), "?")
    commit = command_output(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "rev-parse",
                             "--short", "HEAD"])
    dirty = command_output(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "status",
                            "--porcelain", "--untracked-files=no"])
    add(f"- Build: {build_type(args.build_dir)}, commit {commit or '?'}"
        f"{' with local changes' if dirty else ''}; Redis {redis_version} (AOF on, fsync every second)")
    add(f"- Command: `{args.command}`")
    add("- Servers: each with its own defaults (thread cap, Redis pool, timeouts); only addresses "
        "are set")
    add(f"- Load: {first['concurrency']} calls outstanding over {first['channels']} connections, "
        f"{first['threads']} client polling threads; {first['warmup_s']:g} s warm-up then "
        f"{first['duration_s']:g} s measured, per run")
    probe_calls = next((r["redis"]["probe_calls"] for r in runs if "probe_calls" in r.get("redis", {})),
                       "n")
    add("- Redis per call: *sent* counts what the services send (Redis MONITOR over "
        f"{probe_calls} sequential calls after each run, script "
        "bodies left out: the round trips); *executed* counts every command Redis ran during the "
        "measured window, the commands inside Lua scripts included (INFO commandstats)")
    add("")
    add("## Targets")
    add("")
    add("| target | measured | |")
    add("|---|---|---|")
    for target, measured, verdict in targets(pairs, args.concurrency):
        add(f"| {target} | {measured} | {verdict} |")
    add("")
    add("## Summary")
    add("")
    add("| scenario | calls/s | x echo | p50 ms | p90 ms | p99 ms | p99.9 ms | errors | Redis sent/call "
        "| Redis executed/call |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    if pairs and pairs[0][0]:
        e = pairs[0][0]
        add(f"| echo (first run) | {e['qps']:.0f} | 1.00 | {ms(e['latency_us']['p50'])} | "
            f"{ms(e['latency_us']['p90'])} | {ms(e['latency_us']['p99'])} | "
            f"{ms(e['latency_us']['p999'])} | {errors_text(e)} | | |")
    for echo, run in pairs:
        lat = run["latency_us"]
        add(f"| {name_of(run)} | {run['qps']:.0f} | {fmt_ratio(ratio(run, echo))} | {ms(lat['p50'])} | "
            f"{ms(lat['p90'])} | {ms(lat['p99'])} | {ms(lat['p999'])} | {errors_text(run)} | "
            f"{fmt_num(redis_sent(run))} | {fmt_num(redis_all(run))} |")
    add("")
    add("## Scenarios")
    for echo, run in pairs:
        add("")
        add(f"### {name_of(run)}")
        add("")
        description = run.get("description")
        if run["label"] == "echo-redis":
            description = ("qpv-bench-echo-redis: the echo plus one Redis SET per call through the "
                           "services' Redis client and pool, the floor of a persisted call")
        if description:
            add(f"{description[0].upper()}{description[1:]}.")
            add("")
        add(f"Service: {run['service']}; setup {run['setup_s']:.1f} s; measured window {run['seconds']:.1f} s; "
            f"{run['calls']} calls" + (f" (+ {run['prep_calls']} unmeasured preparation calls)"
                                       if run.get("prep_calls") else "") + ".")
        add("")
        add("| run | calls/s | x echo | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |")
        add("|---|---|---|---|---|---|---|---|---|")
        for label, r in (("echo, just before", echo), (name_of(run), run)):
            if not r:
                continue
            lat = r["latency_us"]
            add(f"| {label} | {r['qps']:.0f} | {fmt_ratio(ratio(r, echo))} | {ms(lat['p50'])} | "
                f"{ms(lat['p90'])} | {ms(lat['p99'])} | {ms(lat['p999'])} | {ms(lat['max'])} | "
                f"{errors_text(r)} |")
        redis = run.get("redis")
        if redis:
            add("")
            if "sent_per_call" in redis:
                add(f"- Redis commands sent per call: {fmt_num(redis.get('round_trips_per_call'))} "
                    f"({per_call(redis['sent_per_call']) or 'none'})")
            if "commands_per_call" in redis:
                add(f"- Redis commands executed per call, scripts' own included: "
                    f"{fmt_num(redis.get('all_commands_per_call'))} "
                    f"({per_call(redis['commands_per_call']) or 'none'}); scripts per call "
                    f"{fmt_num(redis.get('scripts_per_call'))}")
            if run.get("prep_calls"):
                add("- The Redis figures include the preparation calls' own commands.")
        extra = run.get("extra")
        if extra:
            add("")
            if "watchers" in extra:
                lag = extra["watch_lag_us"]
                add(f"- Watchers: {extra['watchers']} streams, {extra['watch_updates']} updates received "
                    f"({extra['watch_updates_per_s']:.0f}/s in all), {extra['watch_failures']} streams "
                    f"failed; lag from the dashboard's as_of_time to receipt: p50 {ms(lag['p50'])} ms, "
                    f"p99 {ms(lag['p99'])} ms, max {ms(lag['max'])} ms")
            if "pool" in extra:
                add(f"- Pool created at setup: {extra['pool']}"
                    + (" (exhausted: the calls past it failed)" if extra.get("pool_exhausted") else ""))
        if run["error_count"]:
            add("")
            for code, message in sorted(run.get("first_errors", {}).items()):
                add(f"- First {code}: {message}")
    if rss:
        add("")
        add("## Peak memory")
        add("")
        add("Peak resident set (VmHWM) of each server over the whole run.")
        add("")
        add("| server | MB |")
        add("|---|---|")
        for name, kb in rss:
            add(f"| {name} | {kb / 1024:.0f} |")
    add("")
    add("## Reading these figures")
    add("")
    floor = first["concurrency"] / P99_TARGET_MS * 1000
    add(f"- The load is closed-loop: {first['concurrency']} calls are always outstanding, so the mean "
        f"latency is {first['concurrency']} / throughput (Little's law). A p99 under "
        f"{P99_TARGET_MS:.0f} ms at this concurrency needs more than {floor:.0f} calls/s even with no "
        "spread at all.")
    add("- Client and servers share the machine's cores: the load generator's own CPU is taken from "
        "the servers, the same for the echo and the services. The load average above says how busy "
        "the machine was besides; the ratios to the echo run made just before each scenario are the "
        "figures to compare between runs, the absolute ones much less.")
    add("- Background work of the stack runs during the windows as it would in production (health "
        "checks, the national view's refresh, reporting's feed for préfecture 62, where the "
        "reporting scenarios put their workshops).")
    if skipped:
        add("")
        add("## Skipped")
        add("")
        for line in skipped:
            add(f"- {line}")
    add("")
    add("<details><summary>Raw results (qpv-bench JSON lines, in run order)</summary>")
    add("")
    add("```")
    for run in runs:
        add(json.dumps(run, ensure_ascii=False, separators=(",", ":")))
    add("```")
    add("</details>")
    add("")
    with open(args.output, "w") as f:
        f.write("\n".join(out))


def check(runs, pairs):
    problems = []
    if not runs:
        problems.append("no results at all")
    for run in runs:
        name = f"{run['label']} {run['scenario']}"
        if run["calls"] <= 0 or run["qps"] <= 0 or run["latency_us"]["p50"] <= 0:
            problems.append(f"{name}: no numbers (calls {run['calls']}, qps {run['qps']})")
        if run["error_count"] or run["warmup_errors"]:
            problems.append(f"{name}: errors {run['errors']} (warm-up {run['warmup_errors']}), "
                            f"first: {run.get('first_errors')}")
    for echo, run in pairs:
        if echo is None:
            problems.append(f"{run['scenario']}: no echo run before it")
        if run["label"] != "echo" and "redis" in run and redis_sent(run) is None:
            problems.append(f"{run['scenario']}: no Redis probe figures")
    for p in problems:
        print(f"bench smoke: {p}", file=sys.stderr)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", required=True)
    parser.add_argument("--rss")
    parser.add_argument("--skipped")
    parser.add_argument("--command", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--loadavg-start")
    parser.add_argument("--output", required=True)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    runs = load_runs(args.results)
    pairs = pair_runs(runs)
    rss = []
    if args.rss and os.path.exists(args.rss):
        with open(args.rss) as f:
            for line in f:
                name, kb = line.split()
                rss.append((name, int(kb)))
    skipped = []
    if args.skipped and os.path.exists(args.skipped):
        with open(args.skipped) as f:
            skipped = [line.strip() for line in f if line.strip()]
    if runs:
        write_report(args, runs, pairs, rss, skipped)
    if args.check and not check(runs, pairs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
