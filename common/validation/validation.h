// Input checks shared by every service's API edge. Each Check* adds a field
// violation rather than failing fast, so one answer names every bad field.
#ifndef QPV_COMMON_VALIDATION_VALIDATION_H_
#define QPV_COMMON_VALIDATION_VALIDATION_H_

#include <set>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "common/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"

namespace qpv::validation {

bool IsValidUtf8(absl::string_view s);

// A département code as used for préfectures: 01..95 (no 20), 2A, 2B, and
// 971..976 (the overseas départements and Saint-Pierre-et-Miquelon).
bool IsDepartementCode(absl::string_view code);

// Official QPV codes: QP + département on 3 + 3 digits (2015 list, e.g.
// QP059001) or QN + département on 3 + 2 digits + M/I/N/C (2024 list, e.g.
// QN05981M). Overseas départements and the COM 978/987 appear in both.
bool IsQpvCode(absl::string_view code);

// The département of a QPV code without padding ("59", "2A", "971").
std::string QpvDepartement(absl::string_view code);

// A resource id segment: 1..63 of [a-z0-9-], starting with a letter or digit.
bool IsResourceId(absl::string_view id);

// Crude but useful e-mail shape check: one @, something on both sides, a dot
// in the domain, no spaces.
bool IsEmail(absl::string_view email);

// Phone: digits, spaces, dots, dashes, parentheses and a leading +; 6..20 digits.
bool IsPhone(absl::string_view phone);

// Valid UTF-8, at most max_chars code points, no control characters except
// newlines and tabs when multiline; required: not empty or blank.
void CheckText(FieldViolations& v, absl::string_view field, absl::string_view value,
               size_t max_chars, bool required, bool multiline = false);

// Each code well-formed, no duplicates, at most max_count of them.
void CheckQpvCodes(FieldViolations& v, absl::string_view field,
                   const google::protobuf::RepeatedPtrField<std::string>& codes,
                   int max_count = 100);

// A timestamp within 1900..2200 with valid nanos.
void CheckTimestamp(FieldViolations& v, absl::string_view field,
                    const google::protobuf::Timestamp& ts, bool required);

size_t Utf8Length(absl::string_view s);

// AIP-155 request ids: empty, or at most 128 of [A-Za-z0-9_-] (a UUID fits).
void CheckRequestId(FieldViolations& v, absl::string_view request_id);

// AIP-134 update masks: the paths to update, all of `updatable` when the
// mask is empty or "*". Output-only paths are ignored; any other path is a
// violation on "update_mask".
std::set<std::string> UpdatePaths(FieldViolations& v, const google::protobuf::FieldMask& mask,
                                  const std::set<std::string>& updatable,
                                  const std::set<std::string>& output_only);

}  // namespace qpv::validation

#endif  // QPV_COMMON_VALIDATION_VALIDATION_H_
