// absl::Status below the gRPC edge, with the details that reach the caller
// carried as payloads: field violations (google.rpc.BadRequest) and an
// UPPER_SNAKE_CASE reason (google.rpc.ErrorInfo).
#ifndef QPV_COMMON_STATUS_STATUS_H_
#define QPV_COMMON_STATUS_STATUS_H_

#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace qpv {

// Collects bad fields of one request, then turns them into one
// INVALID_ARGUMENT status that names each of them.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  // Copies the violations of `status` (e.g. a failed ParseResourceName); a
  // failed status without any is added under `fallback_field`.
  void Merge(const absl::Status& status, absl::string_view fallback_field);
  bool empty() const { return violations_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& list() const {
    return violations_;
  }
  // OK when empty; otherwise INVALID_ARGUMENT with a BadRequest payload.
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT naming one field.
absl::Status InvalidField(std::string field, std::string description);

// `code` (e.g. NOT_FOUND, FAILED_PRECONDITION) with a BadRequest naming the
// field the caller should look at, and a reason.
absl::Status FieldError(absl::StatusCode code, absl::string_view field,
                        absl::string_view message, absl::string_view reason);

// Attaches an ErrorInfo reason (UPPER_SNAKE_CASE) to a status.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// The reason attached by WithReason, or one derived from the code.
std::string ReasonOf(const absl::Status& status);

// Field violations carried by a status (empty if none).
std::vector<std::pair<std::string, std::string>> FieldViolationsOf(
    const absl::Status& status);

// Returns early from the enclosing function with the status if not OK.
#define QPV_RETURN_IF_ERROR(expr)                \
  do {                                           \
    ::absl::Status qpv_status_ = (expr);         \
    if (!qpv_status_.ok()) return qpv_status_;   \
  } while (0)

#define QPV_CONCAT_INNER_(a, b) a##b
#define QPV_CONCAT_(a, b) QPV_CONCAT_INNER_(a, b)
// QPV_ASSIGN_OR_RETURN(auto x, StatusOrExpr());
#define QPV_ASSIGN_OR_RETURN(lhs, expr) \
  QPV_ASSIGN_OR_RETURN_IMPL_(QPV_CONCAT_(qpv_statusor_, __LINE__), lhs, expr)
#define QPV_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

}  // namespace qpv

#endif  // QPV_COMMON_STATUS_STATUS_H_
