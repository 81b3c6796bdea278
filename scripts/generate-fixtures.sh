#!/bin/sh
# Regenerates every file produced by protoc-gen-ferry that is committed to the repository:
# the runtime's descriptor.proto and well-known types, the plugin's plugin.proto types, and the
# corpus fixtures of GeneratedCorpusTests. CI runs it and fails on any difference.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${FERRY_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus/protobuf-3.21.12
PROTOC=${PROTOC:-/usr/bin/protoc}
# The runtime's descriptor.proto, well-known types and plugin.proto are protobuf's current ones
# (Sources/FerrySchema/WellKnownProtos, from protobuf 35), which need protoc 35 (grpcio-tools, in the venv).
WELL_KNOWN=$ROOT/Sources/FerrySchema/WellKnownProtos
cd "$ROOT"
swift build --product protoc-gen-ferry >/dev/null
PLUGIN=$ROOT/.build/debug/protoc-gen-ferry
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

gen() { # gen OUTDIR OPTIONS INCLUDE FILE...
    out=$1; opt=$2; inc=$3; shift 3
    mkdir -p "$out"
    "$PROTOC" --plugin=protoc-gen-ferry="$PLUGIN" -I "$inc" --ferry_out="$out" --ferry_opt="$opt" "$@"
}
gen35() { # as gen, with protoc 35
    out=$1; opt=$2; inc=$3; shift 3
    mkdir -p "$out"
    "$ROOT/.venv/bin/python3" -m grpc_tools.protoc --plugin=protoc-gen-ferry="$PLUGIN" -I "$inc" --ferry_out="$out" --ferry_opt="$opt" "$@"
}

# The runtime module generates into itself (no `import FerryCodec`).
gen35 "$TMP/runtime" "GeneratingRuntime=true,FileNaming=DropPath" "$WELL_KNOWN" google/protobuf/descriptor.proto
cp "$TMP/runtime/descriptor.pb.swift" Sources/FerryCodec/Descriptors/descriptor.pb.swift
mkdir -p Sources/FerryCodec/WellKnownTypes
gen35 Sources/FerryCodec/WellKnownTypes "GeneratingRuntime=true,FileNaming=DropPath" "$WELL_KNOWN" \
    google/protobuf/any.proto google/protobuf/api.proto google/protobuf/duration.proto \
    google/protobuf/empty.proto google/protobuf/field_mask.proto google/protobuf/source_context.proto \
    google/protobuf/struct.proto google/protobuf/timestamp.proto google/protobuf/type.proto \
    google/protobuf/wrappers.proto

# The plugin's own request and response types.
gen35 Sources/protoc-gen-ferry "Visibility=internal,FileNaming=DropPath" "$WELL_KNOWN" google/protobuf/compiler/plugin.proto

# Corpus fixtures.
OUT=Tests/GeneratedCorpusTests/Generated
rm -rf "$OUT"
gen "$OUT" "Visibility=internal,FileNaming=PathToUnderscores" "$SHARED/bench" bench.proto
gen "$OUT" "Visibility=internal,FileNaming=PathToUnderscores" "$CORPUS" \
    google/protobuf/test_messages_proto3.proto google/protobuf/test_messages_proto2.proto \
    google/protobuf/unittest.proto google/protobuf/unittest_import.proto google/protobuf/unittest_import_public.proto \
    google/protobuf/map_unittest.proto google/protobuf/unittest_custom_options.proto \
    google/protobuf/unittest_proto3_optional.proto google/protobuf/unittest_proto3.proto
gen "$OUT" "Visibility=internal,FileNaming=PathToUnderscores" Tests/GeneratedCorpusTests/Schemas \
    naming_torture.proto naming_torture3.proto

# The list of generated message types, so tests can decode by protobuf name.
{
    echo "// DO NOT EDIT. Written by scripts/generate-fixtures.sh: every message type generated above."
    echo "import FerryCodec"
    echo
    echo "let allGeneratedMessages: [any FerryCodec.DescribedMessage.Type] = ["
    # Messages nest as their .proto nests: a struct's Swift name is the chain of enclosing structs.
    awk '/^ *(public |internal )?struct [A-Za-z0-9_]+: FerryCodec.DescribedMessage \{$/ {
        match($0, /^ */); depth = RLENGTH / 4
        name = $0; sub(/^ *(public |internal )?struct /, "", name); sub(/:.*/, "", name)
        chain[depth] = name; full = chain[0]
        for (i = 1; i <= depth; i++) full = full "." chain[i]
        print "    " full ".self,"
    }' "$OUT"/*.pb.swift | LC_ALL=C sort
    echo "]"
} > "$OUT/AllMessages.swift"
