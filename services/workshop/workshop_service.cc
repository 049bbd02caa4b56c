#include "services/workshop/workshop_service.h"

namespace qpv::workshop {

WorkshopServiceImpl::WorkshopServiceImpl(WorkshopLogic* logic)
    : UnaryService("qpv.workshop.v1.WorkshopService", "workshop") {
  // The hot paths, one Redis round trip or none each (GetWorkshop, the
  // writes of one script), are served on the callback API: no thread
  // sleeps while Redis answers, and a cached workshop is answered on the
  // thread that read the call. The others block on a thread of their own.
  Add("CreateWorkshop", logic, &WorkshopLogic::CreateWorkshop);
  AddAsync("GetWorkshop", logic, &WorkshopLogic::GetWorkshopAsync);
  Add("ListWorkshops", logic, &WorkshopLogic::ListWorkshops);
  Add("UpdateWorkshop", logic, &WorkshopLogic::UpdateWorkshop);
  Add("ScheduleWorkshop", logic, &WorkshopLogic::ScheduleWorkshop);
  Add("MarkWorkshopHeld", logic, &WorkshopLogic::MarkWorkshopHeld);
  Add("MarkWorkshopReported", logic, &WorkshopLogic::MarkWorkshopReported);
  Add("CancelWorkshop", logic, &WorkshopLogic::CancelWorkshop);
  AddAsync("RegisterParticipant", logic, &WorkshopLogic::RegisterParticipantAsync);
  Add("ListRegistrations", logic, &WorkshopLogic::ListRegistrations);
  Add("WithdrawRegistration", logic, &WorkshopLogic::WithdrawRegistration);
  Add("RecordAttendance", logic, &WorkshopLogic::RecordAttendance);
  AddAsync("CreateContribution", logic, &WorkshopLogic::CreateContributionAsync);
  Add("GetContribution", logic, &WorkshopLogic::GetContribution);
  AddAsync("ListContributions", logic, &WorkshopLogic::ListContributionsAsync);  // in wire form
  Add("UpdateContribution", logic, &WorkshopLogic::UpdateContribution);
  AddAsync("VoteContribution", logic, &WorkshopLogic::VoteContributionAsync);
}

}  // namespace qpv::workshop
