#include "bench/json.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace qpv::bench {

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string PercentilesJson(const Histogram& h) {
  return absl::StrFormat(R"({"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f})",
                         h.Percentile(0.50), h.Percentile(0.90), h.Percentile(0.99),
                         h.Percentile(0.999), h.max(), h.mean());
}

}  // namespace qpv::bench
