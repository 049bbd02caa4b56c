#include "bench/proc_cpu.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace qpv::bench {

absl::StatusOr<double> ParseProcStat(absl::string_view stat, long ticks_per_second) {
  // "pid (comm) state ppid ..." : the fields after the last ')' start with
  // state (field 3); utime and stime are fields 14 and 15.
  const size_t close = stat.rfind(')');
  if (close == absl::string_view::npos || ticks_per_second <= 0) {
    return absl::DataLossError("unreadable /proc stat line");
  }
  std::vector<absl::string_view> fields =
      absl::StrSplit(stat.substr(close + 1), ' ', absl::SkipEmpty());
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::DataLossError("unreadable utime or stime in /proc stat line");
  }
  return static_cast<double>(utime + stime) / static_cast<double>(ticks_per_second);
}

absl::StatusOr<double> ReadProcCpuSeconds(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  if (!in) return absl::NotFoundError(absl::StrCat("no process ", pid));
  std::stringstream text;
  text << in.rdbuf();
  return ParseProcStat(text.str(), sysconf(_SC_CLK_TCK));
}

std::map<std::string, double> CpuPerCall(const std::map<std::string, double>& before,
                                         const std::map<std::string, double>& after,
                                         int64_t calls) {
  std::map<std::string, double> out;
  if (calls <= 0) return out;
  for (const auto& [name, end] : after) {
    auto start = before.find(name);
    if (start == before.end()) continue;
    out[name] = (end - start->second) * 1e6 / static_cast<double>(calls);
  }
  return out;
}

}  // namespace qpv::bench
