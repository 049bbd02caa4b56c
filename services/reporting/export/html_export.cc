#include "services/reporting/export/html_export.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/reporting/export/french_format.h"
#include "services/reporting/export/labels.h"
#include "services/reporting/export/report_view.h"
#include "services/reporting/export/svg_charts.h"
#include "services/reporting/export/text_escape.h"

namespace qpv::reporting::report_export {
namespace {

std::string H(absl::string_view text) { return HtmlEscape(text); }

// System fonts only (no web font: the page must not fetch anything). Print:
// A4, one section per page, colours kept so charts print as on screen.
constexpr absl::string_view kStyle = R"css(
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  color: #1d232a; background: #fff; margin: 0 auto; max-width: 980px; padding: 24px 28px;
  font-size: 15px; line-height: 1.45; }
header { border-bottom: 4px solid #1f5fa8; padding-bottom: 10px; margin-bottom: 16px; }
.kicker { text-transform: uppercase; letter-spacing: .06em; font-size: 12px; color: #4a5561;
  margin: 0; }
h1 { font-size: 27px; margin: 4px 0; color: #0b2a4a; }
h2 { font-size: 20px; color: #0b2a4a; border-bottom: 1px solid #d5dbe1; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 4px; }
.subtitle { margin: 2px 0; color: #4a5561; }
.stale { border: 3px solid #c92a2a; background: #fff0f0; color: #7a0d0d; padding: 10px 14px;
  margin: 14px 0; font-size: 16px; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 16px; }
.figure { border: 1px solid #d5dbe1; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.figure .n { font-size: 26px; font-weight: bold; color: #0b2a4a; }
.figure .l { font-size: 13px; color: #4a5561; }
section { margin-top: 26px; }
figure { margin: 14px 0 20px; break-inside: avoid; }
figcaption { font-size: 13px; color: #4a5561; margin-top: 4px; }
svg.chart { display: block; width: 100%; height: auto; max-width: 900px; }
svg.gauge { display: block; width: 260px; height: auto; flex: none; }
.gauge-row { display: flex; gap: 24px; align-items: center; }
.gauge-row > div, .gauge-row > p { flex: 1; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #d5dbe1; padding: 5px 6px; text-align: left;
  vertical-align: top; }
th { background: #f1f4f7; }
.num { text-align: right; white-space: nowrap; }
tr.under td { background: #fff4e6; }
tr.total td { font-weight: bold; border-top: 2px solid #1d232a; }
.under-tag { color: #d9480f; font-weight: bold; }
ul.under-list li { color: #7a2e05; }
.ok { color: #2b8a3e; }
ol.contributions { padding-left: 22px; }
li.contribution { margin-bottom: 14px; break-inside: avoid; }
.meta { font-size: 13px; color: #4a5561; margin: 0 0 4px; }
.text { white-space: pre-line; margin: 0; }
.badge { display: inline-block; border-radius: 3px; padding: 0 5px; background: #e6f4ea;
  color: #1b5e20; font-size: 12px; font-weight: bold; }
footer { margin-top: 30px; border-top: 1px solid #d5dbe1; padding-top: 8px; font-size: 12px;
  color: #4a5561; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section { break-before: page; margin-top: 0; }
  section.first { break-before: auto; }
  tr, figure, li.contribution { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  /* Smaller charts so a section (chart and its table) fits one A4 page. */
  svg.chart { max-width: 150mm; }
  svg.gauge { width: 45mm; }
  table { font-size: 9pt; }
}
)css";

std::string PageStart(absl::string_view title) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      H(title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n");
}

constexpr absl::string_view kPageEnd = "</body>\n</html>\n";

std::string StaleBanner(bool stale, const google::protobuf::Timestamp& as_of) {
  const std::string notice = StaleNotice(stale, as_of);
  if (notice.empty()) return "";
  return absl::StrCat(
      "<div class=\"stale\" role=\"alert\"><strong>⚠ RAPPORT NON À JOUR</strong> — ", H(notice),
      "</div>\n");
}

std::string Figure(absl::string_view label, absl::string_view value) {
  return absl::StrCat("<div class=\"figure\"><div class=\"n\">", H(value),
                      "</div><div class=\"l\">", H(label), "</div></div>\n");
}

std::string Votes(int64_t n) { return absl::StrCat(FormatCount(n), n > 1 ? " votes" : " vote"); }

std::string GaugeBlock(absl::string_view id, double index, absl::string_view explanation) {
  const std::string value = FormatDecimal(index, 2);
  const absl::string_view reading = IndexReading(index);
  return IndexGauge({std::string(id), "Indice de représentativité",
                     absl::StrCat("Indice de représentativité : ", value, " sur 1, ", reading, ". ",
                                  explanation)},
                    ShownIndex(index), value, reading);
}

// Contributions by theme, most first: long labels read better as rows.
std::string ThemeChart(absl::string_view id,
                       const google::protobuf::RepeatedPtrField<common::v1::ThemeCount>& themes) {
  std::vector<common::v1::ThemeCount> sorted(themes.begin(), themes.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.count() > b.count(); });
  std::vector<BarDatum> data;
  std::vector<std::string> parts;
  for (const auto& t : sorted) {
    BarDatum d;
    d.label = std::string(ThemeLabel(t.theme()));
    d.value = static_cast<double>(t.count());
    d.value_label = FormatCount(t.count());
    parts.push_back(absl::StrCat(d.label, " : ", d.value_label));
    data.push_back(std::move(d));
  }
  return absl::StrCat(
      "<figure>\n",
      HorizontalBarChart(
          {std::string(id), "Contributions par thème",
           parts.empty() ? "Aucune contribution." : absl::StrCat(absl::StrJoin(parts, " ; "), ".")},
          data),
      "<figcaption>Contributions par thème (une contribution à plusieurs thèmes compte pour "
      "chacun).</figcaption>\n</figure>\n");
}

std::string KindChart(absl::string_view id,
                      const google::protobuf::RepeatedPtrField<v1::KindCount>& kinds) {
  std::vector<Slice> slices;
  std::vector<std::string> parts;
  const auto& palette = CategoricalPalette();
  for (const auto& k : kinds) {
    // Colour by kind, not by position, so two reports use the same colours.
    const size_t index =
        static_cast<size_t>(std::max(0, static_cast<int>(k.kind()))) % palette.size();
    slices.push_back(
        {std::string(KindLabel(k.kind())), static_cast<double>(k.count()), palette[index]});
    parts.push_back(absl::StrCat(KindLabel(k.kind()), " : ", FormatCount(k.count())));
  }
  return absl::StrCat(
      "<figure>\n",
      DonutChart(
          {std::string(id), "Contributions par type",
           parts.empty() ? "Aucune contribution." : absl::StrCat(absl::StrJoin(parts, " ; "), ".")},
          slices, "contributions"),
      "<figcaption>Contributions par type : idées, actions concrètes, bonnes pratiques, freins, "
      "recommandations.</figcaption>\n</figure>\n");
}

std::string ContributionList(
    const google::protobuf::RepeatedPtrField<v1::ContributionSummary>& list,
    absl::string_view empty) {
  if (list.empty()) return absl::StrCat("<p>", H(empty), "</p>\n");
  std::string out = "<ol class=\"contributions\">\n";
  for (const auto& c : list) {
    std::vector<std::string> meta = {H(KindLabel(c.kind()))};
    if (c.themes_size() > 0) meta.push_back(H(ThemesLabel(c.themes())));
    const std::string& org =
        c.organization_display_name().empty() ? c.organization() : c.organization_display_name();
    if (!org.empty()) {
      std::string who = H(org);
      if (c.organization_category() != common::v1::ACTOR_CATEGORY_UNSPECIFIED) {
        absl::StrAppend(&who, " (", H(ActorCategoryLabel(c.organization_category())), ")");
      }
      meta.push_back(who);
    }
    meta.push_back(absl::StrCat("<strong>", Votes(c.vote_count()), "</strong>"));
    if (c.qpv_codes_size() > 0) {
      meta.push_back(absl::StrCat("QPV ", H(absl::StrJoin(c.qpv_codes(), ", "))));
    }
    absl::StrAppend(&out, "<li class=\"contribution\">\n<h3>", H(c.title()),
                    c.reproducible() ? " <span class=\"badge\">Reproductible</span>" : "",
                    "</h3>\n<p class=\"meta\">", absl::StrJoin(meta, " · "),
                    "</p>\n<p class=\"text\">", H(c.text()), "</p>\n</li>\n");
  }
  return out + "</ol>\n";
}

std::string Footer(const google::protobuf::Timestamp& as_of, absl::string_view reference) {
  return absl::StrCat("<footer>Chiffres au ", H(FormatDateTime(as_of)), " (", TimeZoneNote(), "). ",
                      reference,
                      " Indice de représentativité : 1 − ½ × somme des écarts entre la part "
                      "réelle et la part cible de chaque catégorie d'acteur (1 : participation "
                      "conforme au panel cible ; 0 : aucun point commun).</footer>\n");
}

// --- Workshop report ---

std::string CategorySection(const v1::WorkshopReport& r) {
  const bool attendance = CountsAttendance(r);
  const absl::string_view counted = attendance ? "présents" : "inscrits";
  const std::vector<CategoryRow> rows = CategoryRows(r);
  int64_t total = 0;
  for (const CategoryRow& row : rows) total += attendance ? row.attended : row.registered;

  std::vector<BarDatum> data;
  std::vector<std::string> parts;
  for (const CategoryRow& row : rows) {
    const int64_t n = attendance ? row.attended : row.registered;
    if (!row.has_target && n == 0) continue;
    const double share =
        row.has_target ? row.actual_share
                       : (total > 0 ? static_cast<double>(n) / static_cast<double>(total) : 0);
    BarDatum d;
    d.label = std::string(ActorCategoryLabel(row.category));
    // The bar is the share so that it compares with the target share; an
    // empty category draws no bar, only its target.
    d.value = n > 0 ? share * 100.0 : 0;
    d.value_label = absl::StrCat(FormatCount(n), " (", FormatPercent(share, 0), ")");
    d.highlight = row.under_represented;
    d.has_target = row.has_target;
    d.target = row.target_share * 100.0;
    std::string part = absl::StrCat(d.label, " : ", d.value_label);
    if (row.has_target) absl::StrAppend(&part, ", cible ", FormatPercent(row.target_share, 0));
    if (row.under_represented) part += ", sous-représentée";
    parts.push_back(std::move(part));
    data.push_back(std::move(d));
  }

  std::string out = "<section id=\"representativite\">\n<h2>Représentativité des acteurs</h2>\n";
  absl::StrAppend(
      &out, "<div class=\"gauge-row\">\n",
      GaugeBlock("chart-index", r.representativeness_index(),
                 absl::StrCat("Calculé sur les ",
                              RepresentativenessBasisLabel(r.representativeness_basis()), ".")),
      "<div>\n<p>Indice de représentativité : <strong>",
      FormatDecimal(r.representativeness_index(), 2), "</strong> sur 1 (",
      IndexReading(r.representativeness_index()), "), calculé sur les ",
      RepresentativenessBasisLabel(r.representativeness_basis()),
      ". Il mesure l'écart entre la répartition des ", counted,
      " par catégorie d'acteur et le panel cible.</p>\n");
  if (r.under_represented_size() == 0) {
    out += "<p class=\"ok\">Aucune catégorie d'acteur n'est sous-représentée.</p>\n";
  } else {
    out +=
        "<p><strong class=\"under-tag\">Catégories sous-représentées</strong> (moins de la "
        "moitié de leur part cible), à inviter en priorité :</p>\n<ul class=\"under-list\">\n";
    for (const auto& u : r.under_represented()) {
      absl::StrAppend(&out, "<li><strong>", H(ActorCategoryLabel(u.category())),
                      "</strong> : part réelle ", FormatPercent(u.actual_share(), 0), ", cible ",
                      FormatPercent(u.target_share(), 0), ", ",
                      u.shortfall() > 1 ? "manquent " : "manque ", FormatCount(u.shortfall()),
                      u.shortfall() > 1 ? " personnes" : " personne", "</li>\n");
    }
    out += "</ul>\n";
  }
  out += "</div>\n</div>\n";

  const std::string title = absl::StrCat(attendance ? "Présents" : "Inscrits",
                                         " par catégorie d'acteur, face à la part cible");
  absl::StrAppend(
      &out, "<figure>\n",
      HorizontalBarChart({"chart-categories", title,
                          parts.empty() ? "Personne n'est encore compté."
                                        : absl::StrCat(absl::StrJoin(parts, " ; "), ".")},
                         data, "Part cible"),
      "<figcaption>", H(title),
      ". Barre : part réelle ; trait noir : part cible ; en orange : catégorie "
      "sous-représentée.</figcaption>\n</figure>\n");

  out +=
      "<table>\n<thead><tr><th>Catégorie d'acteur</th><th class=\"num\">Inscrits</th>"
      "<th class=\"num\">Présents</th><th class=\"num\">Contributions</th>"
      "<th class=\"num\">Part réelle</th><th class=\"num\">Part cible</th>"
      "<th class=\"num\">Manque</th></tr></thead>\n<tbody>\n";
  for (const CategoryRow& row : rows) {
    absl::StrAppend(
        &out, row.under_represented ? "<tr class=\"under\">" : "<tr>", "<td>",
        H(ActorCategoryLabel(row.category)),
        row.under_represented ? " <span class=\"under-tag\">⚠ sous-représentée</span>" : "",
        "</td><td class=\"num\">", FormatCount(row.registered), "</td><td class=\"num\">",
        FormatCount(row.attended), "</td><td class=\"num\">", FormatCount(row.contributions),
        "</td><td class=\"num\">", row.has_target ? FormatPercent(row.actual_share, 1) : "",
        "</td><td class=\"num\">", row.has_target ? FormatPercent(row.target_share, 1) : "",
        "</td><td class=\"num\">", row.has_target ? FormatCount(row.shortfall) : "",
        "</td></tr>\n");
  }
  out += "</tbody>\n</table>\n</section>\n";
  return out;
}

}  // namespace

std::string WorkshopReportHtml(const v1::WorkshopReport& r) {
  const std::string prefecture = DepartementLabel(PrefectureOfWorkshop(r.workshop()));
  std::string out = PageStart(absl::StrCat("Rapport d'atelier : ", r.title()));

  absl::StrAppend(&out, "<header>\n<p class=\"kicker\">Atelier thématique territorial · ",
                  H(prefecture), "</p>\n<h1>", H(r.title()), "</h1>\n<p class=\"subtitle\">",
                  H(FormatTimeRange(r.start_time(), r.end_time())));
  if (!r.venue().empty()) absl::StrAppend(&out, " · ", H(r.venue()));
  absl::StrAppend(&out, " · ", H(WorkshopStateLabel(r.state())), "</p>\n");
  if (r.themes_size() > 0) {
    absl::StrAppend(&out, "<p class=\"subtitle\">Thèmes : ", H(ThemesLabel(r.themes())), "</p>\n");
  }
  out += "</header>\n";
  out += StaleBanner(r.stale(), r.as_of_time());

  out += "<section class=\"first\" id=\"synthese\">\n<h2>Synthèse</h2>\n<div class=\"figures\">\n";
  absl::StrAppend(
      &out, Figure("inscrits", FormatCount(r.registered_count())),
      Figure("en liste d'attente", FormatCount(r.waitlisted_count())),
      Figure("présents", FormatCount(r.attended_count())),
      Figure("contributions", FormatCount(r.contribution_count())),
      Figure("votes", FormatCount(r.vote_count())),
      Figure("actions reproductibles", FormatCount(r.reproducible_action_count())),
      Figure("indice de représentativité", FormatDecimal(r.representativeness_index(), 2)));
  absl::StrAppend(&out, "</div>\n<table>\n<tbody>\n<tr><th>Capacité</th><td>",
                  FormatCount(r.capacity()), "</td></tr>\n<tr><th>Quartiers (QPV)</th><td>",
                  H(absl::StrJoin(r.qpv_codes(), ", ")), "</td></tr>\n<tr><th>Référence</th><td>",
                  H(r.workshop()), "</td></tr>\n</tbody>\n</table>\n</section>\n");

  out += CategorySection(r);

  absl::StrAppend(&out, "<section id=\"contributions\">\n<h2>Contributions</h2>\n",
                  ThemeChart("chart-themes", r.contributions_by_theme()),
                  KindChart("chart-kinds", r.contributions_by_kind()), "</section>\n");
  absl::StrAppend(&out,
                  "<section id=\"plus-soutenues\">\n<h2>Contributions les plus soutenues</h2>\n",
                  ContributionList(r.top_contributions(), "Aucune contribution."), "</section>\n");
  absl::StrAppend(&out, "<section id=\"reproductibles\">\n<h2>Actions reproductibles</h2>\n",
                  ContributionList(r.reproducible_actions(),
                                   "Aucune contribution n'a été signalée comme reproductible."),
                  "</section>\n");
  out += Footer(r.as_of_time(), absl::StrCat("Référence : ", H(r.workshop()), ", révision ",
                                             r.workshop_revision(), "."));
  absl::StrAppend(&out, kPageEnd);
  return out;
}

std::string PrefectureReportHtml(const v1::PrefectureReport& r) {
  const std::string departement = DepartementLabel(r.prefecture());
  std::string out = PageStart(absl::StrCat("Rapport de la préfecture : ", departement));

  absl::StrAppend(&out,
                  "<header>\n<p class=\"kicker\">Politique de la ville · Ateliers thématiques "
                  "territoriaux</p>\n<h1>Rapport de la préfecture : ",
                  H(departement), "</h1>\n");
  if (!r.region().empty()) {
    absl::StrAppend(&out, "<p class=\"subtitle\">Région ", H(RegionLabel(r.region())), "</p>\n");
  }
  out += "</header>\n";
  out += StaleBanner(r.stale(), r.as_of_time());

  out += "<section class=\"first\" id=\"synthese\">\n<h2>Synthèse</h2>\n<div class=\"figures\">\n";
  absl::StrAppend(&out, Figure("ateliers", FormatCount(r.workshop_count())),
                  Figure("ateliers tenus", FormatCount(r.workshops_held())),
                  Figure("rapports validés", FormatCount(r.workshops_reported())),
                  Figure("inscrits", FormatCount(r.registered_count())),
                  Figure("présents", FormatCount(r.attended_count())),
                  Figure("contributions", FormatCount(r.contribution_count())),
                  Figure("actions reproductibles", FormatCount(r.reproducible_action_count())),
                  "</div>\n");
  absl::StrAppend(&out, "<div class=\"gauge-row\">\n",
                  GaugeBlock("chart-index", r.representativeness_index(),
                             "Moyenne des ateliers pondérée par leurs présents."),
                  "<p>Indice de représentativité moyen : <strong>",
                  FormatDecimal(r.representativeness_index(), 2), "</strong> sur 1 (",
                  IndexReading(r.representativeness_index()),
                  "), moyenne des ateliers pondérée par leurs présents.</p>\n</div>\n</section>\n");

  // Workshops side by side.
  std::vector<Series> series = {
      {"Inscrits", "#9dbbe0"}, {"Présents", std::string(kBarColor)}, {"Contributions", "#f2a900"}};
  std::vector<BarGroup> groups;
  std::vector<BarDatum> indexes;
  std::vector<std::string> parts;
  std::vector<std::string> index_parts;
  for (const auto& w : r.workshops()) {
    const std::string label = absl::StrCat(w.title(), " — ", FormatDate(w.start_time()));
    groups.push_back(
        {label,
         {static_cast<double>(w.registered_count()), static_cast<double>(w.attended_count()),
          static_cast<double>(w.contribution_count())}});
    parts.push_back(absl::StrCat(label, " : ", w.registered_count(), " inscrits, ",
                                 w.attended_count(), " présents, ", w.contribution_count(),
                                 " contributions"));
    BarDatum d;
    d.label = w.title();
    d.value = w.representativeness_index();
    d.value_label = absl::StrCat(FormatDecimal(w.representativeness_index(), 2), " (",
                                 IndexReading(w.representativeness_index()), ")");
    d.highlight = IndexReading(w.representativeness_index()) == "faible";
    index_parts.push_back(absl::StrCat(w.title(), " : ", d.value_label));
    indexes.push_back(std::move(d));
  }
  absl::StrAppend(
      &out, "<section id=\"ateliers\">\n<h2>Les ateliers côte à côte</h2>\n<figure>\n",
      GroupedBarChart(
          {"chart-workshops", "Inscrits, présents et contributions par atelier",
           parts.empty() ? "Aucun atelier." : absl::StrCat(absl::StrJoin(parts, " ; "), ".")},
          series, groups),
      "<figcaption>Inscrits, présents et contributions par atelier.</figcaption>\n</figure>\n");

  out +=
      "<table>\n<thead><tr><th>Atelier</th><th>Date</th><th>État</th>"
      "<th class=\"num\">Inscrits</th><th class=\"num\">Présents</th>"
      "<th class=\"num\">Contributions</th><th class=\"num\">Actions reproductibles</th>"
      "<th class=\"num\">Indice</th><th>Catégories sous-représentées</th></tr></thead>\n"
      "<tbody>\n";
  for (const auto& w : r.workshops()) {
    const std::string under = UnderRepresentedLabel(w);
    // No row highlight here: most workshops miss some category, the orange
    // names are enough.
    absl::StrAppend(
        &out, "<tr><td>", H(w.title()),
        w.stale() ? " <span class=\"under-tag\">(non à jour)</span>" : "", "</td><td>",
        H(FormatDate(w.start_time())), "</td><td>", H(WorkshopStateLabel(w.state())),
        "</td><td class=\"num\">", FormatCount(w.registered_count()), "</td><td class=\"num\">",
        FormatCount(w.attended_count()), "</td><td class=\"num\">",
        FormatCount(w.contribution_count()), "</td><td class=\"num\">",
        FormatCount(w.reproducible_action_count()), "</td><td class=\"num\">",
        FormatDecimal(w.representativeness_index(), 2), "</td><td>",
        under.empty() ? "—" : absl::StrCat("<span class=\"under-tag\">", H(under), "</span>"),
        "</td></tr>\n");
  }
  absl::StrAppend(
      &out, "<tr class=\"total\"><td>Total</td><td></td><td></td><td class=\"num\">",
      FormatCount(r.registered_count()), "</td><td class=\"num\">", FormatCount(r.attended_count()),
      "</td><td class=\"num\">", FormatCount(r.contribution_count()), "</td><td class=\"num\">",
      FormatCount(r.reproducible_action_count()), "</td><td class=\"num\">",
      FormatDecimal(r.representativeness_index(), 2), "</td><td></td></tr>\n</tbody>\n</table>\n");
  absl::StrAppend(
      &out, "<figure>\n",
      HorizontalBarChart(
          {"chart-workshop-index", "Indice de représentativité par atelier",
           index_parts.empty() ? "Aucun atelier."
                               : absl::StrCat(absl::StrJoin(index_parts, " ; "), ".")},
          indexes, "", 1.0),
      "<figcaption>Indice de représentativité par atelier, de 0 à 1 (en orange : faible, sous "
      "0,6).</figcaption>\n</figure>\n</section>\n");

  absl::StrAppend(&out, "<section id=\"contributions\">\n<h2>Contributions</h2>\n",
                  ThemeChart("chart-themes", r.contributions_by_theme()),
                  KindChart("chart-kinds", r.contributions_by_kind()), "</section>\n");

  std::vector<BarDatum> categories;
  std::vector<std::string> category_parts;
  for (const auto& c : r.attendance_by_category()) {
    BarDatum d;
    d.label = std::string(ActorCategoryLabel(c.category()));
    d.value = static_cast<double>(c.count());
    d.value_label = FormatCount(c.count());
    category_parts.push_back(absl::StrCat(d.label, " : ", d.value_label));
    categories.push_back(std::move(d));
  }
  absl::StrAppend(
      &out, "<section id=\"participation\">\n<h2>Participation par catégorie d'acteur</h2>\n",
      "<figure>\n",
      HorizontalBarChart(
          {"chart-categories", "Présents par catégorie d'acteur, tous ateliers",
           category_parts.empty() ? "Aucun présent."
                                  : absl::StrCat(absl::StrJoin(category_parts, " ; "), ".")},
          categories),
      "<figcaption>Présents par catégorie d'acteur, tous ateliers confondus.</figcaption>\n"
      "</figure>\n</section>\n");

  out += Footer(r.as_of_time(), absl::StrCat("Département ", H(departement), "."));
  absl::StrAppend(&out, kPageEnd);
  return out;
}

}  // namespace qpv::reporting::report_export
