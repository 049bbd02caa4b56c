// Server-streaming watchers for the WatchNationalDashboard scenario: `count`
// streams of one method on one channel, driven by their own CompletionQueue
// and thread (generic calls: the request is sent as one message and the
// write side closed, which is what a server-streaming call is on the wire).
// Each message received counts as an update; its lag is the receive time
// minus the dashboard's as_of_time.
#ifndef QPV_BENCH_STREAM_WATCHERS_H_
#define QPV_BENCH_STREAM_WATCHERS_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/histogram.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace qpv::bench {

class StreamWatchers {
 public:
  StreamWatchers(std::shared_ptr<grpc::Channel> channel, std::string method, std::string request,
                 int count);
  ~StreamWatchers();

  // Opens the streams and waits until each has received its first message.
  absl::Status Start(absl::Duration timeout);
  // Counting restarts (the measured window opens) or stops.
  void BeginWindow();
  void EndWindow();
  // Cancels the streams and waits for them to end.
  void Stop();

  int count() const { return static_cast<int>(streams_.size()); }
  // Updates received in the window, and their lag.
  int64_t updates() const;
  Histogram lag_us() const;
  // Streams that ended other than by Stop().
  int64_t failures() const { return failures_.load(); }
  double window_seconds() const;

 private:
  enum Op { kStart = 0, kWrite, kWritesDone, kRead, kFinish, kOps };
  struct Stream {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> rw;
    grpc::ByteBuffer in;
    grpc::Status status;
    bool received = false;
  };
  void Poll();
  void OnEvent(int index, Op op, bool ok);
  static void* Tag(int index, Op op) {
    return reinterpret_cast<void*>(static_cast<intptr_t>(index * kOps + op + 1));
  }

  grpc::GenericStub stub_;
  const std::string method_;
  const std::string request_;
  grpc::CompletionQueue cq_;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::thread poller_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> finished_{0};
  std::atomic<int> first_messages_{0};
  std::atomic<int64_t> failures_{0};

  mutable absl::Mutex mu_;
  bool counting_ ABSL_GUARDED_BY(mu_) = false;
  int64_t updates_ ABSL_GUARDED_BY(mu_) = 0;
  Histogram lag_ ABSL_GUARDED_BY(mu_);
  absl::Time window_start_ ABSL_GUARDED_BY(mu_);
  absl::Time window_end_ ABSL_GUARDED_BY(mu_);
};

}  // namespace qpv::bench

#endif  // QPV_BENCH_STREAM_WATCHERS_H_
