#include "services/stakeholder/stakeholder_service.h"

namespace qpv::stakeholder {

StakeholderServiceImpl::StakeholderServiceImpl(StakeholderLogic* logic)
    : UnaryService("qpv.stakeholder.v1.StakeholderService", "stakeholder") {
  Add("CreateOrganization", logic, &StakeholderLogic::CreateOrganization);
  Add("GetOrganization", logic, &StakeholderLogic::GetOrganization);
  Add("ListOrganizations", logic, &StakeholderLogic::ListOrganizations);
  Add("UpdateOrganization", logic, &StakeholderLogic::UpdateOrganization);
  Add("DeleteOrganization", logic, &StakeholderLogic::DeleteOrganization);
  Add("CreatePerson", logic, &StakeholderLogic::CreatePerson);
  AddAsync("GetPerson", logic, &StakeholderLogic::GetPersonAsync);
  Add("ListPersons", logic, &StakeholderLogic::ListPersons);
  Add("UpdatePerson", logic, &StakeholderLogic::UpdatePerson);
  Add("DeletePerson", logic, &StakeholderLogic::DeletePerson);
  Add("ExportPersonData", logic, &StakeholderLogic::ExportPersonData);
  Add("ErasePerson", logic, &StakeholderLogic::ErasePerson);
}

}  // namespace qpv::stakeholder
