#!/usr/bin/env bash
# Runs the quartiers backend locally: installs what is missing (Debian 12),
# builds, starts a private Redis for the préfecture stack (stakeholder,
# workshop, reporting) and another for the national stack (national), loads
# the Nord 2018 demo plus demo workshops of two more préfectures, waits for
# the feed to reach national, then waits. Ctrl-C (or SIGTERM) stops everything.
#
# Usage: scripts/run.sh [--no-build] [--no-demo] [--help]
#   --no-build   do not install packages nor build (use the binaries in build/bin)
#   --no-demo    do not load the demo data
#
# Environment (defaults in brackets):
#   QPV_RUN_HOST                  address the services listen on [127.0.0.1]
#   QPV_STAKEHOLDER_PORT          stakeholder gRPC port [50051]
#   QPV_WORKSHOP_PORT             workshop gRPC port [50052]
#   QPV_REPORTING_PORT            reporting gRPC port [50053]
#   QPV_NATIONAL_PORT             national gRPC port [50054]
#   QPV_<SERVICE>_METRICS_PORT    a service's /metrics port [gRPC port + 1000]
#   QPV_PREFECTURES               passed to the services [unset: all]
#   QPV_START_TIMEOUT             seconds to wait for SERVING [30]
#   QPV_STOP_TIMEOUT              seconds to drain before SIGKILL [20]
#   QPV_BUILD_DIR, QPV_JOBS       see scripts/lib.sh
#
# State lives in run/ (git-ignored): run/redis (préfecture Redis: AOF on, unix
# socket), run/national-redis (national Redis), run/logs/<service>.log.
# Delete run/ to start from scratch.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

do_build=1 do_demo=1
for arg in "$@"; do
  case "$arg" in
    --no-build) do_build=0 ;;
    --no-demo) do_demo=0 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; echo >&2; qpv_die "unknown option: $arg" ;;
  esac
done

HOST="${QPV_RUN_HOST:-127.0.0.1}"
SH_PORT="${QPV_STAKEHOLDER_PORT:-50051}"
WS_PORT="${QPV_WORKSHOP_PORT:-50052}"
RP_PORT="${QPV_REPORTING_PORT:-50053}"
NA_PORT="${QPV_NATIONAL_PORT:-50054}"
for p in "$SH_PORT" "$WS_PORT" "$RP_PORT" "$NA_PORT" "${QPV_STAKEHOLDER_METRICS_PORT:-1}" \
  "${QPV_WORKSHOP_METRICS_PORT:-1}" "${QPV_REPORTING_METRICS_PORT:-1}" "${QPV_NATIONAL_METRICS_PORT:-1}"; do
  if ! [[ "$p" =~ ^[0-9]{1,5}$ ]] || ((p < 1 || p > 65535)); then qpv_die "bad port: '$p'"; fi
done
SH_METRICS_PORT="${QPV_STAKEHOLDER_METRICS_PORT:-$((SH_PORT + 1000))}"
WS_METRICS_PORT="${QPV_WORKSHOP_METRICS_PORT:-$((WS_PORT + 1000))}"
RP_METRICS_PORT="${QPV_REPORTING_METRICS_PORT:-$((RP_PORT + 1000))}"
NA_METRICS_PORT="${QPV_NATIONAL_METRICS_PORT:-$((NA_PORT + 1000))}"
# Clients connect to loopback when the services listen on every interface.
CONNECT_HOST="$HOST"
[[ "$HOST" == 0.0.0.0 ]] && CONNECT_HOST=127.0.0.1

RUN_DIR="$QPV_ROOT/run"
LOG_DIR="$RUN_DIR/logs"
REDIS_DIR="$RUN_DIR/redis"
NATIONAL_REDIS_DIR="$RUN_DIR/national-redis"
BIN_DIR="$QPV_BUILD_DIR/bin"
PYTHON_DIR="$QPV_BUILD_DIR/python"
PYTHON=/usr/bin/python3
STOP_TIMEOUT="${QPV_STOP_TIMEOUT:-20}"

rel() { printf '%s' "${1#"$QPV_ROOT"/}"; }

# ---------------------------------------------------------------- preflight
mkdir -p "$LOG_DIR" "$REDIS_DIR" "$NATIONAL_REDIS_DIR"

# One run.sh at a time on this checkout (they would share run/).
exec 9>"$RUN_DIR/run.lock"
if ! flock -n 9; then
  qpv_die "another scripts/run.sh is already running on this checkout (lock: $(rel "$RUN_DIR")/run.lock); stop it first (Ctrl-C in its terminal)"
fi

for p in "$SH_METRICS_PORT" "$WS_METRICS_PORT" "$RP_METRICS_PORT" "$NA_METRICS_PORT"; do
  ((p <= 65535)) || qpv_die "metrics port $p out of range: set QPV_<SERVICE>_METRICS_PORT"
done
if [[ "$(printf '%s\n' "$SH_PORT" "$WS_PORT" "$RP_PORT" "$NA_PORT" "$SH_METRICS_PORT" "$WS_METRICS_PORT" \
  "$RP_METRICS_PORT" "$NA_METRICS_PORT" | sort | uniq -d)" ]]; then
  qpv_die "ports overlap: stakeholder $SH_PORT/$SH_METRICS_PORT, workshop $WS_PORT/$WS_METRICS_PORT, reporting $RP_PORT/$RP_METRICS_PORT, national $NA_PORT/$NA_METRICS_PORT"
fi

# Is host:port free? Checked before anything starts, so a busy port is named
# with what holds it instead of a service dying half-way through start-up.
port_free() {
  "$PYTHON" - "$1" "$2" <<'PY'
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind((host, port))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

check_ports() {
  local busy=0 entry name port holder
  for entry in "stakeholder gRPC:$SH_PORT:QPV_STAKEHOLDER_PORT" \
    "stakeholder metrics:$SH_METRICS_PORT:QPV_STAKEHOLDER_METRICS_PORT" \
    "workshop gRPC:$WS_PORT:QPV_WORKSHOP_PORT" \
    "workshop metrics:$WS_METRICS_PORT:QPV_WORKSHOP_METRICS_PORT" \
    "reporting gRPC:$RP_PORT:QPV_REPORTING_PORT" \
    "reporting metrics:$RP_METRICS_PORT:QPV_REPORTING_METRICS_PORT" \
    "national gRPC:$NA_PORT:QPV_NATIONAL_PORT" \
    "national metrics:$NA_METRICS_PORT:QPV_NATIONAL_METRICS_PORT"; do
    IFS=: read -r name port var <<<"$entry"
    if ! port_free "$HOST" "$port"; then
      holder="$(ss -Htlnp "sport = :$port" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 |
        sed 's/users:(("\([^"]*\)",pid=\([0-9]*\)/\1, pid \2/')" || true
      printf 'error: port %s (%s) on %s is already in use%s; stop that process or choose another port with %s=...\n' \
        "$port" "$name" "$HOST" "${holder:+ (by $holder)}" "$var" >&2
      busy=1
    fi
  done
  ((busy == 0)) || exit 1
}
check_ports

# ---------------------------------------------------------------- build
if ((do_build)); then
  qpv_install_deps
  # Only what running needs (scripts/test.sh builds everything, tests included).
  qpv_build --target qpv-stakeholder qpv-workshop qpv-reporting qpv-national qpvctl qpv_python_protos
else
  qpv_log "--no-build: using the binaries in $(rel "$BIN_DIR")"
fi
for b in qpv-stakeholder qpv-workshop qpv-reporting qpv-national; do
  [[ -x "$BIN_DIR/$b" ]] || qpv_die "$(rel "$BIN_DIR")/$b not found: build first (scripts/run.sh without --no-build)"
done
[[ -d "$PYTHON_DIR/qpv_health" ]] ||
  qpv_die "$(rel "$PYTHON_DIR") has no generated Python modules: cmake --build $(rel "$QPV_BUILD_DIR") --target qpv_python_protos"
command -v redis-server >/dev/null 2>&1 || qpv_die "redis-server not found: apt-get install redis-server"

# ---------------------------------------------------------------- start / stop
REDIS_PID="" NREDIS_PID="" SH_PID="" WS_PID="" RP_PID="" NA_PID="" STOPPING=0

# Sends SIGTERM to a process, waits up to $STOP_TIMEOUT s, then SIGKILL.
stop_process() {
  local name="$1" pid="$2" waited=0
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    qpv_warn "$name (pid $pid) did not stop within ${STOP_TIMEOUT}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  qpv_log "stopped $name"
}

# Callers before callees (reporting, workshop, stakeholder, national), then the
# Redis servers, so the services drain while their store is still up and
# Redis flushes its AOF last.
shutdown() {
  local rc="${1:-0}"
  ((STOPPING)) && return 0
  STOPPING=1
  trap '' INT TERM
  if [[ -n "$REDIS_PID$NREDIS_PID$SH_PID$WS_PID$RP_PID$NA_PID" ]]; then
    echo >&2
    qpv_log "Stopping..."
  fi
  stop_process qpv-reporting "$RP_PID"
  stop_process qpv-workshop "$WS_PID"
  stop_process qpv-stakeholder "$SH_PID"
  stop_process qpv-national "$NA_PID"
  stop_process redis-server "$REDIS_PID"
  stop_process "redis-server (national)" "$NREDIS_PID"
  exit "$rc"
}
trap 'shutdown 0' INT TERM
trap 'shutdown $?' EXIT

# Starts a daemon in its own session, so a Ctrl-C in the terminal reaches only
# this script, which then stops everything in order; with a parent-death signal,
# so nothing outlives this script even if it is killed with SIGKILL.
spawn() {
  local log="$1"
  shift
  setsid setpriv --pdeathsig TERM "$@" >>"$log" 2>&1 </dev/null 9>&- &
}

# Redis: private, loopback only (unix socket; TCP port 0), AOF on.
# start_redis DIR LOGNAME PID_VAR URL_VAR
start_redis() {
  local dir="$1" logname="$2" pid_var="$3" url_var="$4" sock="$1/redis.sock" args cli url port
  if [[ -S "$sock" ]] && redis-cli -s "$sock" ping >/dev/null 2>&1; then
    qpv_die "a Redis is already serving $(rel "$sock") (left over from an earlier run?): stop it with redis-cli -s $(rel "$sock") shutdown"
  fi
  rm -f "$sock"
  args=(--port 0 --unixsocket "$sock" --unixsocketperm 700
    --dir "$dir" --appendonly yes --appendfsync everysec --save ''
    --daemonize no --logfile '')
  if ((${#sock} > 100)); then
    # A unix socket path is limited to 107 bytes: fall back to TCP on loopback.
    port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    args=(--port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes
      --appendfsync everysec --save '' --daemonize no --logfile '')
    url="redis://127.0.0.1:$port/0"
    cli=(redis-cli -h 127.0.0.1 -p "$port")
  else
    url="unix://$sock"
    cli=(redis-cli -s "$sock")
  fi
  qpv_log "Starting redis-server (data in $(rel "$dir"), log $(rel "$LOG_DIR")/$logname.log)"
  spawn "$LOG_DIR/$logname.log" redis-server "${args[@]}"
  local pid=$!
  printf -v "$pid_var" '%s' "$pid"
  printf -v "$url_var" '%s' "$url"
  for ((i = 0; i < 100; i++)); do
    "${cli[@]}" ping >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOG_DIR/$logname.log" >&2; qpv_die "redis-server exited at start (log above)"; }
    sleep 0.1
  done
  qpv_die "redis-server did not answer within 10s (see $(rel "$LOG_DIR")/$logname.log)"
}
REDIS_URL="" NATIONAL_REDIS_URL=""
start_redis "$REDIS_DIR" redis REDIS_PID REDIS_URL
start_redis "$NATIONAL_REDIS_DIR" national-redis NREDIS_PID NATIONAL_REDIS_URL

# start_service NAME PID_VAR PORT METRICS_PORT [extra env...] (a later
# QPV_REDIS_URL=... overrides the préfecture Redis)
start_service() {
  local name="$1" pid_var="$2" port="$3" metrics="$4"
  shift 4
  local log="$LOG_DIR/${name#qpv-}.log"
  printf '\n===== %s start %s =====\n' "$name" "$(date -Is)" >>"$log"
  qpv_log "Starting $name on $HOST:$port (metrics :$metrics, log $(rel "$log"))"
  spawn "$log" env QPV_LISTEN="$HOST:$port" QPV_METRICS_LISTEN="$HOST:$metrics" \
    QPV_REDIS_URL="$REDIS_URL" "$@" "$BIN_DIR/$name"
  printf -v "$pid_var" '%s' "$!"
}

# Waits until every given "name:pid:address" reports SERVING on grpc.health.v1.
wait_serving() {
  local deadline=$(($(date +%s) + ${QPV_START_TIMEOUT:-30})) entry name pid addr status
  for entry in "$@"; do
    IFS='|' read -r name pid addr <<<"$entry"
    while :; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "----- last lines of $(rel "$LOG_DIR")/${name#qpv-}.log -----" >&2
        tail -n 20 "$LOG_DIR/${name#qpv-}.log" >&2
        qpv_die "$name exited at start (log above)"
      fi
      status="$(health_status "$addr")"
      [[ "$status" == SERVING ]] && break
      if (($(date +%s) >= deadline)); then
        qpv_die "$name at $addr is not SERVING after ${QPV_START_TIMEOUT:-30}s (last status: ${status:-no answer}); see $(rel "$LOG_DIR")/${name#qpv-}.log"
      fi
      sleep 0.3
    done
    qpv_log "$name is SERVING on $addr"
  done
}

health_status() {
  PYTHONPATH="$PYTHON_DIR" "$PYTHON" - "$1" 2>/dev/null <<'PY' || true
import sys
import grpc
from qpv_health import health_pb2, health_pb2_grpc
with grpc.insecure_channel(sys.argv[1]) as channel:
    try:
        reply = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=""), timeout=1)
        print(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))
    except grpc.RpcError as e:
        print(e.code().name)
PY
}

start_service qpv-national NA_PID "$NA_PORT" "$NA_METRICS_PORT" QPV_REDIS_URL="$NATIONAL_REDIS_URL"
start_service qpv-stakeholder SH_PID "$SH_PORT" "$SH_METRICS_PORT"
wait_serving "qpv-stakeholder|$SH_PID|$CONNECT_HOST:$SH_PORT"
start_service qpv-workshop WS_PID "$WS_PORT" "$WS_METRICS_PORT" \
  QPV_STAKEHOLDER_ADDR="$CONNECT_HOST:$SH_PORT"
start_service qpv-reporting RP_PID "$RP_PORT" "$RP_METRICS_PORT" \
  QPV_STAKEHOLDER_ADDR="$CONNECT_HOST:$SH_PORT" QPV_WORKSHOP_ADDR="$CONNECT_HOST:$WS_PORT" \
  QPV_NATIONAL_ADDR="$CONNECT_HOST:$NA_PORT"
wait_serving "qpv-workshop|$WS_PID|$CONNECT_HOST:$WS_PORT" \
  "qpv-reporting|$RP_PID|$CONNECT_HOST:$RP_PORT" "qpv-national|$NA_PID|$CONNECT_HOST:$NA_PORT"

# ---------------------------------------------------------------- demo
demo_workshop=""
if ((do_demo)); then
  qpv_log "Loading the demo: Nord 2018, plus demo workshops of two more préfectures (idempotent)"
  demo_log="$LOG_DIR/load_demo.out"
  if "$PYTHON" "$QPV_ROOT/scripts/load_demo.py" \
    --stakeholder "$CONNECT_HOST:$SH_PORT" --workshop "$CONNECT_HOST:$WS_PORT" \
    --python-dir "$PYTHON_DIR" 2>&1 | tee "$demo_log"; then
    demo_workshop="$(grep -o 'prefectures/59/workshops/[^: ]*' "$demo_log" | head -1)" || true
    # The feed checks every 2 s; wait until national shows every préfecture.
    qpv_log "Waiting for the feed to bring every préfecture to national"
    if ! PYTHONPATH="$PYTHON_DIR" "$PYTHON" "$QPV_ROOT/scripts/wait_national.py" \
      --national "$CONNECT_HOST:$NA_PORT" --workshop "$CONNECT_HOST:$WS_PORT" --timeout 30; then
      qpv_warn "national does not show every préfecture yet; see qpvctl feed status and $(rel "$LOG_DIR")/reporting.log"
    fi
  else
    qpv_warn "the demo did not load completely (output above); the services keep running"
  fi
fi

# ---------------------------------------------------------------- banner
qpvctl="$(rel "$BIN_DIR")/qpvctl"
if [[ "$CONNECT_HOST:$SH_PORT $CONNECT_HOST:$WS_PORT $CONNECT_HOST:$RP_PORT $CONNECT_HOST:$NA_PORT" != \
  "127.0.0.1:50051 127.0.0.1:50052 127.0.0.1:50053 127.0.0.1:50054" ]]; then
  qpvctl+=" --stakeholder-addr $CONNECT_HOST:$SH_PORT --workshop-addr $CONNECT_HOST:$WS_PORT"
  qpvctl+=" --reporting-addr $CONNECT_HOST:$RP_PORT --national-addr $CONNECT_HOST:$NA_PORT"
fi
cat <<BANNER

  quartiers is running
    préfecture stack
      qpv-stakeholder  gRPC $CONNECT_HOST:$SH_PORT   metrics http://$CONNECT_HOST:$SH_METRICS_PORT/metrics
      qpv-workshop     gRPC $CONNECT_HOST:$WS_PORT   metrics http://$CONNECT_HOST:$WS_METRICS_PORT/metrics
      qpv-reporting    gRPC $CONNECT_HOST:$RP_PORT   metrics http://$CONNECT_HOST:$RP_METRICS_PORT/metrics
      redis            $REDIS_URL  (data: $(rel "$REDIS_DIR"), AOF on)
    national stack
      qpv-national     gRPC $CONNECT_HOST:$NA_PORT   metrics http://$CONNECT_HOST:$NA_METRICS_PORT/metrics
      redis            $NATIONAL_REDIS_URL  (data: $(rel "$NATIONAL_REDIS_DIR"), AOF on)
    logs               $(rel "$LOG_DIR")/{stakeholder,workshop,reporting,national,redis,national-redis}.log

  Try, from $QPV_ROOT:
BANNER
if [[ -x "$BIN_DIR/qpvctl" ]]; then
  cat <<TRY
    $qpvctl health --service all
    $qpvctl workshop list --prefecture 59
    $qpvctl report prefecture 59
    $qpvctl national dashboard
    $qpvctl national good-practices
    $qpvctl national status
    $qpvctl feed status 59
TRY
  if [[ -n "$demo_workshop" ]]; then
    cat <<TRY
    $qpvctl report workshop $demo_workshop
    $qpvctl report export --workshop $demo_workshop --format html
TRY
  fi
  echo "    $qpvctl --help"
else
  echo "    (qpvctl is not built: cmake --build $(rel "$QPV_BUILD_DIR") --target qpvctl)"
fi
cat <<TAIL
    tail -f $(rel "$LOG_DIR")/reporting.log
    curl -s http://$CONNECT_HOST:$NA_METRICS_PORT/metrics | head

  Press Ctrl-C to stop everything.

TAIL

# ---------------------------------------------------------------- wait
# Returns on a signal (the trap then stops everything) or when a process dies.
while :; do
  wait -n "$REDIS_PID" "$NREDIS_PID" "$SH_PID" "$WS_PID" "$RP_PID" "$NA_PID" || true
  for entry in "redis-server|$REDIS_PID|redis" "redis-server (national)|$NREDIS_PID|national-redis" \
    "qpv-stakeholder|$SH_PID|stakeholder" "qpv-workshop|$WS_PID|workshop" \
    "qpv-reporting|$RP_PID|reporting" "qpv-national|$NA_PID|national"; do
    IFS='|' read -r name pid log <<<"$entry"
    if ! kill -0 "$pid" 2>/dev/null; then
      qpv_warn "$name (pid $pid) exited unexpectedly; last lines of $(rel "$LOG_DIR")/$log.log:"
      tail -n 20 "$LOG_DIR/$log.log" >&2 || true
      shutdown 1
    fi
  done
done
