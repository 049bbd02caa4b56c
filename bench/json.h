// The little JSON qpv-bench writes (one results line): string quoting and a
// histogram's percentiles.
#ifndef QPV_BENCH_JSON_H_
#define QPV_BENCH_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "bench/histogram.h"

namespace qpv::bench {

// "..." with JSON escapes.
std::string JsonString(absl::string_view s);
// {"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..} in microseconds.
std::string PercentilesJson(const Histogram& h);

}  // namespace qpv::bench

#endif  // QPV_BENCH_JSON_H_
