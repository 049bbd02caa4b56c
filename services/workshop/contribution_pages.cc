#include "services/workshop/contribution_pages.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace qpv::workshop {
namespace {

// What a kept item costs beside its bytes (its string's and Listed's
// headers), so many tiny items cannot exceed the budget.
constexpr size_t kItemOverhead = 48;

std::string Key(absl::string_view prefecture, absl::string_view workshop, int64_t after_seq,
                int limit) {
  // Ids never hold '/', so the parts cannot run into each other.
  return absl::StrCat(prefecture, "/", workshop, "/", after_seq, "/", limit);
}

}  // namespace

std::string ContributionPages::Version(absl::string_view etag, int64_t revision) {
  return absl::StrCat(revision, "/", etag);
}

std::shared_ptr<const ContributionPages::Page> ContributionPages::Find(absl::string_view prefecture,
                                                                       absl::string_view workshop,
                                                                       int64_t after_seq, int limit,
                                                                       absl::string_view version) {
  return pages_.Find(Key(prefecture, workshop, after_seq, limit), version);
}

void ContributionPages::Put(absl::string_view prefecture, absl::string_view workshop,
                            int64_t after_seq, int limit, std::string version, Page page) {
  size_t bytes = 0;
  for (const auto& item : page) bytes += kItemOverhead + item.item.size();
  pages_.Put(Key(prefecture, workshop, after_seq, limit), std::move(version),
             std::make_shared<const Page>(std::move(page)), bytes);
}

std::vector<metrics::Scraped> ContributionPages::Scrape() const {
  const Stats s = stats();
  using prometheus::MetricType;
  return {
      {"qpv_page_cache_hits_total", "contribution pages served from memory", MetricType::Counter,
       static_cast<double>(s.hits)},
      {"qpv_page_cache_misses_total",
       "contribution pages read from Redis (absent, or their workshop changed)",
       MetricType::Counter, static_cast<double>(s.misses)},
      {"qpv_page_cache_entries", "pages held", MetricType::Gauge, static_cast<double>(s.entries)},
      {"qpv_page_cache_bytes", "bytes the pages held count against QPV_WORKSHOP_PAGE_CACHE",
       MetricType::Gauge, static_cast<double>(s.bytes)}};
}

}  // namespace qpv::workshop
