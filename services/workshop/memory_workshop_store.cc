#include "services/workshop/memory_workshop_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/util/clock.h"

namespace qpv::workshop {
namespace {

bool SeatState(Registration::State s) {
  return s == Registration::STATE_REGISTERED || s == Registration::STATE_ATTENDED ||
         s == Registration::STATE_ABSENT;
}

bool WritableForContributions(Workshop::State s) {
  return s == Workshop::STATE_SCHEDULED || s == Workshop::STATE_HELD;
}

absl::Status ContributionStateError() {
  return absl::FailedPreconditionError(
      "contributions and votes are taken while the workshop is scheduled or held");
}

}  // namespace

absl::StatusOr<MemoryWorkshopStore::WorkshopRec*> MemoryWorkshopStore::FindWorkshop(
    absl::string_view prefecture, absl::string_view id) {
  auto p = prefectures_.find(prefecture);
  if (p != prefectures_.end()) {
    auto w = p->second.workshops.find(std::string(id));
    if (w != p->second.workshops.end()) return &w->second;
  }
  return absl::NotFoundError("workshop not found");
}

// Every acknowledged write to a workshop or its children grows its revision,
// as the Redis store does.
void MemoryWorkshopStore::Bump(WorkshopRec& rec) {
  rec.workshop.set_revision(rec.workshop.revision() + 1);
}

void MemoryWorkshopStore::Promote(WorkshopRec& rec, absl::Time now) {
  Workshop& w = rec.workshop;
  while (w.registered_count() < w.capacity() && !rec.waitlist.empty()) {
    auto first = rec.waitlist.begin();
    RegRec& r = rec.regs[first->second];
    r.reg.set_state(Registration::STATE_REGISTERED);
    *r.reg.mutable_update_time() = ToProto(now);
    rec.waitlist.erase(first);
    w.set_registered_count(w.registered_count() + 1);
    w.set_waitlisted_count(w.waitlisted_count() - 1);
  }
}

absl::StatusOr<Workshop> MemoryWorkshopStore::CreateWorkshop(absl::string_view prefecture,
                                                             absl::string_view id,
                                                             const Workshop& workshop,
                                                             absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  Prefecture& p = prefectures_[std::string(prefecture)];
  const std::string key = absl::StrCat("w::", request_id);
  if (!request_id.empty()) {
    auto it = p.request_ids.find(key);
    if (it != p.request_ids.end()) return p.workshops[it->second].workshop;
  }
  if (p.workshops.count(std::string(id))) return absl::AlreadyExistsError("workshop already exists");
  WorkshopRec& rec = p.workshops[std::string(id)];
  rec.seq = ++p.seq;
  rec.workshop = workshop;
  rec.workshop.set_registered_count(0);
  rec.workshop.set_waitlisted_count(0);
  rec.workshop.set_attended_count(0);
  rec.workshop.set_revision(1);
  p.order[rec.seq] = std::string(id);
  if (!request_id.empty()) p.request_ids[key] = std::string(id);
  return rec.workshop;
}

absl::StatusOr<Workshop> MemoryWorkshopStore::GetWorkshop(absl::string_view prefecture,
                                                          absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto rec = FindWorkshop(prefecture, id);
  if (!rec.ok()) return rec.status();
  return (*rec)->workshop;
}

std::shared_ptr<const Workshop> MemoryWorkshopStore::PeekWorkshop(absl::string_view prefecture,
                                                                  absl::string_view id) {
  auto w = GetWorkshop(prefecture, id);
  return w.ok() ? std::make_shared<const Workshop>(*std::move(w)) : nullptr;
}

absl::StatusOr<Workshop> MemoryWorkshopStore::ReplaceWorkshop(
    absl::string_view prefecture, absl::string_view id, const Workshop& next,
    absl::string_view expected_etag, const std::vector<Workshop::State>& allowed_states,
    absl::string_view state_error, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, id);
  if (!found.ok()) return found.status();
  WorkshopRec& rec = **found;
  Workshop& w = rec.workshop;
  if (w.etag() != expected_etag) {
    return absl::AbortedError("etag mismatch: the workshop changed, read it again");
  }
  if (std::find(allowed_states.begin(), allowed_states.end(), w.state()) ==
      allowed_states.end()) {
    return absl::FailedPreconditionError(std::string(state_error));
  }
  if (next.capacity() < w.registered_count()) {
    return absl::FailedPreconditionError(
        "capacity cannot go below the seats already taken");
  }
  const int registered = w.registered_count();
  const int waitlisted = w.waitlisted_count();
  const int attended = w.attended_count();
  const int64_t revision = w.revision();
  w = next;
  w.set_revision(revision + 1);
  w.set_registered_count(registered);
  w.set_waitlisted_count(waitlisted);
  w.set_attended_count(attended);
  Promote(rec, now);
  return w;
}

absl::StatusOr<std::vector<Listed<Workshop>>> MemoryWorkshopStore::ListWorkshops(
    absl::string_view prefecture, int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<Listed<Workshop>> out;
  auto p = prefectures_.find(prefecture);
  if (p == prefectures_.end()) return out;
  for (auto it = p->second.order.upper_bound(after_seq);
       it != p->second.order.end() && static_cast<int>(out.size()) < limit; ++it) {
    out.push_back({it->first, p->second.workshops[it->second].workshop});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> MemoryWorkshopStore::ListPrefectures() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> out;
  for (const auto& [code, p] : prefectures_) {
    if (!p.workshops.empty()) out.push_back(code);
  }
  return out;
}

absl::StatusOr<Registration> MemoryWorkshopStore::RegisterParticipant(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view registration_id, const Registration& registration,
    absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  Prefecture& p = prefectures_[std::string(prefecture)];
  const std::string key = absl::StrCat("r:", workshop_id, ":", request_id);
  if (!request_id.empty() && found.ok()) {
    auto it = p.request_ids.find(key);
    if (it != p.request_ids.end()) return (*found)->regs[it->second].reg;
  }
  if (!found.ok()) return found.status();
  WorkshopRec& rec = **found;
  Workshop& w = rec.workshop;
  if (w.state() != Workshop::STATE_DRAFT && w.state() != Workshop::STATE_SCHEDULED) {
    return absl::FailedPreconditionError(
        "registrations are taken while the workshop is draft or scheduled");
  }
  auto prev = rec.by_person.find(registration.person());
  if (prev != rec.by_person.end() &&
      rec.regs[prev->second].reg.state() != Registration::STATE_WITHDRAWN) {
    return absl::AlreadyExistsError("the person already holds a registration to this workshop");
  }
  if (rec.regs.count(std::string(registration_id))) {
    return absl::AlreadyExistsError("registration already exists");
  }
  RegRec& r = rec.regs[std::string(registration_id)];
  r.seq = ++p.seq;
  r.reg = registration;
  // As in Redis: create_time strictly increasing per workshop, in queue order.
  absl::Time created = FromProto(registration.create_time());
  if (created <= rec.last_registration_time) {
    created = rec.last_registration_time + absl::Microseconds(1);
  }
  created = absl::FromUnixMicros(absl::ToUnixMicros(created));
  rec.last_registration_time = created;
  *r.reg.mutable_create_time() = ToProto(created);
  *r.reg.mutable_update_time() = ToProto(created);
  if (w.registered_count() < w.capacity()) {
    r.reg.set_state(Registration::STATE_REGISTERED);
    w.set_registered_count(w.registered_count() + 1);
  } else {
    r.reg.set_state(Registration::STATE_WAITLISTED);
    w.set_waitlisted_count(w.waitlisted_count() + 1);
    rec.waitlist[r.seq] = std::string(registration_id);
  }
  rec.reg_order[r.seq] = std::string(registration_id);
  rec.by_person[registration.person()] = std::string(registration_id);
  if (!request_id.empty()) p.request_ids[key] = std::string(registration_id);
  Bump(rec);
  return r.reg;
}

absl::StatusOr<Registration> MemoryWorkshopStore::FindRegistrationByRequestId(
    absl::string_view prefecture, absl::string_view workshop_id, absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  Prefecture& p = prefectures_[std::string(prefecture)];
  auto it = p.request_ids.find(absl::StrCat("r:", workshop_id, ":", request_id));
  if (!found.ok() || it == p.request_ids.end()) {
    return absl::NotFoundError("no registration for this request_id");
  }
  return (*found)->regs[it->second].reg;
}

absl::StatusOr<Registration> MemoryWorkshopStore::WithdrawRegistration(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view registration_id, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  if (!found.ok()) return absl::NotFoundError("registration not found");
  WorkshopRec& rec = **found;
  auto it = rec.regs.find(std::string(registration_id));
  if (it == rec.regs.end()) return absl::NotFoundError("registration not found");
  Workshop& w = rec.workshop;
  if (w.state() != Workshop::STATE_DRAFT && w.state() != Workshop::STATE_SCHEDULED) {
    return absl::FailedPreconditionError(
        "registrations are withdrawn while the workshop is draft or scheduled");
  }
  Registration& reg = it->second.reg;
  if (reg.state() == Registration::STATE_REGISTERED) {
    w.set_registered_count(w.registered_count() - 1);
  } else if (reg.state() == Registration::STATE_WAITLISTED) {
    rec.waitlist.erase(it->second.seq);
    w.set_waitlisted_count(w.waitlisted_count() - 1);
  } else {
    return absl::FailedPreconditionError(
        "only a registered or waitlisted registration can be withdrawn");
  }
  reg.set_state(Registration::STATE_WITHDRAWN);
  *reg.mutable_update_time() = ToProto(now);
  Bump(rec);
  Promote(rec, now);
  return reg;
}

absl::StatusOr<Registration> MemoryWorkshopStore::RecordAttendance(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view registration_id, bool attended, bool scheduled_ok, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  if (!found.ok()) return absl::NotFoundError("registration not found");
  WorkshopRec& rec = **found;
  auto it = rec.regs.find(std::string(registration_id));
  if (it == rec.regs.end()) return absl::NotFoundError("registration not found");
  Workshop& w = rec.workshop;
  if (!(w.state() == Workshop::STATE_HELD ||
        (w.state() == Workshop::STATE_SCHEDULED && scheduled_ok))) {
    return absl::FailedPreconditionError(
        "attendance is recorded from 12 hours before the start of a scheduled workshop, "
        "or once it is held");
  }
  Registration& reg = it->second.reg;
  if (!SeatState(reg.state())) {
    return absl::FailedPreconditionError(
        "attendance is recorded only for a registration holding a seat");
  }
  const auto next = attended ? Registration::STATE_ATTENDED : Registration::STATE_ABSENT;
  if (reg.state() != Registration::STATE_ATTENDED && attended) {
    w.set_attended_count(w.attended_count() + 1);
  } else if (reg.state() == Registration::STATE_ATTENDED && !attended) {
    w.set_attended_count(w.attended_count() - 1);
  }
  reg.set_state(next);
  *reg.mutable_update_time() = ToProto(now);
  Bump(rec);
  return reg;
}

absl::StatusOr<std::vector<Listed<Registration>>> MemoryWorkshopStore::ListRegistrations(
    absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
    int limit) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  std::vector<Listed<Registration>> out;
  if (!found.ok()) return out;  // as in Redis: an absent workshop has no children
  WorkshopRec& rec = **found;
  for (auto it = rec.reg_order.upper_bound(after_seq);
       it != rec.reg_order.end() && static_cast<int>(out.size()) < limit; ++it) {
    out.push_back({it->first, rec.regs[it->second].reg});
  }
  return out;
}

absl::StatusOr<Contribution> MemoryWorkshopStore::CreateContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id, const Contribution& contribution,
    absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  if (!found.ok()) return found.status();
  WorkshopRec& rec = **found;
  Prefecture& p = prefectures_[std::string(prefecture)];
  const std::string key = absl::StrCat("c:", workshop_id, ":", request_id);
  if (!request_id.empty()) {
    auto it = p.request_ids.find(key);
    if (it != p.request_ids.end()) return rec.contribs[it->second].contribution;
  }
  if (!WritableForContributions(rec.workshop.state())) return ContributionStateError();
  if (rec.contribs.count(std::string(contribution_id))) {
    return absl::AlreadyExistsError("contribution already exists");
  }
  ContribRec& c = rec.contribs[std::string(contribution_id)];
  c.seq = ++p.seq;
  c.contribution = contribution;
  c.contribution.set_vote_count(0);
  rec.contrib_order[c.seq] = std::string(contribution_id);
  if (!request_id.empty()) p.request_ids[key] = std::string(contribution_id);
  Bump(rec);
  return c.contribution;
}

absl::StatusOr<Contribution> MemoryWorkshopStore::GetContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  if (found.ok()) {
    auto it = (*found)->contribs.find(std::string(contribution_id));
    if (it != (*found)->contribs.end()) return it->second.contribution;
  }
  return absl::NotFoundError("contribution not found");
}

absl::StatusOr<Contribution> MemoryWorkshopStore::ReplaceContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id, const Contribution& next,
    absl::string_view expected_etag) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  if (!found.ok()) return absl::NotFoundError("contribution not found");
  auto it = (*found)->contribs.find(std::string(contribution_id));
  if (it == (*found)->contribs.end()) return absl::NotFoundError("contribution not found");
  Contribution& c = it->second.contribution;
  if (c.etag() != expected_etag) {
    return absl::AbortedError("etag mismatch: the contribution changed, read it again");
  }
  if (!WritableForContributions((*found)->workshop.state())) return ContributionStateError();
  const int votes = c.vote_count();
  c = next;
  c.set_vote_count(votes);
  Bump(**found);
  return c;
}

absl::StatusOr<Contribution> MemoryWorkshopStore::VoteContribution(
    absl::string_view prefecture, absl::string_view workshop_id,
    absl::string_view contribution_id, absl::string_view person) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  if (!found.ok()) return absl::NotFoundError("contribution not found");
  WorkshopRec& rec = **found;
  auto it = rec.contribs.find(std::string(contribution_id));
  if (it == rec.contribs.end()) return absl::NotFoundError("contribution not found");
  if (!WritableForContributions(rec.workshop.state())) return ContributionStateError();
  auto reg = rec.by_person.find(std::string(person));
  const bool registered =
      reg != rec.by_person.end() &&
      (rec.regs[reg->second].reg.state() == Registration::STATE_REGISTERED ||
       rec.regs[reg->second].reg.state() == Registration::STATE_ATTENDED);
  if (!registered) {
    return absl::FailedPreconditionError(
        "only a person registered to the workshop (registered or attended) can vote");
  }
  if (!it->second.voters.insert(std::string(person)).second) {
    return absl::AlreadyExistsError("this person already voted for this contribution");
  }
  it->second.contribution.set_vote_count(it->second.contribution.vote_count() + 1);
  Bump(rec);
  return it->second.contribution;
}

absl::StatusOr<std::vector<Listed<std::string>>> MemoryWorkshopStore::ListContributionsWire(
    absl::string_view prefecture, absl::string_view workshop_id, int64_t after_seq,
    int limit) {
  absl::MutexLock lock(&mu_);
  auto found = FindWorkshop(prefecture, workshop_id);
  std::vector<Listed<std::string>> out;
  if (!found.ok()) return out;  // as in Redis: an absent workshop has no children
  WorkshopRec& rec = **found;
  for (auto it = rec.contrib_order.upper_bound(after_seq);
       it != rec.contrib_order.end() && static_cast<int>(out.size()) < limit; ++it) {
    out.push_back({it->first, rec.contribs[it->second].contribution.SerializeAsString()});
  }
  return out;
}

}  // namespace qpv::workshop
