#include "services/stakeholder/stakeholder_service.h"

#include <utility>

#include "common/logging/log.h"
#include "common/status/grpc_status.h"

namespace qpv::stakeholder {
namespace {

constexpr char kService[] = "stakeholder";

grpc::Status Fail(absl::string_view method, const absl::Status& status) {
  // Store or internal failures are logged here (never personal data: the
  // messages below this edge name resources, not people).
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnknown ||
      status.code() == absl::StatusCode::kDataLoss) {
    log::Error("stakeholder_call_failed",
               {{"method", method}, {"error", std::string(status.message())}});
  }
  return ToGrpcStatus(status, kService);
}

template <typename T>
grpc::Status Reply(absl::string_view method, absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return Fail(method, result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status ReplyEmpty(absl::string_view method, const absl::Status& status) {
  if (!status.ok()) return Fail(method, status);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status StakeholderServiceImpl::CreateOrganization(grpc::ServerContext*,
                                                        const v1::CreateOrganizationRequest* request,
                                                        Organization* response) {
  return Reply("CreateOrganization", logic_->CreateOrganization(*request), response);
}

grpc::Status StakeholderServiceImpl::GetOrganization(grpc::ServerContext*,
                                                     const v1::GetOrganizationRequest* request,
                                                     Organization* response) {
  return Reply("GetOrganization", logic_->GetOrganization(*request), response);
}

grpc::Status StakeholderServiceImpl::ListOrganizations(grpc::ServerContext*,
                                                       const v1::ListOrganizationsRequest* request,
                                                       v1::ListOrganizationsResponse* response) {
  return Reply("ListOrganizations", logic_->ListOrganizations(*request), response);
}

grpc::Status StakeholderServiceImpl::UpdateOrganization(grpc::ServerContext*,
                                                        const v1::UpdateOrganizationRequest* request,
                                                        Organization* response) {
  return Reply("UpdateOrganization", logic_->UpdateOrganization(*request), response);
}

grpc::Status StakeholderServiceImpl::DeleteOrganization(grpc::ServerContext*,
                                                        const v1::DeleteOrganizationRequest* request,
                                                        google::protobuf::Empty*) {
  return ReplyEmpty("DeleteOrganization", logic_->DeleteOrganization(*request));
}

grpc::Status StakeholderServiceImpl::CreatePerson(grpc::ServerContext*,
                                                  const v1::CreatePersonRequest* request,
                                                  Person* response) {
  return Reply("CreatePerson", logic_->CreatePerson(*request), response);
}

grpc::Status StakeholderServiceImpl::GetPerson(grpc::ServerContext*,
                                               const v1::GetPersonRequest* request,
                                               Person* response) {
  return Reply("GetPerson", logic_->GetPerson(*request), response);
}

grpc::Status StakeholderServiceImpl::ListPersons(grpc::ServerContext*,
                                                 const v1::ListPersonsRequest* request,
                                                 v1::ListPersonsResponse* response) {
  return Reply("ListPersons", logic_->ListPersons(*request), response);
}

grpc::Status StakeholderServiceImpl::UpdatePerson(grpc::ServerContext*,
                                                  const v1::UpdatePersonRequest* request,
                                                  Person* response) {
  return Reply("UpdatePerson", logic_->UpdatePerson(*request), response);
}

grpc::Status StakeholderServiceImpl::DeletePerson(grpc::ServerContext*,
                                                  const v1::DeletePersonRequest* request,
                                                  google::protobuf::Empty*) {
  return ReplyEmpty("DeletePerson", logic_->DeletePerson(*request));
}

grpc::Status StakeholderServiceImpl::ExportPersonData(grpc::ServerContext*,
                                                      const v1::ExportPersonDataRequest* request,
                                                      v1::PersonDataExport* response) {
  return Reply("ExportPersonData", logic_->ExportPersonData(*request), response);
}

grpc::Status StakeholderServiceImpl::ErasePerson(grpc::ServerContext*,
                                                 const v1::ErasePersonRequest* request,
                                                 Person* response) {
  const grpc::Status status = Reply("ErasePerson", logic_->ErasePerson(*request), response);
  if (status.ok()) log::Info("person_erased", {{"person", request->name()}});
  return status;
}

}  // namespace qpv::stakeholder
