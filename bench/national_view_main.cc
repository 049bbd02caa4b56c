// qpv-bench-national-view: the national service's in-memory view and its
// good-practice grouping at national scale, in one process and without
// gRPC or Redis, so that their time and memory can be profiled alone
// (perf, valgrind --tool=massif or callgrind). Builds the dataset of
// national_dataset.h, turns each snapshot into a view entry as the service
// does after reading it from Redis, then groups the good practices.
//
// Usage: qpv-bench-national-view [--seed N] [--workshops N]
//          [--contributions N] [--reproducible-share X] [--groupings N]
//          [--resubmissions N] [--churn details|figures|votes]
//          [--groups-out FILE]
//
// Before each grouping the process's VmHWM is reset (/proc/self/clear_refs),
// so "grouped" shows the grouping's own peak. --groups-out writes every
// group (its sources' names, one group a line) to compare two builds.
// --resubmissions resubmits the préfectures one at a time, then groups
// every 8th when actions changed, from the previous grouping. --churn says
// what a resubmission changes: its details, actions' texts included (as
// the soak's; the default), its figures alone (the entry keeps its action
// set, and no grouping is needed), or its actions' votes alone (the
// grouping keeps the previous one's joins).
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "bench/national_dataset.h"
#include "bench/proc_memory.h"
#include "services/national/good_practices.h"
#include "services/national/national_view.h"

namespace qpv::bench {
namespace {

// The process's CPU seconds so far (user + system): on a shared machine,
// steadier than wall time.
double CpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void Report(const char* step, absl::Time since) {
  const struct mallinfo2 m = mallinfo2();
  auto mem = ReadProcMemory(getpid());
  std::cout << absl::StrFormat("%-34s %7.2f s (cpu %7.2f s)  heap in use %7.1f MiB  VmRSS %7.1f MiB  VmHWM %7.1f MiB\n",
                               step, absl::ToDoubleSeconds(absl::Now() - since), CpuSeconds(),
                               m.uordblks / 1048576.0, mem.ok() ? mem->rss_kb / 1024.0 : 0,
                               mem.ok() ? mem->hwm_kb / 1024.0 : 0);
}

int Main(int argc, char** argv) {
  DatasetOptions options;
  int groupings = 1;
  int resubmissions = 0;
  std::string churn = "details";
  std::string groups_out;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const std::string v = i + 1 < argc ? argv[++i] : "";
    bool ok = true;
    if (flag == "--seed") ok = absl::SimpleAtoi(v, &options.seed);
    else if (flag == "--workshops") ok = absl::SimpleAtoi(v, &options.workshops);
    else if (flag == "--contributions") ok = absl::SimpleAtoi(v, &options.contributions);
    else if (flag == "--reproducible-share") ok = absl::SimpleAtod(v, &options.reproducible_share);
    else if (flag == "--groupings") ok = absl::SimpleAtoi(v, &groupings);
    else if (flag == "--resubmissions") ok = absl::SimpleAtoi(v, &resubmissions);
    else if (flag == "--groups-out") groups_out = v;
    else if (flag == "--churn") {
      churn = v;
      ok = v == "details" || v == "figures" || v == "votes";
    } else
      ok = false;
    if (!ok) {
      std::cerr << "qpv-bench-national-view: bad option " << flag << " " << v << "\n";
      return 2;
    }
  }
  const DatasetPlan plan = MakePlan(options);
  Report("start", absl::Now());
  absl::Time t = absl::Now();
  std::vector<std::shared_ptr<const national::PrefectureEntry>> entries;
  int64_t actions = 0;
  for (size_t i = 0; i < plan.prefectures.size(); ++i) {
    national::StoredSnapshot stored;
    stored.prefecture = plan.prefectures[i].code;
    stored.version = 1;
    stored.receive_time = absl::Now();
    const auto snapshot = BuildSnapshot(plan, static_cast<int>(i), 1);
    actions += snapshot.reproducible_actions_size();
    stored.snapshot = snapshot.SerializeAsString();
    auto entry = national::BuildEntry(stored);
    if (!entry.ok()) {
      std::cerr << entry.status() << "\n";
      return 1;
    }
    entries.push_back(*entry);
  }
  auto view = national::NextView(*national::ViewState::Empty(), 1, entries, {});
  entries.clear();
  std::cout << absl::StrFormat("%d actions\n", actions);
  {
    double arena = 0, texts = 0, records = 0, cells = 0, rows = 0;
    for (const auto& e : view->prefectures) {
      if (!e) continue;
      arena += e->action_set->arena.capacity();
      texts += e->action_set->texts->compressed_bytes();
      records += e->action_set->actions.capacity() * sizeof(national::ActionRecord);
      rows += e->rows.capacity() * sizeof(national::MonthTotals);
      cells += e->workshops.capacity() * sizeof(national::WorkshopCells);
      for (const auto& w : e->workshops) cells += w.cells.capacity() * sizeof(national::Cell);
    }
    std::cout << absl::StrFormat(
        "view: action records %.1f MiB (%d B each), strings %.1f MiB, texts %.1f MiB compressed, "
        "workshop cells %.1f MiB, month rows %.1f MiB\n",
        records / 1048576, sizeof(national::ActionRecord), arena / 1048576, texts / 1048576,
        cells / 1048576, rows / 1048576);
  }
  Report("view built (generation included)", t);
  malloc_trim(0);
  Report("after malloc_trim", absl::Now());
  for (int g = 0; g < groupings; ++g) {
    // The peak of the grouping alone, not of the view's construction.
    std::ofstream("/proc/self/clear_refs") << "5";
    Report("VmHWM reset", absl::Now());
    t = absl::Now();
    national::PracticeIndex index = national::IndexActionSets(national::ActionSetsOf(*view));
    Report("grouped (index held)", t);
    int64_t multi = 0, largest = 0;
    for (const auto& group : index.groups) {
      if (group.prefecture_count > 1) ++multi;
      largest = std::max<int64_t>(largest, group.count);
    }
    std::cout << absl::StrFormat(
        "%d groups, %d in several préfectures, the largest %d actions; the index %.1f MiB\n",
        index.groups.size(), multi, largest,
        (index.sets.capacity() * sizeof(void*) + index.set_base.capacity() * 4 +
         index.members.capacity() * 4 + index.groups.capacity() * sizeof(national::PracticeGroup)) /
            1048576.0);
    malloc_trim(0);
    Report("after malloc_trim (index held)", absl::Now());
    if (g == 0 && !groups_out.empty()) {
      std::ofstream out(groups_out);
      for (const auto& group : index.groups) {
        for (uint32_t k = group.first; k < group.first + group.count; ++k) {
          const national::PracticeSource s = index.SourceOf(index.members[k]);
          out << (k == group.first ? "" : " ") << s.set->ContributionName(*s.action);
        }
        out << "\n";
      }
    }
  }
  malloc_trim(0);
  Report("after malloc_trim", absl::Now());
  // Churn: one préfecture resubmitted at a time, a grouping every 8th
  // when the action sets changed (from the previous one, as the service
  // does), memory given back as the service does.
  if (resubmissions == 0) return 0;
  t = absl::Now();
  national::ActionSets grouped = national::ActionSetsOf(*view);
  national::PracticeIndex index = national::IndexActionSets(grouped);
  Report("grouped before the churn", t);
  double build_cpu = 0, group_cpu = 0;
  int kept = 0, regroups = 0, joins_kept = 0;
  t = absl::Now();
  for (int r = 1; r <= resubmissions; ++r) {
    national::StoredSnapshot stored;
    const int i = (r - 1) % static_cast<int>(plan.prefectures.size());
    stored.prefecture = plan.prefectures[i].code;
    stored.version = 1 + r;
    stored.receive_time = absl::Now();
    auto snapshot = BuildSnapshot(plan, i, 1 + r, churn == "details" ? r : 0);
    if (churn == "votes") {
      for (auto& a : *snapshot.mutable_reproducible_actions()) a.set_vote_count(a.vote_count() + r);
    }
    stored.snapshot = snapshot.SerializeAsString();
    const auto& previous = view->prefectures[national::DepartementIndex(stored.prefecture)];
    double cpu = CpuSeconds();
    auto entry = national::BuildEntry(stored, previous.get());
    build_cpu += CpuSeconds() - cpu;
    if (!entry.ok()) return 1;
    if (previous && (*entry)->action_set == previous->action_set) ++kept;
    view = national::NextView(*view, 1 + r, {*entry}, {});
    if (r % 8 == 0 && !national::SameActionSets(grouped, *view)) {
      national::ActionSets sets = national::ActionSetsOf(*view);
      cpu = CpuSeconds();
      index = national::IndexActionSets(sets, {&grouped, &index});
      group_cpu += CpuSeconds() - cpu;
      if (index.joins_kept) ++joins_kept;
      grouped = std::move(sets);
      ++regroups;
    }
    malloc_trim(0);
    if (r % 40 == 0 || r == resubmissions) {
      Report(absl::StrFormat("after %d resubmissions", r).c_str(), t);
    }
  }
  if (joins_kept > 0) {
    // The kept joins must give what a grouping from scratch gives.
    const national::PracticeIndex fresh = national::IndexActionSets(grouped);
    const auto same = [](const national::PracticeGroup& a, const national::PracticeGroup& b) {
      return a.first == b.first && a.count == b.count && a.best == b.best &&
             a.prefecture_count == b.prefecture_count && a.themes == b.themes;
    };
    const bool equal = fresh.members == index.members && fresh.sets == index.sets &&
                       std::equal(fresh.groups.begin(), fresh.groups.end(), index.groups.begin(),
                                  index.groups.end(), same);
    std::cout << "the last grouping, from kept joins, is "
              << (equal ? "the same as" : "NOT the same as") << " a grouping from scratch\n";
    if (!equal) return 1;
  }
  std::cout << absl::StrFormat(
      "%d resubmissions (%s): %d kept their action set, BuildEntry %.1f ms of CPU each; "
      "%d groupings (%d kept the joins), %.2f s of CPU each\n",
      resubmissions, churn, kept, build_cpu * 1000 / resubmissions, regroups, joins_kept,
      regroups > 0 ? group_cpu / regroups : 0.0);
  return 0;
}

}  // namespace
}  // namespace qpv::bench

int main(int argc, char** argv) { return qpv::bench::Main(argc, argv); }
