#include "services/workshop/contribution_pages.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace qpv::workshop {
namespace {

ContributionPages::Page PageOf(int items, size_t bytes_each) {
  ContributionPages::Page page;
  for (int i = 0; i < items; ++i) page.push_back({i + 1, std::string(bytes_each, 'x')});
  return page;
}

TEST(ContributionPagesTest, APageIsFoundAtItsVersionOnly) {
  ContributionPages pages(1 << 20);
  const std::string v3 = ContributionPages::Version("e0", 3);
  EXPECT_EQ(pages.Find("59", "w1", 0, 50, v3), nullptr);
  pages.Put("59", "w1", 0, 50, v3, PageOf(2, 10));
  auto hit = pages.Find("59", "w1", 0, 50, v3);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->size(), 2u);
  // Another revision, etag, cursor, size, workshop or préfecture misses.
  EXPECT_EQ(pages.Find("59", "w1", 0, 50, ContributionPages::Version("e0", 4)), nullptr);
  EXPECT_EQ(pages.Find("59", "w1", 0, 50, ContributionPages::Version("e1", 3)), nullptr);
  EXPECT_EQ(pages.Find("59", "w1", 1, 50, v3), nullptr);
  EXPECT_EQ(pages.Find("59", "w1", 0, 49, v3), nullptr);
  EXPECT_EQ(pages.Find("59", "w2", 0, 50, v3), nullptr);
  EXPECT_EQ(pages.Find("62", "w1", 0, 50, v3), nullptr);
  const ContributionPages::Stats s = pages.stats();
  EXPECT_EQ(s.hits, 1);
  EXPECT_EQ(s.misses, 7);
  EXPECT_EQ(s.entries, 1u);
}

TEST(ContributionPagesTest, ANewerReadReplacesThePage) {
  ContributionPages pages(1 << 20);
  pages.Put("59", "w1", 0, 50, ContributionPages::Version("e0", 3), PageOf(2, 10));
  const size_t two = pages.stats().bytes;
  pages.Put("59", "w1", 0, 50, ContributionPages::Version("e0", 4), PageOf(3, 10));
  EXPECT_EQ(pages.Find("59", "w1", 0, 50, ContributionPages::Version("e0", 3)), nullptr);
  auto hit = pages.Find("59", "w1", 0, 50, ContributionPages::Version("e0", 4));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->size(), 3u);
  EXPECT_EQ(pages.stats().entries, 1u);
  EXPECT_GT(pages.stats().bytes, two);  // the first page's bytes are given back
  EXPECT_LT(pages.stats().bytes, 2 * two);
}

TEST(ContributionPagesTest, TheBudgetHolds) {
  const size_t budget = 64 << 10;
  ContributionPages pages(budget);
  for (int w = 0; w < 100; ++w) {
    pages.Put("59", "w" + std::to_string(w), 0, 50, "1/e", PageOf(50, 100));  // ~7.5 KiB
    EXPECT_LE(pages.stats().bytes, budget);
  }
  EXPECT_GT(pages.stats().entries, 4u);
  EXPECT_LT(pages.stats().entries, 10u);
  // The last page put is kept.
  EXPECT_NE(pages.Find("59", "w99", 0, 50, "1/e"), nullptr);
  // A page larger than the budget is not kept, and takes nothing out.
  const size_t entries = pages.stats().entries;
  pages.Put("59", "big", 0, 50, "1/e", PageOf(10, budget));
  EXPECT_EQ(pages.Find("59", "big", 0, 50, "1/e"), nullptr);
  EXPECT_EQ(pages.stats().entries, entries);
}

TEST(ContributionPagesTest, MetricsAreTheCountersAtScrapeTime) {
  ContributionPages pages(1 << 20);
  pages.Put("59", "w1", 0, 50, "1/e", PageOf(2, 10));
  ASSERT_NE(pages.Find("59", "w1", 0, 50, "1/e"), nullptr);
  ASSERT_EQ(pages.Find("59", "w1", 0, 50, "2/e"), nullptr);
  ASSERT_EQ(pages.Find("59", "w2", 0, 50, "1/e"), nullptr);
  std::map<std::string, double> got;
  for (const auto& s : pages.Scrape()) got[s.name] = s.value;
  EXPECT_EQ(got["qpv_page_cache_hits_total"], 1);
  EXPECT_EQ(got["qpv_page_cache_misses_total"], 2);
  EXPECT_EQ(got["qpv_page_cache_entries"], 1);
  EXPECT_EQ(got["qpv_page_cache_bytes"], static_cast<double>(pages.stats().bytes));
  EXPECT_GT(got["qpv_page_cache_bytes"], 20);
  EXPECT_EQ(got.size(), 4u);
}

}  // namespace
}  // namespace qpv::workshop
