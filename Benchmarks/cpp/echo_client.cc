// The caller side of Benchmarks/scripts/vs-cpp.sh's latency and shared-connection loads: gRPC C++'s
// synchronous client calling benchpb.Echo/Unary on 127.0.0.1, every caller a thread on one channel
// (so one HTTP/2 connection), each making its calls one after another.
//
//   echo_client PORT CALLERS CALLS      # CALLS per caller, after 1,000 warm-up calls per caller
//
// Prints one line: "calls N seconds S p50_us A p90_us B p99_us C" over the measured calls of all
// callers. Exits 1 if a call failed or a response did not echo its request.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "echo.grpc.pb.h"

namespace {

// One caller: `warmup` calls, then `calls` timed ones; false if any failed or did not echo.
bool Run(benchpb::Echo::Stub* stub, int warmup, int calls, std::vector<double>* latencies) {
  benchpb::RpcRequest request;
  request.set_request_id(7);
  request.set_method_id(1);
  request.set_key("order-7f3a9c21");
  latencies->reserve(calls);
  for (int i = 0; i < warmup + calls; ++i) {
    grpc::ClientContext context;
    benchpb::RpcRequest response;
    const auto start = std::chrono::steady_clock::now();
    const grpc::Status status = stub->Unary(&context, request, &response);
    const auto end = std::chrono::steady_clock::now();
    if (!status.ok() || response.key() != request.key() || response.request_id() != request.request_id()) {
      std::fprintf(stderr, "call %d failed: %d %s\n", i, status.error_code(), status.error_message().c_str());
      return false;
    }
    if (i >= warmup) latencies->push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  return true;
}

double Percentile(const std::vector<double>& sorted, double fraction) {
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s PORT CALLERS CALLS\n", argv[0]);
    return 2;
  }
  const std::string target = std::string("127.0.0.1:") + argv[1];
  const int callers = std::atoi(argv[2]);
  const int calls = std::atoi(argv[3]);
  if (callers < 1 || calls < 1) {
    std::fprintf(stderr, "CALLERS and CALLS must be positive\n");
    return 2;
  }
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  std::unique_ptr<benchpb::Echo::Stub> stub = benchpb::Echo::NewStub(channel);
  std::vector<std::vector<double>> latencies(callers);
  std::atomic<bool> failed{false};
  // Warm-up first, all callers together; then the timed calls, all callers together.
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int caller = 0; caller < callers; ++caller) {
    threads.emplace_back([&, caller] {
      if (!Run(stub.get(), 1000, calls, &latencies[caller])) failed = true;
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed) return 1;
  std::vector<double> all;
  for (const std::vector<double>& each : latencies) all.insert(all.end(), each.begin(), each.end());
  std::sort(all.begin(), all.end());
  std::printf("calls %zu seconds %.3f p50_us %.1f p90_us %.1f p99_us %.1f\n", all.size(), seconds,
              Percentile(all, 0.50), Percentile(all, 0.90), Percentile(all, 0.99));
  return 0;
}
