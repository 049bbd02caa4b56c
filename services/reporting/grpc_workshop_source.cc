#include "services/reporting/grpc_workshop_source.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/status.h"
#include "common/util/await.h"
#include "grpcpp/client_context.h"
#include "services/reporting/call_deadline.h"

namespace qpv::reporting {
namespace {

namespace wsv1 = ::qpv::workshop::v1;
namespace shv1 = ::qpv::stakeholder::v1;

constexpr size_t kMaxCachedNames = 10000;
// A list that does not end within this many pages is a bug of the peer; stop
// rather than loop.
constexpr int kMaxPages = 10000;

// What a failed call to a peer means to reporting. `service`: "workshop" or
// "stakeholder"; `what`: the resource asked for, for messages.
absl::Status MapError(const grpc::Status& status, absl::string_view service,
                      absl::string_view what) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(what, " not found"));
    case grpc::StatusCode::INVALID_ARGUMENT:
      // Names are checked before any call: the peer refusing one means it
      // reads it differently; say so without its internals.
      return absl::InvalidArgumentError(
          absl::StrCat("the ", service, " service refused ", what, ": ", status.error_message()));
    case grpc::StatusCode::PERMISSION_DENIED:
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            "the ", service, " service does not serve the préfecture of ", what)),
                        "PEER_PREFECTURE_NOT_SERVED");
    default:
      log::Warn("peer_call_failed", {{"peer", std::string(service)},
                                     {"what", std::string(what)},
                                     {"code", static_cast<int>(status.error_code())},
                                     {"message", status.error_message()}});
      return WithReason(absl::UnavailableError(absl::StrCat(service, " service unavailable")),
                        absl::StrCat(absl::AsciiStrToUpper(service), "_SERVICE_UNAVAILABLE"));
  }
}

// Calls `page` until the last page, appending each page's items to `out`.
template <typename Req, typename Resp, typename Item, typename Call>
absl::Status ListAll(Req req, Call call,
                     const google::protobuf::RepeatedPtrField<Item>& (Resp::*items)() const,
                     absl::string_view what, std::vector<Item>* out) {
  req.set_page_size(GrpcWorkshopSource::kPageSize);
  for (int pages = 0;; ++pages) {
    if (pages == kMaxPages) {
      return absl::InternalError(absl::StrCat("listing ", what, " did not end"));
    }
    Resp resp;
    const grpc::Status status = call(req, &resp);
    if (!status.ok()) return MapError(status, "workshop", what);
    for (const Item& item : (resp.*items)()) out->push_back(item);
    if (resp.next_page_token().empty()) return absl::OkStatus();
    req.set_page_token(resp.next_page_token());
  }
}

}  // namespace

GrpcWorkshopSource::GrpcWorkshopSource(std::shared_ptr<grpc::Channel> workshop_channel,
                                       std::shared_ptr<grpc::Channel> stakeholder_channel,
                                       absl::Duration timeout, Clock* clock,
                                       absl::Duration name_ttl)
    : workshops_(wsv1::WorkshopService::NewStub(workshop_channel)),
      stakeholders_(shv1::StakeholderService::NewStub(stakeholder_channel)),
      timeout_(timeout),
      clock_(clock),
      name_ttl_(name_ttl) {}

void GrpcWorkshopSource::Prepare(grpc::ClientContext* ctx) const {
  // Real time: gRPC deadlines are wall-clock.
  ctx->set_deadline(absl::ToChronoTime(std::min(CurrentCallDeadline(), absl::Now() + timeout_)));
}

absl::StatusOr<wsv1::Workshop> GrpcWorkshopSource::GetWorkshop(absl::string_view name) {
  return util::Await<wsv1::Workshop>([&](WorkshopCallback done) {
    GetWorkshopAsync(name, CurrentCallDeadline(), std::move(done));
  });
}

void GrpcWorkshopSource::GetWorkshopAsync(absl::string_view name, absl::Time deadline,
                                          WorkshopCallback done) {
  // What the call needs until it completes; its callback owns it.
  struct Call {
    grpc::ClientContext ctx;
    wsv1::GetWorkshopRequest req;
    wsv1::Workshop w;
  };
  auto call = std::make_shared<Call>();
  call->ctx.set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + timeout_)));
  call->req.set_name(std::string(name));
  workshops_->async()->GetWorkshop(
      &call->ctx, &call->req, &call->w, [call, done = std::move(done)](grpc::Status status) {
        if (!status.ok()) {
          return done(MapError(status, "workshop", absl::StrCat("workshop ", call->req.name())));
        }
        done(std::move(call->w));
      });
}

absl::StatusOr<std::vector<wsv1::Workshop>> GrpcWorkshopSource::ListWorkshops(
    absl::string_view prefecture) {
  wsv1::ListWorkshopsRequest req;
  req.set_parent(absl::StrCat("prefectures/", prefecture));
  std::vector<wsv1::Workshop> out;
  QPV_RETURN_IF_ERROR(ListAll(
      req,
      [this](const wsv1::ListWorkshopsRequest& r, wsv1::ListWorkshopsResponse* resp) {
        grpc::ClientContext ctx;
        Prepare(&ctx);
        return workshops_->ListWorkshops(&ctx, r, resp);
      },
      &wsv1::ListWorkshopsResponse::workshops, absl::StrCat("workshops of ", req.parent()), &out));
  return out;
}

absl::StatusOr<std::vector<wsv1::Registration>> GrpcWorkshopSource::ListRegistrations(
    absl::string_view workshop) {
  wsv1::ListRegistrationsRequest req;
  req.set_parent(std::string(workshop));
  std::vector<wsv1::Registration> out;
  QPV_RETURN_IF_ERROR(ListAll(
      req,
      [this](const wsv1::ListRegistrationsRequest& r, wsv1::ListRegistrationsResponse* resp) {
        grpc::ClientContext ctx;
        Prepare(&ctx);
        return workshops_->ListRegistrations(&ctx, r, resp);
      },
      &wsv1::ListRegistrationsResponse::registrations, absl::StrCat("workshop ", workshop), &out));
  return out;
}

absl::StatusOr<std::vector<wsv1::Contribution>> GrpcWorkshopSource::ListContributions(
    absl::string_view workshop) {
  wsv1::ListContributionsRequest req;
  req.set_parent(std::string(workshop));
  std::vector<wsv1::Contribution> out;
  QPV_RETURN_IF_ERROR(ListAll(
      req,
      [this](const wsv1::ListContributionsRequest& r, wsv1::ListContributionsResponse* resp) {
        grpc::ClientContext ctx;
        Prepare(&ctx);
        return workshops_->ListContributions(&ctx, r, resp);
      },
      &wsv1::ListContributionsResponse::contributions, absl::StrCat("workshop ", workshop), &out));
  return out;
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> GrpcWorkshopSource::OrganizationNames(
    const std::vector<std::string>& organizations) {
  absl::flat_hash_map<std::string, std::string> out;
  std::set<std::string> wanted;
  for (const auto& o : organizations) {
    if (!o.empty()) wanted.insert(o);
  }
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mu_);
    for (auto it = wanted.begin(); it != wanted.end();) {
      auto cached = names_.find(*it);
      if (cached != names_.end() && cached->second.expires > now) {
        out[*it] = cached->second.display_name;
        it = wanted.erase(it);
      } else {
        ++it;
      }
    }
  }
  int lookups = 0;
  for (const std::string& name : wanted) {
    // Bounded: a report with more organizations than this shows the rest
    // without display names rather than taking a call per organization.
    if (lookups++ == kMaxOrganizationLookups) break;
    grpc::ClientContext ctx;
    Prepare(&ctx);
    shv1::GetOrganizationRequest req;
    req.set_name(name);
    shv1::Organization org;
    const grpc::Status status = stakeholders_->GetOrganization(&ctx, req, &org);
    if (!status.ok()) {
      const absl::Status mapped =
          MapError(status, "stakeholder", absl::StrCat("organization ", name));
      // Unknown or not ours: left out, as the interface says.
      if (mapped.code() == absl::StatusCode::kUnavailable) return mapped;
      continue;
    }
    out[name] = org.display_name();
    absl::MutexLock lock(&mu_);
    if (names_.size() >= kMaxCachedNames) names_.clear();
    names_[name] = {org.display_name(), now + name_ttl_};
  }
  return out;
}

}  // namespace qpv::reporting
