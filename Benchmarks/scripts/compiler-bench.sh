#!/usr/bin/env bash
# `ferry descriptors` beside protoc on googleapis (BENCHMARKS.md, "Compiler"): wall time for the
# first 1,000 / 2,000 / 4,000 files (sorted by path) and for all of them in one invocation, then
# all of them in batches of 200; each output compared byte for byte with protoc's. Both read the
# well-known types from /usr/include (protoc 3.21's copies; ferry's built-in descriptor.proto is newer).
#
#   Benchmarks/scripts/compiler-bench.sh [FERRY_BINARY]
#
# The default binary is a release build linked with --static-swift-stdlib (in .build-static), as a
# command-line tool is shipped: it starts in 10 ms instead of 20 (no 51 shared libraries to bind)
# and calls into the Swift runtime directly. Its FoundationNetworking needs libcurl's static
# development files (Debian: libcurl4-openssl-dev, installed when missing and apt-get is usable).
#
# The file names go in response files (@list, as protoc reads them): ArgumentParser's handling of
# positional arguments grows quadratically (1.2 s of parsing for 7,233 names on the command line).
# Run from the repository root. Needs protoc (Debian: protobuf-compiler) and ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
ferry=${1:+$(realpath "$1")}
if [[ -z "$ferry" ]]; then
    if [[ ! -e /usr/lib/x86_64-linux-gnu/libcurl.so && $(id -u) -eq 0 && -x "$(command -v apt-get)" ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev >/dev/null
    fi
    static=(-c release --product ferry --static-swift-stdlib --scratch-path .build-static)
    swift build "${static[@]}" >&2
    ferry="$(swift build "${static[@]}" --show-bin-path)/ferry"
fi
corpus=$(cd ../shared/corpus/googleapis && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$corpus" && find google grafeas -name '*.proto' | LC_ALL=C sort) >"$work/all.txt"
total=$(wc -l <"$work/all.txt")

seconds() { # runs "$@", prints its wall time in seconds
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.2f}')"
}

echo "| files | protoc / s | ferry / s | ferry / protoc | ferry ms per file | output |"
echo "| ---: | ---: | ---: | ---: | ---: | --- |"
for count in 1000 2000 4000 "$total"; do
    head -n "$count" "$work/all.txt" >"$work/list.txt"
    p=$(cd "$corpus" && seconds protoc -I . -I /usr/include --include_imports -o "$work/protoc.pb" "@$work/list.txt")
    f=$(cd "$corpus" && seconds "$ferry" descriptors -I . -I /usr/include --include_imports -o "$work/ferry.pb" "@$work/list.txt")
    same=$(cmp -s "$work/protoc.pb" "$work/ferry.pb" && echo identical || echo DIFFERENT)
    python3 -c "print(f'| {$count:,} | {$p} | {$f} | {$f / $p:.2f} | {1000 * $f / $count:.2f} | $same |')"
done

# Batches of 200: what a build that compiles a few directories at a time pays.
split -l 200 "$work/all.txt" "$work/batch."
batch_time() { # $1: protoc or ferry
    local total_seconds=0 list t
    for list in "$work"/batch.*; do
        if [[ $1 == protoc ]]; then
            t=$(cd "$corpus" && seconds protoc -I . -I /usr/include --include_imports -o "$work/b.pb" "@$list")
        else
            t=$(cd "$corpus" && seconds "$ferry" descriptors -I . -I /usr/include --include_imports -o "$work/b.pb" "@$list")
        fi
        total_seconds=$(python3 -c "print($total_seconds + $t)")
    done
    echo "$total_seconds"
}
p=$(batch_time protoc)
f=$(batch_time ferry)
python3 -c "print(f'| all, batches of 200 | {$p:.2f} | {$f:.2f} | {$f / $p:.2f} | {1000 * $f / $total:.2f} | |')"
