#!/usr/bin/env bash
# Builds and runs Ferry's libFuzzer targets (the separate package Fuzz/, which depends on Ferry by path).
#
#   scripts/fuzz.sh --list            the target names, one per line
#   scripts/fuzz.sh TARGET SECONDS    build TARGET (incrementally) and fuzz it for SECONDS
#   scripts/fuzz.sh all SECONDS       each target in turn, SECONDS each
#
# A run starts from a copy of the committed seeds (Fuzz/Corpus/TARGET/) and reports a crash, a
# sanitizer error (AddressSanitizer; LeakSanitizer at exit of each input), an input slower than
# 30 s, an allocation over 256 MiB or a resident size over 2 GiB. Exit 0 when nothing was found;
# otherwise non-zero, with the offending input's path printed (kept in Fuzz/.build/fuzz-artifacts/).
# Reproduce one with: Fuzz/.build/debug/TARGET PATH
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/Fuzz"
targets=(FuzzCodec FuzzDeframer FuzzHTTP2Server FuzzProtoCompiler FuzzRegistryJSON)

usage() {
    echo "usage: scripts/fuzz.sh --list | TARGET SECONDS | all SECONDS" >&2
    exit 2
}

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${targets[@]}"
    exit 0
fi
[ $# -eq 2 ] || usage
target="$1"
seconds="$2"
[[ "$seconds" =~ ^[0-9]+$ ]] || usage

if [ "$target" = "all" ]; then
    failed=()
    for name in "${targets[@]}"; do
        "$0" "$name" "$seconds" || failed+=("$name")
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "fuzz: findings in ${failed[*]}" >&2
        exit 1
    fi
    exit 0
fi
printf '%s\n' "${targets[@]}" | grep -qx "$target" || { echo "fuzz: unknown target $target (see --list)" >&2; exit 2; }

"$root/scripts/ensure-deps.sh"

# Debug build (so the HTTP/2 and registry targets may @testable import Ferry's modules), every Swift
# module instrumented for coverage and AddressSanitizer. Fuzz/Sources/FuzzEntry explains `main`.
# (SwiftPM also tries to link the `ferry` tool of Ferry's build plugin with these flags and reports
# that as an error; no fuzz target uses the plugin, and the build still succeeds.)
log="$fuzz/.build/fuzz-build-$target.log"
mkdir -p "$fuzz/.build"
echo "fuzz: building $target"
if ! swift build --package-path "$fuzz" -c debug \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        --product "$target" >"$log" 2>&1; then
    grep -v "Cannot export local symbol" "$log" | tail -40 >&2
    echo "fuzz: building $target failed (log: $log)" >&2
    exit 1
fi
binary="$fuzz/.build/debug/$target"

work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-fuzz-$target.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp "$fuzz/Corpus/$target/"* "$work/corpus/"
artifacts="$fuzz/.build/fuzz-artifacts/$target"
mkdir -p "$artifacts"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export LSAN_OPTIONS="suppressions=$fuzz/lsan-suppressions.txt:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
echo "fuzz: running $target for $seconds s"
status=0
"$binary" "$work/corpus" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=256 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$work/output.txt" 2>&1 || status=$?
grep -E "^(stat::|Done [0-9]+ runs)" "$work/output.txt" || true
if [ $status -ne 0 ]; then
    grep -v "^#[0-9]" "$work/output.txt" | tail -60 >&2
    found="$(grep -oE "Test unit written to [^ ]+" "$work/output.txt" | tail -1 | sed 's/Test unit written to //')"
    echo "fuzz: $target found a problem (exit $status); input: ${found:-unknown}" >&2
    exit 1
fi
echo "fuzz: $target ran $seconds s without findings"
