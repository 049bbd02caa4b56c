// The gRPC edge of the stakeholder service: calls StakeholderLogic (which
// validates and does the work) and maps statuses with ToGrpcStatus.
#ifndef QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_SERVICE_H_
#define QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_SERVICE_H_

#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"
#include "services/stakeholder/stakeholder_logic.h"

namespace qpv::stakeholder {

class StakeholderServiceImpl final : public v1::StakeholderService::Service {
 public:
  // `logic` is not owned.
  explicit StakeholderServiceImpl(StakeholderLogic* logic) : logic_(logic) {}

  grpc::Status CreateOrganization(grpc::ServerContext* context,
                                  const v1::CreateOrganizationRequest* request,
                                  Organization* response) override;
  grpc::Status GetOrganization(grpc::ServerContext* context,
                               const v1::GetOrganizationRequest* request,
                               Organization* response) override;
  grpc::Status ListOrganizations(grpc::ServerContext* context,
                                 const v1::ListOrganizationsRequest* request,
                                 v1::ListOrganizationsResponse* response) override;
  grpc::Status UpdateOrganization(grpc::ServerContext* context,
                                  const v1::UpdateOrganizationRequest* request,
                                  Organization* response) override;
  grpc::Status DeleteOrganization(grpc::ServerContext* context,
                                  const v1::DeleteOrganizationRequest* request,
                                  google::protobuf::Empty* response) override;
  grpc::Status CreatePerson(grpc::ServerContext* context, const v1::CreatePersonRequest* request,
                            Person* response) override;
  grpc::Status GetPerson(grpc::ServerContext* context, const v1::GetPersonRequest* request,
                         Person* response) override;
  grpc::Status ListPersons(grpc::ServerContext* context, const v1::ListPersonsRequest* request,
                           v1::ListPersonsResponse* response) override;
  grpc::Status UpdatePerson(grpc::ServerContext* context, const v1::UpdatePersonRequest* request,
                            Person* response) override;
  grpc::Status DeletePerson(grpc::ServerContext* context, const v1::DeletePersonRequest* request,
                            google::protobuf::Empty* response) override;
  grpc::Status ExportPersonData(grpc::ServerContext* context,
                                const v1::ExportPersonDataRequest* request,
                                v1::PersonDataExport* response) override;
  grpc::Status ErasePerson(grpc::ServerContext* context, const v1::ErasePersonRequest* request,
                           Person* response) override;

 private:
  StakeholderLogic* const logic_;
};

}  // namespace qpv::stakeholder

#endif  // QPV_SERVICES_STAKEHOLDER_STAKEHOLDER_SERVICE_H_
