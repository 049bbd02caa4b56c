// French labels for the enums people read in reports (themes, actor
// categories, contribution kinds, states). Kept apart from the exporters so
// other French-facing code (qpvctl, ...) can reuse the same wording.
#ifndef QPV_SERVICES_REPORTING_EXPORT_LABELS_H_
#define QPV_SERVICES_REPORTING_EXPORT_LABELS_H_

#include "absl/strings/string_view.h"
#include "qpv/common/v1/common.pb.h"
#include "qpv/reporting/v1/reporting.pb.h"
#include "qpv/workshop/v1/workshop.pb.h"

namespace qpv::reporting::report_export {

// "Emploi et développement économique". Unspecified or unknown values get
// "Non précisé" rather than an error: a report must still print.
absl::string_view ThemeLabel(common::v1::Theme theme);
// "Collectivité territoriale", "Bailleur social", ...
absl::string_view ActorCategoryLabel(common::v1::ActorCategory category);
// "Idée", "Action concrète", "Bonne pratique", "Frein", "Recommandation".
absl::string_view KindLabel(workshop::v1::Contribution::Kind kind);
// "Brouillon", "Programmé", "Tenu", "Rapport validé", "Annulé".
absl::string_view WorkshopStateLabel(workshop::v1::Workshop::State state);
// "Inscrit", "Liste d'attente", "Présent", "Absent", "Désisté".
absl::string_view RegistrationStateLabel(workshop::v1::Registration::State state);
// What the representativeness index was computed on: "inscriptions" or
// "présences" (lowercase: it is used inside sentences).
absl::string_view RepresentativenessBasisLabel(v1::RepresentativenessBasis basis);
// "janvier" .. "décembre" for 1..12; "" otherwise.
absl::string_view MonthLabel(int month);

}  // namespace qpv::reporting::report_export

#endif  // QPV_SERVICES_REPORTING_EXPORT_LABELS_H_
