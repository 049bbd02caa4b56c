// The gRPC edge shared by the services: a grpc::Service whose unary methods
// are registered by name with raw (ByteBuffer) handlers. Each handler decodes
// the request with ParseRequest (so invalid UTF-8 is INVALID_ARGUMENT naming
// the field, not a bare INTERNAL), calls a plain function of the service's
// logic with the call's deadline, logs failures that are ours, and maps the
// result with ToGrpcStatus. Method names and messages are exactly those of
// the .proto, so clients, reflection and health see no difference.
//
//   class WorkshopServiceImpl : public server::UnaryService {
//     explicit WorkshopServiceImpl(WorkshopLogic* logic)
//         : UnaryService("qpv.workshop.v1.WorkshopService", "workshop") {
//       Add<CreateWorkshopRequest, Workshop>("CreateWorkshop",
//           [logic](const auto& req, absl::Time deadline) { ... });
//
// Server-streaming methods (AddServerStream) get the decoded request and a
// ServerStream to write to; they return when ServerStream::done() (client
// gone or server draining) or a write fails. A stream still running when
// the server drains ends with UNAVAILABLE (SERVER_DRAINING), so the client
// reconnects to another instance.
#ifndef QPV_COMMON_SERVER_UNARY_SERVICE_H_
#define QPV_COMMON_SERVER_UNARY_SERVICE_H_

#include <malloc.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/logging/log.h"
#include "common/server/byte_budget.h"
#include "common/server/drain.h"
#include "common/server/request_parser.h"
#include "common/status/grpc_status.h"
#include "common/status/status.h"
#include "google/protobuf/empty.pb.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/rpc_service_method.h"
#include "grpcpp/impl/service_type.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/method_handler.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/sync_stream.h"

namespace qpv::server {

// The call's deadline (InfiniteFuture when the client set none).
inline absl::Time DeadlineOf(const grpc::ServerContextBase* ctx) {
  const auto d = ctx->deadline();
  if (d == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(d);
}

// What a server-streaming handler writes to.
template <typename Resp>
struct ServerStream {
  // True once the client cancelled or went away, or the server is draining:
  // the handler should return soon (check it at least every second).
  std::function<bool()> done;
  // Sends one message; blocks while the client is slow to read (flow
  // control). False when the stream is broken.
  std::function<bool(const Resp&)> write;
};

// A response already in wire form: a method whose answer is the same for
// many calls (a cached dashboard) hands back its serialized bytes, and they
// are sent as they are instead of copying a message and serializing it on
// every call. Register it with Add<Req, SerializedResponse>.
struct SerializedResponse {
  std::shared_ptr<const std::string> bytes;  // never null
};

template <typename Message>
grpc::Slice ResponseSlice(const Message& m) {
  return grpc::Slice(m.SerializeAsString());
}
inline grpc::Slice ResponseSlice(const SerializedResponse& r) {
  return grpc::Slice(r.bytes->data(), r.bytes->size());
}
// A response its handler built in wire form for this call (a handler
// returning absl::StatusOr<std::string>): sent as it is.
inline grpc::Slice ResponseSlice(const std::string& bytes) { return grpc::Slice(bytes); }

class UnaryService : public grpc::Service {
 public:
  // What an asynchronous handler (AddAsync) is given to complete its call.
  template <typename Resp>
  using Reply = std::function<void(absl::StatusOr<Resp>)>;
  template <typename Req, typename Resp>
  using AsyncHandler = std::function<void(const Req&, absl::Time deadline, Reply<Resp> reply)>;

 protected:
  // `service` is the full proto name; `domain` names the service in errors.
  UnaryService(std::string service, std::string domain)
      : service_(std::move(service)), domain_(std::move(domain)) {}

  template <typename Req, typename Resp>
  using Handler = std::function<absl::StatusOr<Resp>(const Req&, absl::Time deadline)>;

  // With a `budget` (not owned), each call waits for its request's bytes
  // to fit in it before the request is parsed (byte_budget.h), and one of
  // kTrimAfterBytes or more gives its memory back to the system once done.
  template <typename Req, typename Resp>
  void Add(const char* method, Handler<Req, Resp> fn, ByteBudget* budget = nullptr) {
    names_.push_back(absl::StrCat("/", service_, "/", method));
    const std::string* name = &names_.back();  // deque: stable addresses
    auto handler = [this, fn = std::move(fn), name, budget](
                       UnaryService*, grpc::ServerContext* ctx, const grpc::ByteBuffer* in,
                       grpc::ByteBuffer* out) -> grpc::Status {
      Drain& drain = Drain::Get();
      if (!drain.Enter()) return Fail(*name, DrainingStatus());
      // gRPC's handler owns this buffer (its signature only says const) and
      // destroys it after we return: Handle empties it once parsed.
      absl::StatusOr<Resp> resp =
          Handle<Req, Resp>(fn, budget, ctx, const_cast<grpc::ByteBuffer*>(in));
      drain.Exit();
      if (!resp.ok()) return Fail(*name, resp.status());
      grpc::Slice slice = ResponseSlice(*resp);
      *out = grpc::ByteBuffer(&slice, 1);
      return grpc::Status::OK;
    };
    AddMethod(new grpc::internal::RpcServiceMethod(
        name->c_str(), grpc::internal::RpcMethod::NORMAL_RPC,
        new grpc::internal::RpcMethodHandler<UnaryService, grpc::ByteBuffer, grpc::ByteBuffer>(
            std::move(handler), this)));
  }

  // A method whose handler does not block (AsyncHandler): it starts the
  // work (e.g. RedisClient::EvalAsync) and returns; `reply` is called once,
  // from any thread, with the result. The request is valid only until the
  // handler returns. Served by gRPC's callback API: no thread waits for the
  // call while its work is under way, where a blocking handler sleeps
  // through it on a thread of its own.
  template <typename Req, typename Resp>
  void AddAsync(const char* method, AsyncHandler<Req, Resp> fn) {
    names_.push_back(absl::StrCat("/", service_, "/", method));
    const std::string* name = &names_.back();
    auto start = [this, fn = std::move(fn), name](grpc::CallbackServerContext* ctx,
                                                  const grpc::ByteBuffer* in,
                                                  grpc::ByteBuffer* out) {
      grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
      Drain& drain = Drain::Get();
      if (!drain.Enter()) {
        reactor->Finish(Fail(*name, DrainingStatus()));
        return reactor;
      }
      Req req;
      const absl::Status parsed = ParseRequest(*in, &req);
      if (!parsed.ok()) {
        drain.Exit();
        reactor->Finish(Fail(*name, parsed));
        return reactor;
      }
      fn(req, DeadlineOf(ctx), [this, name, reactor, out, &drain](absl::StatusOr<Resp> resp) {
        drain.Exit();
        if (!resp.ok()) return reactor->Finish(Fail(*name, resp.status()));
        grpc::Slice slice = ResponseSlice(*resp);
        *out = grpc::ByteBuffer(&slice, 1);
        reactor->Finish(grpc::Status::OK);
      });
      return reactor;
    };
    AddMethod(new grpc::internal::RpcServiceMethod(name->c_str(),
                                                   grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
    MarkMethodRawCallback(
        static_cast<int>(names_.size() - 1),
        new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            std::move(start)));
  }

  template <typename Req, typename Resp>
  using StreamHandler = std::function<absl::Status(const Req&, const ServerStream<Resp>&)>;

  // A server-streaming method. The call counts as in flight for the drain
  // while it runs (the handler sees done() as soon as draining starts).
  template <typename Req, typename Resp>
  void AddServerStream(const char* method, StreamHandler<Req, Resp> fn) {
    names_.push_back(absl::StrCat("/", service_, "/", method));
    const std::string* name = &names_.back();
    auto handler = [this, fn = std::move(fn), name](
                       UnaryService*, grpc::ServerContext* ctx, const grpc::ByteBuffer* in,
                       grpc::ServerWriter<grpc::ByteBuffer>* writer) -> grpc::Status {
      Drain& drain = Drain::Get();
      if (!drain.Enter()) return Fail(*name, DrainingStatus());
      Req req;
      absl::Status status = ParseRequest(*in, &req);
      if (status.ok()) {
        ServerStream<Resp> stream;
        stream.done = [ctx, &drain] { return ctx->IsCancelled() || drain.draining(); };
        stream.write = [writer](const Resp& resp) {
          grpc::Slice slice(resp.SerializeAsString());
          grpc::ByteBuffer buffer(&slice, 1);
          return writer->Write(buffer);
        };
        status = fn(req, stream);
        if (status.ok() && drain.draining() && !ctx->IsCancelled()) status = DrainingStatus();
      }
      drain.Exit();
      if (!status.ok()) return Fail(*name, status);
      return grpc::Status::OK;
    };
    AddMethod(new grpc::internal::RpcServiceMethod(
        name->c_str(), grpc::internal::RpcMethod::SERVER_STREAMING,
        new grpc::internal::ServerStreamingHandler<UnaryService, grpc::ByteBuffer,
                                                   grpc::ByteBuffer>(std::move(handler), this)));
  }

  // Member-function shortcuts for the logic classes' usual signatures.
  template <typename Logic, typename Req, typename Resp>
  void Add(const char* method, Logic* logic,
           absl::StatusOr<Resp> (Logic::*fn)(const Req&, absl::Time)) {
    Add<Req, Resp>(method, [logic, fn](const Req& r, absl::Time d) { return (logic->*fn)(r, d); });
  }
  template <typename Logic, typename Req, typename Resp>
  void Add(const char* method, Logic* logic, absl::StatusOr<Resp> (Logic::*fn)(const Req&),
           ByteBudget* budget = nullptr) {
    Add<Req, Resp>(
        method, [logic, fn](const Req& r, absl::Time) { return (logic->*fn)(r); }, budget);
  }
  template <typename Logic, typename Req, typename Resp>
  void AddAsync(const char* method, Logic* logic,
                void (Logic::*fn)(const Req&, absl::Time, Reply<Resp>)) {
    AddAsync<Req, Resp>(method, [logic, fn](const Req& r, absl::Time d, Reply<Resp> reply) {
      (logic->*fn)(r, d, std::move(reply));
    });
  }
  // Methods that return google.protobuf.Empty.
  template <typename Logic, typename Req>
  void Add(const char* method, Logic* logic, absl::Status (Logic::*fn)(const Req&)) {
    Add<Req, google::protobuf::Empty>(
        method, [logic, fn](const Req& r, absl::Time) -> absl::StatusOr<google::protobuf::Empty> {
          const absl::Status s = (logic->*fn)(r);
          if (!s.ok()) return s;
          return google::protobuf::Empty();
        });
  }

 private:
  // A budgeted request of this size or more is followed by a malloc_trim.
  static constexpr size_t kTrimAfterBytes = 1 << 20;

  // Waits for the call's turn in `budget` (if any), then ParseAndRun; the
  // turn is held until the handler returns.
  template <typename Req, typename Resp>
  static absl::StatusOr<Resp> Handle(const Handler<Req, Resp>& fn, ByteBudget* budget,
                                     grpc::ServerContext* ctx, grpc::ByteBuffer* in) {
    std::optional<ByteBudget::Ticket> turn;
    if (budget != nullptr) {
      absl::StatusOr<ByteBudget::Ticket> ticket =
          budget->Acquire(static_cast<int64_t>(in->Length()), DeadlineOf(ctx),
                          [ctx] { return ctx->IsCancelled(); });
      if (!ticket.ok()) return ticket.status();
      turn.emplace(*std::move(ticket));
    }
    const bool trim_after = budget != nullptr && in->Length() >= kTrimAfterBytes;
    absl::StatusOr<Resp> out = ParseAndRun(fn, ctx, in);
    // A big request's parse is many small blocks, freed by now among live
    // ones: glibc keeps their pages until a trim. Given back at once, the
    // next big request does not land on top of them (national's ingest at
    // national scale, 3 paired runs: peak 86-89 MiB instead of 90-92, and
    // 60 MiB resident after it instead of 62-64).
    if (trim_after) malloc_trim(0);
    return out;
  }

  // Parses the request, frees its bytes (a national snapshot is MiBs, and
  // its handler keeps the parsed message, not them) and runs the handler.
  template <typename Req, typename Resp>
  static absl::StatusOr<Resp> ParseAndRun(const Handler<Req, Resp>& fn, grpc::ServerContext* ctx,
                                          grpc::ByteBuffer* in) {
    Req req;
    const absl::Status parsed = ParseRequest(*in, &req);
    in->Clear();
    if (!parsed.ok()) return parsed;
    return fn(req, DeadlineOf(ctx));
  }

  static absl::Status DrainingStatus() {
    return WithReason(absl::UnavailableError("the server is shutting down; retry"),
                      "SERVER_DRAINING");
  }

  grpc::Status Fail(const std::string& method, const absl::Status& status) const {
    // Our own failures are logged with their cause; the caller gets a
    // generic message (ToGrpcStatus hides INTERNAL details).
    const auto code = status.code();
    if (code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown ||
        code == absl::StatusCode::kDataLoss) {
      log::Error("call_failed", {{"method", method},
                                 {"code", absl::StatusCodeToString(code)},
                                 {"error", std::string(status.message())}});
    }
    return ToGrpcStatus(status, domain_);
  }

  const std::string service_;
  const std::string domain_;
  std::deque<std::string> names_;  // RpcServiceMethod keeps a char*
};

}  // namespace qpv::server

#endif  // QPV_COMMON_SERVER_UNARY_SERVICE_H_
