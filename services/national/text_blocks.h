// The titles and texts of a préfecture's reproducible actions, compressed
// (zlib) by blocks of kTextBlock actions: they are most of an action's
// bytes (~330 for a text, ~60 for a title) and are read only to build a
// page of good practices (the best action of each group), to order a
// grouping's groups, and by a grouping, which reads them all in order, a
// block at a time. At national scale (195,000 actions) this keeps 86 MiB
// of titles and texts in 15.4 MiB (measured on the bench's generated French
// texts, which repeat phrases more than real ones: expect ~3x on real
// texts).
#ifndef QPV_SERVICES_NATIONAL_TEXT_BLOCKS_H_
#define QPV_SERVICES_NATIONAL_TEXT_BLOCKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace qpv::national {

inline constexpr int kTextBlock = 64;

struct TextRef {
  uint32_t block = 0;
  uint32_t offset = 0;  // in the decompressed block
  uint32_t size = 0;
};

class TextBlocks {
 public:
  // Adds texts in order; Finish() compresses the last block.
  class Builder {
   public:
    explicit Builder(TextBlocks* out) : out_(out) {}
    // `first` then `second` (a title and its text), as one text.
    TextRef Add(absl::string_view first, absl::string_view second);
    void Finish();

   private:
    void Flush();
    TextBlocks* out_;
    std::string pending_;
    int count_ = 0;
  };

  // The decompressed block ("" when it cannot be read, which only memory
  // corruption could cause).
  std::string Block(uint32_t block) const;
  size_t compressed_bytes() const { return data_.size(); }
  // The same texts in the same blocks (compression is deterministic).
  bool operator==(const TextBlocks& o) const {
    return data_ == o.data_ && begin_ == o.begin_ && raw_size_ == o.raw_size_;
  }

 private:
  std::string data_;             // compressed blocks, back to back
  std::vector<uint32_t> begin_;  // block b is data_[begin_[b], begin_[b + 1])
  std::vector<uint32_t> raw_size_;
};

}  // namespace qpv::national

#endif  // QPV_SERVICES_NATIONAL_TEXT_BLOCKS_H_
