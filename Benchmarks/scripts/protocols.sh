#!/usr/bin/env bash
# Unary calls per server CPU-second of one Ferry server answered over gRPC, Connect (unary form) and
# gRPC-Web, on the same echo method (benchpb.Echo/Unary) over HTTP/2 on loopback, and Connect
# unary over HTTP/1.1 on the same port (BENCHMARKS.md, "Connect and gRPC-Web beside gRPC", issue 25).
#
#   Benchmarks/scripts/protocols.sh [ROUNDS] [REQUESTS]      # defaults: 3 rounds, 200,000 requests
#
# The server (ferry-bench-rpc, release) runs pinned to CPU 0; h2load (CPU 1) sends 4 connections ×
# 64 streams of the same message in each protocol's envelope: gRPC (application/grpc, framed),
# Connect unary (application/proto, the bare message) and gRPC-Web (application/grpc-web+proto,
# framed); connect-h1 is Connect unary over HTTP/1.1 (h2load --h1), 256 connections with one call
# at a time each, as browsers make them. The protocols take turns within each round, in a rotating
# order; the server's CPU time
# comes from /proc. Every response must be 2xx and carry at least the echoed message's bytes.
# Needs h2load (Debian: nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
requests=${2:-200000}
command -v h2load >/dev/null || { echo "h2load not found (apt-get install nghttp2-client)" >&2; exit 1; }
swift build -c release --product ferry-bench-rpc >&2
ferry_bin="$(swift build -c release --show-bin-path)/ferry-bench-rpc"

work=$(mktemp -d)
server=""
holder=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null
    [[ -n $holder ]] && kill "$holder" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# RpcRequest{request_id: 7, method_id: 1, key: "order-7f3a9c21"}, bare and framed.
python3 - "$work" <<'PY'
import struct, sys
message = b"\x08\x07\x10\x01\x1a\x0e" + b"order-7f3a9c21"
open(sys.argv[1] + "/bare.bin", "wb").write(message)
open(sys.argv[1] + "/framed.bin", "wb").write(b"\x00" + struct.pack(">I", len(message)) + message)
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# ferry-bench-rpc's server exits when its stdin closes: a FIFO held open by a sleeper.
mkfifo "$work/hold"
sleep 100000 >"$work/hold" &
holder=$!
taskset -c 0 "$ferry_bin" server --impl ferry --port "$port" <"$work/hold" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -qE "READY|listening" "$work/server.log" && break; sleep 0.1; done
grep -qE "READY|listening" "$work/server.log" || { cat "$work/server.log" >&2; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }

declare -A content=(
    [grpc]="application/grpc" [connect]="application/proto" [grpcweb]="application/grpc-web+proto"
    [connect-h1]="application/proto"
)
declare -A body=([grpc]=framed [connect]=bare [grpcweb]=framed [connect-h1]=bare)
load() { # $1: protocol, $2: requests
    local shape=(-c 4 -m 64)
    [[ $1 == connect-h1 ]] && shape=(--h1 -c 256 -m 1)
    taskset -c 1 h2load -n "$2" "${shape[@]}" -d "$work/${body[$1]}.bin" -H "content-type: ${content[$1]}" \
        -H 'te: trailers' "http://127.0.0.1:$port/benchpb.Echo/Unary"
}

results="$work/results.txt"
: >"$results"
protocols=(grpc connect grpcweb connect-h1)
for round in $(seq 1 "$rounds"); do
    for offset in 0 1 2 3; do
        protocol=${protocols[$(((round + offset) % 4))]}
        load "$protocol" 20000 >/dev/null # warm-up
        before=$(ticks)
        report=$(load "$protocol" "$requests")
        after=$(ticks)
        succeeded=$(grep -oE '[0-9]+ 2xx' <<<"$report" | grep -oE '^[0-9]+')
        data=$(grep -oE '\(([0-9]+)\) data' <<<"$report" | grep -oE '[0-9]+' || true)
        minimum=$((requests * $(stat -c %s "$work/bare.bin")))
        if [[ $succeeded != "$requests" || $data -lt $minimum ]]; then
            echo "$protocol: $succeeded of $requests 2xx, $data data bytes (at least $minimum)" >&2
            echo "$report" >&2
            exit 1
        fi
        rate=$(grep -oE 'finished in [0-9.]+m?s, [0-9.]+ req/s' <<<"$report" | grep -oE '[0-9.]+ req/s' | cut -d' ' -f1)
        echo "$round $protocol $requests $((after - before)) $rate" >>"$results"
    done
done

python3 - "$results" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
hz = int(sys.argv[2])
per = {}
for round_, protocol, requests, ticks, rate in rows:
    per.setdefault(protocol, []).append((int(round_), int(requests) / (int(ticks) / hz), float(rate)))
grpc = dict((r, cps) for r, cps, _ in per["grpc"])
print("| protocol | calls / server CPU-s (median) | / gRPC (median, range) | req/s (median) |")
print("| --- | ---: | ---: | ---: |")
for protocol in ("grpc", "connect", "grpcweb", "connect-h1"):
    ratios = [cps / grpc[r] for r, cps, _ in per[protocol]]
    print(f"| {protocol} | {statistics.median(c for _, c, _ in per[protocol]):,.0f} "
          f"| {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) "
          f"| {statistics.median(r for _, _, r in per[protocol]):,.0f} |")
PY
