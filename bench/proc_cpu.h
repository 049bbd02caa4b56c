// CPU time a process has used, from /proc/<pid>/stat: qpv-bench reads it for
// itself and for the processes named by --cpu-pid at both ends of the
// measured window, so BENCHMARKS.md can say where each call's CPU goes
// (client, server, Redis) on a machine they all share.
#ifndef QPV_BENCH_PROC_CPU_H_
#define QPV_BENCH_PROC_CPU_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace qpv::bench {

// User plus system seconds of every thread of the process; NOT_FOUND when
// it is gone.
absl::StatusOr<double> ReadProcCpuSeconds(int pid);
// The same from the text of a stat file and the clock ticks per second
// (for tests). The command name may hold spaces and parentheses.
absl::StatusOr<double> ParseProcStat(absl::string_view stat, long ticks_per_second);

// CPU microseconds per call of each named process between two readings.
std::map<std::string, double> CpuPerCall(const std::map<std::string, double>& before,
                                         const std::map<std::string, double>& after,
                                         int64_t calls);

}  // namespace qpv::bench

#endif  // QPV_BENCH_PROC_CPU_H_
