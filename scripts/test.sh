#!/usr/bin/env bash
# Runs Ferry's whole test suite, installing what it needs first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./scripts/ensure-deps.sh
export FERRY_PYTHON="$root/.venv/bin/python3"

# Generated code committed to the repository must be exactly what the generator makes today.
./scripts/generate-fixtures.sh
generated=(Sources/FerryCodec/Descriptors Sources/FerryCodec/WellKnownTypes Sources/protoc-gen-ferry Tests/GeneratedCorpusTests/Generated)
if ! git diff --quiet -- "${generated[@]}" || [ -n "$(git ls-files --others --exclude-standard -- "${generated[@]}")" ]; then
    git --no-pager diff --stat -- "${generated[@]}"
    echo "error: committed generated code differs from the generator's output; run scripts/generate-fixtures.sh and commit" >&2
    exit 1
fi

# Formatting: swift-format with .swift-format (SwiftNIO's settings); fix with
# `scripts/format-files.sh | tr '\n' '\0' | xargs -0 swift format format --in-place`.
# (Paths go through xargs -0: some hold spaces, which `$(...)` would split into paths that do not
# exist and that swift-format then skips without a word.)
./scripts/format-files.sh | tr '\n' '\0' | xargs -0 swift format lint --strict --parallel

swift build --build-tests

# DocC: every library module's documentation builds with the toolchain's docc, without a warning
# (a broken ``Symbol`` link, an undocumented parameter, ...). Reuses the build above.
./scripts/docs.sh

./scripts/build-cpp-interop-server.sh

# Each libFuzzer target (the separate Fuzz/ package, built with -sanitize=fuzzer,address) for 30 s
# from its committed seeds; fails on any crash, sanitizer report, slow input or oversized allocation.
./scripts/fuzz.sh all 30

# A throwaway PostgreSQL cluster for the registry's shared-store tests, stopped however the run ends.
eval "$(./scripts/postgres-test-cluster.sh start)"
trap './scripts/postgres-test-cluster.sh stop "$FERRY_POSTGRES_DIR"' EXIT
swift test --skip-build
