#!/usr/bin/env bash
# Compares `ferry breaking` with the Buf CLI (`buf breaking`, the oracle) on real schemas: the
# protobuf 3.21.12 corpus as the old module, and a copy with a fixed set of scripted mutations as
# the new one. For each category FILE, PACKAGE, WIRE_JSON and WIRE it runs both tools, compares
# the multisets of (type, path) pairs they report, and times them.
#
#   scripts/breaking-corpus.sh FERRY_BINARY
#
# Exits 1 when a category differs, 77 when buf is missing, 2 on a setup error. Both tools are
# timed after one warm-up run and the ratio printed; FERRY_BREAKING_TIME_GATE=1 also fails when
# Ferry takes more than twice buf's time summed over the categories (off by default: timings on a
# shared machine are too noisy to gate a test run on). Deleted files and packages are compared by
# rule only: buf gives them no path, Ferry names the old file. buf is found as $FERRY_BUF, else <repo>/.venv/bin/buf, else PATH; the corpus
# as $FERRY_CORPUS/protobuf-3.21.12, else <repo>/../shared/corpus/..., else /work/shared/corpus/...
# KEEP_WORK=1 keeps the temporary old/ and new/ modules for inspection.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 FERRY_BINARY" >&2
    exit 2
fi
ferry=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root="$(cd "$(dirname "$0")/.." && pwd)"
python=python3
[ -x "$root/.venv/bin/python3" ] && python="$root/.venv/bin/python3"

buf=${FERRY_BUF:-}
if [ -z "$buf" ]; then
    if [ -x "$root/.venv/bin/buf" ]; then buf="$root/.venv/bin/buf"; else buf=$(command -v buf || true); fi
fi
if [ -z "$buf" ] || [ ! -x "$buf" ]; then
    echo "buf not installed"
    exit 77
fi
if [ ! -x "$ferry" ]; then
    echo "breaking-corpus: $1 is not an executable" >&2
    exit 2
fi

corpus=""
for dir in ${FERRY_CORPUS:+"$FERRY_CORPUS"} "$root/../shared/corpus" /work/shared/corpus; do
    if [ -d "$dir/protobuf-3.21.12/google/protobuf" ]; then corpus="$dir/protobuf-3.21.12"; break; fi
done
if [ -z "$corpus" ]; then
    echo "breaking-corpus: protobuf-3.21.12 corpus not found (set FERRY_CORPUS)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-breaking-corpus.XXXXXX")
trap '[ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT

# The corpus files buf can take as one module. Left out: files with a message_set_wire_format
# message, which buf refuses ("is a MessageSet, which is a legacy proto1 feature that is no
# longer supported"): unittest_mset_wire_format.proto, unittest_lite.proto,
# test_messages_proto2.proto, unittest_custom_options.proto (uses a MessageSet extension in an
# option); and the files importing them: unittest_mset.proto, map_lite_unittest.proto.
files=(
    conformance.proto
    google/protobuf/any.proto
    google/protobuf/any_test.proto
    google/protobuf/api.proto
    google/protobuf/descriptor.proto
    google/protobuf/duration.proto
    google/protobuf/empty.proto
    google/protobuf/field_mask.proto
    google/protobuf/map_proto2_unittest.proto
    google/protobuf/map_unittest.proto
    google/protobuf/source_context.proto
    google/protobuf/struct.proto
    google/protobuf/test_messages_proto3.proto
    google/protobuf/timestamp.proto
    google/protobuf/type.proto
    google/protobuf/unittest.proto
    google/protobuf/unittest_arena.proto
    google/protobuf/unittest_drop_unknown_fields.proto
    google/protobuf/unittest_embed_optimize_for.proto
    google/protobuf/unittest_empty.proto
    google/protobuf/unittest_enormous_descriptor.proto
    google/protobuf/unittest_import.proto
    google/protobuf/unittest_import_lite.proto
    google/protobuf/unittest_import_public.proto
    google/protobuf/unittest_import_public_lite.proto
    google/protobuf/unittest_lazy_dependencies.proto
    google/protobuf/unittest_lazy_dependencies_custom_option.proto
    google/protobuf/unittest_lazy_dependencies_enum.proto
    google/protobuf/unittest_lite_imports_nonlite.proto
    google/protobuf/unittest_no_field_presence.proto
    google/protobuf/unittest_no_generic_services.proto
    google/protobuf/unittest_optimize_for.proto
    google/protobuf/unittest_preserve_unknown_enum.proto
    google/protobuf/unittest_preserve_unknown_enum2.proto
    google/protobuf/unittest_proto3.proto
    google/protobuf/unittest_proto3_arena.proto
    google/protobuf/unittest_proto3_arena_lite.proto
    google/protobuf/unittest_proto3_lite.proto
    google/protobuf/unittest_proto3_optional.proto
    google/protobuf/unittest_well_known_types.proto
    google/protobuf/wrappers.proto
)
for f in "${files[@]}"; do
    mkdir -p "$work/old/$(dirname "$f")"
    cp "$corpus/$f" "$work/old/$f"
done
cp -r "$work/old" "$work/new"

# The mutations. Each replacement must match exactly once, so a changed corpus fails loudly here
# instead of quietly testing less.
"$python" - "$work/new" <<'EOF'
import os, re, sys
new = sys.argv[1]
gp = "google/protobuf/"

def read(path):
    with open(os.path.join(new, path)) as f:
        return f.read()

def write(path, text):
    with open(os.path.join(new, path), "w") as f:
        f.write(text)

def sub(path, old, repl):
    text = read(path)
    n = text.count(old)
    if n != 1:
        sys.exit(f"breaking-corpus: mutation expects one {old!r} in {path}, found {n}")
    write(path, text.replace(old, repl))

def delete_message(path, name):
    text = read(path)
    m = list(re.finditer(r"^message %s \{" % re.escape(name), text, re.M))
    if len(m) != 1:
        sys.exit(f"breaking-corpus: mutation expects one message {name} in {path}, found {len(m)}")
    start, depth, i = m[0].start(), 0, m[0].end() - 1
    while True:
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    write(path, text[:start] + text[i + 1:].lstrip("\n"))

u = gp + "unittest.proto"
# FIELD_NO_DELETE / FIELD_NO_DELETE_UNLESS_*: a field deleted without reserving.
sub(u, "  optional    int64 optional_int64    =  2;\n", "")
# FIELD_SAME_TYPE, wire- but not JSON-compatible: uint32 -> uint64.
sub(u, "optional   uint32 optional_uint32   =  3;", "optional   uint64 optional_uint32   =  3;")
# FIELD_SAME_TYPE and both compatible-type rules: fixed32 -> string.
sub(u, "optional  fixed32 optional_fixed32  =  7;", "optional   string optional_fixed32  =  7;")
# FIELD_SAME_NAME and FIELD_SAME_JSON_NAME: a field renamed.
sub(u, "optional   sint32 optional_sint32   =  5;", "optional   sint32 optional_sint32_renamed = 5;")
# ENUM_VALUE_NO_DELETE*: an enum value deleted.
sub(u, "    BAZ = 3;\n    NEG = -1;  // Intentionally negative.\n  }\n\n  // Singular",
       "    BAZ = 3;\n  }\n\n  // Singular")
# FIELD_SAME_DEFAULT: a proto2 default changed.
sub(u, "optional    int32 default_int32    = 61 [default =  41    ];",
       "optional    int32 default_int32    = 61 [default =  42    ];")
# FIELD_SAME_ONEOF (+ nothing else in proto2): a field moved into a oneof.
sub(u, "  optional     bool optional_bool     = 13;\n", "")
sub(u, "  oneof oneof_field {\n    uint32 oneof_uint32 = 111;\n    NestedMessage oneof_nested_message = 112;\n",
       "  oneof oneof_field {\n    bool optional_bool = 13;\n    uint32 oneof_uint32 = 111;\n    NestedMessage oneof_nested_message = 112;\n")
# FIELD_SAME_TYPE on a message field: ForeignMessage -> TestAllTypes.NestedMessage.
sub(u, "optional ForeignMessage                       optional_foreign_message = 19;",
       "optional NestedMessage                        optional_foreign_message = 19;")
# MESSAGE_NO_DELETE / PACKAGE_MESSAGE_NO_DELETE: an unreferenced message deleted.
delete_message(u, "TestReallyLargeTagNumber")
# MESSAGE_SAME_REQUIRED_FIELDS: a required field added to a proto2 message.
sub(u, "message ForeignMessage {\n  optional int32 c = 1;\n  optional int32 d = 2;\n",
       "message ForeignMessage {\n  optional int32 c = 1;\n  optional int32 d = 2;\n  required int32 e = 3;\n")
# RESERVED_MESSAGE_NO_DELETE: a reserved name removed.
sub(u, 'reserved "bar", "baz";', 'reserved "bar";')
# FIELD_SAME_TYPE on an extension: int32 -> string.
sub(u, "optional    int32 optional_int32_extension    =  1;", "optional   string optional_int32_extension    =  1;")
# RPC_SAME_SERVER_STREAMING, and RPC_NO_DELETE.
sub(u, "rpc Foo(FooRequest) returns (FooResponse);", "rpc Foo(FooRequest) returns (stream FooResponse);")
sub(u, "  rpc Bar(BarRequest) returns (BarResponse);\n", "")

p3 = gp + "unittest_proto3.proto"
# FIELD_SAME_JSON_NAME: json_name added.
sub(p3, "  int32 optional_int32 = 1;", '  int32 optional_int32 = 1 [json_name = "i32"];')
# FIELD_SAME_CARDINALITY: implicit presence -> proto3 optional.
sub(p3, "  int64 optional_int64 = 2;", "  optional int64 optional_int64 = 2;")
# FIELD_SAME_TYPE, wire-compatible: string -> bytes.
sub(p3, "  string optional_string = 14;", "  bytes optional_string = 14;")
# FIELD_SAME_JSTYPE.
sub(p3, "  sint64 optional_sint64 = 6;", "  sint64 optional_sint64 = 6 [jstype = JS_STRING];")
# ENUM_VALUE_SAME_NAME: a top-level enum value renamed.
sub(p3, "  FOREIGN_BAZ = 6;\n}", "  FOREIGN_BAZZ = 6;\n}")

# FILE_SAME_GO_PACKAGE and FILE_SAME_JAVA_PACKAGE.
sub(gp + "descriptor.proto", 'option go_package = "google.golang.org/protobuf/types/descriptorpb";',
    'option go_package = "example.com/descriptorpb";')
sub(gp + "timestamp.proto", 'option java_package = "com.google.protobuf";', 'option java_package = "com.example.protobuf";')
# RPC_SAME_IDEMPOTENCY_LEVEL.
sub(gp + "unittest_no_generic_services.proto", "rpc Foo(TestMessage) returns (TestMessage);",
    "rpc Foo(TestMessage) returns (TestMessage) { option idempotency_level = NO_SIDE_EFFECTS; }")
# FILE_SAME_PACKAGE / PACKAGE_NO_DELETE.
sub(gp + "unittest_preserve_unknown_enum2.proto", "package proto2_preserve_unknown_enum_unittest;",
    "package proto2_preserve_unknown_enum_unittest_v2;")
# FILE_NO_DELETE (and PACKAGE_NO_DELETE: its package had no other file).
os.remove(os.path.join(new, gp + "unittest_drop_unknown_fields.proto"))
# FILE_NO_DELETE only: a file renamed, its types unchanged.
os.rename(os.path.join(new, gp + "unittest_proto3_optional.proto"),
          os.path.join(new, gp + "unittest_proto3_optional_renamed.proto"))
EOF

# Runs both tools for each category; prints differences and timings; decides the exit status.
"$python" - "$work" "$buf" "$ferry" <<'EOF'
import collections, json, os, subprocess, sys, time
work, buf, ferry = sys.argv[1:4]
categories = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]

def fail(msg):
    print(f"breaking-corpus: {msg}")
    sys.exit(1)

def parse(tool, category, proc, violation_code):
    if proc.returncode not in (0, violation_code):
        fail(f"{tool} exited {proc.returncode} ({category}):\n{proc.stderr}{proc.stdout}")
    pairs = collections.Counter()
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            v = json.loads(line)
        except json.JSONDecodeError:
            fail(f"{tool} printed a non-JSON line ({category}): {line!r}")
        if v.get("type") == "COMPILE":
            fail(f"{tool} could not compile the corpus ({category}):\n{proc.stdout}")
        # buf gives a deleted file or package no path; Ferry names the old file. Only the rule counts.
        path = "" if v.get("type") in ("FILE_NO_DELETE", "PACKAGE_NO_DELETE") else v.get("path", "")
        pairs[(v.get("type", ""), path)] += 1
    if proc.returncode == violation_code and not pairs:
        fail(f"{tool} exited {violation_code} without violations ({category}):\n{proc.stderr}")
    if proc.returncode == 0 and pairs:
        fail(f"{tool} exited 0 with violations ({category})")
    return pairs

def run_buf(category):
    cfg = json.dumps({"version": "v2", "breaking": {"use": [category]}}, separators=(",", ":"))
    cmd = [buf, "breaking", ".", "--against", "../old", "--config", cfg, "--against-config", cfg,
           "--error-format", "json"]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=f"{work}/new", capture_output=True, text=True, timeout=300)
    return time.monotonic() - start, parse("buf", category, proc, 100)

def run_ferry(category):
    cmd = [ferry, "breaking", "--against", "old", "new", "--category", category, "--error-format", "json"]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=300)
    return time.monotonic() - start, parse("ferry", category, proc, 1)

run_buf("FILE")      # warm-up runs: caches, page cache, buf's first-run setup
run_ferry("FILE")
differ = False
buf_total = ferry_total = 0.0
for category in categories:
    buf_time, want = run_buf(category)
    ferry_time, got = run_ferry(category)
    buf_total += buf_time
    ferry_total += ferry_time
    if not want:
        fail(f"buf reports nothing for {category}: the mutations no longer exercise it")
    for (rule, path), n in sorted((want - got).items()):
        print(f"{category}: only buf: {rule} {path or '(no path)'}" + (f" x{n}" if n > 1 else ""))
    for (rule, path), n in sorted((got - want).items()):
        print(f"{category}: only ferry: {rule} {path or '(no path)'}" + (f" x{n}" if n > 1 else ""))
    same = want == got
    differ |= not same
    print(f"{category}: {'agree' if same else 'DIFFER'} ({sum(want.values())} buf, {sum(got.values())} ferry violations); "
          f"buf {buf_time:.3f}s, ferry {ferry_time:.3f}s, ferry/buf {ferry_time / buf_time:.2f}")
ratio = ferry_total / buf_total
print(f"breaking-corpus: buf {buf_total:.3f}s, ferry {ferry_total:.3f}s over {len(categories)} categories, ferry/buf {ratio:.2f}")
if differ:
    fail("ferry and buf differ")
# Timing is reported, and enforced only on request: a shared CI machine is too noisy to gate on it.
if ratio > 2 and os.environ.get("FERRY_BREAKING_TIME_GATE") == "1":
    fail("ferry is more than twice as slow as buf")
print("breaking-corpus: ferry agrees with buf")
EOF
