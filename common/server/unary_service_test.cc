// UnaryService over a real gRPC server: the callback methods (AddAsync)
// beside the blocking ones.
#include "common/server/unary_service.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/wrappers.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace qpv::server {
namespace {

using google::protobuf::BytesValue;
using google::protobuf::StringValue;

// "Later" replies from a thread of its own once its handler has returned:
// "<value>!", or the error its value names. "Now" is an ordinary method.
class TestService : public UnaryService {
 public:
  TestService() : UnaryService("qpv.test.TestService", "test") {
    AddAsync<StringValue, StringValue>(
        "Later", [this](const StringValue& req, absl::Time, Reply<StringValue> reply) {
          const std::string value = req.value();  // the request ends with the handler
          absl::MutexLock lock(&mu_);
          repliers_.emplace_back([value, reply = std::move(reply)] {
            absl::SleepFor(absl::Milliseconds(2));
            if (value == "missing") return reply(absl::NotFoundError("no such thing"));
            if (value == "broken") return reply(absl::InternalError("secret detail"));
            StringValue out;
            out.set_value(value + "!");
            reply(std::move(out));
          });
        });
    Add<StringValue, StringValue>("Now", [](const StringValue& req, absl::Time) {
      StringValue out;
      out.set_value(req.value() + "?");
      return absl::StatusOr<StringValue>(std::move(out));
    });
  }
  ~TestService() override {
    absl::MutexLock lock(&mu_);
    for (auto& t : repliers_) t.join();
  }

 private:
  absl::Mutex mu_;
  std::vector<std::thread> repliers_ ABSL_GUARDED_BY(mu_);
};

class UnaryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }
  void TearDown() override { server_->Shutdown(); }

  template <typename Req>
  grpc::Status Call(const char* method, const Req& req, StringValue* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return grpc::internal::BlockingUnaryCall(
        channel_.get(), grpc::internal::RpcMethod(method, grpc::internal::RpcMethod::NORMAL_RPC),
        &ctx, req, out);
  }
  static StringValue Value(const std::string& v) {
    StringValue s;
    s.set_value(v);
    return s;
  }

  TestService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(UnaryServiceTest, AnAsyncMethodRepliesOnceItsWorkIsDone) {
  StringValue out;
  grpc::Status s = Call("/qpv.test.TestService/Later", Value("bonjour"), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.value(), "bonjour!");
  // The blocking method of the same service still works beside it.
  s = Call("/qpv.test.TestService/Now", Value("bonjour"), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.value(), "bonjour?");
}

TEST_F(UnaryServiceTest, AnAsyncMethodsErrorsAreMappedAsTheBlockingOnes) {
  StringValue out;
  grpc::Status s = Call("/qpv.test.TestService/Later", Value("missing"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("no such thing"), std::string::npos);
  s = Call("/qpv.test.TestService/Later", Value("broken"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(s.error_message().find("secret"), std::string::npos) << s.error_message();
  // A string field that is not UTF-8 (sent as bytes, the same field
  // number) is refused before the handler runs.
  BytesValue bad;
  bad.set_value(std::string("\xff\xfe", 2));
  s = Call("/qpv.test.TestService/Later", bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("value"), std::string::npos) << s.error_message();
}

TEST_F(UnaryServiceTest, ManyAsyncCallsInFlightEachGetTheirOwnReply) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string v = std::to_string(t) + "-" + std::to_string(i);
        StringValue out;
        const grpc::Status s = Call("/qpv.test.TestService/Later", Value(v), &out);
        if (!s.ok() || out.value() != v + "!") ++wrong;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace qpv::server
