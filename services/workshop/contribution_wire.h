// Contributions listed in wire form: ListContributions sends what the store
// holds without parsing each contribution and serializing it again (that
// was most of the call's CPU, with 50 contributions a page).
#ifndef QPV_SERVICES_WORKSHOP_CONTRIBUTION_WIRE_H_
#define QPV_SERVICES_WORKSHOP_CONTRIBUTION_WIRE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace qpv::workshop {

// Appends field `number` in protobuf wire format: a varint, or bytes (a
// string or an embedded message).
void AppendVarintField(std::string* out, int number, uint64_t value);
void AppendBytesField(std::string* out, int number, absl::string_view bytes);

// True when `bytes` are a sequence of whole fields in protobuf wire format
// (a tag with a field number, then a varint, 4 or 8 bytes, or a length and
// as many bytes), ending exactly at their end. A structural check of the
// top level (no measurable CPU beside a page's: bench/run.sh's
// ListContributions, with and without it): bytes cut short or overwritten
// fail it, so ListContributions answers DATA_LOSS for them, as a parse
// would, instead of sending what its client cannot read.
bool WireWellFormed(absl::string_view bytes);

// A stored contribution (its serialized bytes) with its etag, when it has
// one, and its vote count appended: a parser keeps the last value of a
// singular field, so these win over any the stored bytes carry, and the
// vote count is written even when 0 (proto3 would leave it out).
std::string ContributionWire(absl::string_view stored, const std::string* etag, int32_t votes);

}  // namespace qpv::workshop

#endif  // QPV_SERVICES_WORKSHOP_CONTRIBUTION_WIRE_H_
