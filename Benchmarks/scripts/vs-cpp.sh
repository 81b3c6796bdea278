#!/usr/bin/env bash
# Unary calls per server CPU-second, Ferry against gRPC C++ (Debian's 1.51, callback API), both
# answering benchpb.Echo/Unary on loopback (BENCHMARKS.md, "Ferry against gRPC C++", issue 23).
#
#   Benchmarks/scripts/vs-cpp.sh [ROUNDS] [REQUESTS]      # defaults: 3 rounds, 200,000 requests
#
# Each server runs alone, pinned to CPU 0; h2load (pinned to CPU 1) sends gRPC-framed requests
# (content-type application/grpc, te trailers) at three loads: 1 connection × 100 streams,
# 4 × 64, and 4 × 64 with a 1 KiB string in each message. A round runs every scenario on both
# servers, alternating which goes first; the server's CPU time comes from /proc. The table gives,
# per scenario, the median of each server's calls per CPU-second over the rounds, and the median
# and range of the per-round ratios Ferry / C++. h2load checks HTTP status only: both servers'
# responses must also carry as many DATA bytes as the requests (an echo), or the script fails.
#
# Two more loads come from gRPC C++'s own synchronous client (cpp/echo_client.cc, pinned to CPU 1,
# checking every echo): one caller making its calls one after another (`seq`: its p50 and p99
# latency as well), and 64 callers sharing one channel, so one connection (`64-callers`).
#
# Needs g++, protoc with grpc_cpp_plugin, libgrpc++-dev and h2load (Debian: g++,
# protobuf-compiler-grpc, libgrpc++-dev, nghttp2-client; installed when missing and apt-get is usable).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
requests=${2:-200000}
shared=${FERRY_SHARED:-$(cd .. && pwd)/../shared}
# The Ferry server variant: ferry, or ferry-el (handlers on the connections' event loops).
ferry_impl=${FERRY_IMPL:-ferry}

need=()
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v grpc_cpp_plugin >/dev/null || need+=(protobuf-compiler-grpc)
pkg-config --exists grpc++ 2>/dev/null || need+=(libgrpc++-dev)
command -v g++ >/dev/null || need+=(g++)
if ((${#need[@]})); then
    if [[ $(id -u) -eq 0 && -x "$(command -v apt-get)" ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "missing: ${need[*]} (apt-get install them)" >&2
        exit 1
    fi
fi

# The C++ server, built into .build/cpp (generated code included) when its sources changed.
cpp=.build/cpp
mkdir -p "$cpp"
if [[ ! -x $cpp/echo_server || cpp/echo_server.cc -nt $cpp/echo_server || cpp/echo.proto -nt $cpp/echo_server ]]; then
    cp "$shared/bench/bench.proto" cpp/echo.proto "$cpp/"
    protoc -I "$cpp" --cpp_out="$cpp" --grpc_out="$cpp" --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" \
        "$cpp/bench.proto" "$cpp/echo.proto"
    # shellcheck disable=SC2046  # pkg-config prints several flags
    g++ -O2 -std=c++17 -o "$cpp/echo_server" cpp/echo_server.cc "$cpp/echo.grpc.pb.cc" "$cpp/echo.pb.cc" \
        "$cpp/bench.pb.cc" -I "$cpp" $(pkg-config --cflags --libs grpc++ protobuf)
fi
if [[ ! -x $cpp/echo_client || cpp/echo_client.cc -nt $cpp/echo_client || $cpp/echo_server -nt $cpp/echo_client ]]; then
    # shellcheck disable=SC2046  # pkg-config prints several flags
    g++ -O2 -std=c++17 -pthread -o "$cpp/echo_client" cpp/echo_client.cc "$cpp/echo.grpc.pb.cc" "$cpp/echo.pb.cc" \
        "$cpp/bench.pb.cc" -I "$cpp" $(pkg-config --cflags --libs grpc++ protobuf)
fi
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

# Request bodies: one Length-Prefixed-Message each (RpcRequest: request_id 7, method_id 1, key).
python3 - "$work" <<'PY'
import struct, sys
def varint(n):
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        out += bytes([low | (0x80 if n else 0)])
        if not n:
            return out
def frame(key):
    message = b"\x08\x07\x10\x01\x1a" + varint(len(key)) + key
    return b"\x00" + struct.pack(">I", len(message)) + message
open(sys.argv[1] + "/small.bin", "wb").write(frame(b"order-7f3a9c21"))
open(sys.argv[1] + "/kib.bin", "wb").write(frame((b"order-7f3a9c21" * 80)[:1024]))
PY

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_server() { # $1: cpp or ferry; sets $server and $port
    port=$(free_port)
    : >"$work/server.log"
    if [[ $1 == cpp ]]; then
        taskset -c 0 "$cpp/echo_server" "$port" >"$work/server.log" 2>&1 &
        server=$!
    else
        # ferry-bench-rpc's server exits when its stdin closes: a FIFO held open by a sleeper.
        rm -f "$work/hold"
        mkfifo "$work/hold"
        sleep 100000 >"$work/hold" &
        holder=$!
        taskset -c 0 "$ferry_bin" server --impl "$ferry_impl" --port "$port" <"$work/hold" >"$work/server.log" 2>&1 &
        server=$!
    fi
    for _ in $(seq 1 100); do
        grep -qE "READY|listening" "$work/server.log" && return 0
        sleep 0.1
    done
    cat "$work/server.log" >&2
    exit 1
}

stop_server() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
    if [[ -n $holder ]]; then
        kill "$holder" 2>/dev/null || true
        wait "$holder" 2>/dev/null || true
        holder=""
    fi
}

load() { # $1: requests, $2: connections, $3: streams, $4: body file
    taskset -c 1 h2load -n "$1" -c "$2" -m "$3" -d "$4" -H 'content-type: application/grpc' -H 'te: trailers' \
        "http://127.0.0.1:$port/benchpb.Echo/Unary"
}

scenarios=("1x100 1 100 small" "4x64 4 64 small" "4x64-1KiB 4 64 kib")
# gRPC C++ client loads: name, callers, calls per caller (each caller also makes 1,000 warm-up calls).
client_scenarios=("seq 1 $((requests / 10))" "64-callers 64 $((requests / 64))")
results="$work/results.txt"
: >"$results"
for round in $(seq 1 "$rounds"); do
    order=(cpp ferry)
    ((round % 2 == 0)) && order=(ferry cpp)
    for impl in "${order[@]}"; do
        start_server "$impl"
        for scenario in "${scenarios[@]}"; do
            read -r name connections streams body <<<"$scenario"
            load 20000 "$connections" "$streams" "$work/$body.bin" >/dev/null # warm-up
            before=$(ticks "$server")
            report=$(load "$requests" "$connections" "$streams" "$work/$body.bin")
            after=$(ticks "$server")
            succeeded=$(grep -oE '[0-9]+ succeeded' <<<"$report" | grep -oE '[0-9]+')
            data=$(grep -oE '\(([0-9]+)\) data' <<<"$report" | grep -oE '[0-9]+' || true)
            expected=$((requests * $(stat -c %s "$work/$body.bin")))
            if [[ $succeeded != "$requests" || $data != "$expected" ]]; then
                echo "$impl $name: $succeeded of $requests succeeded, $data data bytes (expected $expected)" >&2
                echo "$report" >&2
                exit 1
            fi
            rate=$(grep -oE 'finished in [0-9.]+m?s, [0-9.]+ req/s' <<<"$report" | grep -oE '[0-9.]+ req/s' | cut -d' ' -f1)
            echo "$round $impl $name $requests $((after - before)) $rate - -" >>"$results"
        done
        for scenario in "${client_scenarios[@]}"; do
            read -r name callers calls <<<"$scenario"
            before=$(ticks "$server")
            report=$(taskset -c 1 "$cpp/echo_client" "$port" "$callers" "$calls")
            after=$(ticks "$server")
            read -r _ measured _ seconds _ p50 _ _ _ p99 <<<"$report"
            total=$((callers * (calls + 1000)))
            ((measured == callers * calls)) || { echo "$impl $name: $report" >&2; exit 1; }
            rate=$(python3 -c "print($total / $seconds)")
            echo "$round $impl $name $total $((after - before)) $rate $p50 $p99" >>"$results"
        done
        stop_server
    done
done

python3 - "$results" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
hz = int(sys.argv[2])
per = {}  # (scenario, impl) -> [(round, calls per CPU-second, req/s)]
latency = {}  # (scenario, impl) -> [(p50, p99)] for the client loads
for round_, impl, name, requests, ticks, rate, p50, p99 in rows:
    seconds = int(ticks) / hz
    per.setdefault((name, impl), []).append((int(round_), int(requests) / seconds, float(rate)))
    if p50 != "-":
        latency.setdefault((name, impl), []).append((float(p50), float(p99)))
print("| load | C++ calls / CPU-s | Ferry calls / CPU-s | Ferry / C++ (median, range) | C++ req/s | Ferry req/s |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name in dict.fromkeys(name for _, _, name, *_ in rows):
    cpp, ferry = sorted(per[(name, "cpp")]), sorted(per[(name, "ferry")])
    ratios = [f[1] / c[1] for c, f in zip(cpp, ferry)]
    print(
        f"| {name} | {statistics.median(c[1] for c in cpp):,.0f} | {statistics.median(f[1] for f in ferry):,.0f} "
        f"| {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) "
        f"| {statistics.median(c[2] for c in cpp):,.0f} | {statistics.median(f[2] for f in ferry):,.0f} |"
    )
print()
print("| load | C++ p50 / p99 µs | Ferry p50 / p99 µs (medians over rounds) |")
print("| --- | ---: | ---: |")
for name in dict.fromkeys(name for (name, _) in latency):
    cells = []
    for impl in ("cpp", "ferry"):
        runs = latency[(name, impl)]
        cells.append(f"{statistics.median(r[0] for r in runs):.0f} / {statistics.median(r[1] for r in runs):.0f}")
    print(f"| {name} | {cells[0]} | {cells[1]} |")
PY
