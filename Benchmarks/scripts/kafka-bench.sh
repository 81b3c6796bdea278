#!/usr/bin/env bash
# FerryKafka against confluent-kafka's Python client: the same records (benchpb.OrderPlaced from the
# shared `order` dataset, Confluent-framed through the registry) on the same mock cluster, rounds
# interleaved. Usage: Benchmarks/scripts/kafka-bench.sh [MESSAGES] [ROUNDS]   (defaults 100000, 3)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages="${1:-100000}"
rounds="${2:-3}"
cd "$root"
./scripts/ensure-deps.sh
swift build -c release --product ferry-kafka-mock -q
swift build --product ferry-registry -q
swift build -c release --package-path Benchmarks --product ferry-bench-kafka -q
release="$(swift build -c release --show-bin-path)"
debug="$(swift build --show-bin-path)"
bench="$(swift build -c release --package-path Benchmarks --show-bin-path)/ferry-bench-kafka"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

topics=()
for round in $(seq "$rounds"); do topics+=(--topic "ferry-$round:6" --topic "python-$round:6"); done
"$release/ferry-kafka-mock" --brokers 1 "${topics[@]}" >"$work/broker.log" 2>&1 &
pids+=($!)
"$debug/ferry-registry" --port 0 --memory >"$work/registry.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
    grep -q "^bootstrap" "$work/broker.log" && grep -q "^listening on" "$work/registry.log" && break
    sleep 0.1
done
bootstrap="$(grep -m1 '^bootstrap' "$work/broker.log" | cut -d' ' -f2)"
registry="$(grep -m1 '^listening on' "$work/registry.log" | cut -d' ' -f3)"
protoc -I "$root/../shared/bench" --include_imports --descriptor_set_out="$work/bench.pb" "$root/../shared/bench/bench.proto"

echo "# $(date -u +%FT%TZ) messages=$messages rounds=$rounds broker=ferry-kafka-mock (librdkafka $(pkg-config --modversion rdkafka)) python=$("$root/.venv/bin/python3" -c 'import confluent_kafka; print(confluent_kafka.version()[0], confluent_kafka.libversion()[0])')"
for round in $(seq "$rounds"); do
    timeout 300 "$bench" --bootstrap "$bootstrap" --registry "$registry" --topic "ferry-$round" --messages "$messages" --dataset "$root/../shared/bench/data" 2>>"$work/ferry.err" | sed "s/^RESULT/RESULT round=$round/"
    timeout 300 "$root/.venv/bin/python3" "$root/Benchmarks/scripts/kafka_bench.py" "$bootstrap" "$registry" "python-$round" "$messages" "$work/bench.pb" "$root/../shared/bench/data" 2>>"$work/python.err" | sed "s/^RESULT/RESULT round=$round/"
done | tee "$work/results.txt"
# A side that printed nothing failed: show why.
for side in ferry python; do [ -s "$work/$side.err" ] && { echo "--- $side stderr (last lines)"; tail -5 "$work/$side.err"; }; done
python3 - "$work/results.txt" <<'PY'
import re, statistics, sys
rates = {}
for line in open(sys.argv[1]):
    m = re.search(r"impl=(\S+) op=(\S+) msgs=\d+ seconds=\S+ rate=(\d+)", line)
    if m:
        rates.setdefault((m[1], m[2]), []).append(int(m[3]))
for op in ("produce", "consume"):
    ferry = statistics.median(rates.get(("ferry", op), [0]))
    python = statistics.median(rates.get(("confluent-kafka-python", op), [0]))
    print(f"{op}: ferry {ferry:,.0f} msg/s, confluent-kafka-python {python:,.0f} msg/s, ratio {ferry / python if python else 0:.2f}")
PY
