// The national dashboard and the national lists as people read them in a
// terminal: totals first, then bar charts and tables; cells the small-count
// rule hides read "<5" (the threshold), never 0.
#ifndef QPV_TOOLS_QPVCTL_DASHBOARD_VIEW_H_
#define QPV_TOOLS_QPVCTL_DASHBOARD_VIEW_H_

#include <cstdint>
#include <string>

#include "google/protobuf/repeated_field.h"
#include "qpv/national/v1/national.pb.h"
#include "qpv/national/v1/national_service.pb.h"
#include "tools/qpvctl/report_view.h"

namespace qpv::ctl {

// "<5" for a threshold of 5; "<seuil" when the threshold is unknown (0).
std::string SuppressedText(int64_t threshold);

// `request` is the one the dashboard answers: its filters are recalled at
// the top.
std::string RenderDashboard(const qpv::national::v1::NationalDashboard& dashboard,
                            const qpv::national::v1::GetNationalDashboardRequest& request,
                            const ViewOptions& options);

// One block per group: title, where it emerged, votes, themes, text, QPV
// and the contributions grouped. `first_number` numbers the blocks.
std::string RenderGoodPracticeBlocks(
    const google::protobuf::RepeatedPtrField<qpv::national::v1::GoodPracticeGroup>& groups,
    int first_number = 1);

}  // namespace qpv::ctl

#endif  // QPV_TOOLS_QPVCTL_DASHBOARD_VIEW_H_
