#include "services/workshop/contribution_pages.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace qpv::workshop {
namespace {

// What a kept item or page costs beside its bytes (string and vector
// headers, the map's slot), so many tiny pages cannot exceed the budget.
constexpr size_t kItemOverhead = 48;
constexpr size_t kPageOverhead = 160;

size_t SizeOf(const ContributionPages::Page& page, absl::string_view key,
              absl::string_view version) {
  size_t n = kPageOverhead + key.size() + version.size();
  for (const auto& item : page) n += kItemOverhead + item.item.size();
  return n;
}

}  // namespace

std::string ContributionPages::Version(absl::string_view etag, int64_t revision) {
  return absl::StrCat(revision, "/", etag);
}

std::string ContributionPages::Key(absl::string_view prefecture, absl::string_view workshop,
                                   int64_t after_seq, int limit) {
  // Ids never hold '/', so the parts cannot run into each other.
  return absl::StrCat(prefecture, "/", workshop, "/", after_seq, "/", limit);
}

std::shared_ptr<const ContributionPages::Page> ContributionPages::Find(absl::string_view prefecture,
                                                                       absl::string_view workshop,
                                                                       int64_t after_seq, int limit,
                                                                       absl::string_view version) {
  const std::string key = Key(prefecture, workshop, after_seq, limit);
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version != version) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.page;
}

void ContributionPages::Put(absl::string_view prefecture, absl::string_view workshop,
                            int64_t after_seq, int limit, std::string version, Page page) {
  std::string key = Key(prefecture, workshop, after_seq, limit);
  const size_t bytes = SizeOf(page, key, version);
  auto kept = std::make_shared<const Page>(std::move(page));
  absl::MutexLock lock(&mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= it->second.bytes;
    entries_.erase(it);
  }
  if (bytes > max_bytes_) return;
  // Any page makes room: which one matters less than a lookup that costs
  // nothing on the read path.
  while (bytes_ + bytes > max_bytes_ && !entries_.empty()) {
    auto victim = entries_.begin();
    bytes_ -= victim->second.bytes;
    entries_.erase(victim);
  }
  bytes_ += bytes;
  entries_.emplace(std::move(key), Entry{std::move(version), std::move(kept), bytes});
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

ContributionPages::Stats ContributionPages::stats() const {
  absl::MutexLock lock(&mu_);
  return Stats{hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed),
               entries_.size(), bytes_};
}

}  // namespace qpv::workshop
