#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test registered in CTest
# (unit, integration against a real redis-server, end-to-end against the real
# binaries). Exits non-zero on any failure.
#
#   scripts/test.sh                  everything
#   scripts/test.sh -R e2e           extra arguments go to ctest
#   scripts/test.sh --no-build ...   skip install and build (reuse build/)
#
# Environment: QPV_BUILD_DIR (default build/), QPV_JOBS (default 2).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

build=1
if [[ "${1:-}" == --no-build ]]; then build=0; shift; fi
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit 0
fi

start=$(date +%s)
if ((build)); then
  qpv_install_deps
  # shellcheck disable=SC2119  # (builds everything: no arguments wanted)
  qpv_build
fi
build_time="$(qpv_elapsed "$start")"

ctest_log="$(mktemp "${TMPDIR:-/tmp}/qpv-ctest.XXXXXX")"
trap 'rm -f "$ctest_log"' EXIT

qpv_log "Running the tests: ctest --test-dir ${QPV_BUILD_DIR#"$QPV_ROOT"/} --output-on-failure -j$QPV_JOBS $*"
tests_start=$(date +%s)
set +e
ctest --test-dir "$QPV_BUILD_DIR" --output-on-failure --no-tests=error -j"$QPV_JOBS" "$@" 2>&1 |
  tee "$ctest_log"
rc=${PIPESTATUS[0]}
set -e

echo
qpv_log "Elapsed: build $build_time, tests $(qpv_elapsed "$tests_start"), total $(qpv_elapsed "$start")"
if ((rc != 0)); then
  qpv_log "FAILED (ctest exit code $rc)"
fi
# End with ctest's own summary (pass/fail counts, failed tests), whatever
# the output above was.
if grep -q 'tests passed, ' "$ctest_log"; then
  sed -n '/tests passed, /,$p' "$ctest_log"
fi
exit "$rc"
