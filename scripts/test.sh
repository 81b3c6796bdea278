#!/usr/bin/env bash
# Runs Ferry's whole test suite, installing what it needs first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./scripts/ensure-deps.sh
export FERRY_PYTHON="$root/.venv/bin/python3"
swift build --build-tests
swift test --skip-build
