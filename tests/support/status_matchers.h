// gMock matchers for absl::Status and absl::StatusOr (Abseil 20220623 has none).
//   EXPECT_THAT(store.Get(name), StatusIs(absl::StatusCode::kNotFound));
//   ASSERT_THAT(result, IsOk());
#ifndef QPV_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define QPV_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace qpv::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P(StatusIs, code,
          std::string("has status code ") + absl::StatusCodeToString(code)) {
  const absl::Status& s = ::qpv::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& s = ::qpv::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.ok();
}

}  // namespace qpv::testing

#define QPV_ASSERT_OK_AND_ASSIGN(lhs, expr)                                   \
  QPV_ASSERT_OK_AND_ASSIGN_IMPL_(QPV_CONCAT_T_(qpv_sor_, __LINE__), lhs, expr)
#define QPV_CONCAT_T_INNER_(a, b) a##b
#define QPV_CONCAT_T_(a, b) QPV_CONCAT_T_INNER_(a, b)
#define QPV_ASSERT_OK_AND_ASSIGN_IMPL_(sor, lhs, expr) \
  auto sor = (expr);                                   \
  ASSERT_TRUE(sor.ok()) << sor.status();               \
  lhs = std::move(sor).value()

#endif  // QPV_TESTS_SUPPORT_STATUS_MATCHERS_H_
