// The glibc malloc settings every server runs with (TuneMalloc, first thing
// in main): two arenas (why: malloc_tuning.cc), and no
// per-thread caches, a setting only the environment can give, applied by
// restarting the server once with it.
//
// glibc keeps in every thread a cache of freed small blocks (tcache: up to 7
// of each size up to 1 KiB). A server's handler pool has dozens of threads,
// and malloc_trim does not reach those caches' blocks (our reading: scattered
// among free memory, they also keep its pages resident). Measured on
// this machine, each binary beside the same one with the cache on, at once:
// - national under qpv-bench-national-scale --soak (8 min): anonymous
//   memory 58.0 -> 69.9 MiB (floors of the first and last thirds) with the
//   cache, 54.1 -> 61.8 without; after the national-scale grouping (runs
//   alternated, not at once), VmRSS 77.3 / 76.4 MiB with, 68.6 / 68.3
//   without;
// - workshop under the soak's mix (7 min): anonymous memory rose with each
//   thread its pool gained with the cache (3.4 -> 3.7 MiB, 28 -> 30
//   threads), and stayed at 3.2 MiB from the first minute without (38
//   threads);
// - the CPU per call of CreateContribution, GetWorkshop, VoteContribution
//   and GetNationalDashboard, within the machine's noise (bench/run.sh, two
//   paired rounds).
// glibc reads this setting only at start (GLIBC_TUNABLES): no call can
// change it later, hence the restart.
#ifndef QPV_COMMON_SERVER_MALLOC_TUNING_H_
#define QPV_COMMON_SERVER_MALLOC_TUNING_H_

#include <string>

namespace qpv::server {

// The GLIBC_TUNABLES value to restart with, given the environment's (null
// when unset): theirs with the thread cache turned off added, or "" when
// theirs already sets the thread cache (the operator's choice stands).
std::string TunablesFor(const char* current);

// First thing in main, before any thread starts: when the environment does
// not already turn glibc's thread cache off (or set it), execs this same
// program again (its path read from /proc/self/exe, so the process keeps
// its name) with GLIBC_TUNABLES set so that it does; then limits malloc to
// two arenas unless MALLOC_ARENA_MAX is set. The exec is skipped when it
// cannot be done (no /proc, or the program file was replaced since it
// started): the server then runs with glibc's thread caches. Under
// valgrind, set GLIBC_TUNABLES yourself: it does not follow an exec without
// --trace-children=yes.
void TuneMalloc(char** argv);

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_MALLOC_TUNING_H_
