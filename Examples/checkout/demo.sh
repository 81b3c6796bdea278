#!/usr/bin/env bash
# The checkout story on one machine: a schema registry on SQLite, a Kafka broker (librdkafka's mock
# cluster; pass BOOTSTRAP_SERVERS=host:port to use a real one), the payment service, the email
# worker, and checkout placing orders while payment freezes for a few seconds and comes back.
set -euo pipefail
cd "$(dirname "$0")"

# What the build needs from Debian: librdkafka, nghttp2, zlib (and protoc's well-known types).
missing=()
[ -f /usr/include/librdkafka/rdkafka_mock.h ] || missing+=(librdkafka-dev)
[ -f /usr/include/nghttp2/nghttp2.h ] || missing+=(libnghttp2-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== building (the first build compiles Ferry and its dependencies: several minutes)"
swift build -q
swift build -q --product ferry-registry
swift build -q --product ferry-kafka-mock
bin="$(swift build --show-bin-path)"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Waits (at most 30 s) for a line starting with $2 in file $1 and prints its last word.
await_line() {
    for _ in $(seq 300); do
        line="$(grep -m1 "^$2" "$1" 2>/dev/null || true)"
        if [ -n "$line" ]; then echo "${line##* }"; return; fi
        sleep 0.1
    done
    echo "demo: no '$2' in $1:" >&2; cat "$1" >&2; exit 1
}

if [ -z "${BOOTSTRAP_SERVERS:-}" ]; then
    "$bin/ferry-kafka-mock" --brokers 1 --topic orders:3 --topic orders.dlq:1 >"$work/broker.log" 2>&1 &
    pids+=($!)
    BOOTSTRAP_SERVERS="$(await_line "$work/broker.log" bootstrap)"
fi
"$bin/ferry-registry" --port 0 --sqlite "$work/registry.sqlite" >"$work/registry.log" 2>&1 &
pids+=($!)
registry="$(await_line "$work/registry.log" "listening on")"
"$bin/payment" --port 0 >"$work/payment.log" 2>&1 &
payment_pid=$!
pids+=($payment_pid)
payment="$(await_line "$work/payment.log" "payment: serving")"
echo "== broker $BOOTSTRAP_SERVERS, registry $registry, payment $payment"

"$bin/email-worker" --bootstrap-servers "$BOOTSTRAP_SERVERS" --registry "$registry" 2>"$work/email.err" &
pids+=($!)

# Payment freezes 2 s into the run and thaws 2.5 s later: connections still open, nothing answers.
( sleep 2; echo "== payment freezes (SIGSTOP)"; kill -STOP "$payment_pid"; sleep 2.5; echo "== payment is back (SIGCONT)"; kill -CONT "$payment_pid" ) &
pids+=($!)
"$bin/checkout" --payment "$payment" --bootstrap-servers "$BOOTSTRAP_SERVERS" --registry "$registry" \
    --orders 60 --interval-ms 150 --poison 2>"$work/checkout.err"
sleep 3
echo "== done: every paid order was announced once; the unreadable record went to orders.dlq"
