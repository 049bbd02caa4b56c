#include "common/server/byte_budget.h"

#include <algorithm>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace qpv::server {

ByteBudget::Ticket::~Ticket() {
  if (budget_ == nullptr) return;
  absl::MutexLock lock(&budget_->mu_);
  budget_->in_use_ -= bytes_;
}

absl::StatusOr<ByteBudget::Ticket> ByteBudget::Acquire(int64_t bytes, absl::Time deadline,
                                                       const std::function<bool()>& cancelled) {
  bytes = std::max<int64_t>(bytes, 0);
  absl::MutexLock lock(&mu_);
  const auto me = queue_.insert(queue_.end(), bytes);
  const auto my_turn = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.begin() == me && (in_use_ == 0 || in_use_ + bytes <= limit_);
  };
  while (!my_turn()) {
    const absl::Time wake = std::min(deadline, absl::Now() + absl::Milliseconds(100));
    if (mu_.AwaitWithDeadline(absl::Condition(&my_turn), wake)) break;
    absl::Status why;
    if (absl::Now() >= deadline) {
      why = absl::DeadlineExceededError(
          absl::StrCat("the deadline passed while ", std::distance(queue_.begin(), me),
                       " earlier requests (", in_use_, " bytes) were being handled; retry"));
    } else if (cancelled && cancelled()) {
      why = absl::CancelledError("the call was cancelled while it waited for its turn");
    }
    if (!why.ok()) {
      queue_.erase(me);  // the next in line may now go: Await re-evaluates on unlock
      return why;
    }
  }
  queue_.erase(me);
  in_use_ += bytes;
  return Ticket(this, bytes);
}

int64_t ByteBudget::in_use() const {
  absl::MutexLock lock(&mu_);
  return in_use_;
}

int ByteBudget::waiting() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

}  // namespace qpv::server
