#!/usr/bin/env bash
# Compares the generated Swift and its compiled release object code, Ferry against SwiftProtobuf,
# for protobuf's own test schemas. Builds a throwaway package in a temporary folder.
#
#   Benchmarks/scripts/code-size.sh [PROTOC_GEN_SWIFT]
#   FERRY_ONLY=1 Benchmarks/scripts/code-size.sh    # the Ferry side only
#
# PROTOC_GEN_SWIFT defaults to /tmp/swift-protobuf/.build/release/protoc-gen-swift (build it as
# Benchmarks/README.md says).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${FERRY_SHARED:-$root/../shared}/corpus/protobuf-3.21.12"
plugin_swift="${1:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}"
files=(google/protobuf/unittest.proto google/protobuf/unittest_import.proto google/protobuf/unittest_import_public.proto
       google/protobuf/map_unittest.proto google/protobuf/test_messages_proto3.proto google/protobuf/test_messages_proto2.proto)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && swift build --product protoc-gen-ferry >/dev/null)
mkdir -p "$work/Sources/SizeFerry" "$work/Sources/SizeSwiftProtobuf"
protoc -I "$corpus" --plugin=protoc-gen-ferry="$root/.build/debug/protoc-gen-ferry" \
    --ferry_out="$work/Sources/SizeFerry" --ferry_opt=FileNaming=PathToUnderscores,Services=false "${files[@]}"
if [ "${FERRY_ONLY:-0}" != 1 ]; then
    protoc -I "$corpus" --plugin=protoc-gen-swift="$plugin_swift" \
        --swift_out="$work/Sources/SizeSwiftProtobuf" --swift_opt=FileNaming=PathToUnderscores,Visibility=Public "${files[@]}"
else
    echo "// not measured (FERRY_ONLY=1)" > "$work/Sources/SizeSwiftProtobuf/Placeholder.swift"
fi
cat > "$work/Package.swift" <<PKG
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "CodeSize",
    products: [
        .library(name: "SizeFerry", type: .static, targets: ["SizeFerry"]),
        .library(name: "SizeSwiftProtobuf", type: .static, targets: ["SizeSwiftProtobuf"]),
    ],
    dependencies: [
        .package(path: "$root"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .target(name: "SizeFerry", dependencies: [.product(name: "FerryCodec", package: "main")]),
        .target(name: "SizeSwiftProtobuf", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    ]
)
PKG
sed -i "s|package: \"main\"|package: \"$(basename "$root")\"|" "$work/Package.swift"
# FERRY_ONLY=1 builds and reports the Ferry side only (for comparing two Ferry commits quickly).
impls=(SizeFerry SizeSwiftProtobuf)
if [ "${FERRY_ONLY:-0}" = 1 ]; then impls=(SizeFerry); fi
for impl in "${impls[@]}"; do (cd "$work" && swift build -c release --product "$impl" >/dev/null); done

lines() { cat "$1"/*.swift | wc -l; }
bytes() { cat "$1"/*.swift | wc -c; }
objects() { size -t "$work"/.build/release/"$1".build/*.o | tail -1 | awk '{print $1 + $2}'; }
proto_lines=$(cd "$corpus" && cat "${files[@]}" | wc -l)
printf "schemas: %s (%s lines of .proto)\n" "${files[*]}" "$proto_lines"
printf "%-14s %12s %12s %10s %16s\n" impl swift_lines swift_bytes ratio text+data_bytes
for impl in "${impls[@]}"; do
    l=$(lines "$work/Sources/$impl"); b=$(bytes "$work/Sources/$impl"); o=$(objects "$impl")
    printf "%-14s %12s %12s %9.1fx %16s\n" "${impl#Size}" "$l" "$b" "$(echo "$l / $proto_lines" | bc -l)" "$o"
done
