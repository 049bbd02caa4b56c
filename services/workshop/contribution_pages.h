// Pages of workshops' contributions, in wire form, each kept with the
// version of its workshop (etag and revision) that it was read at.
//
// Every write of a contribution bumps its workshop's revision, in the same
// script, and the list script reads the page and the version atomically. So
// a page whose version is that of the workshop as the tracked cache
// (TrackedReads) holds it is exactly what Redis would list: a list served
// from here is as fresh as a GetWorkshop served from memory. The etag tells
// apart a workshop created again under the same id (a restore, a flush).
#ifndef QPV_SERVICES_WORKSHOP_CONTRIBUTION_PAGES_H_
#define QPV_SERVICES_WORKSHOP_CONTRIBUTION_PAGES_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/scraped_metrics.h"
#include "services/workshop/workshop_store.h"

namespace qpv::workshop {

class ContributionPages {
 public:
  using Page = std::vector<Listed<std::string>>;
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;  // absent, or kept at another version
    size_t entries = 0;
    size_t bytes = 0;
  };

  // Holds pages of at most `max_bytes` in all (contribution bytes, plus a
  // fixed overhead per item and per page); past that, pages are dropped.
  explicit ContributionPages(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The page listed after `after_seq` (at most `limit` items), if it is
  // kept at `version`.
  std::shared_ptr<const Page> Find(absl::string_view prefecture, absl::string_view workshop,
                                   int64_t after_seq, int limit, absl::string_view version);
  // Keeps `page`, read at `version`, in place of what was kept for it. A
  // page larger than the whole budget is not kept.
  void Put(absl::string_view prefecture, absl::string_view workshop, int64_t after_seq, int limit,
           std::string version, Page page);

  Stats stats() const;

  // The version of a workshop whose etag and revision are these.
  static std::string Version(absl::string_view etag, int64_t revision);

  // qpv_page_cache_{hits,misses}_total, qpv_page_cache_entries and
  // qpv_page_cache_bytes, read from stats() at each scrape.
  std::vector<metrics::Scraped> Scrape() const;

 private:
  struct Entry {
    std::string version;
    std::shared_ptr<const Page> page;
    size_t bytes = 0;
  };
  static std::string Key(absl::string_view prefecture, absl::string_view workshop,
                         int64_t after_seq, int limit);

  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // Counted under the reader lock.
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_CONTRIBUTION_PAGES_H_
