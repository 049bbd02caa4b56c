// qpvctl against in-process fakes of ReportingService and
// NationalAggregationService (on a loopback port the OS picks): what the
// commands send, what they print, the export file, the watch stream.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/qpvctl/cli.h"

namespace qpv::ctl {
namespace {

namespace nv1 = qpv::national::v1;
namespace rv1 = qpv::reporting::v1;
using ::testing::HasSubstr;
using ::testing::Not;

class FakeReporting final : public rv1::ReportingService::Service {
 public:
  grpc::Status GetWorkshopReport(grpc::ServerContext*, const rv1::GetWorkshopReportRequest* req,
                                 rv1::WorkshopReport* resp) override {
    if (req->workshop() != "prefectures/59/workshops/w1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "workshop not found");
    }
    resp->set_workshop(req->workshop());
    resp->set_title("Atelier emploi");
    resp->set_attended_count(37);
    return grpc::Status::OK;
  }
  grpc::Status GetPrefectureReport(grpc::ServerContext*,
                                   const rv1::GetPrefectureReportRequest* req,
                                   rv1::PrefectureReport* resp) override {
    resp->set_prefecture(req->prefecture());
    resp->set_workshop_count(3);
    return grpc::Status::OK;
  }
  grpc::Status ExportReport(grpc::ServerContext*, const rv1::ExportReportRequest* req,
                            rv1::ExportReportResponse* resp) override {
    std::lock_guard<std::mutex> l(mu);
    last_export = *req;
    resp->set_content_type("text/csv; charset=utf-8");
    resp->set_filename("../rapport-59.csv");
    resp->set_content("\xEF\xBB\xBF" "atelier;présents\r\nemploi;37\r\n");
    resp->set_stale(true);
    return grpc::Status::OK;
  }
  grpc::Status GetFeedStatus(grpc::ServerContext*, const rv1::GetFeedStatusRequest* req,
                             rv1::FeedStatus* resp) override {
    resp->set_prefecture(req->prefecture());
    resp->set_built_version(4);
    resp->set_acknowledged_version(4);
    return grpc::Status::OK;
  }

  std::mutex mu;
  rv1::ExportReportRequest last_export;
};

class FakeNational final : public nv1::NationalAggregationService::Service {
 public:
  grpc::Status SubmitPrefectureSnapshot(grpc::ServerContext*,
                                        const nv1::SubmitPrefectureSnapshotRequest* req,
                                        nv1::SubmitPrefectureSnapshotResponse* resp) override {
    std::lock_guard<std::mutex> l(mu);
    resp->set_prefecture(req->snapshot().prefecture());
    resp->set_applied(req->snapshot().version() > version);
    if (resp->applied()) version = req->snapshot().version();
    resp->set_current_version(version);
    return grpc::Status::OK;
  }
  grpc::Status GetNationalDashboard(grpc::ServerContext*,
                                    const nv1::GetNationalDashboardRequest* req,
                                    nv1::NationalDashboard* resp) override {
    std::lock_guard<std::mutex> l(mu);
    last_dashboard = *req;
    resp->set_workshop_count(5);
    resp->set_reporting_prefecture_count(2);
    resp->set_revision(9);
    return grpc::Status::OK;
  }
  grpc::Status ListPrefectureStatus(grpc::ServerContext*,
                                    const nv1::ListPrefectureStatusRequest* req,
                                    nv1::ListPrefectureStatusResponse* resp) override {
    // Two pages of one status each.
    auto* s = resp->add_statuses();
    s->set_prefecture(req->page_token().empty() ? "13" : "59");
    s->set_region(req->page_token().empty() ? "93" : "32");
    s->set_workshops_held(2);
    s->set_workshops_reported(1);
    s->set_missing_reports(1);
    if (req->page_token().empty()) resp->set_next_page_token("p2");
    return grpc::Status::OK;
  }
  grpc::Status ListGoodPractices(grpc::ServerContext*, const nv1::ListGoodPracticesRequest* req,
                                 nv1::ListGoodPracticesResponse* resp) override {
    {
      std::lock_guard<std::mutex> l(mu);
      last_good_practices = *req;
    }
    auto* g = resp->add_groups();
    g->set_title("Job dating en pied d'immeuble");
    g->set_prefecture_count(2);
    g->add_prefectures("59");
    g->add_prefectures("69");
    g->add_sources("prefectures/59/workshops/w1/contributions/c1");
    g->add_sources("prefectures/69/workshops/w2/contributions/c3");
    g->set_vote_count(30);
    return grpc::Status::OK;
  }
  // `watch_updates` dashboards, or until cancelled when it is 0.
  grpc::Status WatchNationalDashboard(grpc::ServerContext* ctx,
                                      const nv1::GetNationalDashboardRequest* req,
                                      grpc::ServerWriter<nv1::NationalDashboard>* writer) override {
    for (int i = 1; watch_updates == 0 || i <= watch_updates; ++i) {
      if (ctx->IsCancelled()) return grpc::Status::CANCELLED;
      nv1::NationalDashboard d;
      d.set_revision(i);
      d.set_workshop_count(i);
      d.set_reporting_prefecture_count(1);
      if (!writer->Write(d)) return grpc::Status::OK;
      if (watch_updates == 0) usleep(20000);
      if (i > 500) break;  // a client that never cancels must not hang the test
    }
    return grpc::Status::OK;
  }

  std::mutex mu;
  int64_t version = 0;
  int watch_updates = 3;
  nv1::GetNationalDashboardRequest last_dashboard;
  nv1::ListGoodPracticesRequest last_good_practices;
};

class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&reporting_);
    b.RegisterService(&national_);
    server_ = b.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    addr_ = absl::StrCat("127.0.0.1:", port);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  int Run(std::vector<std::string> argv) {
    argv.insert(argv.end(), {"--reporting-addr", addr_, "--national-addr", addr_});
    std::ostringstream o, e;
    const int rc = RunMain(argv, o, e);
    out_ = o.str();
    err_ = e.str();
    return rc;
  }

  std::string TempPath(const std::string& name) {
    return absl::StrCat(::testing::TempDir(), "qpvctl_rpc_test_", getpid(), "_", name);
  }

  FakeReporting reporting_;
  FakeNational national_;
  std::unique_ptr<grpc::Server> server_;
  std::string addr_;
  std::string out_, err_;
};

TEST_F(RpcTest, ReportsReadableAndJson) {
  ASSERT_EQ(Run({"report", "workshop", "prefectures/59/workshops/w1"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("Atelier emploi\n═"));
  EXPECT_THAT(out_, HasSubstr("Chiffres clés"));
  ASSERT_EQ(Run({"report", "workshop", "prefectures/59/workshops/w1", "--json"}), 0);
  EXPECT_THAT(out_, HasSubstr("\"attendedCount\":\"37\""));
  EXPECT_EQ(Run({"report", "workshop", "prefectures/59/workshops/nope"}), 1);
  EXPECT_EQ(err_, "qpvctl: NOT_FOUND: workshop not found\n");
  ASSERT_EQ(Run({"report", "prefecture", "prefectures/59"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("Préfecture 59 — Nord"));
  ASSERT_EQ(Run({"feed", "status", "2a", "--json"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("\"prefecture\":\"2A\""));
}

TEST_F(RpcTest, ExportWritesTheFile) {
  const std::string path = TempPath("rapport.csv");
  ASSERT_EQ(Run({"report", "export", "--prefecture", "59", "-o", path}), 0) << err_;
  {
    std::lock_guard<std::mutex> l(reporting_.mu);
    EXPECT_EQ(reporting_.last_export.prefecture(), "59");
    EXPECT_EQ(reporting_.last_export.format(), rv1::ExportReportRequest::FORMAT_CSV);
  }
  std::ifstream f(path, std::ios::binary);
  std::stringstream content;
  content << f.rdbuf();
  EXPECT_EQ(content.str(), "\xEF\xBB\xBF" "atelier;présents\r\nemploi;37\r\n");
  EXPECT_THAT(err_, HasSubstr("warning: the report is stale"));
  EXPECT_THAT(err_, HasSubstr(absl::StrCat("wrote ", path, " (")));
  std::remove(path.c_str());

  // To stdout, the bytes as they are.
  ASSERT_EQ(Run({"report", "export", "--workshop", "prefectures/59/workshops/w1", "--format",
                 "json", "-o", "-"}),
            0);
  EXPECT_EQ(out_, "\xEF\xBB\xBF" "atelier;présents\r\nemploi;37\r\n");
  {
    std::lock_guard<std::mutex> l(reporting_.mu);
    EXPECT_EQ(reporting_.last_export.workshop(), "prefectures/59/workshops/w1");
    EXPECT_EQ(reporting_.last_export.format(), rv1::ExportReportRequest::FORMAT_JSON);
  }

  // Not a regular file: written to, not replaced.
  ASSERT_EQ(Run({"report", "export", "--prefecture", "59", "--format", "csv", "-o", "/dev/null"}),
            0)
      << err_;
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));

  // A directory that does not exist: a clear error, no temporary file left.
  EXPECT_EQ(Run({"report", "export", "--prefecture", "59", "--format", "csv", "-o",
                 "/nonexistent-dir/r.csv"}),
            1);
  EXPECT_THAT(err_, HasSubstr("cannot write /nonexistent-dir/r.csv"));
}

TEST_F(RpcTest, DashboardSendsTheFilters) {
  ASSERT_EQ(Run({"national", "dashboard", "--theme", "housing", "--region",
                 "auvergne-rhone-alpes", "--to", "2018-03-01T00:00:00Z"}),
            0)
      << err_;
  {
    std::lock_guard<std::mutex> l(national_.mu);
    EXPECT_EQ(national_.last_dashboard.theme(), qpv::common::v1::THEME_HOUSING_URBAN_RENEWAL);
    EXPECT_EQ(national_.last_dashboard.region(), "84");
    EXPECT_EQ(national_.last_dashboard.end_time().seconds(), 1519862400);
  }
  EXPECT_THAT(out_, HasSubstr("Filtres : thème Habitat et renouvellement urbain · région 84 "
                              "Auvergne-Rhône-Alpes"));
}

TEST_F(RpcTest, WatchStopsAfterCount) {
  national_.watch_updates = 0;  // endless
  ASSERT_EQ(Run({"national", "watch", "--count", "2"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("Mise à jour n° 1 reçue à "));
  EXPECT_THAT(out_, HasSubstr("Mise à jour n° 2 reçue à "));
  EXPECT_THAT(out_, Not(HasSubstr("Mise à jour n° 3")));
  EXPECT_THAT(out_, Not(HasSubstr("Ctrl-C")));
  EXPECT_EQ(err_, "");
}

TEST_F(RpcTest, WatchUntilTheServerEnds) {
  national_.watch_updates = 3;
  ASSERT_EQ(Run({"national", "watch", "--json"}), 0) << err_;
  EXPECT_EQ(out_,
            "{\"workshopCount\":\"1\",\"reportingPrefectureCount\":1,\"revision\":\"1\"}\n"
            "{\"workshopCount\":\"2\",\"reportingPrefectureCount\":1,\"revision\":\"2\"}\n"
            "{\"workshopCount\":\"3\",\"reportingPrefectureCount\":1,\"revision\":\"3\"}\n");
  EXPECT_EQ(err_, "qpvctl: the server ended the watch\n");
}

TEST_F(RpcTest, StatusFollowsPagesWithAll) {
  ASSERT_EQ(Run({"national", "status", "--all"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("PRÉF.  NOM  RÉGION"));
  EXPECT_THAT(out_, HasSubstr("13          93 Provence-Alpes-Côte d'Azur"));
  EXPECT_THAT(out_, HasSubstr("59          32 Hauts-de-France"));
  EXPECT_THAT(out_, HasSubstr("  -  jamais  "));  // never received
  EXPECT_THAT(out_, HasSubstr("1 ⚠\n"));
  ASSERT_EQ(Run({"national", "status"}), 0) << err_;
  EXPECT_THAT(err_, HasSubstr("more préfecture status: add --page-token p2"));
}

TEST_F(RpcTest, GoodPracticesTableAndLong) {
  ASSERT_EQ(Run({"national", "good-practices", "--min-prefectures", "2", "--theme", "employment"}),
            0)
      << err_;
  {
    std::lock_guard<std::mutex> l(national_.mu);
    EXPECT_EQ(national_.last_good_practices.min_prefecture_count(), 2);
  }
  EXPECT_THAT(out_, HasSubstr("PRÉF.  OÙ      VOTES  ACTIONS  TITRE                          THÈMES\n"));
  EXPECT_THAT(out_, HasSubstr("    2  59, 69     30        2  Job dating en pied d'immeuble\n"));
  ASSERT_EQ(Run({"national", "good-practices", "--long"}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("1. Job dating en pied d'immeuble\n"));
  EXPECT_THAT(out_, HasSubstr("prefectures/69/workshops/w2/contributions/c3\n"));
}

TEST_F(RpcTest, SubmitSnapshotFromAFile) {
  const std::string path = TempPath("snapshot.json");
  {
    std::ofstream f(path);
    f << R"({"prefecture":"59","version":"7"})";
  }
  ASSERT_EQ(Run({"national", "submit", "--file", path}), 0) << err_;
  EXPECT_EQ(out_, "applied: préfecture 59 is now at version 7\n");
  ASSERT_EQ(Run({"national", "submit", "--file", path}), 0) << err_;
  EXPECT_EQ(out_, "ignored: préfecture 59 is already at version 7 (version 7 is not newer)\n");
  ASSERT_EQ(Run({"national", "submit", "--file", path, "--json"}), 0) << err_;
  EXPECT_EQ(out_, "{\"prefecture\":\"59\",\"currentVersion\":\"7\"}\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace qpv::ctl
