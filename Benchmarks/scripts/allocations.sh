#!/usr/bin/env bash
# Mallocs per call on Ferry's call path (BENCHMARKS.md, "Allocations per call"): package-benchmark's
# malloc interposer counts every allocation of a call, client and server in one process. Counts do
# not depend on the machine's noise, so a rise is a regression:
#
#   Benchmarks/scripts/allocations.sh           # run, print the counts, fail above Thresholds/
#   Benchmarks/scripts/allocations.sh update    # after an intended change: store the new counts
#
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
