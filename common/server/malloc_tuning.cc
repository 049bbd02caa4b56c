#include "common/server/malloc_tuning.h"

#include <limits.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>

namespace qpv::server {
namespace {

constexpr char kTunable[] = "glibc.malloc.tcache_count";
// Set across the exec: a glibc that drops GLIBC_TUNABLES from the
// environment must not make the server restart forever.
constexpr char kRestarted[] = "QPV_MALLOC_RESTARTED";

}  // namespace

std::string TunablesFor(const char* current) {
  const std::string theirs = current == nullptr ? "" : current;
  if (theirs.find(kTunable) != std::string::npos) return "";
  return (theirs.empty() ? "" : theirs + ":") + kTunable + "=0";
}

namespace {

// Execs the program again with the thread cache off, unless it already is
// (or the operator set it). Returns when it did not.
void RestartWithTunables(char** argv) {
  if (std::getenv(kRestarted) != nullptr) {
    unsetenv(kRestarted);
    return;
  }
  const char* current = std::getenv("GLIBC_TUNABLES");
  const std::string wanted = TunablesFor(current);
  if (wanted.empty()) return;
  // The program's own path, not /proc/self/exe: the process takes its name
  // (ps, pgrep, top) from the path it was exec'd with.
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return;
  path[n] = '\0';
  const std::string previous = current == nullptr ? "" : current;
  setenv("GLIBC_TUNABLES", wanted.c_str(), 1);
  setenv(kRestarted, "1", 1);
  execv(path, argv);
  // Still here: the exec failed. Leave the environment as it was.
  unsetenv(kRestarted);
  if (current == nullptr) {
    unsetenv("GLIBC_TUNABLES");
  } else {
    setenv("GLIBC_TUNABLES", previous.c_str(), 1);
  }
}

}  // namespace

void TuneMalloc(char** argv) {
  RestartWithTunables(argv);
  // glibc gives each thread that meets a busy arena a new one, up to 8 per
  // core, and each keeps what its threads freed: with a pool of dozens of
  // threads, resident memory crept up under a steady load (bench/run.sh
  // --soak). Two arenas hold it lower and flatter at the same throughput.
  // MALLOC_ARENA_MAX in the environment still decides when it is set.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
}

}  // namespace qpv::server
