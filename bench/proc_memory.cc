#include "bench/proc_memory.h"

#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace qpv::bench {

absl::StatusOr<ProcMemory> ParseProcStatus(absl::string_view status) {
  ProcMemory out;
  bool rss = false, hwm = false;
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    int64_t* target = nullptr;
    if (absl::ConsumePrefix(&line, "VmRSS:")) {
      target = &out.rss_kb;
      rss = true;
    } else if (absl::ConsumePrefix(&line, "VmHWM:")) {
      target = &out.hwm_kb;
      hwm = true;
    } else {
      continue;
    }
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, "kB");
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line), target)) {
      return absl::DataLossError(absl::StrCat("unreadable memory line: ", line));
    }
  }
  if (!rss || !hwm) return absl::DataLossError("VmRSS or VmHWM missing from the status");
  return out;
}

absl::StatusOr<ProcMemory> ReadProcMemory(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  if (!in) return absl::NotFoundError(absl::StrCat("no process ", pid));
  std::stringstream text;
  text << in.rdbuf();
  return ParseProcStatus(text.str());
}

}  // namespace qpv::bench
