// Resident memory of a process, from /proc/<pid>/status: what run.sh and
// qpv-bench-national-scale report for each service.
#ifndef QPV_BENCH_PROC_MEMORY_H_
#define QPV_BENCH_PROC_MEMORY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace qpv::bench {

struct ProcMemory {
  int64_t rss_kb = 0;  // VmRSS: resident now
  int64_t hwm_kb = 0;  // VmHWM: the peak resident so far
};

// NOT_FOUND when the process is gone.
absl::StatusOr<ProcMemory> ReadProcMemory(int pid);
// The same from the text of a status file (for tests).
absl::StatusOr<ProcMemory> ParseProcStatus(absl::string_view status);

}  // namespace qpv::bench

#endif  // QPV_BENCH_PROC_MEMORY_H_
