#include "bench/load_engine.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace qpv::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

// What one polling thread saw; merged at the end (no sharing while running).
struct Stats {
  explicit Stats(int labels) : per_label(labels), per_label_calls(labels, 0) {}
  Histogram all;
  std::vector<Histogram> per_label;
  std::vector<int64_t> per_label_calls;
  int64_t calls = 0;
  int64_t prep = 0;
  int64_t warmup_errors = 0;
  std::map<std::string, int64_t> errors;
  std::map<std::string, std::string> first_error;
};

struct Slot {
  int index = 0;
  grpc::GenericStub* stub = nullptr;
  grpc::GenericStub* aux_stub = nullptr;
  grpc::CompletionQueue* cq = nullptr;
  Stats* stats = nullptr;
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  Call call;
  int64_t start_ns = 0;
};

class Engine {
 public:
  Engine(Scenario& scenario, const std::vector<std::shared_ptr<grpc::Channel>>& channels,
         const std::vector<std::shared_ptr<grpc::Channel>>& aux_channels,
         const EngineOptions& options)
      : scenario_(scenario), options_(options), labels_(scenario.labels().size()) {
    for (const auto& ch : channels) stubs_.push_back(std::make_unique<grpc::GenericStub>(ch));
    for (const auto& ch : aux_channels) {
      aux_stubs_.push_back(std::make_unique<grpc::GenericStub>(ch));
    }
    const int threads = std::max(1, options.threads);
    for (int i = 0; i < threads; ++i) {
      cqs_.push_back(std::make_unique<grpc::CompletionQueue>());
      stats_.push_back(std::make_unique<Stats>(labels_));
    }
    slots_.resize(std::max(1, options.concurrency));
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      s.index = static_cast<int>(i);
      s.stub = stubs_[i % stubs_.size()].get();
      s.aux_stub = aux_stubs_.empty() ? s.stub : aux_stubs_[i % aux_stubs_.size()].get();
      s.cq = cqs_[i % cqs_.size()].get();
      s.stats = stats_[i % cqs_.size()].get();
    }
  }

  EngineResult Run(const std::function<void()>& on_start, const std::function<void()>& on_end) {
    const int64_t t0 = NowNanos();
    measure_start_ns_ = t0 + absl::ToInt64Nanoseconds(options_.warmup);
    measure_end_ns_ = measure_start_ns_ + absl::ToInt64Nanoseconds(options_.duration);
    std::vector<std::thread> pollers;
    for (size_t i = 0; i < cqs_.size(); ++i) {
      pollers.emplace_back([this, i] { Poll(*cqs_[i]); });
    }
    outstanding_ = static_cast<int>(slots_.size());
    for (Slot& s : slots_) Issue(s);

    SleepUntil(measure_start_ns_);
    scenario_.OnMeasureStart();
    if (on_start) on_start();
    // The end may move earlier (max_calls): poll it.
    while (NowNanos() < measure_end_ns_.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const int64_t end = measure_end_ns_.load();
    scenario_.OnMeasureEnd();
    if (on_end) on_end();
    while (outstanding_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (auto& cq : cqs_) cq->Shutdown();
    for (auto& t : pollers) t.join();
    return Collect((end - measure_start_ns_) / 1e9);
  }

 private:
  static void SleepUntil(int64_t ns) {
    const int64_t left = ns - NowNanos();
    if (left > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(left));
  }

  void Issue(Slot& s) {
    s.call = scenario_.Next(s.index);
    s.ctx = std::make_unique<grpc::ClientContext>();
    s.ctx->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoNanoseconds(options_.call_deadline));
    grpc::Slice slice(s.call.payload);
    grpc::ByteBuffer request(&slice, 1);
    s.response.Clear();
    s.start_ns = NowNanos();
    grpc::GenericStub* stub = s.call.aux ? s.aux_stub : s.stub;
    s.reader = stub->PrepareUnaryCall(s.ctx.get(), s.call.method, request, s.cq);
    s.reader->StartCall();
    s.reader->Finish(&s.response, &s.status, &s);
  }

  void Poll(grpc::CompletionQueue& cq) {
    void* tag = nullptr;
    bool ok = false;
    while (cq.Next(&tag, &ok)) {
      Slot& s = *static_cast<Slot*>(tag);
      const int64_t now = NowNanos();
      Record(s, now);
      if (now < measure_end_ns_.load()) {
        Issue(s);
      } else {
        outstanding_.fetch_sub(1);
      }
    }
  }

  void Record(Slot& s, int64_t now) {
    Stats& st = *s.stats;
    const bool failed = !s.status.ok();
    if (now < measure_start_ns_) {
      if (failed) ++st.warmup_errors;
      return;
    }
    if (now >= measure_end_ns_.load()) return;
    if (s.call.measured && options_.max_calls > 0) {
      const int64_t n = measured_.fetch_add(1) + 1;
      if (n > options_.max_calls) return;
      if (n == options_.max_calls) measure_end_ns_.store(now);  // this call is the last
    }
    if (failed) {
      const std::string code = StatusCodeName(s.status.error_code());
      if (st.errors[code]++ == 0) st.first_error[code] = s.status.error_message();
    }
    if (!s.call.measured) {
      ++st.prep;
      return;
    }
    const int64_t micros = (now - s.start_ns) / 1000;
    ++st.calls;
    st.all.Record(micros);
    const int label = s.call.label >= 0 && s.call.label < labels_ ? s.call.label : 0;
    st.per_label[label].Record(micros);
    ++st.per_label_calls[label];
  }

  EngineResult Collect(double seconds) {
    EngineResult r;
    r.seconds = seconds;
    const auto names = scenario_.labels();
    r.labels.resize(labels_);
    for (int i = 0; i < labels_; ++i) r.labels[i].label = names[i];
    for (const auto& st : stats_) {
      r.calls += st->calls;
      r.prep_calls += st->prep;
      r.warmup_errors += st->warmup_errors;
      r.latency_us.Merge(st->all);
      for (int i = 0; i < labels_; ++i) {
        r.labels[i].calls += st->per_label_calls[i];
        r.labels[i].latency_us.Merge(st->per_label[i]);
      }
      for (const auto& [code, n] : st->errors) r.errors[code] += n;
      for (const auto& [code, msg] : st->first_error) r.first_error.emplace(code, msg);
    }
    return r;
  }

  Scenario& scenario_;
  const EngineOptions options_;
  const int labels_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<std::unique_ptr<grpc::GenericStub>> aux_stubs_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> cqs_;
  std::vector<std::unique_ptr<Stats>> stats_;
  std::vector<Slot> slots_;
  int64_t measure_start_ns_ = 0;
  std::atomic<int64_t> measure_end_ns_{0};
  std::atomic<int64_t> measured_{0};
  std::atomic<int> outstanding_{0};
};

}  // namespace

int64_t EngineResult::error_count() const {
  int64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(const std::string& target, int n) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < std::max(1, n); ++i) {
    grpc::ChannelArguments args;
    // Channels with equal arguments share one subchannel (one connection):
    // a distinct argument and a local pool give each its own.
    args.SetInt("qpv.bench.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

EngineResult RunLoad(Scenario& scenario,
                     const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                     const std::vector<std::shared_ptr<grpc::Channel>>& aux_channels,
                     const EngineOptions& options, const std::function<void()>& on_measure_start,
                     const std::function<void()>& on_measure_end) {
  Engine engine(scenario, channels, aux_channels, options);
  return engine.Run(on_measure_start, on_measure_end);
}

}  // namespace qpv::bench
