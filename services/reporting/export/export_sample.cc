// Test-only: writes the sample Nord reports as HTML files into the directory
// given as argument, for html_render_test.py to open in headless Chromium.
// With --all-formats it writes the CSV, JSON and Markdown exports too (handy
// to look at them by hand). Prints each path written.
//
//   export_sample OUT_DIR [--all-formats]
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "services/reporting/export/report_export.h"
#include "services/reporting/export/sample_reports.h"

namespace {

namespace rx = ::qpv::reporting::report_export;
using Format = ::qpv::reporting::v1::ExportReportRequest::Format;

bool Write(const std::string& dir, const absl::StatusOr<rx::ExportedFile>& file) {
  if (!file.ok()) {
    std::fprintf(stderr, "export failed: %s\n", file.status().ToString().c_str());
    return false;
  }
  const std::string path = dir + "/" + file->filename;
  std::ofstream out(path, std::ios::binary);
  out.write(file->content.data(), static_cast<std::streamsize>(file->content.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return false;
  }
  std::printf("%s\n", path.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && std::string(argv[2]) != "--all-formats")) {
    std::fprintf(stderr, "usage: %s OUT_DIR [--all-formats]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<Format> formats = {qpv::reporting::v1::ExportReportRequest::FORMAT_HTML};
  if (argc == 3) {
    formats.insert(formats.end(), {qpv::reporting::v1::ExportReportRequest::FORMAT_CSV,
                                   qpv::reporting::v1::ExportReportRequest::FORMAT_JSON,
                                   qpv::reporting::v1::ExportReportRequest::FORMAT_MARKDOWN});
  }
  const auto workshop = rx::sample::EmploymentWorkshopReport();
  const auto prefecture = rx::sample::NordPrefectureReport();
  for (Format f : formats) {
    if (!Write(dir, rx::ExportWorkshopReport(workshop, f))) return 1;
    if (!Write(dir, rx::ExportPrefectureReport(prefecture, f))) return 1;
  }
  return 0;
}
