#include "services/national/text_blocks.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace qpv::national {
namespace {

// The bytes of `ref` in its block.
std::string Read(const TextBlocks& blocks, const TextRef& ref) {
  return blocks.Block(ref.block).substr(ref.offset, ref.size);
}

TEST(TextBlocksTest, EveryTextReadsBackAcrossBlocks) {
  TextBlocks blocks;
  TextBlocks::Builder builder(&blocks);
  std::vector<std::string> texts;
  std::vector<TextRef> refs;
  for (int i = 0; i < 3 * kTextBlock + 5; ++i) {
    const std::string title = absl::StrCat("Café n°", i);
    const std::string text = i % 7 == 0 ? std::string()
                                        : absl::StrCat("Un café des parents à l'école n°", i,
                                                       ", chaque semaine, avec une médiatrice.");
    texts.push_back(title + text);
    refs.push_back(builder.Add(title, text));
  }
  builder.Finish();
  EXPECT_EQ(refs.back().block, 3u);
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(Read(blocks, refs[i]), texts[i]) << i;
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
  EXPECT_EQ(blocks.Block(5), "");
}

}  // namespace
}  // namespace qpv::national
