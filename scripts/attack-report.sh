#!/usr/bin/env bash
# Runs every attack of Tests/HardeningPeers/h2_attacks.py against Ferry's ferry-interop-server and against
# grpcio's TestService server (Tests/InteropPeers/interop_peer.py server), each attack on a fresh server
# process on 127.0.0.1, and prints a Markdown table of what each server did (for BENCHMARKS.md).
#
#   scripts/attack-report.sh [--ferry PATH] [--label NAME] [--attacks "a b ..."] [--no-grpcio] [--raw FILE]
#
# --ferry   the server binary (default .build/release/ferry-interop-server;
#           build it with `swift build -c release --product ferry-interop-server`)
# --label   what the Ferry column is called (default "Ferry (<binary name>)")
# --attacks a subset of `h2_attacks.py --list`
# --raw     also append the RESULT lines to FILE
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${FERRY_PYTHON:-$root/.venv/bin/python3}"
script="$root/Tests/HardeningPeers/h2_attacks.py"
ferry="$root/.build/release/ferry-interop-server"
label=""
attacks=""
grpcio=yes
raw=""
while [ $# -gt 0 ]; do
    case "$1" in
        --ferry) ferry="$2"; shift 2 ;;
        --label) label="$2"; shift 2 ;;
        --attacks) attacks="$2"; shift 2 ;;
        --no-grpcio) grpcio=no; shift ;;
        --raw) raw="$2"; shift 2 ;;
        *) echo "attack-report: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$ferry" ] || { echo "attack-report: no server at $ferry (swift build -c release --product ferry-interop-server)" >&2; exit 2; }
[ -x "$python" ] || { echo "attack-report: no python at $python (run scripts/ensure-deps.sh)" >&2; exit 2; }
[ -n "$label" ] || label="Ferry ($(basename "$ferry"))"
[ -n "$attacks" ] || attacks="$("$python" "$script" --list | tr '\n' ' ')"
# 1,000 concurrent connections need more descriptors than the usual 1,024 (the servers inherit this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    exec 3>&-
    rm -rf "$work"
}
trap cleanup EXIT

# Starts one server (ferry or grpcio) on an ephemeral port; sets server_pid and server_port.
start_server() {
    local kind="$1" log="$work/server.log"
    : > "$log"
    if [ "$kind" = ferry ]; then
        "$ferry" --port 0 --host 127.0.0.1 --max_seconds 600 > "$log" 2>&1 &
        server_pid=$!
    else
        # The grpcio peer serves until its stdin closes: feed it a fifo held open on fd 3.
        rm -f "$work/stdin"; mkfifo "$work/stdin"
        "$python" -u "$root/Tests/InteropPeers/interop_peer.py" server --port 0 --max_seconds 600 \
            < "$work/stdin" > "$log" 2>&1 &
        server_pid=$!
        exec 3> "$work/stdin"
    fi
    server_port=""
    for _ in $(seq 1 600); do
        server_port="$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$log" | head -n 1)"
        [ -n "$server_port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "attack-report: the $kind server did not report its port:" >&2
    cat "$log" >&2
    exit 1
}

stop_server() {
    exec 3>&-  # the grpcio peer's stdin: it stops once this closes
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

servers="ferry"
[ "$grpcio" = yes ] && servers="ferry grpcio"
for attack in $attacks; do
    for kind in $servers; do
        # grpcio serves gRPC over HTTP/2 only: the HTTP/1.1 attacks are Ferry's alone (its table cell is "-").
        [[ $kind == grpcio && $attack == http1-* ]] && continue
        start_server "$kind"
        line="$(timeout 180 "$python" "$script" "$attack" --port "$server_port" --server-pid "$server_pid" --canary \
            | grep '^RESULT ' | tail -n 1 || true)"
        [ -n "$line" ] || line="RESULT attack=$attack pass=no reason=\"no result (the attack script failed or timed out)\""
        kill -0 "$server_pid" 2>/dev/null || line="$line (server exited)"
        echo "$kind $line" >> "$work/results"
        echo "attack-report: $kind $attack: $(sed -n 's/.* pass=\([a-z]*\).*/\1/p' <<< "$line")" >&2
        stop_server
    done
done
[ -z "$raw" ] || cat "$work/results" >> "$raw"

LABEL="$label" "$python" - "$work/results" <<'EOF'
import os
import re
import sys

STANDARD = {"attack", "pass", "alive", "canary_during", "canary_after", "rss_before_kib", "rss_peak_kib",
            "rss_after_kib", "rss_bound", "seconds", "client_fd_limit"}
names = {"ferry": os.environ["LABEL"], "grpcio": "grpcio (interop_peer.py)"}


def mib(value):
    return f"{int(value) / 1024:.0f}" if value and value.isdigit() else "?"


rows = []
for row in open(sys.argv[1]):
    kind, line = row.rstrip("\n").split(" ", 1)
    reason = ""
    match = re.search(r' reason="(.*)"', line)
    if match:
        reason = match.group(1)
        line = line[:match.start()]
    rows.append((kind, dict(part.split("=", 1) for part in line.split()[1:] if "=" in part), reason))


def summary(fields):
    """One cell of the side-by-side table: verdict, RSS rise (at peak; after, for the soaks), GOAWAY code."""
    which = "after" if fields.get("rss_bound", "").startswith("after") else "peak"
    before, value = fields.get("rss_before_kib", ""), fields.get(f"rss_{which}_kib", "")
    rise = f"{(int(value) - int(before)) / 1024:+.0f} MiB" if before.isdigit() and value.isdigit() else "?"
    goaway = fields.get("goaway")
    return ("pass" if fields.get("pass") == "yes" else "**FAIL**") + f", RSS {which} {rise}" + (
        f", GOAWAY {goaway}" if goaway and goaway != "none" else "")


kinds = list(dict.fromkeys(kind for kind, _, _ in rows))
print("| attack | " + " | ".join(names[kind] for kind in kinds) + " |")
print("|---|" + "---|" * len(kinds))
for attack in dict.fromkeys(fields.get("attack", "?") for _, fields, _ in rows):
    cells = {kind: summary(fields) for kind, fields, _ in rows if fields.get("attack") == attack}
    print(f"| {attack} | " + " | ".join(cells.get(kind, "-") for kind in kinds) + " |")
print()
print("RSS bounds: each attack's peak at most 64 MiB above the level before it; soak-concurrent: after the third "
      "round of 1,000 connections x 10 calls, within 10 % of the level after the second; soak-sequential: after "
      "10,000 connections, within 8 MiB of the level after 200. Each attack on a fresh server process.\n")
print("| attack | server | survived | canary during / after | RSS MiB before → peak → after | what the server answered | verdict |")
print("|---|---|---|---|---|---|---|")
for kind, fields, reason in rows:
    answered = ", ".join(f"{k}={v}" for k, v in fields.items() if k not in STANDARD)
    verdict = "pass" if fields.get("pass") == "yes" else f"**fail**: {reason}"
    rss = f"{mib(fields.get('rss_before_kib'))} → {mib(fields.get('rss_peak_kib'))} → {mib(fields.get('rss_after_kib'))}"
    canary = f"{fields.get('canary_during', '?')} / {fields.get('canary_after', '?')}"
    print(f"| {fields.get('attack', '?')} | {names[kind]} | {fields.get('alive', '?')} | {canary} | {rss} | "
          f"{answered.replace('|', '/')} | {verdict.replace('|', '/')} |")
EOF
