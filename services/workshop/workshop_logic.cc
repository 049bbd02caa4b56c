#include "services/workshop/workshop_logic.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/filter/filter.h"
#include "common/pagination/page_token.h"
#include "common/status/status.h"
#include "common/validation/resource_name.h"
#include "common/validation/validation.h"
#include "services/workshop/contribution_wire.h"

namespace qpv::workshop {
namespace {

using ::qpv::common::v1::ActorCategory;
using ::qpv::common::v1::Theme;
using filter::Op;

constexpr int kMaxAttempts = 5;
constexpr int kMaxScan = 5000;

// ---------------------------------------------------------------------------
// Field checks.




template <typename Repeated>
void CheckThemes(FieldViolations& v, const std::string& field, const Repeated& themes,
                 bool required) {
  if (themes.empty()) {
    if (required) v.Add(field, "at least one theme is required");
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < themes.size(); ++i) {
    const int t = themes.Get(i);
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (t == 0 || !qpv::common::v1::Theme_IsValid(t)) {
      v.Add(f, absl::StrCat("unknown theme ", t));
    } else if (!seen.insert(t).second) {
      v.Add(f, absl::StrCat("duplicate theme ", Theme_Name(static_cast<Theme>(t))));
    }
  }
}

void CheckQpv(FieldViolations& v, const std::string& field,
              const google::protobuf::RepeatedPtrField<std::string>& codes,
              absl::string_view prefecture) {
  validation::CheckQpvCodes(v, field, codes);
  if (prefecture.empty()) return;
  for (int i = 0; i < codes.size(); ++i) {
    if (validation::IsQpvCode(codes[i]) &&
        validation::QpvDepartement(codes[i]) != prefecture) {
      v.Add(absl::StrCat(field, "[", i, "]"),
            absl::StrCat("is not a QPV of département ", prefecture));
    }
  }
}

bool Has(const std::set<std::string>* only, const char* field) {
  return only == nullptr || only->count(field) > 0;
}

// Checks the fields of `w` named in `only` (all when null).
void ValidateWorkshop(FieldViolations& v, const Workshop& w, absl::string_view prefecture,
                      const std::string& prefix, const std::set<std::string>* only) {
  if (Has(only, "title")) validation::CheckText(v, prefix + "title", w.title(), 200, true);
  if (Has(only, "themes")) CheckThemes(v, prefix + "themes", w.themes(), true);
  if (Has(only, "start_time")) {
    validation::CheckTimestamp(v, prefix + "start_time", w.start_time(), true);
  }
  if (Has(only, "end_time")) {
    validation::CheckTimestamp(v, prefix + "end_time", w.end_time(), true);
  }
  if (Has(only, "start_time") && Has(only, "end_time") && w.has_start_time() &&
      w.has_end_time() && FromProto(w.end_time()) <= FromProto(w.start_time())) {
    v.Add(prefix + "end_time", "must be after start_time");
  }
  if (Has(only, "venue")) validation::CheckText(v, prefix + "venue", w.venue(), 300, false);
  if (Has(only, "capacity") && (w.capacity() < 1 || w.capacity() > 10000)) {
    v.Add(prefix + "capacity", "must be between 1 and 10000");
  }
  if (Has(only, "qpv_codes")) CheckQpv(v, prefix + "qpv_codes", w.qpv_codes(), prefecture);
  if (Has(only, "description")) {
    validation::CheckText(v, prefix + "description", w.description(), 5000, false, true);
  }
}

void ValidateContribution(FieldViolations& v, const Contribution& c,
                          absl::string_view prefecture, const std::string& prefix,
                          const std::set<std::string>* only) {
  if (Has(only, "title")) validation::CheckText(v, prefix + "title", c.title(), 200, true);
  if (Has(only, "text")) validation::CheckText(v, prefix + "text", c.text(), 10000, false, true);
  if (Has(only, "kind")) {
    if (c.kind() == Contribution::KIND_UNSPECIFIED) {
      v.Add(prefix + "kind", "is required");
    } else if (!Contribution::Kind_IsValid(c.kind())) {
      v.Add(prefix + "kind", absl::StrCat("unknown kind ", static_cast<int>(c.kind())));
    }
  }
  if (Has(only, "themes")) CheckThemes(v, prefix + "themes", c.themes(), false);
  if (Has(only, "qpv_codes")) CheckQpv(v, prefix + "qpv_codes", c.qpv_codes(), prefecture);
  if (Has(only, "organization") && !c.organization().empty()) {
    auto ids = ParseResourceName(prefix + "organization", c.organization(),
                                 {"prefectures", "organizations"});
    if (!ids.ok()) {
      v.Merge(ids.status(), prefix + "organization");
    } else if (!prefecture.empty() && (*ids)[0] != prefecture) {
      v.Add(prefix + "organization",
            absl::StrCat("must be an organization of préfecture ", prefecture));
    }
  }
}


const std::set<std::string>& WorkshopUpdatable() {
  static const auto* s = new std::set<std::string>{
      "title", "themes", "start_time", "end_time", "venue", "capacity", "qpv_codes",
      "description"};
  return *s;
}
const std::set<std::string>& WorkshopOutputOnly() {
  static const auto* s = new std::set<std::string>{
      "name", "state", "registered_count", "waitlisted_count", "attended_count",
      "create_time", "update_time", "etag", "revision"};
  return *s;
}
const std::set<std::string>& ContributionUpdatable() {
  static const auto* s = new std::set<std::string>{
      "title", "text", "kind", "themes", "reproducible", "qpv_codes", "organization"};
  return *s;
}
const std::set<std::string>& ContributionOutputOnly() {
  static const auto* s = new std::set<std::string>{
      "name", "vote_count", "organization_category", "create_time", "update_time", "etag"};
  return *s;
}

void ApplyWorkshop(Workshop& to, const Workshop& from, const std::set<std::string>& paths) {
  if (paths.count("title")) to.set_title(from.title());
  if (paths.count("themes")) *to.mutable_themes() = from.themes();
  if (paths.count("start_time")) *to.mutable_start_time() = from.start_time();
  if (paths.count("end_time")) *to.mutable_end_time() = from.end_time();
  if (paths.count("venue")) to.set_venue(from.venue());
  if (paths.count("capacity")) to.set_capacity(from.capacity());
  if (paths.count("qpv_codes")) *to.mutable_qpv_codes() = from.qpv_codes();
  if (paths.count("description")) to.set_description(from.description());
}

void ApplyContribution(Contribution& to, const Contribution& from,
                       const std::set<std::string>& paths) {
  if (paths.count("title")) to.set_title(from.title());
  if (paths.count("text")) to.set_text(from.text());
  if (paths.count("kind")) to.set_kind(from.kind());
  if (paths.count("themes")) *to.mutable_themes() = from.themes();
  if (paths.count("reproducible")) to.set_reproducible(from.reproducible());
  if (paths.count("qpv_codes")) *to.mutable_qpv_codes() = from.qpv_codes();
  if (paths.count("organization")) to.set_organization(from.organization());
}

// ---------------------------------------------------------------------------
// Filters (AIP-160 subset, see common/filter).

absl::Status BadFilter(std::string why) { return InvalidField("filter", std::move(why)); }

const std::set<Op> kEquality = {Op::kEq, Op::kNe};
const std::set<Op> kOrdering = {Op::kEq, Op::kNe, Op::kLt, Op::kLe, Op::kGt, Op::kGe};
const std::set<Op> kHasOnly = {Op::kHas};
const std::set<Op> kText = {Op::kHas, Op::kEq, Op::kNe};

template <typename T>
using Predicate = std::function<bool(const T&)>;

template <typename T>
Predicate<T> All(std::vector<Predicate<T>> preds) {
  return [preds = std::move(preds)](const T& item) {
    for (const auto& p : preds) {
      if (!p(item)) return false;
    }
    return true;
  };
}

absl::StatusOr<Theme> ParseTheme(const std::string& value) {
  Theme t;
  if (!filter::ParseEnum(qpv::common::v1::Theme_descriptor(), value, &t)) {
    return BadFilter(absl::StrCat("unknown theme '", value, "'"));
  }
  return t;
}

template <typename Repeated>
bool HasTheme(const Repeated& themes, Theme t) {
  for (int i = 0; i < themes.size(); ++i) {
    if (themes.Get(i) == t) return true;
  }
  return false;
}

bool HasCode(const google::protobuf::RepeatedPtrField<std::string>& codes,
             const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// state = STATE_X | themes:THEME_X | start_time <op> "RFC3339" | end_time ...
// | qpv_codes:CODE | title:"text" (also = and !=).
absl::StatusOr<Predicate<Workshop>> WorkshopFilter(absl::string_view text) {
  static const auto* schema = new filter::Schema{
      {"state", kEquality},      {"themes", kHasOnly},  {"start_time", kOrdering},
      {"end_time", kOrdering},   {"qpv_codes", kHasOnly}, {"title", kText}};
  QPV_ASSIGN_OR_RETURN(auto terms, filter::Parse(text, *schema));
  std::vector<Predicate<Workshop>> preds;
  for (const auto& t : terms) {
    const Op op = t.op;
    if (t.field == "state") {
      Workshop::State s;
      if (!filter::ParseEnum(Workshop::State_descriptor(), t.value, &s)) {
        return BadFilter(absl::StrCat("unknown state '", t.value, "'"));
      }
      preds.push_back([op, s](const Workshop& w) { return filter::Compare(op, w.state(), s); });
    } else if (t.field == "themes") {
      QPV_ASSIGN_OR_RETURN(Theme th, ParseTheme(t.value));
      preds.push_back([th](const Workshop& w) { return HasTheme(w.themes(), th); });
    } else if (t.field == "start_time" || t.field == "end_time") {
      QPV_ASSIGN_OR_RETURN(absl::Time at, filter::ParseTime(t.value));
      const int64_t us = absl::ToUnixMicros(at);
      const bool start = t.field == "start_time";
      preds.push_back([op, us, start](const Workshop& w) {
        const auto& ts = start ? w.start_time() : w.end_time();
        return filter::Compare(op, absl::ToUnixMicros(FromProto(ts)), us);
      });
    } else if (t.field == "qpv_codes") {
      preds.push_back([v = t.value](const Workshop& w) { return HasCode(w.qpv_codes(), v); });
    } else if (t.field == "title") {
      preds.push_back(
          [op, v = t.value](const Workshop& w) { return filter::CompareText(op, w.title(), v); });
    }
  }
  return All(std::move(preds));
}

// state = STATE_X | person = "prefectures/59/persons/p"
absl::StatusOr<Predicate<Registration>> RegistrationFilter(absl::string_view text) {
  static const auto* schema = new filter::Schema{{"state", kEquality}, {"person", kEquality}};
  QPV_ASSIGN_OR_RETURN(auto terms, filter::Parse(text, *schema));
  std::vector<Predicate<Registration>> preds;
  for (const auto& t : terms) {
    const Op op = t.op;
    if (t.field == "state") {
      Registration::State s;
      if (!filter::ParseEnum(Registration::State_descriptor(), t.value, &s)) {
        return BadFilter(absl::StrCat("unknown state '", t.value, "'"));
      }
      preds.push_back(
          [op, s](const Registration& r) { return filter::Compare(op, r.state(), s); });
    } else if (t.field == "person") {
      preds.push_back([op, v = t.value](const Registration& r) {
        return filter::CompareText(op, r.person(), v);
      });
    }
  }
  return All(std::move(preds));
}

// kind = KIND_X | themes:THEME_X | reproducible = true | organization = "..."
// | organization_category = ACTOR_CATEGORY_X | qpv_codes:CODE | title:"text"
absl::StatusOr<Predicate<Contribution>> ContributionFilter(absl::string_view text) {
  static const auto* schema = new filter::Schema{
      {"kind", kEquality},         {"themes", kHasOnly},    {"reproducible", kEquality},
      {"organization", kEquality}, {"organization_category", kEquality},
      {"qpv_codes", kHasOnly},     {"title", kText}};
  QPV_ASSIGN_OR_RETURN(auto terms, filter::Parse(text, *schema));
  std::vector<Predicate<Contribution>> preds;
  for (const auto& t : terms) {
    const Op op = t.op;
    if (t.field == "kind") {
      Contribution::Kind k;
      if (!filter::ParseEnum(Contribution::Kind_descriptor(), t.value, &k)) {
        return BadFilter(absl::StrCat("unknown kind '", t.value, "'"));
      }
      preds.push_back([op, k](const Contribution& c) { return filter::Compare(op, c.kind(), k); });
    } else if (t.field == "themes") {
      QPV_ASSIGN_OR_RETURN(Theme th, ParseTheme(t.value));
      preds.push_back([th](const Contribution& c) { return HasTheme(c.themes(), th); });
    } else if (t.field == "reproducible") {
      QPV_ASSIGN_OR_RETURN(bool b, filter::ParseBool(t.value));
      preds.push_back(
          [op, b](const Contribution& c) { return filter::Compare(op, c.reproducible(), b); });
    } else if (t.field == "organization") {
      preds.push_back([op, v = t.value](const Contribution& c) {
        return filter::CompareText(op, c.organization(), v);
      });
    } else if (t.field == "organization_category") {
      ActorCategory a;
      if (!filter::ParseEnum(qpv::common::v1::ActorCategory_descriptor(), t.value, &a)) {
        return BadFilter(absl::StrCat("unknown category '", t.value, "'"));
      }
      preds.push_back([op, a](const Contribution& c) {
        return filter::Compare(op, c.organization_category(), a);
      });
    } else if (t.field == "qpv_codes") {
      preds.push_back(
          [v = t.value](const Contribution& c) { return HasCode(c.qpv_codes(), v); });
    } else if (t.field == "title") {
      preds.push_back([op, v = t.value](const Contribution& c) {
        return filter::CompareText(op, c.title(), v);
      });
    }
  }
  return All(std::move(preds));
}

// ---------------------------------------------------------------------------
// Paging: cursor = (préfecture, sequence number of the last item examined).

struct Cursor {
  std::string prefecture;
  int64_t seq = 0;
};

std::string EncodeCursor(const Cursor& c) { return absl::StrCat(c.prefecture, "/", c.seq); }

absl::StatusOr<Cursor> DecodeCursor(absl::string_view raw) {
  Cursor c;
  if (raw.empty()) return c;
  std::vector<std::string> parts = absl::StrSplit(raw, '/');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &c.seq) || c.seq < 0) {
    return InvalidField("page_token", "is not a token returned by this list");
  }
  c.prefecture = parts[0];
  return c;
}

template <typename T>
using Fetch = std::function<absl::StatusOr<std::vector<Listed<T>>>(const std::string&, int64_t,
                                                                   int)>;

// Walks `prefectures` (sorted) from `start`, collecting up to `page_size`
// items that match into `items`; `next` is set when more may follow. The
// caller makes each fetch that Next asks for and hands its items to Take,
// blocking (Page) or not (ListContributionsAsync).
template <typename T>
class Pager {
 public:
  struct Fetch {
    const std::string* prefecture;
    int64_t after;
    int limit;
  };

  Pager(const std::vector<std::string>* prefectures, Cursor start, int page_size,
        Predicate<T> match)
      : prefectures_(prefectures),
        start_(std::move(start)),
        page_size_(page_size),
        batch_(std::min(std::max(page_size + 1, 20), 500)),
        match_(std::move(match)) {}

  // The next fetch to make, or nothing once the page is complete.
  std::optional<Fetch> Next() {
    if (complete_) return std::nullopt;
    if (!in_prefecture_) {
      while (index_ < prefectures_->size() && !start_.prefecture.empty() &&
             (*prefectures_)[index_] < start_.prefecture) {
        ++index_;
      }
      if (index_ == prefectures_->size()) {
        complete_ = true;
        next.reset();
        return std::nullopt;
      }
      const std::string& pref = (*prefectures_)[index_];
      after_ = pref == start_.prefecture ? start_.seq : 0;
      in_prefecture_ = true;
    }
    return Fetch{&(*prefectures_)[index_], after_, batch_};
  }

  // The items the last fetch returned.
  void Take(std::vector<Listed<T>> fetched) {
    const std::string& pref = (*prefectures_)[index_];
    for (auto& it : fetched) {
      after_ = it.seq;
      ++scanned_;
      if (match_(it.item)) {
        if (static_cast<int>(items.size()) == page_size_) {
          next = last_;
          complete_ = true;
          return;
        }
        items.push_back(std::move(it.item));
        last_ = Cursor{pref, it.seq};
      }
      if (scanned_ >= kMaxScan) {
        next = Cursor{pref, after_};
        complete_ = true;
        return;
      }
    }
    if (static_cast<int>(fetched.size()) < batch_) {
      in_prefecture_ = false;
      ++index_;
    }
  }

  std::vector<T> items;
  std::optional<Cursor> next;

 private:
  const std::vector<std::string>* prefectures_;
  const Cursor start_;
  const int page_size_;
  const int batch_;
  const Predicate<T> match_;
  size_t index_ = 0;
  bool in_prefecture_ = false;
  bool complete_ = false;
  int64_t after_ = 0;
  int scanned_ = 0;
  Cursor last_;
};

template <typename T>
absl::Status Page(const std::vector<std::string>& prefectures, const Cursor& start, int page_size,
                  const Predicate<T>& match, const Fetch<T>& fetch, std::vector<T>* out,
                  std::optional<Cursor>* next) {
  Pager<T> pager(&prefectures, start, page_size, match);
  while (auto f = pager.Next()) {
    QPV_ASSIGN_OR_RETURN(auto items, fetch(*f->prefecture, f->after, f->limit));
    pager.Take(std::move(items));
  }
  *out = std::move(pager.items);
  *next = std::move(pager.next);
  return absl::OkStatus();
}

struct ListParams {
  int page_size = 0;
  Cursor cursor;
  std::string fingerprint;
};

// Checks page_size, filter and page_token together so one answer names each.
template <typename Pred>
absl::StatusOr<ListParams> ParseList(FieldViolations& v, absl::string_view parent,
                                     int32_t page_size, absl::string_view page_token,
                                     absl::string_view filter_text,
                                     absl::StatusOr<Pred> (*compile)(absl::string_view),
                                     Pred* pred) {
  ListParams params;
  auto size = pagination::EffectivePageSize(page_size);
  if (size.ok()) params.page_size = *size;
  v.Merge(size.status(), "page_size");
  auto compiled = compile(filter_text);
  if (compiled.ok()) *pred = *std::move(compiled);
  v.Merge(compiled.status(), "filter");
  params.fingerprint = pagination::RequestFingerprint(parent, filter_text);
  auto raw = pagination::DecodePageToken(page_token, params.fingerprint);
  if (raw.ok()) {
    auto cursor = DecodeCursor(*raw);
    if (cursor.ok()) params.cursor = *cursor;
    v.Merge(cursor.status(), "page_token");
  }
  v.Merge(raw.status(), "page_token");
  QPV_RETURN_IF_ERROR(v.ToStatus());
  return params;
}

// A list request on the children of one workshop (registrations,
// contributions), checked.
struct ChildList {
  std::string prefecture, workshop;
  ListParams params;
};

template <typename T, typename Request>
absl::StatusOr<ChildList> ParseChildList(
    const Request& req, absl::StatusOr<Predicate<T>> (*compile)(absl::string_view),
    Predicate<T>* match, const std::function<absl::Status(absl::string_view)>& check_served) {
  FieldViolations v;
  std::vector<std::string> ids;
  auto parent = ParseResourceName("parent", req.parent(), {"prefectures", "workshops"});
  if (parent.ok()) ids = *parent;
  v.Merge(parent.status(), "parent");
  QPV_ASSIGN_OR_RETURN(ListParams params, ParseList(v, req.parent(), req.page_size(),
                                                    req.page_token(), req.filter(), compile,
                                                    match));
  QPV_RETURN_IF_ERROR(check_served(ids[0]));
  params.cursor.prefecture = ids[0];
  return ChildList{ids[0], ids[1], std::move(params)};
}

// The page token of the page after the one listed, "" after the last.
std::string NextPageToken(const ChildList& list, const std::optional<Cursor>& next) {
  if (!next) return "";
  return pagination::EncodePageToken(EncodeCursor(*next), list.params.fingerprint);
}

// One page of a workshop's children, and the next page's token ("" after
// the last). The workshop itself is read only when the page comes back
// empty, to tell an absent workshop (NOT_FOUND) from an empty list:
// workshops are never deleted, so a listed child proves its workshop
// exists, and a page costs one Redis round trip.
template <typename Item>
absl::Status PageChildren(WorkshopStore* store, const ChildList& list,
                          const Predicate<Item>& match,
                          absl::StatusOr<std::vector<Listed<Item>>> (WorkshopStore::*fetch)(
                              absl::string_view, absl::string_view, int64_t, int),
                          std::vector<Item>* items, std::string* next_token) {
  Fetch<Item> page_fetch = [store, fetch, &list](const std::string& p, int64_t after, int limit) {
    return (store->*fetch)(p, list.workshop, after, limit);
  };
  std::optional<Cursor> next;
  QPV_RETURN_IF_ERROR(
      Page({list.prefecture}, list.params.cursor, list.params.page_size, match, page_fetch, items,
           &next));
  if (items->empty() && !next) {
    QPV_RETURN_IF_ERROR(store->GetWorkshop(list.prefecture, list.workshop).status());
  }
  *next_token = NextPageToken(list, next);
  return absl::OkStatus();
}

// PageChildren for contributions, without waiting: a ListContributions call
// under way. Each page the pager asks for is fetched with
// ListContributionsWireAsync; a fetch answered at once (a page kept in
// memory) continues on the same stack, at most kMaxScan / 20 deep.
class ContributionListing : public std::enable_shared_from_this<ContributionListing> {
 public:
  using Done = std::function<void(absl::StatusOr<std::string>)>;

  ContributionListing(WorkshopStore* store, ChildList list, Predicate<std::string> match, Done done)
      : store_(store),
        list_(std::move(list)),
        prefectures_{list_.prefecture},
        pager_(&prefectures_, list_.params.cursor, list_.params.page_size, std::move(match)),
        done_(std::move(done)) {}

  void Continue() {
    auto f = pager_.Next();
    if (!f) return Finish();
    store_->ListContributionsWireAsync(
        list_.prefecture, list_.workshop, f->after, f->limit,
        [self = shared_from_this()](absl::StatusOr<std::vector<Listed<std::string>>> fetched) {
          if (!fetched.ok()) return self->done_(fetched.status());
          self->pager_.Take(*std::move(fetched));
          self->Continue();
        });
  }

 private:
  void Finish() {
    if (!pager_.items.empty() || pager_.next) return done_(Response());
    store_->ReadWorkshopAsync(list_.prefecture, list_.workshop,
                              [self = shared_from_this()](absl::StatusOr<Workshop> w) {
                                if (!w.ok()) return self->done_(w.status());
                                self->done_(self->Response());
                              });
  }

  // The ListContributionsResponse in wire form.
  std::string Response() const {
    std::string out;
    for (const std::string& item : pager_.items) {
      AppendBytesField(&out, wsv1::ListContributionsResponse::kContributionsFieldNumber, item);
    }
    const std::string token = NextPageToken(list_, pager_.next);
    if (!token.empty()) {
      AppendBytesField(&out, wsv1::ListContributionsResponse::kNextPageTokenFieldNumber, token);
    }
    return out;
  }

  WorkshopStore* const store_;
  const ChildList list_;
  const std::vector<std::string> prefectures_;  // the pager walks this one
  Pager<std::string> pager_;
  const Done done_;
};

std::string WorkshopName(absl::string_view p, absl::string_view w) {
  return absl::StrCat("prefectures/", p, "/workshops/", w);
}

const char* StateName(Workshop::State s) {
  return Workshop::State_Name(s).c_str();
}

}  // namespace

WorkshopLogic::WorkshopLogic(WorkshopStore* store, PersonDirectory* directory, Clock* clock,
                             IdGenerator* ids, Options options)
    : store_(store),
      directory_(directory),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)) {
  std::sort(options_.prefectures.begin(), options_.prefectures.end());
}

absl::Status WorkshopLogic::CheckServed(absl::string_view prefecture) const {
  if (options_.prefectures.empty() ||
      std::binary_search(options_.prefectures.begin(), options_.prefectures.end(),
                         std::string(prefecture))) {
    return absl::OkStatus();
  }
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        "this stack does not serve préfecture ", prefecture)),
                    "PREFECTURE_NOT_SERVED");
}

std::string WorkshopLogic::NewEtag(absl::string_view name, absl::Time now) {
  static std::atomic<uint64_t> counter{0};
  const uint64_t h = pagination::StableHash64(
      absl::StrCat(name, "|", absl::ToUnixNanos(now), "|", counter.fetch_add(1), "|",
                   reinterpret_cast<uintptr_t>(this)));
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

// --- Workshops --------------------------------------------------------------

absl::StatusOr<Workshop> WorkshopLogic::CreateWorkshop(const wsv1::CreateWorkshopRequest& req,
                                                       absl::Time) {
  FieldViolations v;
  std::string prefecture;
  auto parent = ParseResourceName("parent", req.parent(), {"prefectures"});
  if (parent.ok()) prefecture = (*parent)[0];
  v.Merge(parent.status(), "parent");
  validation::CheckRequestId(v, req.request_id());
  if (!req.has_workshop()) {
    v.Add("workshop", "is required");
  } else {
    ValidateWorkshop(v, req.workshop(), prefecture, "workshop.", nullptr);
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(prefecture));

  const absl::Time now = clock_->Now();
  const std::string id = ids_->NewId();
  Workshop w;
  ApplyWorkshop(w, req.workshop(), WorkshopUpdatable());
  w.set_name(WorkshopName(prefecture, id));
  w.set_state(Workshop::STATE_DRAFT);
  *w.mutable_create_time() = ToProto(now);
  *w.mutable_update_time() = ToProto(now);
  w.set_etag(NewEtag(w.name(), now));
  return store_->CreateWorkshop(prefecture, id, w, req.request_id());
}

void WorkshopLogic::GetWorkshopAsync(const wsv1::GetWorkshopRequest& req, absl::Time,
                                     WorkshopStore::WorkshopCallback done) {
  auto ids = ParseResourceName("name", req.name(), {"prefectures", "workshops"});
  if (!ids.ok()) return done(ids.status());
  if (absl::Status s = CheckServed((*ids)[0]); !s.ok()) return done(s);
  store_->ReadWorkshopAsync((*ids)[0], (*ids)[1], std::move(done));
}

absl::StatusOr<wsv1::ListWorkshopsResponse> WorkshopLogic::ListWorkshops(
    const wsv1::ListWorkshopsRequest& req, absl::Time) {
  FieldViolations v;
  std::string prefecture;
  auto parent = ParseResourceNameOrWildcard("parent", req.parent(), {"prefectures"});
  if (parent.ok()) prefecture = (*parent)[0];
  v.Merge(parent.status(), "parent");
  Predicate<Workshop> match;
  QPV_ASSIGN_OR_RETURN(ListParams params,
                       ParseList(v, req.parent(), req.page_size(), req.page_token(),
                                 req.filter(), &WorkshopFilter, &match));
  std::vector<std::string> prefectures;
  if (prefecture == "-") {
    if (!options_.prefectures.empty()) {
      prefectures = options_.prefectures;
    } else {
      QPV_ASSIGN_OR_RETURN(prefectures, store_->ListPrefectures());
      std::sort(prefectures.begin(), prefectures.end());
    }
  } else {
    QPV_RETURN_IF_ERROR(CheckServed(prefecture));
    prefectures = {prefecture};
    if (params.cursor.prefecture.empty()) params.cursor.prefecture = prefecture;
  }
  std::vector<Workshop> items;
  std::optional<Cursor> next;
  Fetch<Workshop> fetch = [this](const std::string& p, int64_t after, int limit) {
    return store_->ListWorkshops(p, after, limit);
  };
  QPV_RETURN_IF_ERROR(
      Page(prefectures, params.cursor, params.page_size, match, fetch, &items, &next));
  wsv1::ListWorkshopsResponse resp;
  for (auto& w : items) *resp.add_workshops() = std::move(w);
  if (next) resp.set_next_page_token(pagination::EncodePageToken(EncodeCursor(*next),
                                                                 params.fingerprint));
  return resp;
}

absl::StatusOr<Workshop> WorkshopLogic::UpdateWorkshop(const wsv1::UpdateWorkshopRequest& req,
                                                       absl::Time) {
  FieldViolations v;
  std::vector<std::string> ids;
  if (!req.has_workshop()) {
    v.Add("workshop", "is required");
  } else {
    auto parsed =
        ParseResourceName("workshop.name", req.workshop().name(), {"prefectures", "workshops"});
    if (parsed.ok()) ids = *parsed;
    v.Merge(parsed.status(), "workshop.name");
  }
  const std::set<std::string> paths =
      validation::UpdatePaths(v, req.update_mask(), WorkshopUpdatable(), WorkshopOutputOnly());
  if (req.has_workshop()) {
    ValidateWorkshop(v, req.workshop(), ids.empty() ? "" : ids[0], "workshop.", &paths);
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));

  const std::string& client_etag = req.workshop().etag();
  for (int attempt = 0;; ++attempt) {
    QPV_ASSIGN_OR_RETURN(Workshop current, store_->GetWorkshop(ids[0], ids[1]));
    if (!client_etag.empty() && client_etag != current.etag()) {
      return WithReason(absl::AbortedError("etag mismatch: the workshop changed, read it again"),
                        "ETAG_MISMATCH");
    }
    if (current.state() != Workshop::STATE_DRAFT &&
        current.state() != Workshop::STATE_SCHEDULED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "a workshop can be updated while draft or scheduled; it is ",
          StateName(current.state())));
    }
    Workshop next = current;
    ApplyWorkshop(next, req.workshop(), paths);
    if (FromProto(next.end_time()) <= FromProto(next.start_time())) {
      return InvalidField("workshop.end_time", "must be after start_time");
    }
    if (next.capacity() < current.registered_count()) {
      return WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "capacity cannot go below the ", current.registered_count(),
              " seats already taken")),
          "CAPACITY_BELOW_REGISTERED");
    }
    const absl::Time now = clock_->Now();
    *next.mutable_update_time() = ToProto(now);
    next.set_etag(NewEtag(next.name(), now));
    auto result = store_->ReplaceWorkshop(
        ids[0], ids[1], next, current.etag(),
        {Workshop::STATE_DRAFT, Workshop::STATE_SCHEDULED},
        "a workshop can be updated while draft or scheduled", now);
    if (result.status().code() == absl::StatusCode::kAborted && client_etag.empty() &&
        attempt + 1 < kMaxAttempts) {
      continue;
    }
    return result;
  }
}

absl::StatusOr<Workshop> WorkshopLogic::Transition(absl::string_view name,
                                                   absl::string_view etag,
                                                   const std::vector<Workshop::State>& from,
                                                   Workshop::State to,
                                                   absl::string_view error) {
  QPV_ASSIGN_OR_RETURN(auto ids, ParseResourceName("name", name, {"prefectures", "workshops"}));
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  for (int attempt = 0;; ++attempt) {
    QPV_ASSIGN_OR_RETURN(Workshop current, store_->GetWorkshop(ids[0], ids[1]));
    if (!etag.empty() && etag != current.etag()) {
      return WithReason(absl::AbortedError("etag mismatch: the workshop changed, read it again"),
                        "ETAG_MISMATCH");
    }
    if (std::find(from.begin(), from.end(), current.state()) == from.end()) {
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            error, "; it is ", StateName(current.state()))),
                        "WRONG_WORKSHOP_STATE");
    }
    const absl::Time now = clock_->Now();
    Workshop next = current;
    next.set_state(to);
    *next.mutable_update_time() = ToProto(now);
    next.set_etag(NewEtag(next.name(), now));
    auto result = store_->ReplaceWorkshop(ids[0], ids[1], next, current.etag(), from, error, now);
    if (result.status().code() == absl::StatusCode::kAborted && etag.empty() &&
        attempt + 1 < kMaxAttempts) {
      continue;
    }
    return result;
  }
}

absl::StatusOr<Workshop> WorkshopLogic::ScheduleWorkshop(
    const wsv1::ScheduleWorkshopRequest& req, absl::Time) {
  return Transition(req.name(), req.etag(), {Workshop::STATE_DRAFT}, Workshop::STATE_SCHEDULED,
                    "only a draft workshop can be scheduled");
}

absl::StatusOr<Workshop> WorkshopLogic::MarkWorkshopHeld(
    const wsv1::MarkWorkshopHeldRequest& req, absl::Time) {
  return Transition(req.name(), req.etag(), {Workshop::STATE_SCHEDULED}, Workshop::STATE_HELD,
                    "only a scheduled workshop can be marked held");
}

absl::StatusOr<Workshop> WorkshopLogic::MarkWorkshopReported(
    const wsv1::MarkWorkshopReportedRequest& req, absl::Time) {
  return Transition(req.name(), req.etag(), {Workshop::STATE_HELD}, Workshop::STATE_REPORTED,
                    "only a held workshop can be marked reported");
}

absl::StatusOr<Workshop> WorkshopLogic::CancelWorkshop(const wsv1::CancelWorkshopRequest& req,
                                                       absl::Time) {
  return Transition(req.name(), req.etag(),
                    {Workshop::STATE_DRAFT, Workshop::STATE_SCHEDULED},
                    Workshop::STATE_CANCELLED,
                    "only a draft or scheduled workshop can be cancelled");
}

// --- Registrations ---------------------------------------------------------

void WorkshopLogic::RegisterParticipantAsync(const wsv1::RegisterParticipantRequest& req,
                                             absl::Time deadline,
                                             WorkshopStore::RegistrationCallback done) {
  FieldViolations v;
  std::vector<std::string> ids;
  auto parent = ParseResourceName("parent", req.parent(), {"prefectures", "workshops"});
  if (parent.ok()) ids = *parent;
  v.Merge(parent.status(), "parent");
  auto person = ParseResourceName("person", req.person(), {"prefectures", "persons"});
  v.Merge(person.status(), "person");
  if (person.ok() && !ids.empty() && (*person)[0] != ids[0]) {
    v.Add("person", absl::StrCat("must be a person of préfecture ", ids[0]));
  }
  validation::CheckRequestId(v, req.request_id());
  if (absl::Status s = v.ToStatus(); !s.ok()) return done(s);
  if (absl::Status s = CheckServed(ids[0]); !s.ok()) return done(s);

  // What the call keeps until it is answered.
  struct Pending {
    std::string prefecture, workshop, parent, person, request_id;
    WorkshopStore::RegistrationCallback done;
  };
  auto p = std::make_shared<Pending>(
      Pending{ids[0], ids[1], req.parent(), req.person(), req.request_id(), std::move(done)});
  // A retry gets its first result even if the workshop closed or the person
  // withdrew consent since (AIP-155); the store's script also checks the
  // request_id first, for retries that race the original.
  const auto first_or = [this, p](absl::Status precheck) {
    if (p->request_id.empty()) return p->done(precheck);
    store_->FindRegistrationByRequestIdAsync(
        p->prefecture, p->workshop, p->request_id,
        [p, precheck](absl::StatusOr<Registration> first) {
          p->done(first.ok() ? first : absl::StatusOr<Registration>(precheck));
        });
  };
  const auto store = [this, p](const PersonInfo& info) {
    const absl::Time now = clock_->Now();
    const std::string id = ids_->NewId();
    Registration reg;
    reg.set_name(absl::StrCat(p->parent, "/registrations/", id));
    reg.set_person(p->person);
    reg.set_organization(info.organization);
    reg.set_organization_category(info.organization_category);
    *reg.mutable_create_time() = ToProto(now);
    *reg.mutable_update_time() = ToProto(now);
    store_->RegisterParticipantAsync(p->prefecture, p->workshop, id, reg, p->request_id,
                                     std::move(p->done));
  };
  // Registrations are taken while the workshop is draft or scheduled.
  const auto workshop_error = [](const absl::StatusOr<Workshop>& w) -> absl::Status {
    if (!w.ok()) return w.status();
    if (w->state() == Workshop::STATE_DRAFT || w->state() == Workshop::STATE_SCHEDULED) {
      return absl::OkStatus();
    }
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "registrations are taken while the workshop is draft or scheduled; it "
                          "is ",
                          StateName(w->state()))),
                      "WRONG_WORKSHOP_STATE");
  };
  // `checked`: the workshop was checked before the person was looked up.
  // When it was not, a person's error waits for the workshop's read, so the
  // workshop's own error still comes first.
  const auto check_person = [this, p, first_or, store, workshop_error](
                                bool checked, absl::StatusOr<PersonInfo> info) {
    absl::Status error;
    if (info.status().code() == absl::StatusCode::kNotFound) {
      error = FieldError(absl::StatusCode::kNotFound, "person",
                         absl::StrCat(p->person, " does not exist"), "PERSON_NOT_FOUND");
    } else if (!info.ok()) {
      error = info.status();
    } else if (!info->consent) {
      error =
          FieldError(absl::StatusCode::kFailedPrecondition, "person",
                     "has not given consent to the processing of their data", "CONSENT_REQUIRED");
    }
    if (error.ok()) return store(*info);
    if (checked) return first_or(error);
    store_->ReadWorkshopAsync(p->prefecture, p->workshop,
                              [first_or, workshop_error, error](absl::StatusOr<Workshop> w) {
                                absl::Status s = workshop_error(w);
                                first_or(s.ok() ? error : s);
                              });
  };
  // A workshop in memory is checked first, so a closed or absent one costs
  // no stakeholder call. One that is not (after every write to it) is not
  // read for that: the read would put a Redis round trip before the
  // stakeholder's, and the store's script checks the workshop anyway.
  if (auto w = store_->PeekWorkshop(p->prefecture, p->workshop)) {
    if (absl::Status s = workshop_error(*w); !s.ok()) return first_or(s);
    return directory_->LookupPersonAsync(
        p->person, deadline,
        [check_person](absl::StatusOr<PersonInfo> info) { check_person(true, std::move(info)); });
  }
  directory_->LookupPersonAsync(
      p->person, deadline,
      [check_person](absl::StatusOr<PersonInfo> info) { check_person(false, std::move(info)); });
}

absl::StatusOr<wsv1::ListRegistrationsResponse> WorkshopLogic::ListRegistrations(
    const wsv1::ListRegistrationsRequest& req, absl::Time) {
  Predicate<Registration> match;
  QPV_ASSIGN_OR_RETURN(ChildList list,
                       ParseChildList<Registration>(req, &RegistrationFilter, &match,
                                                    [this](absl::string_view p) {
                                                      return CheckServed(p);
                                                    }));
  std::vector<Registration> items;
  wsv1::ListRegistrationsResponse resp;
  QPV_RETURN_IF_ERROR(PageChildren<Registration>(store_, list, match,
                                                 &WorkshopStore::ListRegistrations, &items,
                                                 resp.mutable_next_page_token()));
  for (auto& item : items) *resp.add_registrations() = std::move(item);
  return resp;
}

absl::StatusOr<Registration> WorkshopLogic::WithdrawRegistration(
    const wsv1::WithdrawRegistrationRequest& req, absl::Time) {
  QPV_ASSIGN_OR_RETURN(auto ids, ParseResourceName("name", req.name(),
                                                   {"prefectures", "workshops", "registrations"}));
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  return store_->WithdrawRegistration(ids[0], ids[1], ids[2], clock_->Now());
}

absl::StatusOr<Registration> WorkshopLogic::RecordAttendance(
    const wsv1::RecordAttendanceRequest& req, absl::Time) {
  QPV_ASSIGN_OR_RETURN(auto ids, ParseResourceName("name", req.name(),
                                                   {"prefectures", "workshops", "registrations"}));
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  auto w = store_->GetWorkshop(ids[0], ids[1]);
  if (w.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("registration not found");
  }
  if (!w.ok()) return w.status();
  const absl::Time now = clock_->Now();
  const bool scheduled_ok = now >= FromProto(w->start_time()) - options_.attendance_window;
  return store_->RecordAttendance(ids[0], ids[1], ids[2], req.attended(), scheduled_ok, now);
}

// --- Contributions ---------------------------------------------------------

void WorkshopLogic::CreateContributionAsync(const wsv1::CreateContributionRequest& req,
                                            absl::Time deadline,
                                            WorkshopStore::ContributionCallback done) {
  FieldViolations v;
  std::vector<std::string> ids;
  auto parent = ParseResourceName("parent", req.parent(), {"prefectures", "workshops"});
  if (parent.ok()) ids = *parent;
  v.Merge(parent.status(), "parent");
  validation::CheckRequestId(v, req.request_id());
  if (!req.has_contribution()) {
    v.Add("contribution", "is required");
  } else {
    ValidateContribution(v, req.contribution(), ids.empty() ? "" : ids[0], "contribution.",
                         nullptr);
  }
  if (absl::Status s = v.ToStatus(); !s.ok()) return done(s);
  if (absl::Status s = CheckServed(ids[0]); !s.ok()) return done(s);

  // What the steps below need once this request is gone.
  struct Pending {
    std::string prefecture, workshop, parent, request_id;
    Contribution c;
    WorkshopStore::ContributionCallback done;
  };
  auto pending = std::make_shared<Pending>(
      Pending{ids[0], ids[1], req.parent(), req.request_id(), Contribution(), std::move(done)});
  const Contribution& in = req.contribution();
  ApplyContribution(pending->c, in, ContributionUpdatable());
  // Stamped and stored once the organization's category is known.
  auto store = [this, pending] {
    Contribution& c = pending->c;
    const absl::Time now = clock_->Now();
    const std::string id = ids_->NewId();
    c.set_name(absl::StrCat(pending->parent, "/contributions/", id));
    *c.mutable_create_time() = ToProto(now);
    *c.mutable_update_time() = ToProto(now);
    c.set_etag(NewEtag(c.name(), now));
    store_->CreateContributionAsync(pending->prefecture, pending->workshop, id, c,
                                    pending->request_id, std::move(pending->done));
  };
  if (in.organization().empty()) return store();
  directory_->LookupOrganizationAsync(
      in.organization(), deadline,
      [pending, store,
       organization = in.organization()](absl::StatusOr<qpv::common::v1::ActorCategory> category) {
        if (category.status().code() == absl::StatusCode::kNotFound) {
          return pending->done(FieldError(absl::StatusCode::kNotFound, "contribution.organization",
                                          absl::StrCat(organization, " does not exist"),
                                          "ORGANIZATION_NOT_FOUND"));
        }
        if (!category.ok()) return pending->done(category.status());
        pending->c.set_organization_category(*category);
        store();
      });
}

absl::StatusOr<Contribution> WorkshopLogic::GetContribution(
    const wsv1::GetContributionRequest& req, absl::Time) {
  QPV_ASSIGN_OR_RETURN(auto ids, ParseResourceName("name", req.name(),
                                                   {"prefectures", "workshops", "contributions"}));
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));
  return store_->GetContribution(ids[0], ids[1], ids[2]);
}

void WorkshopLogic::ListContributionsAsync(const wsv1::ListContributionsRequest& req, absl::Time,
                                           std::function<void(absl::StatusOr<std::string>)> done) {
  Predicate<Contribution> filter;
  auto list = ParseChildList<Contribution>(req, &ContributionFilter, &filter,
                                           [this](absl::string_view p) { return CheckServed(p); });
  if (!list.ok()) return done(list.status());
  // The contributions stay in wire form; a filter needs them parsed.
  Predicate<std::string> match;
  if (absl::StripAsciiWhitespace(req.filter()).empty()) {
    match = [](const std::string&) { return true; };
  } else {
    match = [filter = std::move(filter)](const std::string& bytes) {
      Contribution c;
      return c.ParseFromString(bytes) && filter(c);
    };
  }
  std::make_shared<ContributionListing>(store_, *std::move(list), std::move(match), std::move(done))
      ->Continue();
}

absl::StatusOr<Contribution> WorkshopLogic::UpdateContribution(
    const wsv1::UpdateContributionRequest& req, absl::Time deadline) {
  FieldViolations v;
  std::vector<std::string> ids;
  if (!req.has_contribution()) {
    v.Add("contribution", "is required");
  } else {
    auto parsed = ParseResourceName("contribution.name", req.contribution().name(),
                                    {"prefectures", "workshops", "contributions"});
    if (parsed.ok()) ids = *parsed;
    v.Merge(parsed.status(), "contribution.name");
  }
  const std::set<std::string> paths =
      validation::UpdatePaths(v, req.update_mask(), ContributionUpdatable(), ContributionOutputOnly());
  if (req.has_contribution()) {
    ValidateContribution(v, req.contribution(), ids.empty() ? "" : ids[0], "contribution.",
                         &paths);
  }
  QPV_RETURN_IF_ERROR(v.ToStatus());
  QPV_RETURN_IF_ERROR(CheckServed(ids[0]));

  const std::string& client_etag = req.contribution().etag();
  for (int attempt = 0;; ++attempt) {
    QPV_ASSIGN_OR_RETURN(Contribution current, store_->GetContribution(ids[0], ids[1], ids[2]));
    if (!client_etag.empty() && client_etag != current.etag()) {
      return WithReason(
          absl::AbortedError("etag mismatch: the contribution changed, read it again"),
          "ETAG_MISMATCH");
    }
    Contribution next = current;
    ApplyContribution(next, req.contribution(), paths);
    if (next.organization() != current.organization()) {
      next.set_organization_category(qpv::common::v1::ACTOR_CATEGORY_UNSPECIFIED);
      if (!next.organization().empty()) {
        auto category = directory_->LookupOrganization(next.organization(), deadline);
        if (category.status().code() == absl::StatusCode::kNotFound) {
          return FieldError(absl::StatusCode::kNotFound, "contribution.organization",
                            absl::StrCat(next.organization(), " does not exist"),
                            "ORGANIZATION_NOT_FOUND");
        }
        if (!category.ok()) return category.status();
        next.set_organization_category(*category);
      }
    }
    const absl::Time now = clock_->Now();
    *next.mutable_update_time() = ToProto(now);
    next.set_etag(NewEtag(next.name(), now));
    auto result = store_->ReplaceContribution(ids[0], ids[1], ids[2], next, current.etag());
    if (result.status().code() == absl::StatusCode::kAborted && client_etag.empty() &&
        attempt + 1 < kMaxAttempts) {
      continue;
    }
    return result;
  }
}

void WorkshopLogic::VoteContributionAsync(const wsv1::VoteContributionRequest& req, absl::Time,
                                          WorkshopStore::ContributionCallback done) {
  FieldViolations v;
  std::vector<std::string> ids;
  auto name = ParseResourceName("name", req.name(), {"prefectures", "workshops", "contributions"});
  if (name.ok()) ids = *name;
  v.Merge(name.status(), "name");
  auto person = ParseResourceName("person", req.person(), {"prefectures", "persons"});
  v.Merge(person.status(), "person");
  if (person.ok() && !ids.empty() && (*person)[0] != ids[0]) {
    v.Add("person", absl::StrCat("must be a person of préfecture ", ids[0]));
  }
  if (absl::Status s = v.ToStatus(); !s.ok()) return done(s);
  if (absl::Status s = CheckServed(ids[0]); !s.ok()) return done(s);
  store_->VoteContributionAsync(ids[0], ids[1], ids[2], req.person(), std::move(done));
}

}  // namespace qpv::workshop
