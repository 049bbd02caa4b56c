#include "services/reporting/export/report_export.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "common/validation/resource_name.h"
#include "common/validation/validation.h"
#include "google/protobuf/util/json_util.h"
#include "services/reporting/export/csv_export.h"
#include "services/reporting/export/html_export.h"
#include "services/reporting/export/markdown_export.h"

namespace qpv::reporting::report_export {
namespace {

using Format = v1::ExportReportRequest::Format;

struct FormatInfo {
  const char* content_type;
  const char* extension;
};

bool Describe(Format format, FormatInfo* info) {
  switch (format) {
    case v1::ExportReportRequest::FORMAT_CSV:
      *info = {"text/csv; charset=utf-8", "csv"};
      return true;
    case v1::ExportReportRequest::FORMAT_JSON:
      *info = {"application/json", "json"};
      return true;
    case v1::ExportReportRequest::FORMAT_MARKDOWN:
      *info = {"text/markdown; charset=utf-8", "md"};
      return true;
    case v1::ExportReportRequest::FORMAT_HTML:
      *info = {"text/html; charset=utf-8", "html"};
      return true;
    default:
      return false;
  }
}

void CheckFormat(FieldViolations& violations, Format format, FormatInfo* info) {
  if (!Describe(format, info)) {
    violations.Add("format", format == v1::ExportReportRequest::FORMAT_UNSPECIFIED
                                 ? "is required: FORMAT_CSV, FORMAT_JSON, FORMAT_MARKDOWN or "
                                   "FORMAT_HTML"
                                 : "is not a known format");
  }
}

// Pretty-printed, enum names, zero counts included: a dashboard reading the
// file sees every figure, and JsonStringToMessage reads it back unchanged.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    // Only reachable with a broken descriptor pool; say nothing internal.
    return absl::InternalError("the report could not be written as JSON");
  }
  return json;
}

}  // namespace

absl::StatusOr<ExportedFile> ExportWorkshopReport(const v1::WorkshopReport& report, Format format) {
  FieldViolations violations;
  FormatInfo info{};
  CheckFormat(violations, format, &info);
  auto ids = ParseResourceName("workshop", report.workshop(), {"prefectures", "workshops"});
  if (!ids.ok()) violations.Merge(ids.status(), "workshop");
  QPV_RETURN_IF_ERROR(violations.ToStatus());

  ExportedFile file;
  file.content_type = info.content_type;
  file.filename = absl::StrCat("rapport-atelier-", (*ids)[0], "-", (*ids)[1], ".", info.extension);
  switch (format) {
    case v1::ExportReportRequest::FORMAT_CSV:
      file.content = WorkshopReportCsv(report);
      break;
    case v1::ExportReportRequest::FORMAT_JSON: {
      QPV_ASSIGN_OR_RETURN(file.content, ToJson(report));
      break;
    }
    case v1::ExportReportRequest::FORMAT_MARKDOWN:
      file.content = WorkshopReportMarkdown(report);
      break;
    default:
      file.content = WorkshopReportHtml(report);
      break;
  }
  return file;
}

absl::StatusOr<ExportedFile> ExportPrefectureReport(const v1::PrefectureReport& report,
                                                    Format format) {
  FieldViolations violations;
  FormatInfo info{};
  CheckFormat(violations, format, &info);
  if (!validation::IsDepartementCode(report.prefecture())) {
    violations.Add("prefecture", "must be a département code such as 59, 2A or 971");
  }
  QPV_RETURN_IF_ERROR(violations.ToStatus());

  ExportedFile file;
  file.content_type = info.content_type;
  file.filename = absl::StrCat("rapport-prefecture-", report.prefecture(), ".", info.extension);
  switch (format) {
    case v1::ExportReportRequest::FORMAT_CSV:
      file.content = PrefectureReportCsv(report);
      break;
    case v1::ExportReportRequest::FORMAT_JSON: {
      QPV_ASSIGN_OR_RETURN(file.content, ToJson(report));
      break;
    }
    case v1::ExportReportRequest::FORMAT_MARKDOWN:
      file.content = PrefectureReportMarkdown(report);
      break;
    default:
      file.content = PrefectureReportHtml(report);
      break;
  }
  return file;
}

}  // namespace qpv::reporting::report_export
