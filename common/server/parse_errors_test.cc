// Sends raw bytes holding invalid UTF-8 to a real server with our
// interceptor, as a client in another language could.
#include "common/server/parse_errors.h"

#include <memory>

#include "common/metrics/grpc_metrics.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "qpv/stakeholder/v1/stakeholder_service.grpc.pb.h"

namespace qpv::server {
namespace {

// CreateOrganizationRequest{organization: {display_name: "\xff"}} on the wire:
// field 2 (message) holding field 2 (string).
std::string BadOrganizationRequest() {
  const std::string inner = std::string("\x12\x01\xff", 3);
  return std::string("\x12") + static_cast<char>(inner.size()) + inner;
}

TEST(ParseErrors, FieldPathFromTheRequestRoot) {
  EXPECT_EQ(FieldPath("/qpv.stakeholder.v1.StakeholderService/CreateOrganization",
                      "qpv.stakeholder.v1.Organization.display_name"),
            "organization.display_name");
  EXPECT_EQ(FieldPath("/qpv.stakeholder.v1.StakeholderService/GetOrganization",
                      "qpv.stakeholder.v1.GetOrganizationRequest.name"),
            "name");
  EXPECT_EQ(FieldPath("/no.Such/Method", "a.B.c"), "c");
}

TEST(ParseErrors, InvalidUtf8BecomesInvalidArgumentNamingTheField) {
  InstallParseErrorCapture();
  auto registry = std::make_shared<prometheus::Registry>();
  metrics::CallMetrics call_metrics(registry);
  qpv::stakeholder::v1::StakeholderService::Service service;  // all UNIMPLEMENTED
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<metrics::InterceptorFactory>(&call_metrics));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  auto server = builder.BuildAndStart();
  ASSERT_NE(port, 0);

  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  const auto call = [&](const std::string& bytes) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::Status status;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    stub.UnaryCall(&ctx, "/qpv.stakeholder.v1.StakeholderService/CreateOrganization", {},
                   &request, &response, [&](grpc::Status s) {
                     std::lock_guard<std::mutex> lock(mu);
                     status = std::move(s);
                     done = true;
                     cv.notify_one();
                   });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    return status;
  };

  const grpc::Status bad = call(BadOrganizationRequest());
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(bad.error_details()));
  bool named = false;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest br;
    if (any.UnpackTo(&br)) {
      ASSERT_EQ(br.field_violations_size(), 1);
      EXPECT_EQ(br.field_violations(0).field(), "organization.display_name");
      named = true;
    }
  }
  EXPECT_TRUE(named);

  // A well-formed request still reaches the (unimplemented) handler.
  const grpc::Status fine = call(std::string("\x12\x03\x12\x01x", 5));
  EXPECT_EQ(fine.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  server->Shutdown();
}

}  // namespace
}  // namespace qpv::server
