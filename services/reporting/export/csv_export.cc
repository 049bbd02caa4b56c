#include "services/reporting/export/csv_export.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/reporting/export/csv_writer.h"
#include "services/reporting/export/french_format.h"
#include "services/reporting/export/labels.h"
#include "services/reporting/export/report_view.h"

namespace qpv::reporting::report_export {
namespace {

using Cell = CsvCell;

void Field(CsvWriter& csv, absl::string_view label, absl::string_view value) {
  csv.Row({Cell::Text(label), Cell::Text(value)});
}
void Field(CsvWriter& csv, absl::string_view label, int64_t value) {
  csv.Row({Cell::Text(label), Cell::Int(value)});
}

// Shares are written as percentages with one decimal, a number column the
// spreadsheet can sum or chart; the header says "(%)".
Cell Percent(double share) { return Cell::Decimal(share * 100.0, 1); }

void StaleRows(CsvWriter& csv, bool stale, const google::protobuf::Timestamp& as_of) {
  const std::string notice = StaleNotice(stale, as_of);
  if (notice.empty()) return;
  csv.TextRow({"ATTENTION", notice});
}

void ThemeSection(CsvWriter& csv,
                  const google::protobuf::RepeatedPtrField<common::v1::ThemeCount>& themes) {
  csv.BlankRow();
  csv.TextRow({"Contributions par thème"});
  csv.TextRow({"Thème", "Contributions"});
  for (const auto& t : themes) csv.Row({Cell::Text(ThemeLabel(t.theme())), Cell::Int(t.count())});
}

void KindSection(CsvWriter& csv, const google::protobuf::RepeatedPtrField<v1::KindCount>& kinds) {
  csv.BlankRow();
  csv.TextRow({"Contributions par type"});
  csv.TextRow({"Type", "Contributions"});
  for (const auto& k : kinds) csv.Row({Cell::Text(KindLabel(k.kind())), Cell::Int(k.count())});
}

void ContributionSection(CsvWriter& csv, absl::string_view title,
                         const google::protobuf::RepeatedPtrField<v1::ContributionSummary>& list) {
  csv.BlankRow();
  csv.TextRow({title});
  csv.TextRow({"Rang", "Titre", "Texte", "Type", "Thèmes", "Reproductible", "Organisation",
               "Catégorie d'acteur", "Votes", "Quartiers (QPV)", "Référence"});
  int rank = 0;
  for (const auto& c : list) {
    const std::string organization =
        c.organization_display_name().empty() ? c.organization() : c.organization_display_name();
    csv.Row({Cell::Int(++rank), Cell::Text(c.title()), Cell::Text(c.text()),
             Cell::Text(KindLabel(c.kind())), Cell::Text(ThemesLabel(c.themes())),
             Cell::Text(c.reproducible() ? "Oui" : "Non"), Cell::Text(organization),
             Cell::Text(ActorCategoryLabel(c.organization_category())), Cell::Int(c.vote_count()),
             Cell::Text(absl::StrJoin(c.qpv_codes(), ", ")), Cell::Text(c.name())});
  }
}

}  // namespace

std::string WorkshopReportCsv(const v1::WorkshopReport& r) {
  CsvWriter csv;
  csv.TextRow({"Rapport d'atelier", r.title()});
  StaleRows(csv, r.stale(), r.as_of_time());

  csv.BlankRow();
  csv.TextRow({"Résumé"});
  csv.TextRow({"Rubrique", "Valeur"});
  Field(csv, "Atelier", r.title());
  Field(csv, "Référence", r.workshop());
  Field(csv, "Département", DepartementLabel(PrefectureOfWorkshop(r.workshop())));
  Field(csv, "État", WorkshopStateLabel(r.state()));
  Field(csv, "Thèmes", ThemesLabel(r.themes()));
  Field(csv, "Date", FormatTimeRange(r.start_time(), r.end_time()));
  Field(csv, "Lieu", r.venue());
  Field(csv, "Capacité", r.capacity());
  Field(csv, "Quartiers (QPV)", absl::StrJoin(r.qpv_codes(), ", "));
  Field(csv, "Inscrits", r.registered_count());
  Field(csv, "Liste d'attente", r.waitlisted_count());
  Field(csv, "Présents", r.attended_count());
  Field(csv, "Contributions", r.contribution_count());
  Field(csv, "Votes", r.vote_count());
  Field(csv, "Actions reproductibles", r.reproducible_action_count());
  csv.Row({Cell::Text("Indice de représentativité (0 à 1)"),
           Cell::Decimal(r.representativeness_index(), 2)});
  Field(csv, "Indice calculé sur les", RepresentativenessBasisLabel(r.representativeness_basis()));
  Field(csv, "Catégories sous-représentées", UnderRepresentedLabel(r));
  Field(csv, "Rapport à jour", r.stale() ? "Non" : "Oui");
  Field(csv, "Chiffres au", FormatDateTime(r.as_of_time()));
  Field(csv, "Fuseau horaire", TimeZoneNote());

  csv.BlankRow();
  csv.TextRow({"Participation par catégorie d'acteur"});
  csv.TextRow({"Catégorie d'acteur", "Inscrits", "Présents", "Contributions", "Part réelle (%)",
               "Part cible (%)", "Manque", "Sous-représentée"});
  for (const CategoryRow& row : CategoryRows(r)) {
    std::vector<Cell> cells = {Cell::Text(ActorCategoryLabel(row.category)),
                               Cell::Int(row.registered), Cell::Int(row.attended),
                               Cell::Int(row.contributions)};
    if (row.has_target) {
      cells.push_back(Percent(row.actual_share));
      cells.push_back(Percent(row.target_share));
      cells.push_back(Cell::Int(row.shortfall));
    } else {
      cells.insert(cells.end(), {Cell::Text(""), Cell::Text(""), Cell::Text("")});
    }
    cells.push_back(Cell::Text(row.under_represented ? "Oui" : "Non"));
    csv.Row(cells);
  }

  ThemeSection(csv, r.contributions_by_theme());
  KindSection(csv, r.contributions_by_kind());
  ContributionSection(csv, "Contributions les plus soutenues", r.top_contributions());
  ContributionSection(csv, "Actions reproductibles", r.reproducible_actions());
  return csv.content();
}

std::string PrefectureReportCsv(const v1::PrefectureReport& r) {
  CsvWriter csv;
  csv.TextRow({"Rapport de la préfecture", DepartementLabel(r.prefecture())});
  StaleRows(csv, r.stale(), r.as_of_time());

  csv.BlankRow();
  csv.TextRow({"Résumé"});
  csv.TextRow({"Rubrique", "Valeur"});
  Field(csv, "Département", DepartementLabel(r.prefecture()));
  Field(csv, "Région", RegionLabel(r.region()));
  Field(csv, "Ateliers", r.workshop_count());
  Field(csv, "Ateliers tenus", r.workshops_held());
  Field(csv, "Ateliers au rapport validé", r.workshops_reported());
  Field(csv, "Inscrits", r.registered_count());
  Field(csv, "Présents", r.attended_count());
  Field(csv, "Contributions", r.contribution_count());
  Field(csv, "Actions reproductibles", r.reproducible_action_count());
  csv.Row({Cell::Text("Indice de représentativité moyen (pondéré par les présents)"),
           Cell::Decimal(r.representativeness_index(), 2)});
  Field(csv, "Rapport à jour", r.stale() ? "Non" : "Oui");
  Field(csv, "Chiffres au", FormatDateTime(r.as_of_time()));
  Field(csv, "Fuseau horaire", TimeZoneNote());

  csv.BlankRow();
  csv.TextRow({"Ateliers"});
  csv.TextRow({"Atelier", "Référence", "État", "Date", "Thèmes", "Lieu", "Inscrits", "Présents",
               "Contributions", "Actions reproductibles", "Indice de représentativité",
               "Catégories sous-représentées", "À jour"});
  for (const auto& w : r.workshops()) {
    csv.Row({Cell::Text(w.title()), Cell::Text(w.workshop()),
             Cell::Text(WorkshopStateLabel(w.state())),
             Cell::Text(FormatTimeRange(w.start_time(), w.end_time())),
             Cell::Text(ThemesLabel(w.themes())), Cell::Text(w.venue()),
             Cell::Int(w.registered_count()), Cell::Int(w.attended_count()),
             Cell::Int(w.contribution_count()), Cell::Int(w.reproducible_action_count()),
             Cell::Decimal(w.representativeness_index(), 2), Cell::Text(UnderRepresentedLabel(w)),
             Cell::Text(w.stale() ? "Non" : "Oui")});
  }
  // The report's own totals, not a sum of the rows: they are the reference
  // figures (and the index is a weighted mean, not a sum).
  csv.Row({Cell::Text("Total"), Cell::Text(""), Cell::Text(""), Cell::Text(""), Cell::Text(""),
           Cell::Text(""), Cell::Int(r.registered_count()), Cell::Int(r.attended_count()),
           Cell::Int(r.contribution_count()), Cell::Int(r.reproducible_action_count()),
           Cell::Decimal(r.representativeness_index(), 2), Cell::Text(""),
           Cell::Text(r.stale() ? "Non" : "Oui")});

  ThemeSection(csv, r.contributions_by_theme());
  KindSection(csv, r.contributions_by_kind());
  csv.BlankRow();
  csv.TextRow({"Présents par catégorie d'acteur"});
  csv.TextRow({"Catégorie d'acteur", "Présents"});
  for (const auto& c : r.attendance_by_category()) {
    csv.Row({Cell::Text(ActorCategoryLabel(c.category())), Cell::Int(c.count())});
  }
  return csv.content();
}

}  // namespace qpv::reporting::report_export
