#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the JSON lines qpv-bench wrote during bench/run.sh.

Each service run is compared with the plain echo run made just before it
(same machine, same moment, same load settings); the baselines (the echo on
the callback API, the Redis echo) with the echo run that opens their round.
bench/run.sh measures everything in several rounds: each scenario's figures
are those of its round whose ratio to the echo is the median, beside every
round's ratio. With --check (the smoke test) it fails unless every run
produced numbers with zero errors and every scenario ran in every round.
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
READ_PATH_FROM_REDIS = "GetWorkshopFromRedis"  # the read path with the cache off
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
    """[(echo, run)] for every run but the plain echo ones, each with the echo
    run last made before it (a round's baselines follow its first echo)."""
    pairs = []
    last_echo = None
    for run in runs:
        if run["label"] == "echo":
            last_echo = run
        else:
            pairs.append((last_echo, run))
    return pairs


def by_scenario(pairs):
    """{(label, scenario): [(echo, run), ...]}, one entry per round, in the
    order the scenarios first ran."""
    groups = {}
    for echo, run in pairs:
        groups.setdefault((run["label"], run["scenario"]), []).append((echo, run))
    return groups


def median_rounds(pairs):
    """One (echo, run) per scenario: its round whose ratio to the echo is the
    median (the lower of the two middle ones for an even count), the run given
    every round's ratio as round_ratios, in run order."""
    chosen = []
    for rounds in by_scenario(pairs).values():
        ranked = sorted(rounds, key=lambda p: (ratio(p[1], p[0]) is None, ratio(p[1], p[0]) or 0.0))
        echo, run = ranked[(len(ranked) - 1) // 2]
        chosen.append((echo, dict(run, round_ratios=[ratio(r, e) for e, r in rounds])))
    return chosen


def round_ratios_text(run):
    return ", ".join(fmt_ratio(r) for r in run.get("round_ratios", []))


# The baselines measured beside the plain echo: label -> (name, description).
BASELINES = {
    "echo-callback": ("echo on the callback API",
                      "qpv-bench-echo with QPV_ECHO_API=callback: the plain echo served on gRPC's "
                      "callback API, as the hot paths (the write path CreateContribution among "
                      "them) are, where the plain echo and the other methods have a thread per "
                      "call"),
    "echo-redis": ("echo + one Redis SET",
                   "qpv-bench-echo-redis: the echo plus one Redis SET per call through the "
                   "services' Redis client and pool, on the callback API with the SET sent "
                   "asynchronously as the write path is: the floor of a persisted call"),
}


def name_of(run):
    return BASELINES[run["label"]][0] if run["label"] in BASELINES else run["scenario"]


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
    callback_echo = next((run for _, run in pairs if run["label"] == "echo-callback"), None)

    def qps_target(name, share, what):
        if name not in by_name:
            rows.append((f"{what} ({name}) >= {share:.0%} of echo QPS", "not run", "n/a"))
            return
        echo, run = by_name[name]
        r = ratio(run, echo)
        verdict = "n/a" if r is None else ("holds" if r >= share else "MISSES")
        measured = f"{fmt_ratio(r)} x echo ({run['qps']:.0f} vs {echo['qps']:.0f} calls/s)"
        if callback_echo:
            # Served on the callback API: its own ceiling is that echo's.
            measured += (f"; {fmt_ratio(ratio(run, callback_echo))} x the echo on the callback API "
                         f"({callback_echo['qps']:.0f} calls/s)")
        rows.append((f"{what} ({name}) >= {share:.0%} of echo QPS", measured, verdict))

    qps_target(WRITE_PATH, 0.50, "write path")
    qps_target(READ_PATH, 0.60, "read path")
    for name in (WRITE_PATH, READ_PATH, READ_PATH_FROM_REDIS):
        if name not in by_name:
            continue
        run = by_name[name][1]
        sent = redis_sent(run)
        detail = per_call(run.get("redis", {}).get("sent_per_call", {})) or "none"
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


def cpu_total(run):
    cpu = run.get("cpu_us_per_call")
    return sum(cpu.values()) if cpu else None


def cpu_lines(pairs, first_echo):
    """Where each call's CPU goes: client, server, its Redis, services it calls."""
    rows = [(echo, run) for echo, run in pairs if run.get("cpu_us_per_call")]
    if not rows:
        return []
    out = ["", "## Where the CPU goes", "",
           "CPU time per measured call (µs, user + system, from /proc/<pid>/stat at both ends of the "
           "window) of the load generator, the server, its Redis and the services it calls. The "
           "machine is CPU-bound during a run, so throughput is about cores × 10⁶ / total: the "
           "ratio to the echo is close to *echo total / scenario total*, the last column, which "
           "says what a target needs (the calls' CPU has to shrink to the echo's total / target).",
           "",
           "| scenario | client | server | Redis | other services | total | echo total (just before) "
           "| echo total / total |",
           "|---|---|---|---|---|---|---|---|"]
    if first_echo and first_echo.get("cpu_us_per_call"):
        c = first_echo["cpu_us_per_call"]
        out.append(f"| echo (first run) | {c.get('client', 0):.0f} | {c.get('server', 0):.0f} | | | "
                   f"{cpu_total(first_echo):.0f} | | |")
    for echo, run in rows:
        c = run["cpu_us_per_call"]
        others = sum(v for k, v in c.items() if k not in ("client", "server", "redis"))
        total = cpu_total(run)
        echo_total = cpu_total(echo) if echo else None
        cells = [name_of(run), f"{c.get('client', 0):.0f}", f"{c.get('server', 0):.0f}",
                 f"{c['redis']:.0f}" if "redis" in c else "",
                 f"{others:.0f}" if others else "", f"{total:.0f}",
                 f"{echo_total:.0f}" if echo_total else "",
                 f"{echo_total / total:.2f}" if echo_total and total else ""]
        out.append("| " + " | ".join(cells) + " |")
    return out


def write_report(args, runs, pairs, rss, skipped):
    """pairs: the median rounds (median_rounds)."""
    cores, model, ram_gb = machine()
    first = runs[0]
    first_echo = next((r for r in runs if r["label"] == "echo"), None)
    rounds = max((len(run.get("round_ratios", [])) for _, run in pairs), default=1)
    out = []
    add = out.append
    add("# Benchmarks")
    add("")
    add("Written by `bench/run.sh` (do not edit by hand; run it again). Every service figure is set")
    add("against a plain echo server (`qpv-bench-echo`: same gRPC bootstrap, thread pool,")
    add("interceptors, metrics and logging as the services, no work) measured just before it in the")
    add("same run, so the ratios say what the service's work costs on this machine, whatever else")
    add("the machine is doing. Client and servers share the machine. The plain echo serves each")
    add("call on a thread of its own, as most methods are served; the workshop's hot paths")
    add("(`GetWorkshop`, `CreateContribution`, `VoteContribution`, `ListContributions`,")
    add("`RegisterParticipant`), reporting's `GetWorkshopReport` and the stakeholder's `GetPerson`")
    add("are served on gRPC's callback API, so the same echo on that API is measured too (*echo on")
    add("the callback API*): it is the ceiling of those.")
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
    add(f"- Rounds: {rounds}; each scenario and the echo just before it ran once per round, the "
        "rounds one after the other. Every figure below is from the scenario's round whose ratio "
        "to its echo is the median (the lower middle one of an even count); *x echo, each round* "
        "gives every round's ratio in run order")
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
    add("| scenario | calls/s | x echo | x echo, each round | p50 ms | p90 ms | p99 ms | p99.9 ms "
        "| errors | Redis sent/call | Redis executed/call |")
    add("|---|---|---|---|---|---|---|---|---|---|---|")
    if first_echo:
        e = first_echo
        add(f"| echo (first run) | {e['qps']:.0f} | 1.00 | | {ms(e['latency_us']['p50'])} | "
            f"{ms(e['latency_us']['p90'])} | {ms(e['latency_us']['p99'])} | "
            f"{ms(e['latency_us']['p999'])} | {errors_text(e)} | | |")
    for echo, run in pairs:
        lat = run["latency_us"]
        add(f"| {name_of(run)} | {run['qps']:.0f} | {fmt_ratio(ratio(run, echo))} | "
            f"{round_ratios_text(run)} | {ms(lat['p50'])} | "
            f"{ms(lat['p90'])} | {ms(lat['p99'])} | {ms(lat['p999'])} | {errors_text(run)} | "
            f"{fmt_num(redis_sent(run))} | {fmt_num(redis_all(run))} |")
    out.extend(cpu_lines(pairs, first_echo))
    add("")
    add("## Scenarios")
    for echo, run in pairs:
        add("")
        add(f"### {name_of(run)}")
        add("")
        description = run.get("description")
        if run["label"] in BASELINES:
            description = BASELINES[run["label"]][1]
        if description:
            add(f"{description[0].upper()}{description[1:]}.")
            add("")
        add(f"Service: {run['service']}; setup {run['setup_s']:.1f} s; measured window {run['seconds']:.1f} s; "
            f"{run['calls']} calls" + (f" (+ {run['prep_calls']} unmeasured preparation calls)"
                                       if run.get("prep_calls") else "") + ".")
        if len(run.get("round_ratios", [])) > 1:
            add("")
            add(f"x echo in each round: {round_ratios_text(run)}; the figures here are from the "
                "median one.")
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
    if args.national_scale:
        out.extend(national_scale_lines(args.national_scale))
    kept = existing_soak(args.output)
    if kept:
        add("")
        out.extend(kept)
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
    add("- The soak (`bench/run.sh --soak 600`) runs apart and updates only its own section; a full "
        "run keeps the last one.")
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


SOAK_BEGIN = "<!-- soak:begin -->"
SOAK_END = "<!-- soak:end -->"
DASHBOARD_P99_TARGET_MS = 5.0
RSS_TARGET_MIB = 100.0
SOAK_GROWTH_TOLERANCE = 0.05  # of the first sample: allocator noise, not a leak


def mib(kb):
    return f"{kb / 1024:.1f}"


def load_lines(path):
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def national_scale_lines(path):
    """The "National scale" section from qpv-bench-national-scale's JSON lines."""
    lines = load_lines(path)
    scale = next((l for l in lines if l.get("kind") == "national_scale"), None)
    cold = next((l for l in lines if l.get("kind") == "national_cold_load"), None)
    out = ["", "## National scale", ""]
    if not scale:
        out.append("Not measured in this run (see Skipped).")
        return out
    d = scale["dataset"]
    ing = scale["ingest"]
    out += [
        "`qpv-bench-national-scale` generates the national dataset (deterministic, seed "
        f"{d['seed']}; `bench/national_dataset.h` says how and why) and submits every "
        "préfecture's snapshot to a national service of its own, on a Redis of its own, then "
        "measures it at that size. Dashboard runs alternate with a plain echo run at the same "
        "concurrency.",
        "",
        f"- Dataset: {d['prefectures']} préfectures, {d['workshops']:,} workshops, "
        f"{d['contributions']:,} contributions, {d['actions']:,} reproducible actions "
        f"({d['actions'] / d['contributions']:.1%}); snapshots {d['bytes'] / 1048576:.0f} MiB in "
        f"all, the largest {d['max_bytes'] / 1048576:.1f} MiB ({d['max_prefecture']})",
        f"- Ingest: {ing['seconds']:.1f} s for the {d['prefectures']} snapshots, "
        f"{scale.get('submit_concurrency', '?')} in flight; per snapshot p50 "
        f"{ms(ing['latency_us']['p50'])} ms, p99 {ms(ing['latency_us']['p99'])} ms, max "
        f"{ms(ing['latency_us']['max'])} ms; {ing['errors']} errors"
        + (f" (first: {ing['first_error']})" if ing["errors"] else ""),
    ]
    if cold:
        out.append(f"- Cold start: a new national process serves {cold['seconds']:.1f} s after it "
                   f"starts, the 101 snapshots read back from Redis; then VmRSS "
                   f"{mib(cold['rss_kb'])} MiB (VmHWM {mib(cold['hwm_kb'])} MiB)")
    dash = scale.get("dashboards", [])
    worst = max((r["latency_us"]["p99"] for r in dash if r["name"] != "echo" and r["concurrency"] == 1),
                default=None)
    out += ["", "GetNationalDashboard at that size (queries: `DashboardQueries()` in "
            "`bench/national_scale.cc`; `mix` cycles through the six):", "",
            "| query | concurrency | calls/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
            "|---|---|---|---|---|---|---|---|"]
    for r in dash:
        lat = r["latency_us"]
        out.append(f"| {r['name']} | {r['concurrency']} | {r['qps']:.0f} | {ms(lat['p50'])} | "
                   f"{ms(lat['p90'])} | {ms(lat['p99'])} | {ms(lat['max'])} | {r['errors']} |")
    gp = scale.get("good_practices")
    out += ["", "ListGoodPractices:", ""]
    if gp:
        c = gp["cached_latency_us"]
        out += [
            f"- First call after the ingest (the grouping of every action, then the first page of "
            f"50): {gp['first_call_ms'] / 1000:.1f} s",
            f"- The same page again (cached grouping): p50 {ms(c['p50'])} ms, p99 {ms(c['p99'])} ms "
            f"over {gp['cached_calls']} calls",
            f"- Every page of 1000: {gp['pages']} pages in {gp['walk_s']:.1f} s, the largest response "
            f"{gp['largest_response_bytes'] / 1048576:.1f} MiB",
            f"- Groups: {gp['groups']:,} for {gp['sources']:,} actions; {gp['multi_prefecture_groups']:,} "
            f"emerged in several préfectures, {gp['singletons']:,} are single actions; the largest: "
            f"{gp['largest_sources']:,} actions in {gp['largest_prefectures']} préfectures "
            f"(\"{gp['largest_title']}\")",
        ]
    else:
        out.append(f"- failed: {scale.get('good_practices_error', '?')}")
    mem = scale.get("memory", {})
    out += ["", "Memory of the national service (VmRSS: resident; VmHWM: its peak so far):", "",
            "| when | VmRSS MiB | VmHWM MiB |", "|---|---|---|"]
    names = {"start": "started, empty", "after_ingest": "after the ingest",
             "after_dashboards": "after the dashboard runs",
             "after_good_practices": "after the grouping and every page"}
    for key, label in names.items():
        if key in mem:
            out.append(f"| {label} | {mib(mem[key]['rss_kb'])} | {mib(mem[key]['hwm_kb'])} |")
    if cold:
        out.append(f"| cold start, view loaded | {mib(cold['rss_kb'])} | {mib(cold['hwm_kb'])} |")
    resident = [m["rss_kb"] for k, m in mem.items() if k != "start"] + ([cold["rss_kb"]] if cold else [])
    out += ["", "| target | measured | |", "|---|---|---|"]
    if worst is not None:
        out.append(f"| GetNationalDashboard p99 < {DASHBOARD_P99_TARGET_MS:.0f} ms at national scale "
                   f"(each query alone, concurrency 1) | worst p99 {ms(worst)} ms | "
                   f"{'holds' if worst / 1000 < DASHBOARD_P99_TARGET_MS else 'MISSES'} |")
    if resident:
        top = max(resident)
        peak = max(m["hwm_kb"] for m in mem.values())
        out.append(f"| national under {RSS_TARGET_MIB:.0f} MiB resident at national scale, "
                   f"between the steps | at most {mib(top)} MiB VmRSS | "
                   f"{'holds' if top / 1024 < RSS_TARGET_MIB else 'MISSES'} |")
        out.append(f"| the same at its peak, during the ingest or a grouping | VmHWM {mib(peak)} MiB | "
                   f"{'holds' if peak / 1024 < RSS_TARGET_MIB else 'MISSES'} |")
    return out


def thirds_floors(values):
    """The smallest of the first third of `values` and of the last third."""
    third = max(1, len(values) // 3)
    return min(values[:third]), min(values[-third:])


def soak_lines(args):
    """The soak section, between markers so a later --soak run replaces it."""
    results = load_lines(args.soak_results)
    samples = {}
    threads = {}
    parts = {}  # name -> [(time, anonymous kB, file-backed kB)]
    if args.soak_rss and os.path.exists(args.soak_rss):
        with open(args.soak_rss) as f:
            for line in f:
                # time, process, VmRSS kB[, threads[, RssAnon kB, RssFile kB]] (older runs
                # have fewer fields)
                t, name, kb, *rest = line.split()
                samples.setdefault(name, []).append((int(t), int(kb)))
                if rest:
                    threads.setdefault(name, []).append((int(t), int(rest[0])))
                if len(rest) >= 3:
                    parts.setdefault(name, []).append((int(t), int(rest[1]), int(rest[2])))
    seconds = args.soak_seconds or 0
    warmup = min(60, seconds // 5)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_now = " ".join(open("/proc/loadavg").read().split()[:3])
    out = [SOAK_BEGIN, "", "## Soak", "",
           f"`{args.command}`, {now}, {seconds} s; load average {args.loadavg_start or '?'} at the "
           f"start, {load_now} at the end (the machine is shared: other work ran meanwhile).", "",
           "Mixed load on every service at once: workshop (CreateContribution 1 : GetWorkshop 4 : "
           "ListContributions 1, 4 in flight), reporting (GetWorkshopReport cached 3 : uncached 1, "
           "2 in flight; its feed submits préfecture 62's snapshots to national as the reports' "
           "workshops change; stakeholder answers reporting's organization look-ups), national "
           "loaded at national scale first, then a préfecture's snapshot resubmitted every 2 s "
           "(new version, redrawn details), the six dashboard queries 2 in flight, "
           "ListGoodPractices every 15 s (after a change a call is served the previous grouping and "
           "starts a background regroup, at most one per QPV_REGROUP_PAUSE, 30 s) and 5 watchers. VmRSS of each "
           f"process sampled every 10 s; growth is the last sample against the first one after "
           f"{warmup} s of warm-up; the floors are the smallest sample of the first and of the last "
           "third of the run after warm-up (a grouping or a reload in flight at either end moves "
           "the first and last samples, not the floors). Threads: the process's thread count at "
           "the first sample after warm-up and at the last (a thread that joins a server's pool "
           "keeps its stack; glibc's per-thread caches, which kept more, are off: "
           "common/server/malloc_tuning.h). Anonymous and file-backed: "
           "the two parts of VmRSS (RssAnon: the process's own memory, heap and stacks; RssFile: "
           "the pages of its program and libraries that it has touched), each part's floors over "
           "the same thirds.", "",
           "| process | first after warm-up MiB | last MiB | growth MiB | max MiB | floor first third "
           "MiB | floor last third MiB | threads | anonymous floors MiB | file-backed floors MiB | |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in ("stakeholder", "workshop", "reporting", "national", "redis", "national-redis"):
        points = samples.get(name)
        if not points:
            continue
        after = [p for p in points if p[0] >= warmup] or points
        first, last = after[0][1], after[-1][1]
        growth = last - first
        top = max(kb for _, kb in points)
        floor_first, floor_last = thirds_floors([kb for _, kb in after])
        service = name not in ("redis", "national-redis")
        grows = floor_last - floor_first > SOAK_GROWTH_TOLERANCE * floor_first
        verdict = ("GROWS" if grows else "holds") if service else "(data store: holds what was written)"
        counts = [n for t, n in threads.get(name, []) if t >= warmup]
        thread_text = f"{counts[0]} → {counts[-1]}" if counts else "?"
        split = [p for p in parts.get(name, []) if p[0] >= warmup]
        part_text = ["?", "?"]
        if split:
            for k in (0, 1):
                lo, hi = thirds_floors([p[k + 1] for p in split])
                part_text[k] = f"{mib(lo)} → {mib(hi)}"
        out.append(f"| {name} | {mib(first)} | {mib(last)} | {growth / 1024:+.1f} | {mib(top)} | "
                   f"{mib(floor_first)} | {mib(floor_last)} | {thread_text} | {part_text[0]} | "
                   f"{part_text[1]} | {verdict} |")
    out += ["", f"A service holds the no-growth target when the floor of the last third is within "
            f"{SOAK_GROWTH_TOLERANCE:.0%} of the floor of the first.", "",
            "VmRSS every minute (MiB):", ""]
    for name in ("stakeholder", "workshop", "reporting", "national"):
        points = samples.get(name)
        if points:
            minute = [f"{kb / 1024:.0f}" for t, kb in points if t % 60 < 10]
            out.append(f"- {name}: {' '.join(minute)}")
    out += ["", "Load carried:", ""]
    for r in results:
        if r.get("kind") == "national_scale" and "soak" in r:
            sk = r["soak"]
            dash = sk["dashboards"]
            out.append(f"- national driver: {sk['resubmissions']} snapshots resubmitted (p99 "
                       f"{ms(sk['resubmit_latency_us']['p99'])} ms, {sk['resubmit_errors']} errors), "
                       f"{sk['groupings']} ListGoodPractices calls (max {ms(sk['grouping_latency_us']['max'])} ms: "
                       f"the first waits for the first grouping, "
                       f"{sk['grouping_errors']} errors), {dash['calls']} dashboards "
                       f"({dash['qps']:.0f}/s, p99 {ms(dash['latency_us']['p99'])} ms, "
                       f"{dash['errors']} errors), {sk['watch_updates']} watch updates to "
                       f"{sk['watchers']} watchers ({sk['watch_failures']} failed)"
                       + (f"; first resubmission error: {sk['first_error']}" if sk["first_error"] else ""))
        elif r.get("kind") == "national_scale":
            ing = r["ingest"]
            out.append(f"- national loaded first: {r['dataset']['actions']:,} actions, "
                       f"{ing['seconds']:.1f} s, {ing['errors']} errors")
        elif "scenario" in r:
            out.append(f"- {r['service']} ({r['scenario']}): {r['calls']} calls, {r['qps']:.0f}/s, "
                       f"p99 {ms(r['latency_us']['p99'])} ms, errors {errors_text(r)}"
                       + "".join(f"; first {code}: {msg}"
                                 for code, msg in sorted(r.get("first_errors", {}).items())))
    events = redis_events(args.redis_log or [])
    if events:
        out += ["", "Redis events during the run (its log): " + "; ".join(events) + "."]
    out += ["", SOAK_END]
    return out


# What in a Redis log explains a stall of the services: a fork for an AOF
# rewrite, an fsync the disk was slow to finish (Redis then writes without
# waiting, or blocks).
REDIS_EVENTS = (
    ("Background append only file rewriting started", "AOF rewrites"),
    ("Asynchronous AOF fsync is taking too long", "slow fsyncs (disk busy)"),
)


def redis_events(specs):
    found = []
    for spec in specs:
        name, _, path = spec.partition("=")
        if not os.path.exists(path):
            continue
        with open(path, errors="replace") as f:
            text = f.read()
        counts = [f"{text.count(pattern)} {label}" for pattern, label in REDIS_EVENTS]
        found.append(f"{name}: {', '.join(counts)}")
    return found


def existing_soak(path):
    """The soak section of an earlier report, to keep it."""
    if not os.path.exists(path):
        return []
    text = open(path).read()
    if SOAK_BEGIN not in text or SOAK_END not in text:
        return []
    start = text.index(SOAK_BEGIN)
    return text[start:text.index(SOAK_END) + len(SOAK_END)].split("\n")


def write_soak_only(args):
    section = soak_lines(args)
    text = open(args.output).read() if os.path.exists(args.output) else "# Benchmarks\n"
    if SOAK_BEGIN in text and SOAK_END in text:
        start = text.index(SOAK_BEGIN)
        end = text.index(SOAK_END) + len(SOAK_END)
        text = text[:start] + "\n".join(section) + text[end:]
    else:
        marker = "\n## Reading these figures"
        at = text.find(marker)
        if at < 0:
            text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
        else:
            text = text[:at] + "\n" + "\n".join(section) + "\n" + text[at:]
    with open(args.output, "w") as f:
        f.write(text)


def check(runs, pairs):
    """pairs: every round's (pair_runs)."""
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
    groups = by_scenario(pairs)
    rounds = max((len(g) for g in groups.values()), default=0)
    for (label, scenario), g in groups.items():
        if len(g) != rounds:
            problems.append(f"{label} {scenario}: {len(g)} rounds, others {rounds}")
    for p in problems:
        print(f"bench smoke: {p}", file=sys.stderr)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis-log", action="append",
                        help="NAME=PATH of a Redis log to scan for rewrites and slow fsyncs")
    parser.add_argument("--results")
    parser.add_argument("--rss")
    parser.add_argument("--skipped")
    parser.add_argument("--command", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--national-scale")
    parser.add_argument("--soak-results")
    parser.add_argument("--soak-rss")
    parser.add_argument("--soak-seconds", type=int)
    parser.add_argument("--soak-only", action="store_true",
                        help="update only the soak section of --output")
    parser.add_argument("--loadavg-start")
    parser.add_argument("--output", required=True)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.soak_only:
        write_soak_only(args)
        return 0
    if not args.results or args.concurrency is None:
        parser.error("--results and --concurrency are required (but with --soak-only)")

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
        write_report(args, runs, median_rounds(pairs), rss, skipped)
    if args.check and not check(runs, pairs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
