#include "services/national/text_blocks.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace qpv::national {
namespace {

TEST(TextBlocksTest, EveryTextReadsBackAcrossBlocks) {
  TextBlocks blocks;
  TextBlocks::Builder builder(&blocks);
  std::vector<std::string> texts;
  std::vector<TextRef> refs;
  for (int i = 0; i < 3 * kTextBlock + 5; ++i) {
    texts.push_back(i % 7 == 0 ? std::string()
                               : absl::StrCat("Un café des parents à l'école n°", i,
                                              ", chaque semaine, avec une médiatrice."));
    refs.push_back(builder.Add(texts.back()));
  }
  builder.Finish();
  EXPECT_EQ(refs.back().block, 3u);
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(blocks.Get(refs[i]), texts[i]) << i;
  // Compressed: these repetitive texts take far less than their size.
  size_t raw = 0;
  for (const auto& t : texts) raw += t.size();
  EXPECT_LT(blocks.compressed_bytes(), raw / 3);
}

TEST(TextBlocksTest, EmptyAndUnknownBlocks) {
  TextBlocks blocks;
  TextBlocks::Builder builder(&blocks);
  builder.Finish();
  EXPECT_EQ(blocks.compressed_bytes(), 0u);
  EXPECT_EQ(blocks.Block(0), "");
  EXPECT_EQ(blocks.Get(TextRef{5, 0, 3}), "");
}

}  // namespace
}  // namespace qpv::national
