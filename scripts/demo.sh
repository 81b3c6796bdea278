#!/usr/bin/env bash
# Ferry's main job on its embedded defaults: compile Schemas/, generate Swift, and use it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./scripts/ensure-deps.sh
swift build --product ferry
swift build --product ferry-demo
bin="$(swift build --show-bin-path)"
out="$root/.build/demo-generated"
rm -rf "$out"
schemas=$(cd Schemas && find . -name '*.proto' | sed 's|^\./||' | sort)
echo "== ferry generate -I Schemas --swift_out $out $schemas"
"$bin/ferry" generate -I Schemas --swift_out "$out" $schemas
(cd "$out" && find . -name '*.swift' | sed 's|^\./||' | sort | while read -r f; do echo "   $f ($(wc -l < "$f") lines)"; done)
echo "== ferry descriptors (protoc-compatible FileDescriptorSet)"
"$bin/ferry" descriptors -I Schemas --include_imports --descriptor_set_out="$out/schemas.pb" $schemas
echo "   $out/schemas.pb ($(wc -c < "$out/schemas.pb") bytes)"
echo "== the generated types at work (ferry-demo)"
"$bin/ferry-demo"
