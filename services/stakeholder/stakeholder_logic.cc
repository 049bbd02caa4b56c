#include "services/stakeholder/stakeholder_logic.h"

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/filter/filter.h"
#include "common/pagination/page_token.h"
#include "common/status/status.h"
#include "common/validation/resource_name.h"
#include "common/validation/validation.h"
#include "qpv/common/v1/common.pb.h"

namespace qpv::stakeholder {

const char kProcessingNotice[] =
    "The préfecture (politique de la ville team) holds these data to invite you to territorial "
    "thematic workshops (ateliers), register your participation and count attendance by "
    "organisation. They stay within the préfecture: national figures only receive counts, never "
    "personal data. consent_time records when you agreed to this processing. You may have them "
    "corrected (UpdatePerson) or erased (ErasePerson): erasure removes your names, e-mail, phone "
    "and consent for good and keeps a pseudonymous record so that workshop counts still add up.";

namespace {

using common::v1::ActorCategory;

constexpr int kMaxUpdateAttempts = 5;
// Most index entries one List call looks at before answering with a partial
// page (filters that match little stay cheap).
constexpr int kMaxScanPerPage = 10000;

// Updatable fields, and the output-only ones an update mask may name (ignored).
const std::set<std::string>& OrgFields() {
  static const auto* fields =
      new std::set<std::string>{"display_name", "category", "qpv_codes", "email"};
  return *fields;
}
const std::set<std::string>& OrgOutputOnly() {
  static const auto* fields =
      new std::set<std::string>{"name", "create_time", "update_time", "etag"};
  return *fields;
}
const std::set<std::string>& PersonFields() {
  static const auto* fields = new std::set<std::string>{
      "organization", "given_name", "family_name", "email", "phone", "consent_time"};
  return *fields;
}
const std::set<std::string>& PersonOutputOnly() {
  static const auto* fields =
      new std::set<std::string>{"name", "create_time", "update_time", "etag", "erase_time"};
  return *fields;
}


// The préfecture of "prefectures/{code}", or "" (with a violation).
std::string ParseParent(FieldViolations& v, absl::string_view field, absl::string_view parent) {
  auto ids = ParseResourceName(field, parent, {"prefectures"});
  if (!ids.ok()) {
    v.Merge(ids.status(), field);
    return "";
  }
  return (*ids)[0];
}

// {prefecture, id} of a resource name, or empty (with a violation).
std::vector<std::string> ParseName(FieldViolations& v, absl::string_view field,
                                   absl::string_view name, absl::string_view collection) {
  auto ids = ParseResourceName(field, name, {"prefectures", collection});
  if (!ids.ok()) {
    v.Merge(ids.status(), field);
    return {};
  }
  return *ids;
}


bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

void CheckEmail(FieldViolations& v, const std::string& field, absl::string_view email) {
  if (email.empty()) return;
  const size_t before = v.list().size();
  validation::CheckText(v, field, email, 254, /*required=*/false);
  if (v.list().size() == before && !validation::IsEmail(email)) {
    v.Add(field, "must be an e-mail address such as contact@example.org");
  }
}

void CheckPhone(FieldViolations& v, const std::string& field, absl::string_view phone) {
  if (phone.empty()) return;
  const size_t before = v.list().size();
  validation::CheckText(v, field, phone, 32, /*required=*/false);
  if (v.list().size() == before && !validation::IsPhone(phone)) {
    v.Add(field, "must be a phone number such as +33 3 20 00 00 00 (6 to 20 digits)");
  }
}

void CheckCategory(FieldViolations& v, int category) {
  if (!common::v1::ActorCategory_IsValid(category)) {
    v.Add("organization.category", absl::StrCat("unknown actor category ", category));
  } else if (category == common::v1::ACTOR_CATEGORY_UNSPECIFIED) {
    v.Add("organization.category", "is required");
  }
}

void CheckOrganization(FieldViolations& v, const Organization& org,
                       const std::set<std::string>& fields) {
  if (fields.count("display_name")) {
    validation::CheckText(v, "organization.display_name", org.display_name(), 200, true);
  }
  if (fields.count("category")) CheckCategory(v, org.category());
  if (fields.count("qpv_codes")) {
    validation::CheckQpvCodes(v, "organization.qpv_codes", org.qpv_codes());
  }
  if (fields.count("email")) CheckEmail(v, "organization.email", org.email());
}

void CheckPerson(FieldViolations& v, const Person& person, absl::string_view prefecture,
                 const std::set<std::string>& fields, absl::Time now) {
  if (fields.count("organization")) {
    auto ids = ParseName(v, "person.organization", person.organization(), "organizations");
    if (!ids.empty() && !prefecture.empty() && ids[0] != prefecture) {
      v.Add("person.organization",
            absl::StrCat("must be an organization of ", PrefectureName(prefecture)));
    }
  }
  if (fields.count("given_name")) {
    validation::CheckText(v, "person.given_name", person.given_name(), 100, false);
  }
  if (fields.count("family_name")) {
    validation::CheckText(v, "person.family_name", person.family_name(), 100, false);
  }
  if (fields.count("email")) CheckEmail(v, "person.email", person.email());
  if (fields.count("phone")) CheckPhone(v, "person.phone", person.phone());
  if (fields.count("consent_time") && person.has_consent_time()) {
    const size_t before = v.list().size();
    validation::CheckTimestamp(v, "person.consent_time", person.consent_time(), false);
    if (v.list().size() == before && FromProto(person.consent_time()) > now + absl::Minutes(1)) {
      v.Add("person.consent_time", "must not be in the future");
    }
  }
}


absl::Status BadFilter(std::string why) { return InvalidField("filter", std::move(why)); }

absl::StatusOr<bool> FilterBool(const filter::Term& term) {
  auto b = filter::ParseBool(term.value);
  if (!b.ok()) return BadFilter(absl::StrCat("'", term.field, "' takes true or false"));
  return term.op == filter::Op::kNe ? !*b : *b;
}

template <typename T>
using Predicate = std::function<bool(const T&)>;

absl::StatusOr<Predicate<Organization>> CompileOrganizationFilter(absl::string_view text) {
  using filter::Op;
  static const auto* schema = new filter::Schema{
      {"category", {Op::kEq, Op::kNe}},
      {"qpv_codes", {Op::kHas}},
      {"display_name", {Op::kHas, Op::kEq}},
      {"email", {Op::kEq, Op::kNe}},
  };
  QPV_ASSIGN_OR_RETURN(std::vector<filter::Term> terms, filter::Parse(text, *schema));
  std::vector<Predicate<Organization>> preds;
  for (const filter::Term& term : terms) {
    const std::string value = term.value;
    const Op op = term.op;
    if (term.field == "category") {
      ActorCategory category;
      if (!filter::ParseEnum(common::v1::ActorCategory_descriptor(), value, &category)) {
        return BadFilter(absl::StrCat("unknown actor category '", value,
                                      "'; use a value such as ACTOR_CATEGORY_ASSOCIATION"));
      }
      preds.push_back([category, op](const Organization& o) {
        return (o.category() == category) == (op == Op::kEq);
      });
    } else if (term.field == "qpv_codes") {
      if (!validation::IsQpvCode(value)) {
        return BadFilter(absl::StrCat("'", value, "' is not a QPV code such as QN05981M"));
      }
      preds.push_back([value](const Organization& o) {
        return std::find(o.qpv_codes().begin(), o.qpv_codes().end(), value) != o.qpv_codes().end();
      });
    } else if (term.field == "display_name") {
      preds.push_back([value, op](const Organization& o) {
        return op == Op::kHas ? filter::ContainsFolded(o.display_name(), value)
                              : filter::CompareText(op, o.display_name(), value);
      });
    } else if (term.field == "email") {
      preds.push_back([value, op](const Organization& o) {
        return absl::EqualsIgnoreCase(o.email(), value) == (op == Op::kEq);
      });
    }
  }
  return Predicate<Organization>([preds](const Organization& o) {
    for (const auto& p : preds) {
      if (!p(o)) return false;
    }
    return true;
  });
}

absl::StatusOr<Predicate<Person>> CompilePersonFilter(absl::string_view text) {
  using filter::Op;
  static const auto* schema = new filter::Schema{
      {"organization", {Op::kEq, Op::kNe}},
      {"has_consent", {Op::kEq, Op::kNe}},
      {"erased", {Op::kEq, Op::kNe}},
      {"email", {Op::kEq, Op::kNe}},
  };
  QPV_ASSIGN_OR_RETURN(std::vector<filter::Term> terms, filter::Parse(text, *schema));
  std::vector<Predicate<Person>> preds;
  for (const filter::Term& term : terms) {
    const std::string value = term.value;
    const Op op = term.op;
    if (term.field == "organization") {
      if (!ParseResourceName("filter", value, {"prefectures", "organizations"}).ok()) {
        return BadFilter(absl::StrCat(
            "'organization' takes an organization name such as "
            "\"prefectures/59/organizations/abc\", not '",
            value, "'"));
      }
      preds.push_back([value, op](const Person& p) {
        return (p.organization() == value) == (op == Op::kEq);
      });
    } else if (term.field == "has_consent") {
      QPV_ASSIGN_OR_RETURN(bool want, FilterBool(term));
      preds.push_back([want](const Person& p) { return p.has_consent_time() == want; });
    } else if (term.field == "erased") {
      QPV_ASSIGN_OR_RETURN(bool want, FilterBool(term));
      preds.push_back([want](const Person& p) { return p.has_erase_time() == want; });
    } else if (term.field == "email") {
      preds.push_back([value, op](const Person& p) {
        return absl::EqualsIgnoreCase(p.email(), value) == (op == Op::kEq);
      });
    }
  }
  return Predicate<Person>([preds](const Person& p) {
    for (const auto& pred : preds) {
      if (!pred(p)) return false;
    }
    return true;
  });
}

// The common part of List: checks parent, page size, filter and token, then
// scans forward from the cursor until the page is full or the index ends.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

template <typename T, typename ScanFn, typename CompileFn>
absl::StatusOr<Page<T>> ListPage(FieldViolations& v, const std::string& prefecture,
                                 absl::string_view parent, int32_t requested_size,
                                 absl::string_view filter_text, absl::string_view token,
                                 ScanFn scan, CompileFn compile,
                                 const std::function<absl::Status(absl::string_view)>& served) {
  auto page_size = pagination::EffectivePageSize(requested_size);
  v.Merge(page_size.status(), "page_size");
  auto pred = compile(filter_text);
  v.Merge(pred.status(), "filter");
  const std::string fingerprint = pagination::RequestFingerprint(parent, filter_text);
  int64_t cursor = 0;
  auto decoded = pagination::DecodePageToken(token, fingerprint);
  if (!decoded.ok()) {
    v.Merge(decoded.status(), "page_token");
  } else if (!decoded->empty() && (!absl::SimpleAtoi(*decoded, &cursor) || cursor < 0)) {
    v.Add("page_token", "is not a valid page token");
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(served(prefecture));

  const bool filtered = !absl::StripAsciiWhitespace(filter_text).empty();
  const int size = *page_size;
  const int batch = filtered ? std::min(std::max(size + 1, 200), pagination::kMaxPageSize + 1)
                             : size + 1;
  Page<T> page;
  int64_t pos = cursor;
  int scanned = 0;
  while (true) {
    QPV_ASSIGN_OR_RETURN(ScanResult<T> result, scan(prefecture, pos, batch));
    for (auto& item : result.items) {
      if (static_cast<int>(page.items.size()) == size) {
        page.next_page_token = pagination::EncodePageToken(std::to_string(pos), fingerprint);
        return page;
      }
      pos = item.seq;
      ++scanned;
      if ((*pred)(item.resource)) page.items.push_back(std::move(item.resource));
    }
    if (result.exhausted || result.items.empty()) break;
    if (scanned >= kMaxScanPerPage) {
      // A partial page: the caller goes on with the token.
      page.next_page_token = pagination::EncodePageToken(std::to_string(pos), fingerprint);
      break;
    }
  }
  return page;
}

// Read, change, compare-and-set; retried on a lost race when the caller gave
// no etag (with an etag, a lost race is the caller's ABORTED).
template <typename T, typename GetFn, typename MutateFn, typename PutFn>
absl::StatusOr<T> ReadModifyWrite(absl::string_view client_etag, GetFn get, MutateFn mutate,
                                  PutFn put) {
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    QPV_ASSIGN_OR_RETURN(T current, get());
    if (!client_etag.empty() && client_etag != current.etag()) {
      return absl::AbortedError("etag mismatch: the resource changed, read it again");
    }
    T next = current;
    QPV_RETURN_IF_ERROR(mutate(next));
    absl::StatusOr<T> stored = put(next, client_etag.empty() ? current.etag() : client_etag);
    if (stored.ok() || stored.status().code() != absl::StatusCode::kAborted ||
        !client_etag.empty()) {
      return stored;
    }
  }
  return absl::AbortedError("too many concurrent changes, try again");
}

}  // namespace

StakeholderLogic::StakeholderLogic(StakeholderStore* store, Clock* clock, IdGenerator* ids,
                                   std::vector<std::string> prefectures)
    : store_(store), clock_(clock), ids_(ids), prefectures_(std::move(prefectures)) {}

absl::Status StakeholderLogic::CheckServed(absl::string_view prefecture) const {
  if (prefectures_.empty() ||
      std::find(prefectures_.begin(), prefectures_.end(), prefecture) != prefectures_.end()) {
    return absl::OkStatus();
  }
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        "préfecture ", prefecture, " is not served by this stack")),
                    "PREFECTURE_NOT_SERVED");
}

// ---------------------------------------------------------------- organizations

absl::StatusOr<Organization> StakeholderLogic::CreateOrganization(
    const v1::CreateOrganizationRequest& request) {
  FieldViolations v;
  const std::string prefecture = ParseParent(v, "parent", request.parent());
  if (!prefecture.empty()) QPV_RETURN_IF_ERROR(CheckServed(prefecture));
  validation::CheckRequestId(v, request.request_id());
  if (!request.has_organization()) {
    v.Add("organization", "is required");
  } else {
    CheckOrganization(v, request.organization(), OrgFields());
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());

  const Organization& in = request.organization();
  const std::string id = ids_->NewId();
  Organization org;
  org.set_name(absl::StrCat(PrefectureName(prefecture), "/organizations/", id));
  org.set_display_name(in.display_name());
  org.set_category(in.category());
  *org.mutable_qpv_codes() = in.qpv_codes();
  org.set_email(in.email());
  *org.mutable_create_time() = ToProto(clock_->Now());
  *org.mutable_update_time() = org.create_time();
  return store_->CreateOrganization(prefecture, id, org, request.request_id());
}

absl::StatusOr<Organization> StakeholderLogic::GetOrganization(
    const v1::GetOrganizationRequest& request) {
  FieldViolations v;
  auto ids = ParseName(v, "name", request.name(), "organizations");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  return store_->GetOrganization(ids[0], ids[1]);
}

absl::StatusOr<v1::ListOrganizationsResponse> StakeholderLogic::ListOrganizations(
    const v1::ListOrganizationsRequest& request) {
  FieldViolations v;
  const std::string prefecture = ParseParent(v, "parent", request.parent());
  QPV_ASSIGN_OR_RETURN(
      Page<Organization> page,
      ListPage<Organization>(
          v, prefecture, request.parent(), request.page_size(), request.filter(),
          request.page_token(),
          [this](const std::string& p, int64_t after, int limit) {
            return store_->ScanOrganizations(p, after, limit);
          },
          CompileOrganizationFilter, [this](absl::string_view p) { return CheckServed(p); }));
  v1::ListOrganizationsResponse response;
  for (auto& org : page.items) *response.add_organizations() = std::move(org);
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<Organization> StakeholderLogic::UpdateOrganization(
    const v1::UpdateOrganizationRequest& request) {
  FieldViolations v;
  if (!request.has_organization()) {
    v.Add("organization", "is required");
    return v.ToStatus();
  }
  const Organization& in = request.organization();
  auto ids = ParseName(v, "organization.name", in.name(), "organizations");
  if (!ids.empty()) QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  const std::set<std::string> fields = validation::UpdatePaths(
      v, request.update_mask(), OrgFields(), OrgOutputOnly());
  CheckOrganization(v, in, fields);
  QPV_RETURN_IF_ERROR(v.ToStatus());

  const std::string& prefecture = ids[0];
  const std::string& id = ids[1];
  return ReadModifyWrite<Organization>(
      in.etag(), [&] { return store_->GetOrganization(prefecture, id); },
      [&](Organization& org) {
        if (fields.count("display_name")) org.set_display_name(in.display_name());
        if (fields.count("category")) org.set_category(in.category());
        if (fields.count("qpv_codes")) *org.mutable_qpv_codes() = in.qpv_codes();
        if (fields.count("email")) org.set_email(in.email());
        *org.mutable_update_time() = ToProto(clock_->Now());
        return absl::OkStatus();
      },
      [&](const Organization& org, absl::string_view etag) {
        return store_->UpdateOrganization(prefecture, id, org, etag);
      });
}

absl::Status StakeholderLogic::DeleteOrganization(const v1::DeleteOrganizationRequest& request) {
  FieldViolations v;
  auto ids = ParseName(v, "name", request.name(), "organizations");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  return store_->DeleteOrganization(ids[0], ids[1], request.etag());
}

// ---------------------------------------------------------------- persons

absl::StatusOr<Person> StakeholderLogic::CreatePerson(const v1::CreatePersonRequest& request) {
  FieldViolations v;
  const std::string prefecture = ParseParent(v, "parent", request.parent());
  if (!prefecture.empty()) QPV_RETURN_IF_ERROR(CheckServed(prefecture));
  validation::CheckRequestId(v, request.request_id());
  const absl::Time now = clock_->Now();
  const Person& in = request.person();
  if (!request.has_person()) {
    v.Add("person", "is required");
  } else {
    CheckPerson(v, in, prefecture, PersonFields(), now);
    if (Blank(in.given_name()) && Blank(in.family_name())) {
      v.Add("person.family_name", "given_name or family_name is required");
    }
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());

  const std::string id = ids_->NewId();
  Person person;
  person.set_name(absl::StrCat(PrefectureName(prefecture), "/persons/", id));
  person.set_organization(in.organization());
  person.set_given_name(in.given_name());
  person.set_family_name(in.family_name());
  person.set_email(in.email());
  person.set_phone(in.phone());
  if (in.has_consent_time()) *person.mutable_consent_time() = in.consent_time();
  *person.mutable_create_time() = ToProto(now);
  *person.mutable_update_time() = person.create_time();
  return store_->CreatePerson(prefecture, id, person, request.request_id());
}

void StakeholderLogic::GetPersonAsync(const v1::GetPersonRequest& request, absl::Time,
                                      StakeholderStore::PersonCallback done) {
  FieldViolations v;
  auto ids = ParseName(v, "name", request.name(), "persons");
  if (absl::Status s = v.ToStatus(); !s.ok()) return done(s);
  if (absl::Status s = CheckServed(ids[0]); !s.ok()) return done(s);
  store_->GetPersonAsync(ids[0], ids[1], std::move(done));
}

absl::StatusOr<v1::ListPersonsResponse> StakeholderLogic::ListPersons(
    const v1::ListPersonsRequest& request) {
  FieldViolations v;
  const std::string prefecture = ParseParent(v, "parent", request.parent());
  QPV_ASSIGN_OR_RETURN(
      Page<Person> page,
      ListPage<Person>(
          v, prefecture, request.parent(), request.page_size(), request.filter(),
          request.page_token(),
          [this](const std::string& p, int64_t after, int limit) {
            return store_->ScanPersons(p, after, limit);
          },
          CompilePersonFilter, [this](absl::string_view p) { return CheckServed(p); }));
  v1::ListPersonsResponse response;
  for (auto& person : page.items) *response.add_persons() = std::move(person);
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<Person> StakeholderLogic::UpdatePerson(const v1::UpdatePersonRequest& request) {
  FieldViolations v;
  if (!request.has_person()) {
    v.Add("person", "is required");
    return v.ToStatus();
  }
  const Person& in = request.person();
  auto ids = ParseName(v, "person.name", in.name(), "persons");
  if (!ids.empty()) QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  const std::set<std::string> fields = validation::UpdatePaths(
      v, request.update_mask(), PersonFields(), PersonOutputOnly());
  const absl::Time now = clock_->Now();
  CheckPerson(v, in, ids.empty() ? "" : ids[0], fields, now);
  QPV_RETURN_IF_ERROR(v.ToStatus());

  const std::string& prefecture = ids[0];
  const std::string& id = ids[1];
  return ReadModifyWrite<Person>(
      in.etag(), [&] { return store_->GetPerson(prefecture, id); },
      [&](Person& person) -> absl::Status {
        if (person.has_erase_time()) {
          return WithReason(
              absl::FailedPreconditionError("the person was erased and cannot be updated"),
              "PERSON_ERASED");
        }
        if (fields.count("organization")) person.set_organization(in.organization());
        if (fields.count("given_name")) person.set_given_name(in.given_name());
        if (fields.count("family_name")) person.set_family_name(in.family_name());
        if (fields.count("email")) person.set_email(in.email());
        if (fields.count("phone")) person.set_phone(in.phone());
        if (fields.count("consent_time")) {
          if (in.has_consent_time()) {
            *person.mutable_consent_time() = in.consent_time();
          } else {
            person.clear_consent_time();  // consent withdrawn
          }
        }
        if (Blank(person.given_name()) && Blank(person.family_name())) {
          return InvalidField("person.family_name", "given_name or family_name is required");
        }
        *person.mutable_update_time() = ToProto(now);
        return absl::OkStatus();
      },
      [&](const Person& person, absl::string_view etag) {
        return store_->UpdatePerson(prefecture, id, person, etag);
      });
}

absl::Status StakeholderLogic::DeletePerson(const v1::DeletePersonRequest& request) {
  FieldViolations v;
  auto ids = ParseName(v, "name", request.name(), "persons");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  return store_->DeletePerson(ids[0], ids[1], request.etag());
}

absl::StatusOr<v1::PersonDataExport> StakeholderLogic::ExportPersonData(
    const v1::ExportPersonDataRequest& request) {
  FieldViolations v;
  auto ids = ParseName(v, "name", request.name(), "persons");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  v1::PersonDataExport out;
  QPV_ASSIGN_OR_RETURN(*out.mutable_person(), store_->GetPerson(ids[0], ids[1]));
  auto org = store_->GetOrganization(ids[0], LastSegment(out.person().organization()));
  if (org.ok()) {
    *out.mutable_organization() = *std::move(org);
  } else if (org.status().code() != absl::StatusCode::kNotFound) {
    return org.status();
  }
  *out.mutable_export_time() = ToProto(clock_->Now());
  out.set_processing_notice(kProcessingNotice);
  return out;
}

absl::StatusOr<Person> StakeholderLogic::ErasePerson(const v1::ErasePersonRequest& request) {
  FieldViolations v;
  auto ids = ParseName(v, "name", request.name(), "persons");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  const std::string& prefecture = ids[0];
  const std::string& id = ids[1];
  QPV_ASSIGN_OR_RETURN(Person current, store_->GetPerson(prefecture, id));
  if (current.has_erase_time()) return current;  // idempotent
  const absl::Time now = clock_->Now();
  bool already_erased = false;
  auto erased = ReadModifyWrite<Person>(
      request.etag(), [&] { return store_->GetPerson(prefecture, id); },
      [&](Person& person) -> absl::Status {
        if (person.has_erase_time()) {
          already_erased = true;  // erased by a concurrent call
          return absl::CancelledError("");
        }
        person.clear_given_name();
        person.clear_family_name();
        person.clear_email();
        person.clear_phone();
        person.clear_consent_time();
        *person.mutable_erase_time() = ToProto(now);
        *person.mutable_update_time() = ToProto(now);
        return absl::OkStatus();
      },
      [&](const Person& person, absl::string_view etag) {
        return store_->UpdatePerson(prefecture, id, person, etag);
      });
  if (already_erased) return store_->GetPerson(prefecture, id);
  return erased;
}

}  // namespace qpv::stakeholder
