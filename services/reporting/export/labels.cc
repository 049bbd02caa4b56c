#include "services/reporting/export/labels.h"

namespace qpv::reporting::report_export {

namespace cv1 = ::qpv::common::v1;
namespace wv1 = ::qpv::workshop::v1;

namespace {
constexpr absl::string_view kUnspecified = "Non précisé";
}  // namespace

absl::string_view ThemeLabel(cv1::Theme theme) {
  switch (theme) {
    case cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT:
      return "Emploi et développement économique";
    case cv1::THEME_DISCRIMINATION:
      return "Lutte contre les discriminations";
    case cv1::THEME_NEIGHBOURHOOD_IMAGE:
      return "Image des quartiers";
    case cv1::THEME_CITIZEN_PARTICIPATION:
      return "Participation citoyenne";
    case cv1::THEME_EDUCATION:
      return "Éducation";
    case cv1::THEME_SAFETY_PREVENTION:
      return "Sécurité et prévention de la délinquance";
    case cv1::THEME_HOUSING_URBAN_RENEWAL:
      return "Logement et renouvellement urbain";
    case cv1::THEME_HEALTH:
      return "Santé";
    case cv1::THEME_CULTURE_SPORT:
      return "Culture et sport";
    case cv1::THEME_MOBILITY:
      return "Mobilité";
    case cv1::THEME_OTHER:
      return "Autre";
    default:
      return kUnspecified;
  }
}

absl::string_view ActorCategoryLabel(cv1::ActorCategory category) {
  switch (category) {
    case cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY:
      return "Collectivité territoriale";
    case cv1::ACTOR_CATEGORY_ASSOCIATION:
      return "Association";
    case cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD:
      return "Bailleur social";
    case cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL:
      return "Conseil citoyen";
    case cv1::ACTOR_CATEGORY_ADULT_RELAY:
      return "Adulte-relais";
    case cv1::ACTOR_CATEGORY_RESOURCE_CENTER:
      return "Centre de ressources politique de la ville";
    case cv1::ACTOR_CATEGORY_STATE_SERVICE:
      return "Service de l'État";
    case cv1::ACTOR_CATEGORY_BUSINESS:
      return "Entreprise";
    case cv1::ACTOR_CATEGORY_RESIDENT:
      return "Habitant";
    case cv1::ACTOR_CATEGORY_OTHER:
      return "Autre";
    default:
      return kUnspecified;
  }
}

absl::string_view KindLabel(wv1::Contribution::Kind kind) {
  switch (kind) {
    case wv1::Contribution::KIND_IDEA:
      return "Idée";
    case wv1::Contribution::KIND_ACTION:
      return "Action concrète";
    case wv1::Contribution::KIND_GOOD_PRACTICE:
      return "Bonne pratique";
    case wv1::Contribution::KIND_OBSTACLE:
      return "Frein";
    case wv1::Contribution::KIND_RECOMMENDATION:
      return "Recommandation";
    default:
      return kUnspecified;
  }
}

absl::string_view WorkshopStateLabel(wv1::Workshop::State state) {
  switch (state) {
    case wv1::Workshop::STATE_DRAFT:
      return "Brouillon";
    case wv1::Workshop::STATE_SCHEDULED:
      return "Programmé";
    case wv1::Workshop::STATE_HELD:
      return "Tenu";
    case wv1::Workshop::STATE_REPORTED:
      return "Rapport validé";
    case wv1::Workshop::STATE_CANCELLED:
      return "Annulé";
    default:
      return kUnspecified;
  }
}

absl::string_view RegistrationStateLabel(wv1::Registration::State state) {
  switch (state) {
    case wv1::Registration::STATE_REGISTERED:
      return "Inscrit";
    case wv1::Registration::STATE_WAITLISTED:
      return "Liste d'attente";
    case wv1::Registration::STATE_ATTENDED:
      return "Présent";
    case wv1::Registration::STATE_ABSENT:
      return "Absent";
    case wv1::Registration::STATE_WITHDRAWN:
      return "Désisté";
    default:
      return kUnspecified;
  }
}

absl::string_view RepresentativenessBasisLabel(v1::RepresentativenessBasis basis) {
  switch (basis) {
    case v1::REPRESENTATIVENESS_BASIS_REGISTRATIONS:
      return "inscriptions";
    case v1::REPRESENTATIVENESS_BASIS_ATTENDANCE:
      return "présences";
    default:
      return "non précisée";
  }
}

absl::string_view MonthLabel(int month) {
  static constexpr absl::string_view kMonths[] = {"janvier",   "février", "mars",     "avril",
                                                  "mai",       "juin",    "juillet",  "août",
                                                  "septembre", "octobre", "novembre", "décembre"};
  if (month < 1 || month > 12) return "";
  return kMonths[month - 1];
}

}  // namespace qpv::reporting::report_export
