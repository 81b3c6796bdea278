#!/usr/bin/env bash
# Builds the gRPC C++ interop server the interop tests run (Tests/InteropPeers/cpp), against
# Debian's libgrpc++ (scripts/ensure-deps.sh installs it), into .build/cpp-interop/. Does nothing
# when the binary is newer than its sources.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/cpp-interop"
binary="$out/ferry-cpp-interop-server"
sources=("$root/Tests/InteropPeers/cpp/interop_server.cc" "$root"/Schemas/grpc/testing/{empty,messages,test}.proto)
if [ -x "$binary" ]; then
    stale=0
    for source in "${sources[@]}"; do [ "$source" -nt "$binary" ] && stale=1; done
    [ "$stale" -eq 0 ] && exit 0
fi
echo "build-cpp-interop-server: building $binary"
mkdir -p "$out/generated"
protoc -I "$root/Schemas" --cpp_out="$out/generated" --grpc_out="$out/generated" \
    --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" \
    grpc/testing/empty.proto grpc/testing/messages.proto grpc/testing/test.proto
# shellcheck disable=SC2046
g++ -std=c++17 -O1 -o "$binary.tmp" -I "$out/generated" \
    "$root/Tests/InteropPeers/cpp/interop_server.cc" \
    "$out/generated/grpc/testing/"{empty,messages,test}.pb.cc "$out/generated/grpc/testing/test.grpc.pb.cc" \
    $(pkg-config --cflags --libs grpc++ protobuf) -lpthread
mv "$binary.tmp" "$binary"
