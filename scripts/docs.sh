#!/usr/bin/env bash
# Builds the DocC documentation of every library module with the toolchain's docc, and fails when
# docc reports any warning (a broken ``Symbol`` link, an undocumented parameter, ...).
#
#   scripts/docs.sh                  # every module of a .library product in Package.swift
#   scripts/docs.sh FerryRPC ...     # only these modules
#
# Symbol graphs come from `swift package dump-symbol-graph`, which builds with the same settings as
# `swift build` (so an existing build is reused) and writes every module's graph; each module's
# catalog, Sources/<Module>/<Module>.docc, is then converted on its own. Archives go to
# .build/docs/<Module>.doccarchive. Links to another Ferry module's symbols cannot resolve in a
# per-module build: write those names in code voice (`RPCServer`), not as ``RPCServer``.
# DOCC overrides the docc binary (default: the one next to `swift`).
set -euo pipefail
cd "$(dirname "$0")/.."

docc="${DOCC:-$(dirname "$(command -v swift)")/docc}"
[ -x "$docc" ] || docc="$(command -v docc)"

if [ "$#" -gt 0 ]; then
    modules=("$@")
else
    # The targets of the .library products, in the order Package.swift lists them.
    mapfile -t modules < <(swift package dump-package | python3 -c '
import json, sys
seen = []
for product in json.load(sys.stdin)["products"]:
    if "library" in product["type"]:
        seen += [t for t in product["targets"] if t not in seen]
print("\n".join(seen))')
fi

output=.build/docs
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$output"

echo "symbol graphs: swift package dump-symbol-graph" >&2
swift package dump-symbol-graph --emit-extension-block-symbols >"$work/dump.log" 2>&1 || {
    cat "$work/dump.log" >&2
    exit 1
}
graphs="$(sed -n 's/^Files written to //p' "$work/dump.log" | tail -1)"
[ -d "$graphs" ] || {
    cat "$work/dump.log" >&2
    echo "error: no symbol graph directory in dump-symbol-graph's output" >&2
    exit 1
}

total=0
summary=()
for module in "${modules[@]}"; do
    catalog="Sources/$module/$module.docc"
    moduleGraphs="$work/graphs/$module"
    mkdir -p "$moduleGraphs"
    # The module's own graph and those of its extensions to other modules' types (Module@Other).
    cp "$graphs/$module.symbols.json" "$moduleGraphs/"
    cp "$graphs/$module@"*.symbols.json "$moduleGraphs/" 2>/dev/null || true
    arguments=(
        --additional-symbol-graph-dir "$moduleGraphs"
        --fallback-display-name "$module"
        --fallback-bundle-identifier "dev.ferry.$module"
        --output-path "$output/$module.doccarchive"
    )
    log="$work/$module.log"
    status=0
    if [ -d "$catalog" ]; then
        "$docc" convert "$catalog" "${arguments[@]}" >"$log" 2>&1 || status=$?
    else
        echo "warning: $module has no DocC catalog ($catalog)" >"$log"
    fi
    warnings=$(grep -cE '^(warning|error):' "$log" || true)
    if [ "$status" -ne 0 ] && [ "$warnings" -eq 0 ]; then warnings=1; fi
    if [ "$warnings" -gt 0 ]; then
        # docc prints each diagnostic with its source excerpt; paths are relative to the catalog.
        echo "== $module ($catalog)" >&2
        grep -vE '^(Finished|Generated|Converted|Documentation|Processing)' "$log" >&2 || true
    fi
    total=$((total + warnings))
    summary+=("$(printf '%-22s %3d warning(s)' "$module" "$warnings")")
done

printf '%s\n' "${summary[@]}"
if [ "$total" -gt 0 ]; then
    echo "error: docc reported $total warning(s)" >&2
    exit 1
fi
echo "documentation: $output/<Module>.doccarchive"
