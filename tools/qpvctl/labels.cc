#include "tools/qpvctl/labels.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/util/clock.h"
#include "qpv/common/v1/common.pb.h"
#include "qpv/workshop/v1/workshop.pb.h"

namespace qpv::ctl {
namespace {

namespace cv1 = qpv::common::v1;
namespace wv1 = qpv::workshop::v1;

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

}  // namespace

std::string ThemeLabel(int theme) {
  switch (theme) {
    case cv1::THEME_UNSPECIFIED: return "Tous thèmes";
    case cv1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT: return "Emploi et développement économique";
    case cv1::THEME_DISCRIMINATION: return "Lutte contre les discriminations";
    case cv1::THEME_NEIGHBOURHOOD_IMAGE: return "Image des quartiers";
    case cv1::THEME_CITIZEN_PARTICIPATION: return "Participation citoyenne";
    case cv1::THEME_EDUCATION: return "Éducation";
    case cv1::THEME_SAFETY_PREVENTION: return "Sécurité et prévention";
    case cv1::THEME_HOUSING_URBAN_RENEWAL: return "Habitat et renouvellement urbain";
    case cv1::THEME_HEALTH: return "Santé";
    case cv1::THEME_CULTURE_SPORT: return "Culture et sport";
    case cv1::THEME_MOBILITY: return "Mobilité";
    case cv1::THEME_OTHER: return "Autre thème";
    default: return absl::StrCat("thème ", theme);
  }
}

std::string CategoryLabel(int category) {
  switch (category) {
    case cv1::ACTOR_CATEGORY_UNSPECIFIED: return "Non renseignée";
    case cv1::ACTOR_CATEGORY_LOCAL_AUTHORITY: return "Collectivité";
    case cv1::ACTOR_CATEGORY_ASSOCIATION: return "Association";
    case cv1::ACTOR_CATEGORY_SOCIAL_LANDLORD: return "Bailleur social";
    case cv1::ACTOR_CATEGORY_CITIZEN_COUNCIL: return "Conseil citoyen";
    case cv1::ACTOR_CATEGORY_ADULT_RELAY: return "Adulte-relais";
    case cv1::ACTOR_CATEGORY_RESOURCE_CENTER: return "Centre de ressources";
    case cv1::ACTOR_CATEGORY_STATE_SERVICE: return "Service de l'État";
    case cv1::ACTOR_CATEGORY_BUSINESS: return "Entreprise";
    case cv1::ACTOR_CATEGORY_RESIDENT: return "Habitant";
    case cv1::ACTOR_CATEGORY_OTHER: return "Autre acteur";
    default: return absl::StrCat("catégorie ", category);
  }
}

std::string KindLabel(int kind) {
  switch (kind) {
    case wv1::Contribution::KIND_IDEA: return "Idée";
    case wv1::Contribution::KIND_ACTION: return "Action";
    case wv1::Contribution::KIND_GOOD_PRACTICE: return "Bonne pratique";
    case wv1::Contribution::KIND_OBSTACLE: return "Frein";
    case wv1::Contribution::KIND_RECOMMENDATION: return "Recommandation";
    default: return absl::StrCat("type ", kind);
  }
}

std::string WorkshopStateLabel(int state) {
  switch (state) {
    case wv1::Workshop::STATE_DRAFT: return "Brouillon";
    case wv1::Workshop::STATE_SCHEDULED: return "Programmé";
    case wv1::Workshop::STATE_HELD: return "Tenu";
    case wv1::Workshop::STATE_REPORTED: return "Rapport validé";
    case wv1::Workshop::STATE_CANCELLED: return "Annulé";
    default: return absl::StrCat("état ", state);
  }
}

std::string ThemeLabels(const google::protobuf::RepeatedField<int>& themes) {
  std::vector<std::string> names;
  for (int t : themes) names.push_back(ThemeLabel(t));
  return absl::StrJoin(names, ", ");
}

std::string Percent(double share) {
  if (!std::isfinite(share)) return "-";
  return absl::StrCat(static_cast<int64_t>(std::llround(share * 100.0)), " %");
}

std::string LocalTime(const google::protobuf::Timestamp& ts, absl::TimeZone tz) {
  if (!IsSet(ts)) return "";
  return absl::FormatTime("%d/%m/%Y %H:%M", FromProto(ts), tz);
}

std::string LocalTimeSeconds(const google::protobuf::Timestamp& ts, absl::TimeZone tz) {
  if (!IsSet(ts)) return "";
  return absl::FormatTime("%d/%m/%Y %H:%M:%S", FromProto(ts), tz);
}

std::string LocalSpan(const google::protobuf::Timestamp& start,
                      const google::protobuf::Timestamp& end, absl::TimeZone tz) {
  if (!IsSet(start)) return "";
  std::string out = LocalTime(start, tz);
  if (!IsSet(end)) return out;
  const absl::Time s = FromProto(start);
  const absl::Time e = FromProto(end);
  const bool same_day = absl::ToCivilDay(s, tz) == absl::ToCivilDay(e, tz);
  absl::StrAppend(&out, " – ", same_day ? absl::FormatTime("%H:%M", e, tz) : LocalTime(end, tz));
  return out;
}

std::string Age(const google::protobuf::Timestamp& ts, absl::Time now) {
  if (!IsSet(ts)) return "";
  const absl::Duration d = now - FromProto(ts);
  if (d < absl::ZeroDuration()) return "";
  if (d < absl::Minutes(1)) return "à l'instant";
  if (d < absl::Hours(1)) return absl::StrCat("il y a ", absl::ToInt64Minutes(d), " min");
  if (d < absl::Hours(48)) return absl::StrCat("il y a ", absl::ToInt64Hours(d), " h");
  return absl::StrCat("il y a ", absl::ToInt64Hours(d) / 24, " j");
}

std::string TimeWithAge(const google::protobuf::Timestamp& ts, absl::TimeZone tz,
                        absl::Time now) {
  const std::string t = LocalTime(ts, tz);
  const std::string age = Age(ts, now);
  return age.empty() ? t : absl::StrCat(t, " (", age, ")");
}

}  // namespace qpv::ctl
