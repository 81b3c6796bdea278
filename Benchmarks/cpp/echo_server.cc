// gRPC C++'s side of Benchmarks/scripts/vs-cpp.sh: benchpb.Echo/Unary answering each request with
// itself, on the callback API (the one gRPC recommends for performance), 127.0.0.1 only.
//
//   echo_server PORT     # prints "listening on PORT" once it serves
#include <cstdio>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "echo.grpc.pb.h"

namespace {

class Echo final : public benchpb::Echo::CallbackService {
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, const benchpb::RpcRequest* request,
                                  benchpb::RpcRequest* response) override {
    *response = *request;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  const std::string address = std::string("127.0.0.1:") + argv[1];
  Echo service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::fprintf(stderr, "could not listen on %s\n", address.c_str());
    return 1;
  }
  std::printf("listening on %s\n", argv[1]);
  std::fflush(stdout);
  server->Wait();
  return 0;
}
