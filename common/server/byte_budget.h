// Bounds the request bytes that the methods sharing a budget handle at
// once. A big request costs several times its size while it is handled
// (its bytes, the parsed message, the copies a store makes), so a burst of
// them adds up: at national scale four snapshots of up to 8 MB in flight
// took national's peak heap to ~140 MiB. With a budget they queue before
// they are parsed. Turns are taken in arrival order (a big request is
// never overtaken for ever by small ones); a request larger than the whole
// budget goes alone.
#ifndef QPV_COMMON_SERVER_BYTE_BUDGET_H_
#define QPV_COMMON_SERVER_BYTE_BUDGET_H_

#include <cstdint>
#include <functional>
#include <list>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace qpv::server {

class ByteBudget {
 public:
  explicit ByteBudget(int64_t limit) : limit_(limit) {}
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  // Holds its bytes of the budget until destroyed.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) {
      other.budget_ = nullptr;
    }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    friend class ByteBudget;
    Ticket(ByteBudget* budget, int64_t bytes) : budget_(budget), bytes_(bytes) {}
    ByteBudget* budget_;
    int64_t bytes_;
  };

  // Waits for the turn of a request of `bytes`. DEADLINE_EXCEEDED when
  // `deadline` passes first, CANCELLED when `cancelled` (checked every
  // 100 ms) turns true; either way the request leaves the queue.
  absl::StatusOr<Ticket> Acquire(int64_t bytes, absl::Time deadline,
                                 const std::function<bool()>& cancelled);

  int64_t in_use() const;
  int waiting() const;

 private:
  const int64_t limit_;
  mutable absl::Mutex mu_;
  int64_t in_use_ ABSL_GUARDED_BY(mu_) = 0;
  std::list<int64_t> queue_ ABSL_GUARDED_BY(mu_);  // the bytes of each waiter, in arrival order
};

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_BYTE_BUDGET_H_
