#include "services/reporting/export/markdown_export.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/reporting/export/french_format.h"
#include "services/reporting/export/labels.h"
#include "services/reporting/export/report_view.h"
#include "services/reporting/export/text_escape.h"

namespace qpv::reporting::report_export {
namespace {

using Row = std::vector<std::string>;

// A GFM table; `numeric` columns are right-aligned. Cells must already be
// escaped (labels are escaped here too: "Service de l'État" is harmless but
// a future label might not be).
std::string Table(const std::vector<std::string>& headers, const std::vector<bool>& numeric,
                  const std::vector<Row>& rows) {
  std::string out = absl::StrCat("| ", absl::StrJoin(headers, " | "), " |\n|");
  for (size_t i = 0; i < headers.size(); ++i) {
    out += (i < numeric.size() && numeric[i]) ? " ---: |" : " --- |";
  }
  out += "\n";
  for (const Row& row : rows) absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
  return out + "\n";
}

std::string Md(absl::string_view text) { return MarkdownEscape(text); }

std::string StaleBlock(bool stale, const google::protobuf::Timestamp& as_of) {
  const std::string notice = StaleNotice(stale, as_of);
  if (notice.empty()) return "";
  return absl::StrCat("> **⚠ RAPPORT NON À JOUR** : ", Md(notice), "\n\n");
}

std::string ThemeTable(const google::protobuf::RepeatedPtrField<common::v1::ThemeCount>& themes) {
  std::vector<Row> rows;
  for (const auto& t : themes) rows.push_back({Md(ThemeLabel(t.theme())), FormatCount(t.count())});
  if (rows.empty()) return "Aucune contribution.\n\n";
  return Table({"Thème", "Contributions"}, {false, true}, rows);
}

std::string KindTable(const google::protobuf::RepeatedPtrField<v1::KindCount>& kinds) {
  std::vector<Row> rows;
  for (const auto& k : kinds) rows.push_back({Md(KindLabel(k.kind())), FormatCount(k.count())});
  if (rows.empty()) return "Aucune contribution.\n\n";
  return Table({"Type", "Contributions"}, {false, true}, rows);
}

std::string Organization(const v1::ContributionSummary& c) {
  const std::string& name =
      c.organization_display_name().empty() ? c.organization() : c.organization_display_name();
  if (c.organization_category() == common::v1::ACTOR_CATEGORY_UNSPECIFIED) return Md(name);
  return absl::StrCat(Md(name), " (", Md(ActorCategoryLabel(c.organization_category())), ")");
}

std::string ContributionTable(
    const google::protobuf::RepeatedPtrField<v1::ContributionSummary>& list) {
  std::vector<Row> rows;
  int rank = 0;
  for (const auto& c : list) {
    rows.push_back({absl::StrCat(++rank), Md(c.title()), Md(c.text()), Md(KindLabel(c.kind())),
                    Md(ThemesLabel(c.themes())), Organization(c), FormatCount(c.vote_count()),
                    c.reproducible() ? "Oui" : "Non"});
  }
  if (rows.empty()) return "Aucune.\n\n";
  return Table(
      {"Rang", "Titre", "Texte", "Type", "Thèmes", "Organisation", "Votes", "Reproductible"},
      {true, false, false, false, false, false, true, false}, rows);
}

}  // namespace

std::string WorkshopReportMarkdown(const v1::WorkshopReport& r) {
  std::string out = absl::StrCat("# Rapport d'atelier : ", Md(r.title()), "\n\n");
  out += StaleBlock(r.stale(), r.as_of_time());

  out += "## Résumé\n\n";
  out += Table({"Rubrique", "Valeur"}, {false, false},
               {
                   {"Département", Md(DepartementLabel(PrefectureOfWorkshop(r.workshop())))},
                   {"État", Md(WorkshopStateLabel(r.state()))},
                   {"Thèmes", Md(ThemesLabel(r.themes()))},
                   {"Date", Md(FormatTimeRange(r.start_time(), r.end_time()))},
                   {"Lieu", Md(r.venue())},
                   {"Capacité", FormatCount(r.capacity())},
                   {"Quartiers (QPV)", Md(absl::StrJoin(r.qpv_codes(), ", "))},
                   {"Inscrits", FormatCount(r.registered_count())},
                   {"Liste d'attente", FormatCount(r.waitlisted_count())},
                   {"Présents", FormatCount(r.attended_count())},
                   {"Contributions", FormatCount(r.contribution_count())},
                   {"Votes", FormatCount(r.vote_count())},
                   {"Actions reproductibles", FormatCount(r.reproducible_action_count())},
               });

  out += "## Représentativité\n\n";
  absl::StrAppend(&out, "Indice de représentativité : **",
                  FormatDecimal(r.representativeness_index(), 2), "** sur 1 (",
                  IndexReading(r.representativeness_index()), "), calculé sur les ",
                  RepresentativenessBasisLabel(r.representativeness_basis()),
                  ". 1 : la participation reflète exactement le panel cible ; 0 : aucun point "
                  "commun.\n\n");
  if (r.under_represented_size() == 0) {
    out += "Aucune catégorie d'acteur n'est sous-représentée.\n\n";
  } else {
    std::vector<std::string> items;
    for (const auto& u : r.under_represented()) {
      items.push_back(absl::StrCat("**", Md(ActorCategoryLabel(u.category())), "** (",
                                   u.shortfall() > 1 ? "manquent " : "manque ",
                                   FormatCount(u.shortfall()), ")"));
    }
    absl::StrAppend(&out, "Catégories sous-représentées (moins de la moitié de leur part cible) : ",
                    absl::StrJoin(items, ", "), ".\n\n");
  }
  std::vector<Row> rows;
  for (const CategoryRow& c : CategoryRows(r)) {
    std::string label = Md(ActorCategoryLabel(c.category));
    if (c.under_represented) label = absl::StrCat("**", label, "** ⚠");
    rows.push_back({label, FormatCount(c.registered), FormatCount(c.attended),
                    FormatCount(c.contributions),
                    c.has_target ? FormatPercent(c.actual_share, 1) : "",
                    c.has_target ? FormatPercent(c.target_share, 1) : "",
                    c.has_target ? FormatCount(c.shortfall) : ""});
  }
  out += Table({"Catégorie d'acteur", "Inscrits", "Présents", "Contributions", "Part réelle",
                "Part cible", "Manque"},
               {false, true, true, true, true, true, true}, rows);

  out += "## Contributions par thème\n\n" + ThemeTable(r.contributions_by_theme());
  out += "## Contributions par type\n\n" + KindTable(r.contributions_by_kind());
  out += "## Contributions les plus soutenues\n\n" + ContributionTable(r.top_contributions());
  out += "## Actions reproductibles\n\n" + ContributionTable(r.reproducible_actions());

  absl::StrAppend(&out, "---\n\n*Chiffres au ", Md(FormatDateTime(r.as_of_time())), " (",
                  TimeZoneNote(), "). Référence : ", Md(r.workshop()), ", révision ",
                  r.workshop_revision(), ".*\n");
  return out;
}

std::string PrefectureReportMarkdown(const v1::PrefectureReport& r) {
  std::string out =
      absl::StrCat("# Rapport de la préfecture : ", Md(DepartementLabel(r.prefecture())), "\n\n");
  out += StaleBlock(r.stale(), r.as_of_time());

  out += "## Résumé\n\n";
  out += Table({"Rubrique", "Valeur"}, {false, false},
               {
                   {"Région", Md(RegionLabel(r.region()))},
                   {"Ateliers", FormatCount(r.workshop_count())},
                   {"Ateliers tenus", FormatCount(r.workshops_held())},
                   {"Ateliers au rapport validé", FormatCount(r.workshops_reported())},
                   {"Inscrits", FormatCount(r.registered_count())},
                   {"Présents", FormatCount(r.attended_count())},
                   {"Contributions", FormatCount(r.contribution_count())},
                   {"Actions reproductibles", FormatCount(r.reproducible_action_count())},
                   {"Indice de représentativité moyen",
                    absl::StrCat(FormatDecimal(r.representativeness_index(), 2), " (",
                                 IndexReading(r.representativeness_index()),
                                 ", moyenne pondérée par les présents)")},
               });

  out += "## Ateliers\n\n";
  std::vector<Row> rows;
  for (const auto& w : r.workshops()) {
    std::string title = Md(w.title());
    if (w.stale()) absl::StrAppend(&title, " (non à jour)");
    rows.push_back({title, Md(FormatTimeRange(w.start_time(), w.end_time())),
                    Md(WorkshopStateLabel(w.state())), FormatCount(w.registered_count()),
                    FormatCount(w.attended_count()), FormatCount(w.contribution_count()),
                    FormatCount(w.reproducible_action_count()),
                    FormatDecimal(w.representativeness_index(), 2), Md(UnderRepresentedLabel(w))});
  }
  rows.push_back({"**Total**", "", "", FormatCount(r.registered_count()),
                  FormatCount(r.attended_count()), FormatCount(r.contribution_count()),
                  FormatCount(r.reproducible_action_count()),
                  FormatDecimal(r.representativeness_index(), 2), ""});
  out += Table({"Atelier", "Date", "État", "Inscrits", "Présents", "Contributions",
                "Actions reproductibles", "Indice", "Catégories sous-représentées"},
               {false, false, false, true, true, true, true, true, false}, rows);

  out += "## Contributions par thème\n\n" + ThemeTable(r.contributions_by_theme());
  out += "## Contributions par type\n\n" + KindTable(r.contributions_by_kind());
  out += "## Présents par catégorie d'acteur\n\n";
  std::vector<Row> cats;
  for (const auto& c : r.attendance_by_category()) {
    cats.push_back({Md(ActorCategoryLabel(c.category())), FormatCount(c.count())});
  }
  out += cats.empty() ? "Aucun présent.\n\n"
                      : Table({"Catégorie d'acteur", "Présents"}, {false, true}, cats);

  absl::StrAppend(&out, "---\n\n*Chiffres au ", Md(FormatDateTime(r.as_of_time())), " (",
                  TimeZoneNote(), ").*\n");
  return out;
}

}  // namespace qpv::reporting::report_export
