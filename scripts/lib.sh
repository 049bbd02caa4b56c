# shellcheck shell=bash
# Shared helpers for scripts/run.sh and scripts/test.sh. Source it, do not run it.
#
#   QPV_ROOT        the repository (set here from this file's location)
#   QPV_BUILD_DIR   build folder (default: $QPV_ROOT/build)
#   QPV_JOBS        parallel build jobs (default: 2)

QPV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QPV_BUILD_DIR="${QPV_BUILD_DIR:-$QPV_ROOT/build}"
QPV_JOBS="${QPV_JOBS:-2}"

# Debian 12 packages the build, the tests and the demo need.
QPV_DEBIAN_PACKAGES=(
  build-essential cmake pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev redis-server libgtest-dev libgmock-dev prometheus-cpp-dev
  libgoogle-common-protos-java grpc-proto
  python3-grpcio python3-protobuf
  chromium python3-pil
)

qpv_log() { printf '==> %s\n' "$*" >&2; }
qpv_warn() { printf 'warning: %s\n' "$*" >&2; }
qpv_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Seconds since an epoch timestamp, as "1m23s".
qpv_elapsed() {
  local s=$(($(date +%s) - $1))
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# Installs the Debian packages that are missing: one dpkg-query check, then (only
# if something is missing) one apt-get update and one apt-get install.
qpv_install_deps() {
  local missing=() pkg status
  for pkg in "${QPV_DEBIAN_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == installed ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    qpv_log "Debian packages: all ${#QPV_DEBIAN_PACKAGES[@]} present"
    return 0
  fi
  qpv_log "Installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || qpv_die "not root and no sudo: install ${missing[*]} first"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update ||
    qpv_die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" ||
    qpv_die "apt-get install failed for: ${missing[*]}"
}

# Configures $QPV_BUILD_DIR (RelWithDebInfo) and builds everything with
# $QPV_JOBS jobs, ccache when present. Extra arguments go to `cmake --build`
# (e.g. --target qpv-workshop).
qpv_build() {
  local start cmake_args=(-S "$QPV_ROOT" -B "$QPV_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  start=$(date +%s)
  if command -v ccache >/dev/null 2>&1; then
    # Paths under the repository are hashed relative to it, so another checkout
    # (or a CI workspace) reuses the same cache entries.
    export CCACHE_BASEDIR="$QPV_ROOT"
    cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  local cache_before
  cache_before="$(_qpv_ccache_counts)"
  qpv_log "Configuring $QPV_BUILD_DIR"
  cmake "${cmake_args[@]}" || qpv_die "cmake configure failed"
  qpv_log "Building with -j$QPV_JOBS (the first build takes several minutes)"
  cmake --build "$QPV_BUILD_DIR" -j"$QPV_JOBS" "$@" || qpv_die "build failed (see the compiler output above)"
  local cache_note="" cache_after hits misses
  cache_after="$(_qpv_ccache_counts)"
  if [[ -n "$cache_before" && -n "$cache_after" ]]; then
    read -r hits misses <<<"$cache_after"
    hits=$((hits - ${cache_before% *})) misses=$((misses - ${cache_before#* }))
    ((hits + misses > 0)) && cache_note=", ccache hits $hits/$((hits + misses))"
  fi
  qpv_log "Build done in $(qpv_elapsed "$start")$cache_note"
}

# "hits misses" from ccache's counters (shared with other builds, so callers
# take differences), or nothing when ccache is absent.
_qpv_ccache_counts() {
  command -v ccache >/dev/null 2>&1 || return 0
  ccache --print-stats 2>/dev/null | awk -F'\t' '
    $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
    $1 == "cache_miss" { m += $2 }
    END { printf "%d %d", h, m }' || true
}
