#include "services/national/memory_national_store.h"

#include "absl/strings/str_cat.h"

namespace qpv::national {
namespace {

void AddTo(CellMap& rollup, const std::string& field, int64_t delta) {
  const int64_t v = rollup[field] += delta;
  if (v == 0) rollup.erase(field);
}

}  // namespace

absl::StatusOr<ApplyResult> MemoryNationalStore::ApplySnapshot(
    absl::string_view prefecture, absl::string_view region, int64_t version,
    absl::Time receive_time, const google::protobuf::MessageLite& snapshot,
    const CellList& cells) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(prefecture);
  if (it != entries_.end() && version <= it->second.stored.version) {
    return ApplyResult{false, it->second.stored.version, revision_};
  }
  if (it != entries_.end()) {
    const std::string old_region = absl::StrCat(it->second.region, "|");
    for (const auto& [field, value] : it->second.cells) AddTo(rollup_, old_region + field, -value);
  } else {
    it = entries_.emplace(std::string(prefecture), Entry{}).first;
  }
  Entry& e = it->second;
  e.region = std::string(region);
  e.cells.clear();
  const std::string new_region = absl::StrCat(region, "|");
  for (const auto& [field, value] : cells) {
    e.cells[field] = value;
    AddTo(rollup_, new_region + field, value);
  }
  e.stored = {std::string(prefecture), version, receive_time, snapshot.SerializeAsString()};
  ++revision_;
  return ApplyResult{true, version, revision_};
}

absl::StatusOr<int64_t> MemoryNationalStore::Revision() {
  absl::MutexLock lock(&mu_);
  return revision_;
}

absl::StatusOr<StoreIndex> MemoryNationalStore::Index() {
  absl::MutexLock lock(&mu_);
  StoreIndex out;
  out.revision = revision_;
  for (const auto& [code, e] : entries_) out.versions[code] = e.stored.version;
  return out;
}

absl::StatusOr<std::vector<StoredSnapshot>> MemoryNationalStore::Load(
    const std::vector<std::string>& prefectures) {
  absl::MutexLock lock(&mu_);
  std::vector<StoredSnapshot> out;
  for (const auto& p : prefectures) {
    auto it = entries_.find(p);
    if (it != entries_.end()) out.push_back(it->second.stored);
  }
  return out;
}

absl::StatusOr<CellMap> MemoryNationalStore::PrefectureCells(absl::string_view prefecture) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(prefecture);
  if (it == entries_.end()) return CellMap();
  return it->second.cells;
}

absl::StatusOr<CellMap> MemoryNationalStore::Rollup() {
  absl::MutexLock lock(&mu_);
  return rollup_;
}

}  // namespace qpv::national
