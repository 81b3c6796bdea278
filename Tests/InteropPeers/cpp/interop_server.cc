// A gRPC C++ server of grpc.testing.TestService for Ferry's interop tests.
//
// grpcio's Python server cannot see whether a request arrived compressed, so the interop cases
// client_compressed_unary and client_compressed_streaming need a server on gRPC's C core that can:
// this one, built against Debian's libgrpc++ by scripts/build-cpp-interop-server.sh. It implements
// every server feature of gRPC's interop descriptions that the cases use (EmptyCall, UnaryCall,
// the streaming calls, Echo Metadata, Echo Status, ResponseParameters, CompressedResponse and
// CompressedRequest). It prints "PORT <n>" once it listens on 127.0.0.1 and stops when its stdin
// closes or after --max_seconds.

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "grpc/testing/test.grpc.pb.h"

// libgrpc exports these for its own interop tests; Debian ships no header declaring them. They
// report the compression of the call's request and the flags of the last message received.
grpc_compression_algorithm grpc_call_test_only_get_compression_algorithm(grpc_call* call);
uint32_t grpc_call_test_only_get_message_flags(grpc_call* call);

namespace {

// The message flags that mean "arrived compressed" (internal to gRPC core: the first is set by
// the transport for a compressed frame, the second by newer cores after decompressing it).
constexpr uint32_t kArrivedCompressed = 0x80000000u | 0x40000000u;

const char* const kEchoInitial = "x-grpc-test-echo-initial";
const char* const kEchoTrailing = "x-grpc-test-echo-trailing-bin";

using grpc::ServerContext;
using grpc::Status;
using grpc::StatusCode;
using namespace grpc::testing;

// CompressedRequest: a request message sent with expect_compressed true must have arrived
// compressed. (The description asks nothing of a message that does not expect it.)
Status CheckCompressed(ServerContext* context) {
  const bool compressed =
      grpc_call_test_only_get_compression_algorithm(context->c_call()) != GRPC_COMPRESS_NONE &&
      (grpc_call_test_only_get_message_flags(context->c_call()) & kArrivedCompressed) != 0;
  if (!compressed) {
    return Status(StatusCode::INVALID_ARGUMENT, "Expected a compressed request message; it was not.");
  }
  return Status::OK;
}

void EchoMetadata(ServerContext* context) {
  for (const auto& [key, value] : context->client_metadata()) {
    const std::string name(key.data(), key.size());
    if (name == kEchoInitial) context->AddInitialMetadata(name, std::string(value.data(), value.size()));
    if (name == kEchoTrailing) context->AddTrailingMetadata(name, std::string(value.data(), value.size()));
  }
}

Payload Zeros(int32_t size) {
  Payload payload;
  payload.set_body(std::string(static_cast<size_t>(size < 0 ? 0 : size), '\0'));
  return payload;
}

void Pause(int32_t interval_us) {
  if (interval_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(interval_us));
}

class TestServiceImpl final : public TestService::Service {
 public:
  Status EmptyCall(ServerContext* context, const Empty*, Empty*) override {
    EchoMetadata(context);
    return Status::OK;
  }

  Status UnaryCall(ServerContext* context, const SimpleRequest* request, SimpleResponse* response) override {
    EchoMetadata(context);
    if (request->expect_compressed().value()) {
      Status check = CheckCompressed(context);
      if (!check.ok()) return check;
    }
    if (request->response_compressed().value()) context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
    if (request->response_status().code() != 0) {
      return Status(static_cast<StatusCode>(request->response_status().code()), request->response_status().message());
    }
    *response->mutable_payload() = Zeros(request->response_size());
    return Status::OK;
  }

  Status StreamingOutputCall(ServerContext* context, const StreamingOutputCallRequest* request,
                             grpc::ServerWriter<StreamingOutputCallResponse>* writer) override {
    EchoMetadata(context);
    bool any_compressed = false;
    for (const auto& parameters : request->response_parameters()) any_compressed |= parameters.compressed().value();
    if (any_compressed) context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
    for (const auto& parameters : request->response_parameters()) {
      Pause(parameters.interval_us());
      StreamingOutputCallResponse response;
      *response.mutable_payload() = Zeros(parameters.size());
      grpc::WriteOptions options;
      if (!parameters.compressed().value()) options.set_no_compression();
      if (!writer->Write(response, options)) return Status(StatusCode::UNAVAILABLE, "The client went away.");
    }
    if (request->response_status().code() != 0) {
      return Status(static_cast<StatusCode>(request->response_status().code()), request->response_status().message());
    }
    return Status::OK;
  }

  Status StreamingInputCall(ServerContext* context, grpc::ServerReader<StreamingInputCallRequest>* reader,
                            StreamingInputCallResponse* response) override {
    EchoMetadata(context);
    StreamingInputCallRequest request;
    int32_t total = 0;
    while (reader->Read(&request)) {
      if (request.expect_compressed().value()) {
        Status check = CheckCompressed(context);
        if (!check.ok()) return check;
      }
      total += static_cast<int32_t>(request.payload().body().size());
    }
    response->set_aggregated_payload_size(total);
    return Status::OK;
  }

  Status FullDuplexCall(ServerContext* context,
                        grpc::ServerReaderWriter<StreamingOutputCallResponse, StreamingOutputCallRequest>* stream) override {
    EchoMetadata(context);
    StreamingOutputCallRequest request;
    while (stream->Read(&request)) {
      Status status = Answer(request, stream);
      if (!status.ok()) return status;
    }
    return Status::OK;
  }

  Status HalfDuplexCall(ServerContext* context,
                        grpc::ServerReaderWriter<StreamingOutputCallResponse, StreamingOutputCallRequest>* stream) override {
    EchoMetadata(context);
    std::vector<StreamingOutputCallRequest> requests;
    StreamingOutputCallRequest request;
    while (stream->Read(&request)) requests.push_back(request);
    for (const auto& each : requests) {
      Status status = Answer(each, stream);
      if (!status.ok()) return status;
    }
    return Status::OK;
  }

 private:
  static Status Answer(const StreamingOutputCallRequest& request,
                       grpc::ServerReaderWriter<StreamingOutputCallResponse, StreamingOutputCallRequest>* stream) {
    if (request.response_status().code() != 0) {
      return Status(static_cast<StatusCode>(request.response_status().code()), request.response_status().message());
    }
    for (const auto& parameters : request.response_parameters()) {
      Pause(parameters.interval_us());
      StreamingOutputCallResponse response;
      *response.mutable_payload() = Zeros(parameters.size());
      if (!stream->Write(response)) return Status(StatusCode::UNAVAILABLE, "The client went away.");
    }
    return Status::OK;
  }
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  int max_seconds = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--port") port = std::atoi(argv[i + 1]);
    else if (flag == "--max_seconds") max_seconds = std::atoi(argv[i + 1]);
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  TestServiceImpl service;
  grpc::ServerBuilder builder;
  int selected = 0;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(), &selected);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || selected == 0) {
    std::cerr << "could not listen on 127.0.0.1:" << port << "\n";
    return 1;
  }
  std::cout << "PORT " << selected << std::endl;

  // Stop when the parent closes our stdin, or after max_seconds, whichever comes first.
  std::atomic<bool> stdin_closed{false};
  std::thread watcher([&stdin_closed] {
    std::string line;
    while (std::getline(std::cin, line)) {}
    stdin_closed = true;
  });
  watcher.detach();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  while (!stdin_closed && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  return 0;
}
