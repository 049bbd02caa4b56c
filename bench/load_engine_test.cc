#include "bench/load_engine.h"

#include <memory>

#include "bench/echo_service.h"
#include "bench/fixtures.h"
#include "bench/scenario_registry.h"
#include "common/logging/log.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace qpv::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A second service, so a test can tell which server a call reached.
class OtherService : public server::UnaryService {
 public:
  OtherService() : UnaryService("qpv.bench.test.Other", "bench") {
    Add<v1::EchoRequest, v1::EchoResponse>(
        "Ping", [](const v1::EchoRequest&, absl::Time) { return v1::EchoResponse(); });
  }
};

class InProcessServer {
 public:
  explicit InProcessServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service);
    server_ = builder.BuildAndStart();
  }
  ~InProcessServer() { server_->Shutdown(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// Echo calls, each slot preceded by an unmeasured call to the aux service
// when `prep` is set, or calls to a method nobody serves.
class TestScenario : public Scenario {
 public:
  enum Mode { kEcho, kEchoWithPrep, kUnknownMethod };
  explicit TestScenario(Mode mode) : mode_(mode) {}
  std::vector<std::string> labels() const override { return {"test"}; }
  absl::Status Setup(Fixtures&, int slots, int64_t) override {
    prepared_.assign(slots, 0);
    return absl::OkStatus();
  }
  Call Next(int slot) override {
    if (mode_ == kUnknownMethod) return {"/qpv.bench.v1.EchoService/Nope", ""};
    if (mode_ == kEchoWithPrep && !prepared_[slot]) {
      prepared_[slot] = 1;
      Call c{"/qpv.bench.test.Other/Ping", "", /*measured=*/false};
      c.aux = true;
      return c;
    }
    prepared_[slot] = 0;
    v1::EchoRequest req;
    req.set_payload("x");
    return {"/qpv.bench.v1.EchoService/Echo", req.SerializeAsString()};
  }

 private:
  Mode mode_;
  std::vector<char> prepared_;
};

class LoadEngineTest : public ::testing::Test {
 protected:
  void SetUp() override { log::SetQuiet(true); }
  static EngineOptions Options(int concurrency, int64_t max_calls) {
    EngineOptions o;
    o.concurrency = concurrency;
    o.warmup = absl::ZeroDuration();
    o.duration = absl::Seconds(60);  // ended by max_calls long before
    o.max_calls = max_calls;
    return o;
  }
  Fixtures fixtures_{Addresses(), "test"};  // unused by TestScenario
  EchoServiceImpl echo_{nullptr};
  OtherService other_;
  InProcessServer echo_server_{&echo_};
  InProcessServer other_server_{&other_};
};

TEST_F(LoadEngineTest, MeasuresExactlyMaxCallsWithoutErrors) {
  TestScenario scenario(TestScenario::kEcho);
  ASSERT_TRUE(scenario.Setup(fixtures_, 8, 0).ok());
  bool started = false, ended = false;
  EngineResult r = RunLoad(
      scenario, MakeChannels(echo_server_.address(), 2), {}, Options(8, 300),
      [&] { started = true; }, [&] { ended = true; });
  EXPECT_EQ(r.calls, 300);
  EXPECT_EQ(r.latency_us.count(), 300);
  EXPECT_EQ(r.error_count(), 0);
  EXPECT_GT(r.seconds, 0);
  EXPECT_GT(r.qps(), 0);
  EXPECT_TRUE(started);
  EXPECT_TRUE(ended);
  ASSERT_EQ(r.labels.size(), 1u);
  EXPECT_EQ(r.labels[0].calls, 300);
}

TEST_F(LoadEngineTest, CountsErrorsByCode) {
  TestScenario scenario(TestScenario::kUnknownMethod);
  ASSERT_TRUE(scenario.Setup(fixtures_, 4, 0).ok());
  EngineResult r = RunLoad(scenario, MakeChannels(echo_server_.address(), 1), {}, Options(4, 50));
  EXPECT_EQ(r.calls, 50);
  EXPECT_EQ(r.error_count(), 50);
  EXPECT_EQ(r.errors.at("UNIMPLEMENTED"), 50);
  EXPECT_EQ(r.first_error.count("UNIMPLEMENTED"), 1u);
}

TEST_F(LoadEngineTest, PreparationCallsGoToTheAuxServiceUnmeasured) {
  TestScenario scenario(TestScenario::kEchoWithPrep);
  ASSERT_TRUE(scenario.Setup(fixtures_, 1, 0).ok());
  // One slot: prep, measured, prep, measured... so the window holds exactly
  // one preparation per measured call. Each call succeeds only on the
  // server it was meant for.
  EngineResult r = RunLoad(scenario, MakeChannels(echo_server_.address(), 1),
                           MakeChannels(other_server_.address(), 1), Options(1, 40));
  EXPECT_EQ(r.calls, 40);
  EXPECT_EQ(r.prep_calls, 40);
  EXPECT_EQ(r.error_count(), 0) << (r.first_error.empty() ? "" : r.first_error.begin()->second);
}

TEST(ScenarioRegistryTest, MixesOfOneServiceOnly) {
  ScenarioOptions o;
  auto mix = MakeScenario("GetWorkshop=4,CreateContribution=1", o);
  ASSERT_TRUE(mix.ok()) << mix.status();
  EXPECT_EQ(mix->service, "workshop");
  EXPECT_THAT(mix->scenario->labels(), ElementsAre("GetWorkshop", "CreateContribution"));

  auto single = MakeScenario("GetWorkshopReportUncached", o);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->service, "reporting");
  EXPECT_EQ(single->scenario->AuxService(), "workshop");

  EXPECT_THAT(std::string(MakeScenario("GetWorkshop,echo", o).status().message()),
              HasSubstr("drives echo, not workshop"));
  EXPECT_THAT(std::string(MakeScenario("GetWorkshop=0", o).status().message()),
              HasSubstr("positive integer"));
  EXPECT_THAT(std::string(MakeScenario("Nope", o).status().message()),
              HasSubstr("unknown scenario 'Nope'"));
}

}  // namespace
}  // namespace qpv::bench
