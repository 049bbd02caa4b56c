#include "tools/qpvctl/dashboard_view.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/qpvctl/bars.h"
#include "tools/qpvctl/labels.h"
#include "tools/qpvctl/table.h"

namespace qpv::ctl {
namespace {

namespace nv1 = qpv::national::v1;

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n <= 1 ? one : many);
}

std::string Filters(const nv1::GetNationalDashboardRequest& req, const ViewOptions& o) {
  std::vector<std::string> parts;
  if (req.theme() != 0) parts.push_back(absl::StrCat("thème ", ThemeLabel(req.theme())));
  if (!req.region().empty()) parts.push_back(absl::StrCat("région ", RegionText(req.region())));
  const bool from = IsSet(req.start_time());
  const bool to = IsSet(req.end_time());
  if (from && to) {
    parts.push_back(absl::StrCat("ateliers commençant entre le ", LocalTime(req.start_time(), o.tz),
                                 " et le ", LocalTime(req.end_time(), o.tz)));
  } else if (from) {
    parts.push_back(absl::StrCat("ateliers commençant à partir du ",
                                 LocalTime(req.start_time(), o.tz)));
  } else if (to) {
    parts.push_back(absl::StrCat("ateliers commençant avant le ", LocalTime(req.end_time(), o.tz)));
  }
  if (parts.empty()) return "";
  return absl::StrCat("Filtres : ", absl::StrJoin(parts, " · "), "\n\n");
}

std::string Coverage(const nv1::NationalDashboard& d) {
  if (!d.has_coverage()) {
    return Plural(d.reporting_prefecture_count(), "a remonté ses chiffres",
                  "ont remonté leurs chiffres");
  }
  const auto& c = d.coverage();
  std::string out = absl::StrCat(c.reporting_prefecture_count());
  if (c.known_prefecture_count() > 0) absl::StrAppend(&out, " sur ", c.known_prefecture_count());
  absl::StrAppend(&out, c.reporting_prefecture_count() <= 1 ? " a remonté ses chiffres"
                                                            : " ont remonté leurs chiffres");
  if (c.reporting_prefecture_count() > 0) {
    absl::StrAppend(&out, " (", c.fresh_prefecture_count(), " à jour");
    const int32_t late = c.reporting_prefecture_count() - c.fresh_prefecture_count();
    if (late > 0) absl::StrAppend(&out, ", \u26A0 ", late, " en retard");
    out += ")";
  }
  return out;
}

std::string Count(int64_t value, bool suppressed, absl::string_view hidden) {
  return suppressed ? std::string(hidden) : absl::StrCat(value);
}

}  // namespace

std::string SuppressedText(int64_t threshold) {
  return threshold > 0 ? absl::StrCat("<", threshold) : "<seuil";
}

std::string RenderDashboard(const nv1::NationalDashboard& d,
                            const nv1::GetNationalDashboardRequest& request, const ViewOptions& o) {
  const std::string hidden = SuppressedText(d.small_count_threshold());
  std::string out = Heading("Tableau de bord national", true);
  out += Filters(request, o);

  std::vector<std::pair<std::string, std::string>> summary{
      {"Ateliers", absl::StrCat(d.workshop_count())},
      {"Présents", absl::StrCat(d.attended_count())},
      {"Contributions", absl::StrCat(d.contribution_count())},
      {"Préfectures", Coverage(d)}};
  if (d.has_coverage() && IsSet(d.coverage().newest_receive_time())) {
    summary.emplace_back("Dernière réception",
                         TimeWithAge(d.coverage().newest_receive_time(), o.tz, o.now));
    if (d.coverage().oldest_receive_time().seconds() !=
        d.coverage().newest_receive_time().seconds()) {
      summary.emplace_back("Plus ancienne",
                           TimeWithAge(d.coverage().oldest_receive_time(), o.tz, o.now));
    }
  }
  std::string revision = absl::StrCat(d.revision());
  if (IsSet(d.as_of_time())) {
    absl::StrAppend(&revision, ", au ", LocalTimeSeconds(d.as_of_time(), o.tz));
  }
  summary.emplace_back("Révision", revision);
  out += RenderSummary(summary, "");
  if (d.small_count_threshold() > 0) {
    absl::StrAppend(&out, "Secret statistique : les cellules de moins de ",
                    d.small_count_threshold(), " sont masquées (", hidden, ").\n");
  }
  out += "\n";
  if (d.reporting_prefecture_count() == 0 && d.prefectures().empty()) {
    return out + "Aucune préfecture n'a encore remonté de chiffres.\n";
  }

  std::vector<BarRow> themes;
  for (const auto& t : d.by_theme()) {
    themes.push_back(BarRow{ThemeLabel(t.theme()), t.contribution_count(), t.suppressed(),
                            t.suppressed() ? "" : Plural(t.workshop_count(), "atelier", "ateliers")});
  }
  absl::StrAppend(&out, Heading("Contributions par thème"),
                  BarChart(themes, hidden, "Aucune contribution."), "\n");

  std::vector<BarRow> categories;
  for (const auto& c : d.by_category()) {
    categories.push_back(BarRow{
        CategoryLabel(c.category()), c.attended_count(), c.suppressed(),
        c.suppressed() ? "" : Plural(c.contribution_count(), "contribution", "contributions")});
  }
  absl::StrAppend(&out, Heading("Présents par catégorie d'acteur"),
                  BarChart(categories, hidden, "Aucun présent compté."), "\n");

  out += Heading("Par région");
  if (d.by_region().empty()) {
    out += "  Aucune région.\n\n";
  } else {
    int64_t max = 0;
    for (const auto& r : d.by_region()) {
      if (!r.suppressed()) max = std::max(max, r.contribution_count());
    }
    Table t({"RÉGION", "PRÉF.", "ATELIERS", "PRÉSENTS", "CONTRIB.", ""});
    t.AlignRight({1, 2, 3, 4});
    t.set_indent("  ");
    for (const auto& r : d.by_region()) {
      t.AddRow({RegionText(r.region(), r.region_name()), absl::StrCat(r.reporting_prefecture_count()),
                Count(r.workshop_count(), r.suppressed(), hidden),
                Count(r.attended_count(), r.suppressed(), hidden),
                Count(r.contribution_count(), r.suppressed(), hidden),
                r.suppressed() ? "" : Bar(static_cast<double>(r.contribution_count()),
                                          static_cast<double>(max), 20)});
    }
    absl::StrAppend(&out, t.Render(), "\n");
  }

  out += Heading("Préfectures");
  if (d.prefectures().empty()) {
    out += "  Aucune préfecture.\n";
  } else {
    Table t({"PRÉF.", "NOM", "RÉGION", "ATELIERS", "PRÉSENTS", "CONTRIB.", "VERSION", "REÇU"}, 32);
    t.AlignRight({3, 4, 5, 6});
    t.set_indent("  ");
    for (const auto& p : d.prefectures()) {
      std::string name = p.prefecture_name();
      if (name.empty()) {
        // The title is "Préfecture 59 — Nord": keep the name.
        const std::string title = PrefectureTitle(p.prefecture());
        const size_t dash = title.find(" — ");
        if (dash != std::string::npos) name = title.substr(dash + std::string(" — ").size());
      }
      t.AddRow({p.prefecture(), name, RegionText(p.region()), absl::StrCat(p.workshop_count()),
                absl::StrCat(p.attended_count()), absl::StrCat(p.contribution_count()),
                absl::StrCat(p.version()), TimeWithAge(p.receive_time(), o.tz, o.now)});
    }
    out += t.Render();
  }
  return out;
}

std::string RenderGoodPracticeBlocks(
    const google::protobuf::RepeatedPtrField<nv1::GoodPracticeGroup>& groups, int first_number) {
  std::string out;
  int n = first_number;
  for (const auto& g : groups) {
    absl::StrAppend(&out, n++, ". ", g.title(), "\n");
    std::vector<std::pair<std::string, std::string>> rows{
        {"Préfectures", absl::StrCat(g.prefecture_count(), " : ",
                                     absl::StrJoin(g.prefectures(), ", "))},
        {"Votes", absl::StrCat(g.vote_count())}};
    if (!g.themes().empty()) rows.emplace_back("Thèmes", ThemeLabels(g.themes()));
    if (!g.text().empty()) rows.emplace_back("Texte", WrapText(g.text(), 76));
    if (!g.qpv_codes().empty()) rows.emplace_back("QPV", absl::StrJoin(g.qpv_codes(), ", "));
    rows.emplace_back("Sources", absl::StrJoin(g.sources(), "\n"));
    absl::StrAppend(&out, RenderSummary(rows, "   "), "\n");
  }
  return out;
}

}  // namespace qpv::ctl
