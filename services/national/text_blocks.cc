#include "services/national/text_blocks.h"

#include <zlib.h>

namespace qpv::national {

TextRef TextBlocks::Builder::Add(absl::string_view first, absl::string_view second) {
  if (count_ == kTextBlock) Flush();
  const TextRef ref{static_cast<uint32_t>(out_->raw_size_.size()),
                    static_cast<uint32_t>(pending_.size()),
                    static_cast<uint32_t>(first.size() + second.size())};
  pending_.append(first.data(), first.size());
  pending_.append(second.data(), second.size());
  ++count_;
  return ref;
}

void TextBlocks::Builder::Finish() {
  if (count_ > 0) Flush();
  out_->data_.shrink_to_fit();
  out_->begin_.push_back(static_cast<uint32_t>(out_->data_.size()));
  out_->begin_.shrink_to_fit();
  out_->raw_size_.shrink_to_fit();
}

void TextBlocks::Builder::Flush() {
  uLongf size = compressBound(pending_.size());
  std::string compressed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &size,
                reinterpret_cast<const Bytef*>(pending_.data()), pending_.size(),
                Z_DEFAULT_COMPRESSION) != Z_OK) {
    size = 0;  // unreachable with compressBound's room; the block reads as ""
  }
  out_->begin_.push_back(static_cast<uint32_t>(out_->data_.size()));
  out_->raw_size_.push_back(size == 0 ? 0 : static_cast<uint32_t>(pending_.size()));
  out_->data_.append(compressed.data(), size);
  pending_.clear();
  count_ = 0;
}

std::string TextBlocks::Block(uint32_t block) const {
  if (block >= raw_size_.size()) return "";
  std::string out(raw_size_[block], '\0');
  uLongf size = out.size();
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size,
                 reinterpret_cast<const Bytef*>(data_.data() + begin_[block]),
                 begin_[block + 1] - begin_[block]) != Z_OK ||
      size != out.size()) {
    return "";
  }
  return out;
}

}  // namespace qpv::national
