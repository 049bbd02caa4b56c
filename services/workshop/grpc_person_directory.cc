#include "services/workshop/grpc_person_directory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/util/await.h"
#include "grpcpp/client_context.h"

namespace qpv::workshop {
namespace {

constexpr size_t kMaxCached = 10000;

// What a failed stakeholder call means to the workshop service.
absl::Status MapError(const grpc::Status& status, absl::string_view what) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(what, " not found"));
    case grpc::StatusCode::INVALID_ARGUMENT:
      // The name was checked here first: the stakeholder service does not
      // know it either.
      return absl::NotFoundError(absl::StrCat(what, " not found"));
    case grpc::StatusCode::PERMISSION_DENIED:
      return absl::FailedPreconditionError(
          absl::StrCat("the stakeholder service does not serve this ", what, "'s préfecture"));
    default:
      log::Warn("stakeholder_call_failed",
                {{"what", std::string(what)},
                 {"code", static_cast<int>(status.error_code())},
                 {"message", status.error_message()}});
      return absl::UnavailableError("stakeholder service unavailable");
  }
}

}  // namespace

GrpcPersonDirectory::GrpcPersonDirectory(std::shared_ptr<grpc::Channel> channel,
                                         absl::Duration timeout, Clock* clock,
                                         absl::Duration cache_ttl)
    : stub_(qpv::stakeholder::v1::StakeholderService::NewStub(channel)),
      timeout_(timeout),
      clock_(clock),
      cache_ttl_(cache_ttl) {}

absl::Time GrpcPersonDirectory::CallDeadline(absl::Time incoming) {
  // Real time: gRPC deadlines are wall-clock.
  return std::min(incoming, absl::Now() + timeout_);
}

absl::StatusOr<PersonInfo> GrpcPersonDirectory::LookupPerson(absl::string_view name,
                                                             absl::Time deadline) {
  return util::Await<PersonInfo>(
      [&](PersonCallback done) { LookupPersonAsync(name, deadline, std::move(done)); });
}

void GrpcPersonDirectory::LookupPersonAsync(absl::string_view name, absl::Time deadline,
                                            PersonCallback done) {
  // What the call needs until it completes; its callback owns it. Persons
  // are never cached: consent can be withdrawn at any time.
  struct Call {
    grpc::ClientContext ctx;
    qpv::stakeholder::v1::GetPersonRequest req;
    qpv::stakeholder::v1::Person person;
  };
  auto call = std::make_shared<Call>();
  call->ctx.set_deadline(absl::ToChronoTime(CallDeadline(deadline)));
  call->req.set_name(std::string(name));
  stub_->async()->GetPerson(
      &call->ctx, &call->req, &call->person,
      [this, call, deadline, done = std::move(done)](grpc::Status status) {
        if (!status.ok()) return done(MapError(status, "person"));
        PersonInfo info;
        info.consent = call->person.has_consent_time() && !call->person.has_erase_time();
        info.organization = call->person.organization();
        if (info.organization.empty()) return done(std::move(info));
        const std::string organization = info.organization;
        LookupOrganizationAsync(
            organization, deadline,
            [info = std::move(info),
             done](absl::StatusOr<qpv::common::v1::ActorCategory> category) mutable {
              if (category.ok()) {
                info.organization_category = *category;
              } else if (category.status().code() != absl::StatusCode::kNotFound) {
                return done(category.status());
              }
              done(std::move(info));
            });
      });
}

absl::StatusOr<qpv::common::v1::ActorCategory> GrpcPersonDirectory::LookupOrganization(
    absl::string_view name, absl::Time deadline) {
  return util::Await<qpv::common::v1::ActorCategory>(
      [&](CategoryCallback done) { LookupOrganizationAsync(name, deadline, std::move(done)); });
}

void GrpcPersonDirectory::LookupOrganizationAsync(absl::string_view name, absl::Time deadline,
                                                  CategoryCallback done) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = categories_.find(std::string(name));
    if (it != categories_.end() && it->second.expires > now) return done(it->second.category);
  }
  // What the call needs until it completes; its callback owns it.
  struct Call {
    grpc::ClientContext ctx;
    qpv::stakeholder::v1::GetOrganizationRequest req;
    qpv::stakeholder::v1::Organization org;
  };
  auto call = std::make_shared<Call>();
  call->ctx.set_deadline(absl::ToChronoTime(CallDeadline(deadline)));
  call->req.set_name(std::string(name));
  stub_->async()->GetOrganization(
      &call->ctx, &call->req, &call->org,
      [this, call, now, done = std::move(done)](grpc::Status status) {
        if (!status.ok()) return done(MapError(status, "organization"));
        {
          absl::MutexLock lock(&mu_);
          if (categories_.size() >= kMaxCached) categories_.clear();
          categories_[call->req.name()] = {call->org.category(), now + cache_ttl_};
        }
        done(call->org.category());
      });
}

}  // namespace qpv::workshop
