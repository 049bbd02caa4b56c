#include "bench/stream_watchers.h"

#include "absl/strings/str_cat.h"
#include "common/util/clock.h"
#include "qpv/national/v1/national.pb.h"

namespace qpv::bench {

StreamWatchers::StreamWatchers(std::shared_ptr<grpc::Channel> channel, std::string method,
                               std::string request, int count)
    : stub_(std::move(channel)), method_(std::move(method)), request_(std::move(request)) {
  for (int i = 0; i < count; ++i) streams_.push_back(std::make_unique<Stream>());
}

StreamWatchers::~StreamWatchers() { Stop(); }

absl::Status StreamWatchers::Start(absl::Duration timeout) {
  poller_ = std::thread([this] { Poll(); });
  for (size_t i = 0; i < streams_.size(); ++i) {
    Stream& s = *streams_[i];
    s.rw = stub_.PrepareCall(&s.ctx, method_, &cq_);
    s.rw->StartCall(Tag(i, kStart));
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (first_messages_.load() < count()) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(first_messages_.load(), " of ", count(),
                       " watchers got their first dashboard in time; failed: ", failures_.load()));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::OkStatus();
}

void StreamWatchers::BeginWindow() {
  absl::MutexLock lock(&mu_);
  counting_ = true;
  updates_ = 0;
  lag_ = Histogram();
  window_start_ = absl::Now();
}

void StreamWatchers::EndWindow() {
  absl::MutexLock lock(&mu_);
  counting_ = false;
  window_end_ = absl::Now();
}

void StreamWatchers::Stop() {
  if (!poller_.joinable() || stopping_.exchange(true)) return;
  for (auto& s : streams_) s->ctx.TryCancel();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (finished_.load() < count() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  cq_.Shutdown();
  poller_.join();
}

int64_t StreamWatchers::updates() const {
  absl::MutexLock lock(&mu_);
  return updates_;
}

Histogram StreamWatchers::lag_us() const {
  absl::MutexLock lock(&mu_);
  return lag_;
}

double StreamWatchers::window_seconds() const {
  absl::MutexLock lock(&mu_);
  return absl::ToDoubleSeconds(window_end_ - window_start_);
}

void StreamWatchers::Poll() {
  void* tag = nullptr;
  bool ok = false;
  while (cq_.Next(&tag, &ok)) {
    const intptr_t t = reinterpret_cast<intptr_t>(tag) - 1;
    OnEvent(static_cast<int>(t / kOps), static_cast<Op>(t % kOps), ok);
  }
}

void StreamWatchers::OnEvent(int index, Op op, bool ok) {
  Stream& s = *streams_[index];
  switch (op) {
    case kStart:
      if (!ok) {
        s.rw->Finish(&s.status, Tag(index, kFinish));
        return;
      }
      {
        grpc::Slice slice(request_);
        grpc::ByteBuffer buffer(&slice, 1);
        s.rw->Write(buffer, Tag(index, kWrite));
      }
      s.rw->Read(&s.in, Tag(index, kRead));
      return;
    case kWrite:
      if (ok) s.rw->WritesDone(Tag(index, kWritesDone));
      return;
    case kWritesDone:
      return;
    case kRead: {
      if (!ok) {
        s.rw->Finish(&s.status, Tag(index, kFinish));
        return;
      }
      const absl::Time now = absl::Now();
      std::vector<grpc::Slice> slices;
      std::string bytes;
      if (s.in.Dump(&slices).ok()) {
        for (const auto& sl : slices)
          bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
      }
      national::v1::NationalDashboard dashboard;
      const bool parsed = dashboard.ParseFromString(bytes);
      if (!s.received) {
        s.received = true;
        first_messages_.fetch_add(1);
      }
      {
        absl::MutexLock lock(&mu_);
        if (counting_) {
          ++updates_;
          if (parsed && dashboard.has_as_of_time()) {
            lag_.Record(absl::ToInt64Microseconds(now - FromProto(dashboard.as_of_time())));
          }
        }
      }
      s.rw->Read(&s.in, Tag(index, kRead));
      return;
    }
    case kFinish:
      if (!stopping_.load()) failures_.fetch_add(1);
      finished_.fetch_add(1);
      return;
    case kOps:
      return;
  }
}

}  // namespace qpv::bench
