#!/usr/bin/env bash
# The Swift files swift-format owns: everything in Sources, Tests, Plugins, Benchmarks and Fuzz but
# generated code (*.pb.swift and Generated/ folders, which the generator writes) and build output.
#
#   scripts/format-files.sh | tr '\n' '\0' | xargs -0 swift format lint --strict     # what the test command checks
#   scripts/format-files.sh | tr '\n' '\0' | xargs -0 swift format format --in-place # to fix what it reports
#
# Some paths hold spaces (`Test Utilities`): pass them on with xargs -0, not `$(...)`.
set -euo pipefail
cd "$(dirname "$0")/.."
find Sources Tests Plugins Benchmarks/Sources Benchmarks/Allocations Fuzz/Sources -name '*.swift' \
    -not -path '*/.build/*' -not -name '*.pb.swift' -not -path '*/Generated/*' | sort
