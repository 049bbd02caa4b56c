#include "services/reporting/report_builder.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "common/territory/territory.h"
#include "common/util/clock.h"

namespace qpv::reporting {
namespace {

using ::qpv::common::v1::Theme;
using ::qpv::workshop::v1::Contribution;
using ::qpv::workshop::v1::Registration;
using ::qpv::workshop::v1::Workshop;

// Counters keyed by enum value, emitted in enum order without zeros.
using Counts = std::map<int, int64_t>;

template <typename Repeated, typename Setter>
void Emit(const Counts& counts, Repeated* out, Setter set) {
  for (const auto& [value, count] : counts) {
    if (count != 0) set(out->Add(), value, count);
  }
}

void EmitCategories(const Counts& counts,
                    google::protobuf::RepeatedPtrField<common::v1::CategoryCount>* out) {
  Emit(counts, out, [](common::v1::CategoryCount* c, int value, int64_t count) {
    c->set_category(static_cast<ActorCategory>(value));
    c->set_count(count);
  });
}

void EmitThemes(const Counts& counts,
                google::protobuf::RepeatedPtrField<common::v1::ThemeCount>* out) {
  Emit(counts, out, [](common::v1::ThemeCount* c, int value, int64_t count) {
    c->set_theme(static_cast<Theme>(value));
    c->set_count(count);
  });
}

void EmitKinds(const Counts& counts, google::protobuf::RepeatedPtrField<v1::KindCount>* out) {
  Emit(counts, out, [](v1::KindCount* c, int value, int64_t count) {
    c->set_kind(static_cast<Contribution::Kind>(value));
    c->set_count(count);
  });
}

template <typename CountMessage, typename Key>
void AddAll(const google::protobuf::RepeatedPtrField<CountMessage>& in, Key key, Counts* out) {
  for (const auto& c : in) (*out)[key(c)] += c.count();
}

bool HoldsSeat(Registration::State s) {
  return s == Registration::STATE_REGISTERED || s == Registration::STATE_ATTENDED ||
         s == Registration::STATE_ABSENT;
}

// Most votes first, then oldest, then by name so the order is total.
bool MoreSupported(const Contribution* a, const Contribution* b) {
  if (a->vote_count() != b->vote_count()) return a->vote_count() > b->vote_count();
  const auto ta = std::make_tuple(a->create_time().seconds(), a->create_time().nanos());
  const auto tb = std::make_tuple(b->create_time().seconds(), b->create_time().nanos());
  if (ta != tb) return ta < tb;
  return a->name() < b->name();
}

v1::ContributionSummary Summarize(const Contribution& c,
                                  const absl::flat_hash_map<std::string, std::string>& names) {
  v1::ContributionSummary s;
  s.set_name(c.name());
  s.set_title(c.title());
  s.set_text(c.text());
  s.set_kind(c.kind());
  *s.mutable_themes() = c.themes();
  s.set_reproducible(c.reproducible());
  *s.mutable_qpv_codes() = c.qpv_codes();
  s.set_organization(c.organization());
  auto it = names.find(c.organization());
  if (it != names.end()) s.set_organization_display_name(it->second);
  s.set_organization_category(c.organization_category());
  s.set_vote_count(c.vote_count());
  return s;
}

int64_t TimeKey(const google::protobuf::Timestamp& ts) { return absl::ToUnixNanos(FromProto(ts)); }

}  // namespace

Representativeness ComputeRepresentativeness(const std::map<ActorCategory, int64_t>& counts,
                                             const TargetMix& target) {
  Representativeness out;
  int64_t total = 0;
  for (const auto& [category, count] : counts) total += std::max<int64_t>(count, 0);
  const auto count_of = [&](ActorCategory c) -> int64_t {
    auto it = counts.find(c);
    return it == counts.end() ? 0 : std::max<int64_t>(it->second, 0);
  };
  const auto actual_of = [&](ActorCategory c) {
    return total == 0 ? 0.0 : static_cast<double>(count_of(c)) / static_cast<double>(total);
  };

  // Categories of the target and categories present: the distance runs over
  // both (people outside the target pull the index down).
  std::set<ActorCategory> categories;
  for (const auto& [category, share] : target.Shares()) categories.insert(category);
  for (const auto& [category, count] : counts) {
    if (count > 0) categories.insert(category);
  }
  if (total > 0) {
    double distance = 0;
    for (ActorCategory c : categories) distance += std::fabs(actual_of(c) - target.Share(c));
    out.index = std::clamp(1.0 - distance / 2.0, 0.0, 1.0);
  }

  for (const auto& [category, share] : target.Shares()) {
    v1::CategoryRepresentation r;
    r.set_category(category);
    r.set_target_share(share);
    r.set_actual_share(actual_of(category));
    r.set_shortfall(std::max<int64_t>(0, target.Seats(category, total) - count_of(category)));
    if (r.actual_share() < share / 2) out.under_represented.push_back(r);
    out.representation.push_back(std::move(r));
  }
  std::stable_sort(out.under_represented.begin(), out.under_represented.end(),
                   [](const v1::CategoryRepresentation& a, const v1::CategoryRepresentation& b) {
                     if (a.shortfall() != b.shortfall()) return a.shortfall() > b.shortfall();
                     const double gap_a = a.target_share() - a.actual_share();
                     const double gap_b = b.target_share() - b.actual_share();
                     if (gap_a != gap_b) return gap_a > gap_b;
                     return a.category() < b.category();
                   });
  return out;
}

v1::RepresentativenessBasis BasisFor(Workshop::State state) {
  return state == Workshop::STATE_HELD || state == Workshop::STATE_REPORTED
             ? v1::REPRESENTATIVENESS_BASIS_ATTENDANCE
             : v1::REPRESENTATIVENESS_BASIS_REGISTRATIONS;
}

v1::WorkshopReport BuildWorkshopReport(
    const Workshop& workshop, const std::vector<Registration>& registrations,
    const std::vector<Contribution>& contributions,
    const absl::flat_hash_map<std::string, std::string>& organization_names,
    const TargetMix& target, absl::Time now) {
  v1::WorkshopReport r;
  r.set_workshop(workshop.name());
  r.set_title(workshop.title());
  r.set_state(workshop.state());
  *r.mutable_themes() = workshop.themes();
  if (workshop.has_start_time()) *r.mutable_start_time() = workshop.start_time();
  if (workshop.has_end_time()) *r.mutable_end_time() = workshop.end_time();
  r.set_venue(workshop.venue());
  r.set_capacity(workshop.capacity());
  *r.mutable_qpv_codes() = workshop.qpv_codes();
  r.set_workshop_revision(workshop.revision());
  *r.mutable_as_of_time() = ToProto(now);

  // People, by the category recorded at registration.
  std::map<ActorCategory, int64_t> seats, attended;
  int64_t waitlisted = 0;
  for (const Registration& reg : registrations) {
    if (HoldsSeat(reg.state())) ++seats[reg.organization_category()];
    if (reg.state() == Registration::STATE_ATTENDED) ++attended[reg.organization_category()];
    if (reg.state() == Registration::STATE_WAITLISTED) ++waitlisted;
  }
  Counts seat_counts, attended_counts;
  int64_t seat_total = 0, attended_total = 0;
  for (const auto& [c, n] : seats) {
    seat_counts[c] = n;
    seat_total += n;
  }
  for (const auto& [c, n] : attended) {
    attended_counts[c] = n;
    attended_total += n;
  }
  r.set_registered_count(seat_total);
  r.set_waitlisted_count(waitlisted);
  r.set_attended_count(attended_total);
  EmitCategories(seat_counts, r.mutable_registrations_by_category());
  EmitCategories(attended_counts, r.mutable_attendance_by_category());

  const v1::RepresentativenessBasis basis = BasisFor(workshop.state());
  Representativeness rep = ComputeRepresentativeness(
      basis == v1::REPRESENTATIVENESS_BASIS_ATTENDANCE ? attended : seats, target);
  r.set_representativeness_index(rep.index);
  r.set_representativeness_basis(basis);
  for (auto& c : rep.representation) *r.add_representation() = std::move(c);
  for (auto& c : rep.under_represented) *r.add_under_represented() = std::move(c);

  // Contributions.
  Counts by_theme, by_kind, by_category;
  int64_t votes = 0, reproducible = 0;
  std::vector<const Contribution*> ranked;
  ranked.reserve(contributions.size());
  for (const Contribution& c : contributions) {
    ranked.push_back(&c);
    votes += c.vote_count();
    if (c.reproducible()) ++reproducible;
    ++by_kind[c.kind()];
    ++by_category[c.organization_category()];
    // Each theme once, even if a client sent a duplicate.
    std::set<int> themes(c.themes().begin(), c.themes().end());
    if (themes.empty()) themes.insert(workshop.themes().begin(), workshop.themes().end());
    for (int t : themes) ++by_theme[t];
  }
  r.set_contribution_count(static_cast<int64_t>(contributions.size()));
  r.set_vote_count(votes);
  r.set_reproducible_action_count(reproducible);
  EmitThemes(by_theme, r.mutable_contributions_by_theme());
  EmitKinds(by_kind, r.mutable_contributions_by_kind());
  EmitCategories(by_category, r.mutable_contributions_by_category());

  std::sort(ranked.begin(), ranked.end(), MoreSupported);
  for (const Contribution* c : ranked) {
    if (r.top_contributions_size() < kMaxTopContributions) {
      *r.add_top_contributions() = Summarize(*c, organization_names);
    }
    if (c->reproducible()) *r.add_reproducible_actions() = Summarize(*c, organization_names);
  }
  return r;
}

bool CountsInPrefecture(Workshop::State state) { return state != Workshop::STATE_CANCELLED; }

v1::PrefectureReport BuildPrefectureReport(absl::string_view prefecture,
                                           std::vector<v1::WorkshopReport> workshops,
                                           absl::Time now) {
  v1::PrefectureReport p;
  p.set_prefecture(std::string(prefecture));
  p.set_region(std::string(territory::RegionOf(prefecture)));

  workshops.erase(
      std::remove_if(workshops.begin(), workshops.end(),
                     [](const v1::WorkshopReport& w) { return !CountsInPrefecture(w.state()); }),
      workshops.end());
  std::sort(workshops.begin(), workshops.end(),
            [](const v1::WorkshopReport& a, const v1::WorkshopReport& b) {
              const int64_t ta = TimeKey(a.start_time()), tb = TimeKey(b.start_time());
              if (ta != tb) return ta < tb;
              return a.workshop() < b.workshop();
            });

  Counts by_theme, by_kind, by_category;
  double weighted_index = 0;
  bool stale = false;
  absl::Time as_of = now;
  for (v1::WorkshopReport& w : workshops) {
    p.set_workshop_count(p.workshop_count() + 1);
    p.set_registered_count(p.registered_count() + w.registered_count());
    p.set_attended_count(p.attended_count() + w.attended_count());
    p.set_contribution_count(p.contribution_count() + w.contribution_count());
    p.set_reproducible_action_count(p.reproducible_action_count() + w.reproducible_action_count());
    if (w.state() == workshop::v1::Workshop::STATE_HELD ||
        w.state() == workshop::v1::Workshop::STATE_REPORTED) {
      p.set_workshops_held(p.workshops_held() + 1);
    }
    if (w.state() == workshop::v1::Workshop::STATE_REPORTED) {
      p.set_workshops_reported(p.workshops_reported() + 1);
    }
    weighted_index += w.representativeness_index() * static_cast<double>(w.attended_count());
    AddAll(
        w.contributions_by_theme(), [](const auto& c) { return c.theme(); }, &by_theme);
    AddAll(
        w.contributions_by_kind(), [](const auto& c) { return c.kind(); }, &by_kind);
    AddAll(
        w.attendance_by_category(), [](const auto& c) { return c.category(); }, &by_category);
    if (w.stale()) {
      stale = true;
      as_of = std::min(as_of, FromProto(w.as_of_time()));
    }
    w.clear_top_contributions();
    w.clear_reproducible_actions();
    *p.add_workshops() = std::move(w);
  }
  if (p.attended_count() > 0) {
    p.set_representativeness_index(weighted_index / static_cast<double>(p.attended_count()));
  }
  EmitThemes(by_theme, p.mutable_contributions_by_theme());
  EmitKinds(by_kind, p.mutable_contributions_by_kind());
  EmitCategories(by_category, p.mutable_attendance_by_category());
  p.set_stale(stale);
  *p.mutable_as_of_time() = ToProto(as_of);
  return p;
}

}  // namespace qpv::reporting
