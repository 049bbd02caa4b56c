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

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/metrics/scraped_metrics.h"
#include "common/util/versioned_cache.h"
#include "services/workshop/workshop_store.h"

namespace qpv::workshop {

class ContributionPages {
 public:
  using Page = std::vector<Listed<std::string>>;
  using Stats = util::VersionedCache<Page>::Stats;

  // Holds pages of at most `max_bytes` in all (contribution bytes, plus a
  // fixed overhead per item and per page); past that, pages are dropped.
  explicit ContributionPages(size_t max_bytes) : pages_(max_bytes) {}

  // The page listed after `after_seq` (at most `limit` items), if it is
  // kept at `version`.
  std::shared_ptr<const Page> Find(absl::string_view prefecture, absl::string_view workshop,
                                   int64_t after_seq, int limit, absl::string_view version);
  // Keeps `page`, read at `version`, in place of what was kept for it. A
  // page larger than the whole budget is not kept.
  void Put(absl::string_view prefecture, absl::string_view workshop, int64_t after_seq, int limit,
           std::string version, Page page);

  Stats stats() const { return pages_.stats(); }

  // The version of a workshop whose etag and revision are these.
  static std::string Version(absl::string_view etag, int64_t revision);

  // qpv_page_cache_{hits,misses}_total, qpv_page_cache_entries and
  // qpv_page_cache_bytes, read from stats() at each scrape.
  std::vector<metrics::Scraped> Scrape() const;

 private:
  util::VersionedCache<Page> pages_;
};

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_CONTRIBUTION_PAGES_H_
