#!/usr/bin/env bash
# Ferry's main job on its embedded defaults: compile Schemas/, generate Swift (messages and service
# stubs), encode and decode with it, serve the Payments service over gRPC and call it four ways.
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
echo "== ferry generate -I Schemas --swift_out $out" $schemas
"$bin/ferry" generate -I Schemas --swift_out "$out" $schemas
(cd "$out" && find . -name '*.swift' | sed 's|^\./||' | sort | while read -r f; do echo "   $f ($(wc -l < "$f") lines)"; done)
echo "== ferry descriptors (protoc-compatible FileDescriptorSet)"
"$bin/ferry" descriptors -I Schemas --include_imports --descriptor_set_out="$out/schemas.pb" $schemas
echo "   $out/schemas.pb ($(wc -c < "$out/schemas.pb") bytes)"
echo "== the generated types and stubs at work (ferry-demo: codec, then a gRPC server and client on loopback)"
"$bin/ferry-demo"

# The schema registry on its embedded default (SQLite), the same event schema checked twice.
swift build --product ferry-registry
registry_dir="$(mktemp -d)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
echo "== ferry registry serve --port $port --sqlite $registry_dir/registry.sqlite"
"$bin/ferry" registry serve --port "$port" --sqlite "$registry_dir/registry.sqlite" > "$registry_dir/server.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true; wait $registry_pid 2>/dev/null || true; rm -rf "$registry_dir"' EXIT
for _ in $(seq 1 100); do grep -q "listening" "$registry_dir/server.log" && break; sleep 0.1; done
url="http://127.0.0.1:$port"
events=Schemas/registry-demo/acme/events/orders.proto
echo "== ferry registry register orders-value $events"
echo "   schema id $("$bin/ferry" registry register --url "$url" orders-value "$events")"
sed 's/int64 order_id = 1;/string order_id = 1;/' "$events" > "$registry_dir/orders.proto"
echo "== a breaking change (order_id: int64 -> string) is refused:"
if "$bin/ferry" registry register --url "$url" orders-value "$registry_dir/orders.proto"; then
    echo "error: the registry accepted a breaking change" >&2
    exit 1
fi
echo "== ferry breaking --against, buf's WIRE rules (for CI; FILE is the default):"
mkdir -p "$registry_dir/old/acme/events" "$registry_dir/new/acme/events"
cp "$events" "$registry_dir/old/acme/events/"
cp "$registry_dir/orders.proto" "$registry_dir/new/acme/events/"
"$bin/ferry" breaking --category WIRE --against "$registry_dir/old" "$registry_dir/new" || echo "   (exit $?: breaking)"
