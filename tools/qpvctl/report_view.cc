#include "tools/qpvctl/report_view.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/territory/territory.h"
#include "common/util/clock.h"
#include "tools/qpvctl/bars.h"
#include "tools/qpvctl/labels.h"
#include "tools/qpvctl/table.h"

namespace qpv::ctl {
namespace {

namespace rv1 = qpv::reporting::v1;
namespace wv1 = qpv::workshop::v1;
using Rows = std::vector<std::pair<std::string, std::string>>;

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

bool Held(int state) {
  return state == wv1::Workshop::STATE_HELD || state == wv1::Workshop::STATE_REPORTED;
}

// "1 action reproductible", "3 actions reproductibles".
std::string Count(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 || n == 0 ? one : many);
}

// Rows with an empty value are left out: an unset venue is no news.
void AddIfSet(Rows* rows, std::string key, std::string value) {
  if (!value.empty()) rows->emplace_back(std::move(key), std::move(value));
}

std::string StaleNotice(bool stale, const google::protobuf::Timestamp& as_of,
                        const ViewOptions& o) {
  if (!stale) return "";
  std::string when = TimeWithAge(as_of, o.tz, o.now);
  return absl::StrCat(
      "\u26A0 RAPPORT PÉRIMÉ : le service des ateliers ne répond pas ; chiffres au ",
      when.empty() ? "dernier calcul" : when, ".\n\n");
}

std::string Footer(const google::protobuf::Timestamp& as_of, int64_t revision,
                   const ViewOptions& o) {
  if (!IsSet(as_of)) return "";
  std::string out = absl::StrCat("Calculé le ", LocalTime(as_of, o.tz),
                                 absl::FormatTime(" %Z", FromProto(as_of), o.tz));
  if (revision > 0) absl::StrAppend(&out, " (révision ", revision, " de l'atelier)");
  return out + ".\n";
}

std::string Representativeness(double index, int basis) {
  switch (basis) {
    case rv1::REPRESENTATIVENESS_BASIS_ATTENDANCE:
      return absl::StrCat(Percent(index), " (sur les présents)");
    case rv1::REPRESENTATIVENESS_BASIS_REGISTRATIONS:
      return absl::StrCat(Percent(index), " (sur les inscrits)");
    default:
      return "- (personne n'est encore compté)";
  }
}

std::string Contributions(int64_t total, int64_t reproducible) {
  std::string out = absl::StrCat(total);
  if (reproducible > 0) {
    absl::StrAppend(&out, ", dont ",
                    Count(reproducible, "action reproductible", "actions reproductibles"));
  }
  return out;
}

std::vector<BarRow> ThemeBars(const google::protobuf::RepeatedPtrField<qpv::common::v1::ThemeCount>& counts) {
  std::vector<BarRow> rows;
  for (const auto& c : counts) rows.push_back(BarRow{ThemeLabel(c.theme()), c.count(), false, ""});
  return rows;
}

std::vector<BarRow> KindBars(const google::protobuf::RepeatedPtrField<rv1::KindCount>& counts) {
  std::vector<BarRow> rows;
  for (const auto& c : counts) rows.push_back(BarRow{KindLabel(c.kind()), c.count(), false, ""});
  return rows;
}

std::vector<BarRow> CategoryBars(
    const google::protobuf::RepeatedPtrField<qpv::common::v1::CategoryCount>& counts) {
  std::vector<BarRow> rows;
  for (const auto& c : counts) {
    rows.push_back(BarRow{CategoryLabel(c.category()), c.count(), false, ""});
  }
  return rows;
}

std::string Chart(absl::string_view title, const std::vector<BarRow>& rows,
                  absl::string_view empty_text) {
  return absl::StrCat(Heading(title), BarChart(rows, "-", empty_text), "\n");
}

// Registrations, attendance and the target mix, one line per category.
std::string ParticipationTable(const rv1::WorkshopReport& r) {
  struct Line {
    int64_t registered = 0;
    int64_t attended = 0;
    const rv1::CategoryRepresentation* repr = nullptr;
  };
  std::map<int, Line> lines;
  for (const auto& c : r.registrations_by_category()) lines[c.category()].registered = c.count();
  for (const auto& c : r.attendance_by_category()) lines[c.category()].attended = c.count();
  for (const auto& c : r.representation()) lines[c.category()].repr = &c;
  const bool held = Held(r.state());
  int64_t max = 0;
  for (const auto& [cat, l] : lines) max = std::max(max, held ? l.attended : l.registered);
  if (max == 0) return "  Personne n'est encore inscrit.\n";

  Table t({"CATÉGORIE", "INSCRITS", "PRÉSENTS", "PART", "CIBLE", "MANQUE", ""});
  t.AlignRight({1, 2, 3, 4, 5});
  t.set_indent("  ");
  for (const auto& [cat, l] : lines) {
    if (cat == 0 && l.registered == 0 && l.attended == 0) continue;
    const int64_t counted = held ? l.attended : l.registered;
    t.AddRow({CategoryLabel(cat), absl::StrCat(l.registered),
              held ? absl::StrCat(l.attended) : "-",
              l.repr != nullptr ? Percent(l.repr->actual_share()) : "-",
              l.repr != nullptr ? Percent(l.repr->target_share()) : "-",
              l.repr != nullptr && l.repr->shortfall() > 0 ? absl::StrCat(l.repr->shortfall())
                                                           : "",
              Bar(static_cast<double>(counted), static_cast<double>(max), 20)});
  }
  std::string out = t.Render();
  if (!r.under_represented().empty()) {
    std::vector<std::string> names;
    for (const auto& c : r.under_represented()) {
      names.push_back(absl::StrCat(CategoryLabel(c.category()), " (manque ", c.shortfall(), ")"));
    }
    absl::StrAppend(&out, "  ", held ? "Sous-représentés" : "À inviter en priorité", " : ",
                    absl::StrJoin(names, ", "), "\n");
  }
  return out;
}

std::string Organization(const rv1::ContributionSummary& c) {
  if (!c.organization_display_name().empty()) return c.organization_display_name();
  if (c.organization_category() != 0) return CategoryLabel(c.organization_category());
  return c.organization();
}

std::string ContributionTable(const google::protobuf::RepeatedPtrField<rv1::ContributionSummary>& cs,
                              bool with_themes) {
  std::vector<std::string> headers{"VOTES", "TYPE", "TITRE"};
  headers.push_back(with_themes ? "THÈMES" : "ORGANISATION");
  Table t(headers, 44);
  t.AlignRight({0});
  t.set_indent("  ");
  for (const auto& c : cs) {
    t.AddRow({absl::StrCat(c.vote_count()), KindLabel(c.kind()), c.title(),
              with_themes ? ThemeLabels(c.themes()) : Organization(c)});
  }
  return t.Render();
}

}  // namespace

std::string PrefectureTitle(const std::string& code) {
  const auto* d = qpv::territory::FindDepartement(code);
  if (d == nullptr) return absl::StrCat("Préfecture ", code);
  return absl::StrCat("Préfecture ", code, " — ", d->name);
}

std::string RegionText(const std::string& code, const std::string& name) {
  if (code.empty()) return "";
  if (!name.empty()) return absl::StrCat(code, " ", name);
  const auto* r = qpv::territory::FindRegion(code);
  return r == nullptr ? code : absl::StrCat(code, " ", r->name);
}

std::string RenderWorkshopReport(const rv1::WorkshopReport& r, const ViewOptions& o) {
  std::string out = Heading(r.title().empty() ? r.workshop() : r.title(), true);
  Rows head{{"Atelier", r.workshop()}, {"État", WorkshopStateLabel(r.state())}};
  AddIfSet(&head, "Date", LocalSpan(r.start_time(), r.end_time(), o.tz));
  AddIfSet(&head, "Lieu", r.venue());
  AddIfSet(&head, "Thèmes", ThemeLabels(r.themes()));
  AddIfSet(&head, "QPV", absl::StrJoin(r.qpv_codes(), ", "));
  absl::StrAppend(&out, RenderSummary(head, ""), "\n", StaleNotice(r.stale(), r.as_of_time(), o));

  const bool held = Held(r.state());
  std::string seats = absl::StrCat(r.registered_count());
  if (r.capacity() > 0) absl::StrAppend(&seats, " / ", r.capacity(), " places");
  if (r.waitlisted_count() > 0) {
    absl::StrAppend(&seats, " (+", r.waitlisted_count(), " en liste d'attente)");
  }
  std::string attended = "- (atelier pas encore tenu)";
  if (held) {
    attended = absl::StrCat(r.attended_count());
    if (r.registered_count() > 0) {
      absl::StrAppend(&attended, " (",
                      Percent(static_cast<double>(r.attended_count()) /
                              static_cast<double>(r.registered_count())),
                      " des inscrits)");
    }
  }
  absl::StrAppend(
      &out, Heading("Chiffres clés"),
      RenderSummary({{"Inscrits", seats},
                     {"Présents", attended},
                     {"Contributions",
                      Contributions(r.contribution_count(), r.reproducible_action_count())},
                     {"Votes", absl::StrCat(r.vote_count())},
                     {"Représentativité", Representativeness(r.representativeness_index(),
                                                             r.representativeness_basis())}}),
      "\n");

  absl::StrAppend(&out, Heading("Participation par catégorie d'acteur"), ParticipationTable(r),
                  "\n");
  absl::StrAppend(&out,
                  Chart("Contributions par thème", ThemeBars(r.contributions_by_theme()),
                        "Aucune contribution."),
                  Chart("Contributions par type", KindBars(r.contributions_by_kind()),
                        "Aucune contribution."),
                  Chart("Contributions par catégorie d'acteur",
                        CategoryBars(r.contributions_by_category()), "Aucune contribution."));
  if (!r.top_contributions().empty()) {
    absl::StrAppend(&out, Heading("Contributions les plus soutenues"),
                    ContributionTable(r.top_contributions(), false), "\n");
  }
  if (!r.reproducible_actions().empty()) {
    absl::StrAppend(&out, Heading("Actions reproductibles"),
                    ContributionTable(r.reproducible_actions(), true), "\n");
  }
  out += Footer(r.as_of_time(), r.workshop_revision(), o);
  return out;
}

std::string RenderPrefectureReport(const rv1::PrefectureReport& r, const ViewOptions& o) {
  std::string out = Heading(PrefectureTitle(r.prefecture()), true);
  std::string workshops = absl::StrCat(r.workshop_count());
  if (r.workshop_count() > 0) {
    absl::StrAppend(&workshops, " (", Count(r.workshops_held(), "tenu", "tenus"), ", dont ",
                    Count(r.workshops_reported(), "rapport validé", "rapports validés"), ")");
  }
  Rows summary;
  AddIfSet(&summary, "Région", RegionText(r.region()));
  summary.emplace_back("Ateliers", workshops);
  summary.emplace_back("Inscrits", absl::StrCat(r.registered_count()));
  summary.emplace_back("Présents", absl::StrCat(r.attended_count()));
  summary.emplace_back("Contributions",
                       Contributions(r.contribution_count(), r.reproducible_action_count()));
  summary.emplace_back("Représentativité",
                       r.attended_count() > 0
                           ? absl::StrCat(Percent(r.representativeness_index()),
                                          " (moyenne des ateliers pondérée par la présence)")
                           : "- (aucun présent compté)");
  absl::StrAppend(&out, RenderSummary(summary, ""), "\n",
                  StaleNotice(r.stale(), r.as_of_time(), o));

  out += Heading("Ateliers");
  if (r.workshops().empty()) {
    out += "  Aucun atelier.\n\n";
  } else {
    Table t({"DATE", "ÉTAT", "TITRE", "INSCRITS", "PRÉSENTS", "CONTRIB.", "REPR.", "ATELIER"},
            44);
    t.AlignRight({3, 4, 5, 6});
    t.set_indent("  ");
    for (const auto& w : r.workshops()) {
      t.AddRow({LocalTime(w.start_time(), o.tz),
                WorkshopStateLabel(w.state()) + (w.stale() ? " \u26A0" : ""), w.title(),
                absl::StrCat(w.registered_count()),
                Held(w.state()) ? absl::StrCat(w.attended_count()) : "-",
                absl::StrCat(w.contribution_count()),
                w.representativeness_basis() == rv1::REPRESENTATIVENESS_BASIS_UNSPECIFIED
                    ? "-"
                    : Percent(w.representativeness_index()),
                w.workshop()});
    }
    absl::StrAppend(&out, t.Render(), "\n");
  }
  absl::StrAppend(&out,
                  Chart("Contributions par thème", ThemeBars(r.contributions_by_theme()),
                        "Aucune contribution."),
                  Chart("Contributions par type", KindBars(r.contributions_by_kind()),
                        "Aucune contribution."),
                  Chart("Présents par catégorie d'acteur",
                        CategoryBars(r.attendance_by_category()), "Aucun présent compté."));
  out += Footer(r.as_of_time(), 0, o);
  return out;
}

std::string RenderFeedStatus(const rv1::FeedStatus& s, const ViewOptions& o) {
  std::string out =
      Heading(absl::StrCat("Flux vers le national : ", PrefectureTitle(s.prefecture())), true);
  auto version = [&](int64_t v, const google::protobuf::Timestamp& at) {
    if (v == 0) return std::string("aucune pour l'instant");
    std::string text = absl::StrCat(v);
    if (IsSet(at)) absl::StrAppend(&text, ", le ", TimeWithAge(at, o.tz, o.now));
    return text;
  };
  Rows rows{{"Version construite", version(s.built_version(), s.build_time())},
            {"Version reçue par le national",
             version(s.acknowledged_version(), s.acknowledge_time())}};
  std::string state = s.pending() ? "en attente d'envoi" : "à jour";
  if (s.pending() && s.consecutive_failures() > 0) state = "\u26A0 en attente d'envoi, en échec";
  rows.emplace_back("État", state);
  AddIfSet(&rows, "Dernière tentative", TimeWithAge(s.last_attempt_time(), o.tz, o.now));
  if (s.pending()) AddIfSet(&rows, "Prochaine tentative", LocalTime(s.next_attempt_time(), o.tz));
  if (s.consecutive_failures() > 0) {
    rows.emplace_back("Échecs consécutifs", absl::StrCat(s.consecutive_failures()));
  }
  AddIfSet(&rows, "Dernière erreur", s.last_error());
  return out + RenderSummary(rows, "");
}

}  // namespace qpv::ctl
