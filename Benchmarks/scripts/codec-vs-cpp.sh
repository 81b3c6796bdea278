#!/usr/bin/env bash
# Ferry's codec against protobuf C++ (Debian's libprotobuf) on the shared datasets
# (../shared/bench/README.md): binary decode and encode MB/s, both harnesses in one run.
#
#   Benchmarks/scripts/codec-vs-cpp.sh [ROUNDS]           # default: 2 rounds
#
# C++ side: cpp/codec_bench.cc, built into .build/cpp with g++ -O2 when its sources changed, two
# implementations: cpp-heap (a heap object per message) and cpp-arena (one Arena per decode pass).
# Swift side: ferry-bench-codec --impl ferry (swift build -c release, run here, not beforehand).
# Both print the README's RESULT/CHECK lines, measured the same way (per-thread CPU time, 0.1 s
# warm-up, 5 measurements of ~1 s, median pass). A round runs the C++ harness and the Swift one,
# alternating which goes first. The table gives per dataset and op the median MB/s over the rounds
# of each implementation (decode: payload bytes / median pass; encode: output bytes / median pass)
# and the per-round ratio ferry / max(cpp-heap, cpp-arena), its median and range (> 1: Ferry faster).
#
# The Swift harness frees each pass's results inside its timed region, so codec_bench runs with
# --time-free by default (its frees, or the arena's destruction, are timed too); CPP_FREE=untimed
# leaves them out instead. Other environment: DATASETS=order,small (default: all five),
# FERRY_BENCH_DATA (default: ../shared/bench/data beside the repository), FERRY_SHARED,
# KEEP=DIR (copy each round's raw output there).
#
# Needs g++, pkg-config, protoc and libprotobuf-dev (Debian: g++, pkg-config, protobuf-compiler,
# libprotobuf-dev; installed when missing and apt-get is usable), python3, and a Swift toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
shared=${FERRY_SHARED:-$(cd .. && pwd)/../shared}
data=${FERRY_BENCH_DATA:-$shared/bench/data}
datasets=${DATASETS:-order,numeric,strings,tree,small}
case ${CPP_FREE:-timed} in
    timed) cpp_flags=(--time-free) ;;
    untimed) cpp_flags=() ;;
    *) echo "CPP_FREE must be timed or untimed" >&2; exit 2 ;;
esac
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ROUNDS]" >&2; exit 2; }

need=()
command -v g++ >/dev/null || need+=(g++)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v protoc >/dev/null || need+=(protobuf-compiler)
pkg-config --exists protobuf 2>/dev/null || need+=(libprotobuf-dev)
if ((${#need[@]})); then
    if [[ $(id -u) -eq 0 && -x "$(command -v apt-get)" ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "missing: ${need[*]} (apt-get install them)" >&2
        exit 1
    fi
fi

# The C++ harness, built into .build/cpp when its sources changed. Its generated code goes to
# .build/cpp/codec-pb, apart from vs-cpp.sh's. The source is compiled by absolute path so that
# its default data directory (found from __FILE__) works; --data-dir is passed below anyway.
cpp=.build/cpp
gen=$cpp/codec-pb
proto=$shared/bench/bench.proto
if [[ ! -x $cpp/codec_bench || cpp/codec_bench.cc -nt $cpp/codec_bench || $proto -nt $cpp/codec_bench ]]; then
    mkdir -p "$gen"
    rm -f "$gen/bench.proto"
    cp "$proto" "$gen/bench.proto"
    protoc -I "$gen" --cpp_out="$gen" "$gen/bench.proto"
    # shellcheck disable=SC2046  # pkg-config prints several flags
    g++ -O2 -std=c++17 -o "$cpp/codec_bench" "$PWD/cpp/codec_bench.cc" "$gen/bench.pb.cc" -I "$gen" \
        $(pkg-config --cflags --libs protobuf)
fi
swift build -c release --package-path . --product ferry-bench-codec >&2
swift_bin="$(swift build -c release --package-path . --show-bin-path)/ferry-bench-codec"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_cpp() { # $1: output file
    "$cpp/codec_bench" --dataset "$datasets" --data-dir "$data" "${cpp_flags[@]}" >"$1"
}
run_ferry() { # $1: output file. One process per op: the Swift harness's --op takes one op, and
    # without it the harness would also time JSON, which the C++ side does not do.
    "$swift_bin" --impl ferry --op decode --dataset "$datasets" --data-dir "$data" >"$1"
    "$swift_bin" --impl ferry --op encode --dataset "$datasets" --data-dir "$data" >>"$1"
}

for round in $(seq 1 "$rounds"); do
    order=(cpp ferry)
    ((round % 2 == 0)) && order=(ferry cpp)
    for side in "${order[@]}"; do
        echo "round $round/$rounds: $side" >&2
        "run_$side" "$work/round$round-$side.txt"
    done
done
if [[ -n ${KEEP:-} ]]; then
    mkdir -p "$KEEP"
    cp "$work"/round*.txt "$KEEP/"
fi

python3 - "$rounds" "${CPP_FREE:-timed}" "$work" <<'PY'
import re, statistics, sys
rounds, free_mode, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# RESULT lines as summarize-runs.py reads them; CHECK lines as the README writes them.
RESULT = re.compile(r"^RESULT impl=(\S+) dataset=(\S+) op=(\S+) msgs=\d+ bytes=(\d+) .* median_s=(\S+) ")
CHECK = re.compile(r"^CHECK impl=(\S+) dataset=(\S+) roundtrip=(\S+) bytes_identical=(\S+)")
mbps = {}    # (round, impl, dataset, op) -> MB/s at the median pass
checks = {}  # (impl, dataset) -> "roundtrip, bytes_identical" (the same every round)
keys = []    # (dataset, op) in the order first seen
for r in range(1, rounds + 1):
    for side in ("cpp", "ferry"):
        for line in open(f"{work}/round{r}-{side}.txt"):
            if m := RESULT.match(line):
                impl, dataset, op, size, median = m.groups()
                mbps[(r, impl, dataset, op)] = int(size) / float(median) / 1e6
                if (dataset, op) not in keys:
                    keys.append((dataset, op))
            elif m := CHECK.match(line):
                impl, dataset, roundtrip, identical = m.groups()
                checks[(impl, dataset)] = f"{roundtrip}, {identical}"
keys.sort(key=lambda k: k[1])  # all decode rows, then all encode rows
impls = ("ferry", "cpp-heap", "cpp-arena")
print(f"protobuf C++ against Ferry, {rounds} round(s); C++ frees {free_mode} "
      "(MB/s: median over rounds of each median pass; ratio per round, > 1 means Ferry is faster)")
print()
print("| dataset | op | ferry MB/s | cpp-heap MB/s | cpp-arena MB/s | ferry / max(C++) (median, range) |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for dataset, op in keys:
    cells = []
    for impl in impls:
        values = [mbps[(r, impl, dataset, op)] for r in range(1, rounds + 1) if (r, impl, dataset, op) in mbps]
        cells.append(f"{statistics.median(values):,.1f}" if values else "-")
    ratios = []
    for r in range(1, rounds + 1):
        ferry = mbps.get((r, "ferry", dataset, op))
        cpp = [mbps[(r, impl, dataset, op)] for impl in impls[1:] if (r, impl, dataset, op) in mbps]
        if ferry and cpp:
            ratios.append(ferry / max(cpp))
    ratio = f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})" if ratios else "-"
    print(f"| {dataset} | {op} | {' | '.join(cells)} | {ratio} |")
print()
order = list(dict.fromkeys(dataset for dataset, _ in keys))
print("Checks (roundtrip, bytes_identical): " + "; ".join(
    f"{impl} {dataset}: {checks[(impl, dataset)]}"
    for dataset in order for impl in impls if (impl, dataset) in checks))
PY
