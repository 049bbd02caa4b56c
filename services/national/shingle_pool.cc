#include "services/national/shingle_pool.h"

namespace qpv::national {

void ShinglePool::Add(const std::vector<uint32_t>& indexes, FlatSets& sets) {
  scratch_.clear();
  offsets_.clear();
  for (size_t k = 0; k < indexes.size(); ++k) {
    uint32_t* first = sets.values.data() + sets.begin[k];
    uint32_t* last = sets.values.data() + sets.begin[k + 1];
    Encode(first, last);
    offsets_.push_back(scratch_.size());
    uint32_t previous = 0;
    for (const uint32_t* x = first; x != last; ++x) {
      const uint32_t d = *x - previous;
      if (d < 0x80) {
        scratch_.push_back(static_cast<uint8_t>(d));
      } else if (d < kEscape) {
        scratch_.push_back(static_cast<uint8_t>(0x80 | d >> 8));
        scratch_.push_back(static_cast<uint8_t>(d));
      } else {
        scratch_.push_back(0xff);
        scratch_.push_back(0xff);
        for (int b = 0; b < 4; ++b) scratch_.push_back(static_cast<uint8_t>(d >> (8 * b)));
      }
      previous = *x;
    }
  }
  scratch_.push_back(0);  // Walk reads a byte ahead
  const uint8_t* bytes = blocks_.emplace_back(scratch_.begin(), scratch_.end()).data();
  for (size_t k = 0; k < indexes.size(); ++k) {
    begin_[indexes[k]] = bytes + offsets_[k];
    size_[indexes[k]] = sets.count(k);
  }
}

void ShinglePool::Seal() {
  absl::flat_hash_map<uint32_t, uint16_t>().swap(ids_);
  std::vector<uint8_t>().swap(scratch_);
  std::vector<size_t>().swap(offsets_);
}

void ShinglePool::Encode(uint32_t* first, uint32_t* last) {
  for (uint32_t* x = first; x != last; ++x) {
    auto it = ids_.find(*x);
    if (it == ids_.end() && ids_.size() < kIds) {
      it = ids_.emplace(*x, static_cast<uint16_t>(ids_.size())).first;
      shingle_of_id_.push_back(*x);
    }
    *x = it != ids_.end() ? it->second : Wide(*x);
  }
  std::sort(first, last);
}

}  // namespace qpv::national
