#!/usr/bin/env bash
# Per-call counts of Swift runtime and libc entry points in a running Ferry server, with uprobes:
# deterministic figures (the same to the second decimal from run to run) on a machine whose timings
# move ±15 %, and for the server over a real socket, which the in-process malloc benchmark
# (allocations.sh) does not cover. BENCHMARKS.md, "Runtime calls per call".
#
#   Benchmarks/scripts/runtime-counts.sh [IMPL...]     # default: ferry
#
# IMPL is a `ferry-bench-rpc server --impl` name (ferry, ferry-el, ferry-metrics, …). The server is
# pinned to CPU 0, h2load (1 connection × 100 streams) to CPU 1; after 20,000 warm-up calls, `perf
# stat` counts each probe over CALLS (default 20,000) calls. Probes slow every call they hit, so
# the counts are exact but the run's timing means nothing. Needs root (uprobes), perf and h2load
# (Debian: linux-perf, nghttp2-client), and a release build of ferry-bench-rpc (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${CALLS:-20000}
impls=("$@")
((${#impls[@]})) || impls=(ferry)
swift_lib=$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux
libc=$(ldconfig -p | awk '/libc.so.6 \(libc6,x86-64\)/ {print $NF; exit}')
probes=(
    "$libc malloc"
    "$swift_lib/libswiftCore.so swift_allocObject"
    "$swift_lib/libswiftCore.so swift_retain"
    "$swift_lib/libswiftCore.so _swift_getGenericMetadata"
    "$swift_lib/libswift_Concurrency.so swift_task_create"
    "$swift_lib/libswift_Concurrency.so swift_job_run"
    "$swift_lib/libswift_Concurrency.so swift_task_switch"
    "$swift_lib/libswift_Concurrency.so swift_task_alloc"
    "$swift_lib/libswift_Concurrency.so swift_continuation_await"
)
events=()
for probe in "${probes[@]}"; do
    read -r library symbol <<<"$probe"
    group=probe_$(basename "$library" | sed 's/\.so.*//; s/[^A-Za-z0-9_]/_/g')
    perf probe -q -x "$library" --add "$symbol" 2>/dev/null || true # already there is fine
    perf probe -l 2>/dev/null | grep -q "$group:$symbol " || { echo "cannot probe $symbol in $library" >&2; exit 1; }
    events+=("$group:$symbol")
done
swift build -c release --product ferry-bench-rpc >"${TMPDIR:-/tmp}/runtime-counts-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/runtime-counts-build.log" >&2; exit 1; }
bin=.build/release/ferry-bench-rpc
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
# The benchmarks' request (vs-cpp.sh): RpcRequest{request_id: 7, method_id: 1, key: "order-7f3a9c21"},
# gRPC-framed.
printf '\x00\x00\x00\x00\x14\x08\x07\x10\x01\x1a\x0eorder-7f3a9c21' >"$work/request.bin"
for impl in "${impls[@]}"; do
    mkfifo "$work/hold"
    sleep 100000 >"$work/hold" &
    holder=$!
    taskset -c 0 "$bin" server --impl "$impl" --port 0 <"$work/hold" >"$work/server.log" 2>&1 &
    server=$!
    port=""
    for _ in $(seq 1 100); do
        port=$(grep -oE 'READY [0-9]+' "$work/server.log" | grep -oE '[0-9]+' | head -1 || true)
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { cat "$work/server.log" >&2; exit 1; }
    load() {
        taskset -c 1 h2load -n "$1" -c 1 -m 100 -d "$work/request.bin" -H 'content-type: application/grpc' \
            -H 'te: trailers' "http://127.0.0.1:$port/benchpb.Echo/Unary"
    }
    load 20000 >/dev/null
    perf stat -x, -e "$(IFS=,; echo "${events[*]}")" -p "$server" -o "$work/stat.txt" &
    counter=$!
    sleep 0.5
    load "$calls" | grep -q "$calls succeeded" || { echo "$impl: not every call succeeded" >&2; exit 1; }
    kill -INT "$counter"
    wait "$counter" || true
    echo "$impl, per call over $calls unary calls (server process):"
    awk -F, -v n="$calls" '/probe/ { sub(/^probe_[^:]*:/, "", $3); printf "  %-26s %8.2f\n", $3, $1 / n }' "$work/stat.txt"
    kill "$server" "$holder" 2>/dev/null || true
    wait "$server" "$holder" 2>/dev/null || true
    rm -f "$work/hold"
done
