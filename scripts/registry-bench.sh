#!/usr/bin/env bash
# The schema registry's benchmarks, release build (BENCHMARKS.md, "Schema registry"):
#  1. ferry-bench-registry: registrations per second on memory, SQLite and PostgreSQL (versions 1–100
#     and 901–1000 of one subject, a second subject, eight clients at once), two instances on one
#     PostgreSQL database (fails on a duplicate id), client look-ups;
#  2. the server's look-ups by id on one core: ferry-registry pinned to CPU 0 (SQLite), h2load over
#     HTTP/1.1 pinned to CPU 1, requests per second and per server CPU-second.
# Needs PostgreSQL's server binaries and h2load (Debian: postgresql, nghttp2-client; installed when
# missing and apt-get is usable).
#
#   scripts/registry-bench.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200000}

if ! command -v h2load >/dev/null; then
    if [[ $(id -u) -eq 0 && -x "$(command -v apt-get)" ]]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null) >&2
    else
        echo "h2load not found (apt-get install nghttp2-client)" >&2; exit 1
    fi
fi
swift build -c release --product ferry-bench-registry >&2
swift build -c release --product ferry-registry >&2
bin=$(swift build -c release --show-bin-path)

eval "$(scripts/postgres-test-cluster.sh start --owner $$)"
work=$(mktemp -d)
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null
    scripts/postgres-test-cluster.sh stop "$FERRY_POSTGRES_DIR" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "## ferry-bench-registry"
"$bin/ferry-bench-registry" --postgres "$FERRY_POSTGRES_URL" 2>/dev/null | grep '^|'

echo
echo "## look-ups by id, server on one core"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
taskset -c 0 "$bin/ferry-registry" --port "$port" --sqlite "$work/registry.sqlite" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q listening "$work/server.log" && break; sleep 0.1; done
grep -q listening "$work/server.log" || { cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"
curl -sf -X PUT -H 'content-type: application/json' -d '{"compatibility":"NONE"}' "$base/config" >/dev/null
urls=()
for i in $(seq 1 20); do
    body="{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\"; package bench; message Event$i { int64 id = 1; }\"}"
    id=$(curl -sf -X POST -H 'content-type: application/vnd.schemaregistry.v1+json' -d "$body" "$base/subjects/bench-$i/versions" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    urls+=("$base/schemas/ids/$id")
done
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(ticks)
report=$(taskset -c 1 h2load --h1 -c 16 -n "$requests" "${urls[@]}")
after=$(ticks)
echo "$report" | grep -E "finished in|requests:|status codes"
hz=$(getconf CLK_TCK)
python3 - "$requests" "$before" "$after" "$hz" <<'PY'
import sys
requests, before, after, hz = (int(v) for v in sys.argv[1:])
seconds = (after - before) / hz
print(f"server CPU {seconds:.2f} s for {requests} look-ups: {requests / seconds:,.0f} per server CPU-second")
PY
