#include "services/reporting/export/report_view.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/territory/territory.h"
#include "services/reporting/export/french_format.h"
#include "services/reporting/export/labels.h"

namespace qpv::reporting::report_export {

namespace cv1 = ::qpv::common::v1;

std::vector<CategoryRow> CategoryRows(const v1::WorkshopReport& report) {
  std::map<int, CategoryRow> rows;
  auto row = [&rows](cv1::ActorCategory c) -> CategoryRow& {
    CategoryRow& r = rows[c];
    r.category = c;
    return r;
  };
  for (const auto& rep : report.representation()) {
    CategoryRow& r = row(rep.category());
    r.has_target = true;
    r.target_share = rep.target_share();
    r.actual_share = rep.actual_share();
    r.shortfall = rep.shortfall();
  }
  for (const auto& c : report.registrations_by_category())
    row(c.category()).registered += c.count();
  for (const auto& c : report.attendance_by_category()) row(c.category()).attended += c.count();
  for (const auto& c : report.contributions_by_category()) {
    row(c.category()).contributions += c.count();
  }
  for (const auto& u : report.under_represented()) row(u.category()).under_represented = true;

  std::vector<CategoryRow> out;
  out.reserve(rows.size());
  for (auto& [key, r] : rows) out.push_back(r);
  return out;
}

bool CountsAttendance(const v1::WorkshopReport& report) {
  switch (report.representativeness_basis()) {
    case v1::REPRESENTATIVENESS_BASIS_ATTENDANCE:
      return true;
    case v1::REPRESENTATIVENESS_BASIS_REGISTRATIONS:
      return false;
    default:
      return report.attended_count() > 0;
  }
}

namespace {
std::vector<absl::string_view> NameParts(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "prefectures" || parts[2] != "workshops") return {};
  return parts;
}
}  // namespace

std::string PrefectureOfWorkshop(absl::string_view workshop_name) {
  auto parts = NameParts(workshop_name);
  return parts.empty() ? "" : std::string(parts[1]);
}

std::string WorkshopId(absl::string_view workshop_name) {
  auto parts = NameParts(workshop_name);
  return parts.empty() ? "" : std::string(parts[3]);
}

std::string DepartementLabel(absl::string_view code) {
  const territory::Departement* d = territory::FindDepartement(code);
  if (d == nullptr) return std::string(code);
  return absl::StrCat(d->name, " (", d->code, ")");
}

std::string RegionLabel(absl::string_view code) {
  const territory::Region* r = territory::FindRegion(code);
  if (r == nullptr) return std::string(code);
  return std::string(r->name);
}

std::string ThemesLabel(const google::protobuf::RepeatedField<int>& themes) {
  std::vector<absl::string_view> labels;
  for (int t : themes) labels.push_back(ThemeLabel(static_cast<cv1::Theme>(t)));
  return absl::StrJoin(labels, ", ");
}

std::string UnderRepresentedLabel(const v1::WorkshopReport& report) {
  std::vector<absl::string_view> labels;
  for (const auto& u : report.under_represented()) {
    labels.push_back(ActorCategoryLabel(u.category()));
  }
  return absl::StrJoin(labels, ", ");
}

std::string StaleNotice(bool stale, const google::protobuf::Timestamp& as_of) {
  if (!stale) return "";
  if (as_of.seconds() == 0 && as_of.nanos() == 0) {
    return "Rapport non à jour : le service des ateliers n'a pas pu être joint, la date des "
           "chiffres n'est pas connue.";
  }
  return absl::StrCat(
      "Rapport non à jour : le service des ateliers n'a pas pu être joint, les chiffres sont ceux "
      "du ",
      FormatDateTime(as_of), " (", TimeZoneNote(), ").");
}

double ShownIndex(double index) { return std::round(index * 100.0) / 100.0; }

absl::string_view IndexReading(double index) {
  // Compared in hundredths so that float error cannot flip a reading.
  const double hundredths = std::round(index * 100.0);
  if (hundredths >= 80) return "bonne";
  if (hundredths >= 60) return "moyenne";
  return "faible";
}

}  // namespace qpv::reporting::report_export
