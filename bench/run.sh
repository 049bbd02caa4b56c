#!/usr/bin/env bash
# Benchmarks the services against two baselines on this machine and writes
# BENCHMARKS.md. Starts a private Redis for the préfecture stack and another
# for national (AOF on, fsync every second, as scripts/run.sh), the baselines
# qpv-bench-echo and qpv-bench-echo-redis, and the services, all on free
# loopback ports; then runs each scenario right after a plain echo run, so
# every figure has a baseline measured moments before it on the same machine.
# qpv-reporting and qpv-national are optional: without their binaries their
# scenarios are skipped, with a note in the report.
#
# Usage: bench/run.sh [options]
#   --rounds N         times each scenario and its echo run, in turn [3]; the
#                      report gives the round whose ratio to its echo is the
#                      median, and every round's ratio
#   --duration S       measured seconds per run [5]
#   --warmup S         warm-up seconds per run [2]
#   --concurrency N    calls outstanding at all times [64]
#   --channels N       gRPC connections of the load generator [4]
#   --scenarios LIST   comma-separated scenario names [all; qpv-bench --list]
#   --output FILE      the report [BENCHMARKS.md at the repository root]
#   --no-build         use the binaries in $QPV_BUILD_DIR/bin as they are
#   --no-national-scale
#                      leave out the national-scale section (qpv-bench-national-scale
#                      on a national of its own: 101 préfectures, 10,452 workshops,
#                      1.93 million contributions; ingest time, dashboard and good
#                      practices latency at that size, memory, cold load)
#   --soak S           instead of the scenarios: S seconds of mixed load on every
#                      service (workshop writes and reads, reports cached and not,
#                      the feed's snapshots, national loaded at national scale with
#                      resubmissions, dashboards, good practices and 5 watchers),
#                      each service's VmRSS sampled every 10 s; updates the soak
#                      section of --output and leaves the rest of it as it was
#   --smoke            a check in seconds (scripts/test.sh runs it as bench_smoke):
#                      1 s runs, 0.3 s warm-up, concurrency 8, two scenarios, two rounds, the
#                      report in a temporary file; fails unless every run produced
#                      numbers with zero errors
#   --help
#
# Environment: QPV_BUILD_DIR, QPV_JOBS (see scripts/lib.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

COMMAND="bench/run.sh${*:+ $*}"
# The build folder when it is not the default, so the command can be rerun.
[[ "$QPV_BUILD_DIR" != "$QPV_ROOT/build" ]] && COMMAND="QPV_BUILD_DIR=${QPV_BUILD_DIR#"$QPV_ROOT"/} $COMMAND"
rounds=3 duration=5 warmup=2 concurrency=64 channels=4 scenarios="" output="$QPV_ROOT/BENCHMARKS.md"
do_build=1 smoke=0 national_scale=1 soak=0
while (($#)); do
  case "$1" in
    --rounds | --duration | --warmup | --concurrency | --channels | --scenarios | --output | --soak)
      (($# >= 2)) || qpv_die "$1 needs a value"
      case "$1" in
        --rounds) rounds="$2" ;;
        --duration) duration="$2" ;;
        --warmup) warmup="$2" ;;
        --concurrency) concurrency="$2" ;;
        --channels) channels="$2" ;;
        --scenarios) scenarios="$2" ;;
        --output) output="$2" ;;
        --soak) soak="$2" ;;
      esac
      shift 2
      ;;
    --no-build) do_build=0; shift ;;
    --no-national-scale) national_scale=0; shift ;;
    --smoke) smoke=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; echo >&2; qpv_die "unknown option: $1" ;;
  esac
done
for v in "$rounds" "$concurrency" "$channels"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] ||
    qpv_die "--rounds, --concurrency and --channels take positive integers, not '$v'"
done
[[ "$soak" =~ ^[0-9]+$ ]] || qpv_die "--soak takes whole seconds (600), not '$soak'"
for v in "$duration" "$warmup"; do
  [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || qpv_die "--duration and --warmup take seconds (10, 0.5), not '$v'"
done

ALL_SCENARIOS=(CreateContribution GetWorkshop GetWorkshopFromRedis ListContributions ListContributionsFromRedis
  RegisterParticipant VoteContribution
  GetWorkshopReportCached GetWorkshopReportUncached
  SubmitPrefectureSnapshot GetNationalDashboard WatchNationalDashboard)
probe=100
if ((smoke)); then
  rounds=2 duration=1 warmup=0.3 concurrency=8 probe=10 national_scale=0
  [[ -n "$scenarios" ]] || scenarios="GetWorkshop,CreateContribution"
fi
((soak > 0)) && national_scale=0
if [[ -n "$scenarios" ]]; then IFS=, read -r -a SELECTED <<<"$scenarios"; else SELECTED=("${ALL_SCENARIOS[@]}"); fi
for scenario in "${SELECTED[@]}"; do
  [[ " ${ALL_SCENARIOS[*]} " == *" $scenario "* ]] ||
    qpv_die "unknown scenario '$scenario'; known: ${ALL_SCENARIOS[*]}"
done

BIN_DIR="$QPV_BUILD_DIR/bin"
PYTHON=/usr/bin/python3

# ---------------------------------------------------------------- build
if ((do_build)); then
  qpv_install_deps
  qpv_build --target qpv-bench qpv-bench-echo qpv-bench-echo-redis qpv-stakeholder qpv-workshop
  # Optional: a broken reporting or national build only skips their scenarios.
  (qpv_build --target qpv-reporting qpv-national qpv-bench-national-scale) ||
    qpv_warn "qpv-reporting or qpv-national did not build: their scenarios will be skipped"
fi
for b in qpv-bench qpv-bench-echo qpv-bench-echo-redis qpv-stakeholder qpv-workshop; do
  [[ -x "$BIN_DIR/$b" ]] || qpv_die "$BIN_DIR/$b not found: build first (bench/run.sh without --no-build)"
done
command -v redis-server >/dev/null 2>&1 || qpv_die "redis-server not found: apt-get install redis-server"
have_reporting=0 have_national=0 have_scale=0
[[ -x "$BIN_DIR/qpv-reporting" ]] && have_reporting=1
[[ -x "$BIN_DIR/qpv-national" ]] && have_national=1
[[ -x "$BIN_DIR/qpv-national" && -x "$BIN_DIR/qpv-bench-national-scale" ]] && have_scale=1
if ((soak > 0 && !(have_reporting && have_scale))); then
  qpv_die "--soak needs qpv-reporting, qpv-national and qpv-bench-national-scale in $BIN_DIR"
fi

# ---------------------------------------------------------------- processes
WORK="$(mktemp -d "${TMPDIR:-/tmp}/qpv-bench.XXXXXX")"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
declare -A PIDS=()
STOP_ORDER=(reporting workshop workshop-redis stakeholder national national-scale echo echo-callback echo-redis redis
  national-redis scale-redis)

# stop_one NAME: SIGTERM, then SIGKILL after 10 s.
stop_one() {
  local pid="${PIDS[$1]:-}" waited=0
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < 100)); do sleep 0.1; waited=$((waited + 1)); done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
stop_all() {
  local name
  for name in "${STOP_ORDER[@]}"; do stop_one "$name"; done
}
cleanup() {
  local rc=$?
  stop_all
  if ((rc != 0)); then
    qpv_warn "logs kept in $LOGS"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Own session (a Ctrl-C reaches only this script, which stops everything in
# order) and a parent-death signal (nothing outlives a SIGKILLed run).
spawn() {
  local name="$1"
  shift
  setsid setpriv --pdeathsig TERM "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  PIDS[$name]=$!
}

# N free loopback ports, bound together so they differ.
free_ports() {
  "$PYTHON" - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

# start_redis NAME: private, unix socket only, AOF as scripts/run.sh.
start_redis() {
  local name="$1" dir="$WORK/$1"
  mkdir -p "$dir"
  spawn "$name" redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 \
    --dir "$dir" --appendonly yes --appendfsync everysec --save '' --daemonize no --logfile ''
  for ((i = 0; i < 100; i++)); do
    redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1 && return 0
    kill -0 "${PIDS[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$LOGS/$name.log" >&2
  qpv_die "redis-server ($name) did not start"
}

start_redis redis
start_redis national-redis
REDIS_URL="unix://$WORK/redis/redis.sock"
NATIONAL_REDIS_URL="unix://$WORK/national-redis/redis.sock"

read -r P_ECHO P_ECHO_CB P_ECHO_REDIS P_SH P_WS P_WSR P_RP P_NA P_NS \
  M_ECHO M_ECHO_CB M_ECHO_REDIS M_SH M_WS M_WSR M_RP M_NA M_NS <<<"$(free_ports 18)"
declare -A ADDR=([echo]="127.0.0.1:$P_ECHO" [echo-callback]="127.0.0.1:$P_ECHO_CB"
  [echo-redis]="127.0.0.1:$P_ECHO_REDIS"
  [stakeholder]="127.0.0.1:$P_SH" [workshop]="127.0.0.1:$P_WS" [workshop-redis]="127.0.0.1:$P_WSR"
  [reporting]="127.0.0.1:$P_RP" [national]="127.0.0.1:$P_NA" [national-scale]="127.0.0.1:$P_NS")

# start_service NAME BINARY METRICS_PORT [VAR=value...]: the services' own
# defaults (threads, pool, timeouts), a short drain so the run ends quickly.
start_service() {
  local name="$1" binary="$2" metrics="$3"
  shift 3
  spawn "$name" env QPV_LISTEN="${ADDR[$name]}" QPV_METRICS_LISTEN="127.0.0.1:$metrics" \
    QPV_REDIS_URL="$REDIS_URL" QPV_DRAIN_TIMEOUT=2s "$@" "$BIN_DIR/$binary"
}

service_of() {
  case "$1" in
    GetWorkshopReport*) echo reporting ;;
    GetWorkshopFromRedis | ListContributionsFromRedis) echo workshop-redis ;;
    SubmitPrefectureSnapshot | GetNationalDashboard | WatchNationalDashboard) echo national ;;
    *) echo workshop ;;
  esac
}

# The plain echo, the ratios' baseline, is served as most methods are (a
# thread per call); the same echo on gRPC's callback API, on which the
# write path is served, is measured beside it.
start_service echo qpv-bench-echo "$M_ECHO" QPV_ECHO_API=sync
start_service echo-callback qpv-bench-echo "$M_ECHO_CB" QPV_ECHO_API=callback
start_service echo-redis qpv-bench-echo-redis "$M_ECHO_REDIS" QPV_ECHO_API=callback
start_service stakeholder qpv-stakeholder "$M_SH"
start_service workshop qpv-workshop "$M_WS" QPV_STAKEHOLDER_ADDR="${ADDR[stakeholder]}"
serving=(echo echo-callback echo-redis stakeholder workshop)
# The read path and the page of contributions once more with the workshop's
# caches off: every call reads Redis, as before the caches (and as a miss
# does).
if [[ " ${SELECTED[*]} " == *" GetWorkshopFromRedis "* ||
  " ${SELECTED[*]} " == *" ListContributionsFromRedis "* ]]; then
  start_service workshop-redis qpv-workshop "$M_WSR" QPV_STAKEHOLDER_ADDR="${ADDR[stakeholder]}" \
    QPV_WORKSHOP_CACHE=0
  serving+=(workshop-redis)
fi
# reporting and national only when a selected scenario needs them (reporting
# pushes its feed to national, so it needs both).
need_reporting=0 need_national=0
for scenario in "${SELECTED[@]}"; do
  case "$(service_of "$scenario")" in
    reporting) need_reporting=1 need_national=1 ;;
    national) need_national=1 ;;
  esac
done
((soak > 0)) && need_reporting=1 need_national=1
if ((need_reporting && !(have_reporting && have_national))); then need_reporting=0; fi
if ((need_national && !have_national)); then need_national=0; fi
if ((need_national)); then
  start_service national qpv-national "$M_NA" QPV_REDIS_URL="$NATIONAL_REDIS_URL"
  serving+=(national)
fi
if ((need_reporting)); then
  # The reporting scenarios use préfecture 62 and reporting serves only it,
  # so its feed works on their workshops, not on the tens of thousands of
  # contributions the workshop scenarios leave in 59.
  start_service reporting qpv-reporting "$M_RP" QPV_PREFECTURES=62 \
    QPV_STAKEHOLDER_ADDR="${ADDR[stakeholder]}" QPV_WORKSHOP_ADDR="${ADDR[workshop]}" \
    QPV_NATIONAL_ADDR="${ADDR[national]}"
  serving+=(reporting)
fi
wait_list=""
for name in "${serving[@]}"; do wait_list+="${wait_list:+,}${ADDR[$name]}"; done
if ! "$BIN_DIR/qpv-bench" --wait-serving "$wait_list" --wait-timeout 30s; then
  for name in "${serving[@]}"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null && continue
    echo "----- $name exited; last lines of its log -----" >&2
    tail -n 20 "$LOGS/$name.log" >&2
  done
  qpv_die "the stack did not come up"
fi
qpv_log "Stack up in $WORK: ${serving[*]}"

# ---------------------------------------------------------------- runs
RESULTS="$WORK/results.jsonl"
SKIPPED="$WORK/skipped.txt"
: >"$RESULTS"
: >"$SKIPPED"

# bench NAME SCENARIO TARGET_ADDR [extra qpv-bench options...]
bench() {
  local label="$1" scenario="$2" target="$3"
  shift 3
  qpv_log "$label: $scenario"
  "$BIN_DIR/qpv-bench" --scenario "$scenario" --label "$label" --target "$target" \
    --duration "$duration" --warmup "$warmup" --concurrency "$concurrency" --channels "$channels" \
    --echo-addr "${ADDR[echo]}" --stakeholder-addr "${ADDR[stakeholder]}" \
    --workshop-addr "${ADDR[workshop]}" --reporting-addr "${ADDR[reporting]}" \
    --national-addr "${ADDR[national]}" --json-out "$RESULTS" "$@" >/dev/null ||
    qpv_die "qpv-bench failed on $scenario (label $label)"
}

# rss_kb NAME: the process's VmRSS and VmHWM in kB, its thread count, and
# its resident memory's anonymous and file-backed parts in kB ("" when it is
# gone).
rss_kb() {
  local pid="${PIDS[$1]:-}"
  [[ -n "$pid" && -r "/proc/$pid/status" ]] || return 0
  awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } /^Threads:/ { t = $2 }
       /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print r, h, t, a, f }' \
    "/proc/$pid/status"
}

REPORT_EXTRA=()

# The national service at national scale, on a national and a Redis of its
# own (its memory is the dataset's alone): qpv-bench-national-scale's ingest,
# dashboards, good practices and memory, then a cold start reading the 101
# snapshots back from Redis.
national_scale_section() {
  local scale="$WORK/national_scale.jsonl"
  : >"$scale"
  REPORT_EXTRA+=(--national-scale "$scale")
  if ((!have_scale)); then
    echo "national scale: skipped, qpv-national or qpv-bench-national-scale is not built" >>"$SKIPPED"
    return 0
  fi
  start_redis scale-redis
  local service=(start_service national-scale qpv-national "$M_NS"
    QPV_REDIS_URL="unix://$WORK/scale-redis/redis.sock")
  "${service[@]}"
  "$BIN_DIR/qpv-bench" --wait-serving "${ADDR[national-scale]}" --wait-timeout 30s ||
    qpv_die "qpv-national (national scale) did not start"
  qpv_log "national scale: 101 préfectures, 10,452 workshops, 1.93 million contributions"
  "$BIN_DIR/qpv-bench-national-scale" --national-addr "${ADDR[national-scale]}" \
    --national-pid "${PIDS[national-scale]}" --echo-addr "${ADDR[echo]}" \
    --concurrency "$concurrency" --channels "$channels" --json-out "$scale" >/dev/null ||
    qpv_die "qpv-bench-national-scale failed"
  qpv_log "national scale: cold start"
  stop_one national-scale
  local started mem
  started=$(date +%s%N)
  "${service[@]}"
  # Health turns SERVING once the view is loaded.
  "$BIN_DIR/qpv-bench" --wait-serving "${ADDR[national-scale]}" --wait-timeout 120s ||
    qpv_die "qpv-national (national scale) did not load its view back"
  local ms=$((($(date +%s%N) - started) / 1000000))
  sleep 1  # the poller gives back what the load freed
  read -r -a mem <<<"$(rss_kb national-scale)"
  printf '{"kind":"national_cold_load","seconds":%s,"rss_kb":%s,"hwm_kb":%s}\n' \
    "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))" "${mem[0]:-0}" "${mem[1]:-0}" >>"$scale"
  stop_one national-scale
  stop_one scale-redis
}

# The soak: SOAK seconds of mixed load on every service, VmRSS and threads
# sampled every 10 s. National first gets the national-scale dataset, then its own driver
# (resubmissions, dashboards, good practices, watchers); reporting's feed
# submits préfecture 62's snapshots to it as the reports' workshops change.
soak_section() {
  local results="$WORK/soak.jsonl" samples="$WORK/soak_rss.txt" name pid
  : >"$results"
  : >"$samples"
  qpv_log "soak: loading national at national scale"
  "$BIN_DIR/qpv-bench-national-scale" --national-addr "${ADDR[national]}" \
    --national-pid "${PIDS[national]}" --ingest-only --json-out "$results" >/dev/null ||
    qpv_die "qpv-bench-national-scale --ingest-only failed"
  local common=(--duration "$soak" --warmup 0 --channels 2 --label soak --json-out "$results"
    --echo-addr "${ADDR[echo]}" --stakeholder-addr "${ADDR[stakeholder]}"
    --workshop-addr "${ADDR[workshop]}" --reporting-addr "${ADDR[reporting]}"
    --national-addr "${ADDR[national]}")
  local drivers=()
  qpv_log "soak: ${soak} s of mixed load, memory sampled every 10 s"
  "$BIN_DIR/qpv-bench" --scenario "CreateContribution=1,GetWorkshop=4,ListContributions=1" \
    --target "${ADDR[workshop]}" --concurrency 4 "${common[@]}" >"$LOGS/soak-workshop.log" 2>&1 &
  drivers+=($!)
  "$BIN_DIR/qpv-bench" --scenario "GetWorkshopReportCached=3,GetWorkshopReportUncached=1" \
    --target "${ADDR[reporting]}" --prefecture 62 --concurrency 2 "${common[@]}" \
    >"$LOGS/soak-reporting.log" 2>&1 &
  drivers+=($!)
  "$BIN_DIR/qpv-bench-national-scale" --national-addr "${ADDR[national]}" --no-ingest \
    --soak "$soak" --json-out "$results" >"$LOGS/soak-national.log" 2>&1 &
  drivers+=($!)
  local start alive
  start=$(date +%s)
  while true; do
    for name in stakeholder workshop reporting national redis national-redis; do
      read -r -a mem <<<"$(rss_kb "$name")"
      [[ -n "${mem[0]:-}" ]] &&
        echo "$(($(date +%s) - start)) $name ${mem[0]} ${mem[2]:-0} ${mem[3]:-0} ${mem[4]:-0}" >>"$samples"
    done
    alive=0
    for pid in "${drivers[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 10
  done
  for pid in "${drivers[@]}"; do
    wait "$pid" || qpv_die "a soak driver failed (logs in $LOGS/soak-*.log)"
  done
  REPORT_EXTRA+=(--soak-results "$results" --soak-rss "$samples" --soak-seconds "$soak"
    --redis-log "redis=$LOGS/redis.log" --redis-log "national-redis=$LOGS/national-redis.log")
}

LOADAVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if ((soak > 0)); then
  soak_section
  "$PYTHON" "$QPV_ROOT/bench/report.py" --soak-only --command "$COMMAND" \
    --build-dir "$QPV_BUILD_DIR" --loadavg-start "$LOADAVG_START" "${REPORT_EXTRA[@]}" \
    --output "$output"
  qpv_log "Wrote the soak section of $output"
  exit 0
fi
# cpu_args SERVER [REDIS] [OTHER...]: --cpu-pid options for qpv-bench, so each
# run says how much CPU the server, its Redis and the services it calls spent
# per call (the client's own is always reported).
cpu_args() {
  local server="$1" redis="${2:-}" other
  CPU_ARGS=(--cpu-pid "server=${PIDS[$server]}")
  [[ -n "$redis" ]] && CPU_ARGS+=(--cpu-pid "redis=${PIDS[$redis]}")
  for other in "${@:3}"; do
    [[ -n "${PIDS[$other]:-}" ]] && CPU_ARGS+=(--cpu-pid "$other=${PIDS[$other]}")
  done
  return 0
}
# Round after round: the machine's load drifts over minutes, so each
# scenario is measured at several moments, each time right after an echo.
for ((round = 1; round <= rounds; round++)); do
  if ((rounds > 1)); then qpv_log "round $round of $rounds"; fi
  cpu_args echo
  bench echo echo "${ADDR[echo]}" "${CPU_ARGS[@]}"
  cpu_args echo-callback
  bench echo-callback echo "${ADDR[echo-callback]}" "${CPU_ARGS[@]}"
  cpu_args echo-redis redis
  bench echo-redis echo "${ADDR[echo-redis]}" --redis-url "$REDIS_URL" --redis-probe "$probe" \
    "${CPU_ARGS[@]}"
  for scenario in "${SELECTED[@]}"; do
    service="$(service_of "$scenario")"
    if [[ "$service" == reporting ]] && ! ((have_reporting && have_national)); then
      ((round > 1)) || echo "$scenario: skipped, qpv-reporting or qpv-national is not built" >>"$SKIPPED"
      continue
    fi
    if [[ "$service" == national ]] && ! ((have_national)); then
      ((round > 1)) || echo "$scenario: skipped, qpv-national is not built" >>"$SKIPPED"
      continue
    fi
    redis_url="$REDIS_URL" extra=()
    case "$service" in
      national) redis_url="$NATIONAL_REDIS_URL"; cpu_args national national-redis ;;
      reporting) extra=(--prefecture 62); cpu_args reporting redis workshop stakeholder ;;
      workshop | workshop-redis) cpu_args "$service" redis stakeholder ;;
      *) cpu_args "$service" redis ;;
    esac
    server_cpu=("${CPU_ARGS[@]}")
    cpu_args echo
    bench echo echo "${ADDR[echo]}" "${CPU_ARGS[@]}"
    bench service "$scenario" "${ADDR[$service]}" --redis-url "$redis_url" --redis-probe "$probe" \
      "${extra[@]}" "${server_cpu[@]}"
  done
done

((national_scale)) && national_scale_section

# Peak resident memory of each server over the whole run.
RSS="$WORK/rss.txt"
: >"$RSS"
for name in echo echo-callback echo-redis stakeholder workshop reporting national; do
  pid="${PIDS[$name]:-}"
  [[ -n "$pid" && -r "/proc/$pid/status" ]] || continue
  printf '%s %s\n' "$name" "$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")" >>"$RSS"
done

# ---------------------------------------------------------------- report
report_args=(--results "$RESULTS" --rss "$RSS" --skipped "$SKIPPED" --command "$COMMAND"
  --build-dir "$QPV_BUILD_DIR" --concurrency "$concurrency" --loadavg-start "$LOADAVG_START"
  "${REPORT_EXTRA[@]}")
if ((smoke)); then
  report="$WORK/BENCHMARKS.smoke.md"
  "$PYTHON" "$QPV_ROOT/bench/report.py" "${report_args[@]}" --output "$report" --check
  qpv_log "Smoke passed: every run produced numbers with zero errors"
else
  "$PYTHON" "$QPV_ROOT/bench/report.py" "${report_args[@]}" --output "$output"
  qpv_log "Wrote $output"
fi
