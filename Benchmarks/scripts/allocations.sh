#!/usr/bin/env bash
# Mallocs per call on Ferry's call path (BENCHMARKS.md, "Allocations per call"): package-benchmark's
# malloc interposer counts every allocation of a call, client and server in one process. Counts do
# not depend on the machine's noise, so a rise is a regression:
#
#   Benchmarks/scripts/allocations.sh           # run, print the counts, fail on a change (above or below)
#   Benchmarks/scripts/allocations.sh update    # after an intended change: store the new counts
#
# `check` also exits 1 when a count fell below the stored one by more than the tolerance, so that
# an improvement is stored (with `update`) and cannot hide a later regression.
# Release build of the Benchmarks package (the first one takes several minutes). Not part of the
# test command: a script to run by hand before and after work on the call path.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-check}" in
    check)
        swift package --disable-sandbox benchmark thresholds check --target Allocations --format markdown ;;
    update)
        swift package --disable-sandbox --allow-writing-to-package-directory \
            benchmark thresholds update --target Allocations ;;
    *)
        echo "usage: $0 [check|update]" >&2; exit 2 ;;
esac
