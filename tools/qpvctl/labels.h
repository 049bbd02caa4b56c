// The words of the reports and dashboards qpvctl prints for people (French,
// as the préfecture teams read them): enum labels, percentages, local
// times and ages. Kept short and local to qpvctl on purpose: the exports'
// label library serves documents, these fit terminal columns.
#ifndef QPV_TOOLS_QPVCTL_LABELS_H_
#define QPV_TOOLS_QPVCTL_LABELS_H_

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"

namespace qpv::ctl {

// "Emploi et développement économique"; 0 is "Tous thèmes". Unknown values
// fall back to their number.
std::string ThemeLabel(int theme);
// "Collectivité", "Bailleur social"...; 0 is "Non renseignée".
std::string CategoryLabel(int category);
// "Idée", "Action", "Bonne pratique", "Frein", "Recommandation".
std::string KindLabel(int kind);
// Workshop.State: "Brouillon", "Programmé", "Tenu", "Rapport validé", "Annulé".
std::string WorkshopStateLabel(int state);
// "Thème 1, Thème 2".
std::string ThemeLabels(const google::protobuf::RepeatedField<int>& themes);

// A share in [0, 1] as a whole percentage: 0.784 -> "78 %".
std::string Percent(double share);

// A Timestamp in `tz`: "06/02/2018 09:30"; "" when unset.
std::string LocalTime(const google::protobuf::Timestamp& ts, absl::TimeZone tz);
// With seconds, for live updates: "06/02/2018 09:30:05".
std::string LocalTimeSeconds(const google::protobuf::Timestamp& ts, absl::TimeZone tz);
// A start and an end: "06/02/2018 09:30 – 13:00" on one day, both dates
// otherwise; "" when the start is unset.
std::string LocalSpan(const google::protobuf::Timestamp& start,
                      const google::protobuf::Timestamp& end, absl::TimeZone tz);
// How long ago: "à l'instant", "il y a 5 min", "il y a 3 h", "il y a 2 j";
// "" when unset or in the future.
std::string Age(const google::protobuf::Timestamp& ts, absl::Time now);
// "06/02/2018 09:30 (il y a 3 h)", or just the time when no age applies.
std::string TimeWithAge(const google::protobuf::Timestamp& ts, absl::TimeZone tz,
                        absl::Time now);

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_LABELS_H_
