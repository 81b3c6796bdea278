#!/usr/bin/env bash
# The Swift files swift-format owns: everything in Sources, Tests, Plugins, Benchmarks and Fuzz but
# generated code (*.pb.swift and Generated/ folders, which the generator writes) and build output.
#
#   swift format lint --strict $(scripts/format-files.sh)     # what the test command checks
#   swift format format --in-place $(scripts/format-files.sh) # to fix what it reports
set -euo pipefail
cd "$(dirname "$0")/.."
find Sources Tests Plugins Benchmarks/Sources Fuzz/Sources -name '*.swift' \
    -not -path '*/.build/*' -not -name '*.pb.swift' -not -path '*/Generated/*' | sort
