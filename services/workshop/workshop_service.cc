#include "services/workshop/workshop_service.h"

namespace qpv::workshop {

WorkshopServiceImpl::WorkshopServiceImpl(WorkshopLogic* logic)
    : UnaryService("qpv.workshop.v1.WorkshopService", "workshop") {
  Add("CreateWorkshop", logic, &WorkshopLogic::CreateWorkshop);
  Add("GetWorkshop", logic, &WorkshopLogic::GetWorkshop);
  Add("ListWorkshops", logic, &WorkshopLogic::ListWorkshops);
  Add("UpdateWorkshop", logic, &WorkshopLogic::UpdateWorkshop);
  Add("ScheduleWorkshop", logic, &WorkshopLogic::ScheduleWorkshop);
  Add("MarkWorkshopHeld", logic, &WorkshopLogic::MarkWorkshopHeld);
  Add("MarkWorkshopReported", logic, &WorkshopLogic::MarkWorkshopReported);
  Add("CancelWorkshop", logic, &WorkshopLogic::CancelWorkshop);
  Add("RegisterParticipant", logic, &WorkshopLogic::RegisterParticipant);
  Add("ListRegistrations", logic, &WorkshopLogic::ListRegistrations);
  Add("WithdrawRegistration", logic, &WorkshopLogic::WithdrawRegistration);
  Add("RecordAttendance", logic, &WorkshopLogic::RecordAttendance);
  // Writes of one script each: served on the callback API, no thread
  // sleeps while Redis runs the script.
  AddAsync("CreateContribution", logic, &WorkshopLogic::CreateContributionAsync);
  Add("GetContribution", logic, &WorkshopLogic::GetContribution);
  Add("ListContributions", logic, &WorkshopLogic::ListContributions);  // in wire form
  Add("UpdateContribution", logic, &WorkshopLogic::UpdateContribution);
  AddAsync("VoteContribution", logic, &WorkshopLogic::VoteContributionAsync);
}

}  // namespace qpv::workshop
