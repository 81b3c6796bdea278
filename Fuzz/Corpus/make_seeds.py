#!/usr/bin/env python3
"""Writes the committed seed corpus of each fuzz target (Fuzz/Corpus/TARGET/).

Run by hand when the seeds should change, not by CI (the seeds are committed):
    .venv/bin/python3 Fuzz/Corpus/make_seeds.py
Needs protoc and, in the Python environment, `protobuf` (scripts/requirements.txt) and `h2`.
Inputs: protobuf's conformance messages (Sources/ferry-conformance/Protos), the codec benchmark
datasets and .proto corpus in ../shared, the repository's Schemas/.
"""
import gzip
import hashlib
import json
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")


def write(target, data, name=None):
    """Writes one seed, named by its content hash unless a name is given."""
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def reset(target):
    shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)


def read_varint(data, i):
    shift = value = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def bench_messages(name, count):
    """The first `count` messages of a shared benchmark dataset (varint-length-delimited)."""
    with open(os.path.join(SHARED, "bench", "data", name), "rb") as f:
        data = f.read()
    out, i = [], 0
    while i < len(data) and len(out) < count:
        length, i = read_varint(data, i)
        out.append(data[i:i + length])
        i += length
    return out


def load_module(path):
    """Imports a generated module from its file (its package name is google.protobuf's)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- FuzzCodec: TestAllTypesProto3/Proto2 encodings ------------------------------------------

def codec_seeds():
    reset("FuzzCodec")
    gen = tempfile.mkdtemp()
    protos = os.path.join(ROOT, "Sources", "ferry-conformance", "Protos")
    subprocess.check_call([
        "protoc", f"-I{protos}", "-I/usr/include", f"--python_out={gen}",
        "google/protobuf/test_messages_proto3.proto", "google/protobuf/test_messages_proto2.proto",
    ])
    p3 = load_module(os.path.join(gen, "google", "protobuf", "test_messages_proto3_pb2.py"))
    p2 = load_module(os.path.join(gen, "google", "protobuf", "test_messages_proto2_pb2.py"))

    for module in (p3, p2):
        T = module.TestAllTypesProto3 if module is p3 else module.TestAllTypesProto2
        m = T()
        m.optional_int32 = -5
        m.optional_int64 = -(1 << 40)
        m.optional_uint32 = 0xFFFFFFFF
        m.optional_uint64 = (1 << 64) - 1
        m.optional_sint32 = -123456
        m.optional_sint64 = -(1 << 62)
        m.optional_fixed32 = 7
        m.optional_fixed64 = 1 << 50
        m.optional_sfixed32 = -7
        m.optional_sfixed64 = -(1 << 50)
        m.optional_float = 1.5
        m.optional_double = -2.25
        m.optional_bool = True
        m.optional_string = "héllo ✓ 𝄞"
        m.optional_bytes = b"\x00\xff\x80"
        write("FuzzCodec", m.SerializeToString())
        n = T()
        n.optional_nested_message.a = 17
        n.optional_nested_message.corecursive.optional_int32 = 3
        n.optional_foreign_message.c = 9
        n.optional_nested_enum = T.NestedEnum.Value("BAZ")
        n.recursive_message.recursive_message.optional_string = "deep"
        write("FuzzCodec", n.SerializeToString())
        r = T()
        r.repeated_int32.extend([1, -1, 300])
        r.repeated_int64.extend([1 << 40, -3])
        r.repeated_sint32.extend([-1, 1])
        r.repeated_fixed64.extend([9, 10])
        r.repeated_double.extend([0.5, float("inf")])
        r.repeated_bool.extend([True, False])
        r.repeated_string.extend(["a", "", "ü"])
        r.repeated_bytes.extend([b"", b"\x01"])
        r.repeated_nested_message.add().a = 1
        r.repeated_nested_enum.extend([T.NestedEnum.Value("FOO"), T.NestedEnum.Value("BAR")])
        write("FuzzCodec", r.SerializeToString())
        if module is p3:
            r.packed_int32.extend([1, 2, 3])
            r.unpacked_int32.extend([4, 5])
            r.packed_double.extend([1.0])
            r.unpacked_nested_enum.extend([T.NestedEnum.Value("BAZ")])
        else:
            r.packed_int32.extend([1, 2, 3])
            r.unpacked_int32.extend([4, 5])
        write("FuzzCodec", r.SerializeToString())
        mp = T()
        mp.map_int32_int32[1] = 2
        mp.map_int64_int64[-1] = 1 << 40
        mp.map_string_string["k"] = "v"
        mp.map_string_bytes["b"] = b"\x00"
        mp.map_bool_bool[True] = False
        mp.map_int32_double[3] = 0.25
        mp.map_string_nested_message["m"].a = 5
        mp.map_string_nested_enum["e"] = T.NestedEnum.Value("BAR")
        mp.map_sint64_sint64[-2] = -3
        mp.map_fixed32_fixed32[4] = 5
        write("FuzzCodec", mp.SerializeToString())
        for field, value in (("oneof_uint32", 7), ("oneof_string", "one"), ("oneof_bytes", b"of"),
                             ("oneof_bool", True), ("oneof_double", 3.5)):
            o = T()
            setattr(o, field, value)
            write("FuzzCodec", o.SerializeToString())
        o = T()
        o.oneof_nested_message.a = 11
        write("FuzzCodec", o.SerializeToString())
        if module is p3:
            w = T()
            w.optional_bool_wrapper.value = True
            w.optional_int64_wrapper.value = -9
            w.optional_string_wrapper.value = "wrapped"
            w.optional_duration.seconds = 5
            w.optional_duration.nanos = 500
            w.optional_timestamp.seconds = 1700000000
            w.optional_field_mask.paths.extend(["a.b", "c"])
            w.optional_struct["x"] = 1.0
            w.optional_struct["y"] = "z"
            w.optional_any.Pack(p3.ForeignMessage(c=4))
            w.optional_value.string_value = "v"
            w.repeated_timestamp.add().seconds = 1
            write("FuzzCodec", w.SerializeToString())
        else:
            g = T()
            g.data.group_int32 = 4
            g.data.group_uint32 = 5
            write("FuzzCodec", g.SerializeToString())
            d = T()
            d.default_int32 = 1
            d.default_string = "set"
            d.Extensions[p2.extension_int32] = 77
            write("FuzzCodec", d.SerializeToString())
            ms = T.MessageSetCorrect()
            ms.Extensions[T.MessageSetCorrectExtension1.message_set_extension].str = "ms"
            write("FuzzCodec", ms.SerializeToString())
    # Unknown fields of every wire type, a group, a closed enum's unknown value, overlong varints.
    write("FuzzCodec", bytes([0xF8, 0xFF, 0x03, 0x01, 0xFD, 0xFF, 0x03, 1, 2, 3, 4,
                              0xF9, 0xFF, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 0xFA, 0xFF, 0x03, 2, 0x61, 0x62]))
    write("FuzzCodec", bytes([0xFB, 0xFF, 0x03, 0x08, 0x01, 0xFC, 0xFF, 0x03]))
    write("FuzzCodec", bytes([0xA8, 0x01, 0x7F]))  # optional_nested_enum = 127
    write("FuzzCodec", bytes([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]))
    # Other shapes from the shared benchmark datasets.
    for name, count in (("small.bin", 2), ("order.bin", 2), ("tree.bin", 1)):
        for message in bench_messages(name, count):
            write("FuzzCodec", message)


# --- FuzzDeframer: [limit][gzip bit | piece size - 1] + length-prefixed messages --------------

def frame(message, flag=0):
    return bytes([flag]) + struct.pack(">I", len(message)) + message


def deframer_seeds():
    reset("FuzzDeframer")
    small = bench_messages("small.bin", 3)
    gz = frame(gzip.compress(small[0] * 20, mtime=0), flag=1)
    cases = [
        (255, 127, frame(small[0])),
        (255, 0, frame(small[0]) + frame(small[1]) + frame(small[2])),
        (255, 3, frame(b"") + frame(b"x") + frame(b"")),
        (255, 6, frame(small[0])[:7]),
        (40, 127, frame(small[0]) + frame(b"y" * 50)),
        (0, 1, frame(b"") * 4),
        (255, 16, frame(b"a", flag=1)),
        (255, 16, frame(b"a", flag=2)),
        (255, 127, b"\x00\xff\xff\xff\xff"),
        (255, 100, frame(bench_messages("order.bin", 1)[0]) * 2),
        # gzip streams (top bit of the second byte): compressed, mixed, a bomb past a small limit, damaged.
        (255, 0x80 | 127, gz),
        (255, 0x80 | 7, gz + frame(small[1]) + gz),
        (200, 0x80 | 63, frame(gzip.compress(bytes(100000), mtime=0), flag=1)),
        (255, 0x80 | 31, gz[:-9] + bytes(9)),
        (255, 0x80 | 127, frame(zlib.compress(small[0]), flag=1)),
    ]
    for limit, piece, body in cases:
        write("FuzzDeframer", bytes([limit, piece]) + body)


# --- FuzzHTTP2Server: a control byte + client bytes (h2's client) -----------------------------

def http2_seeds():
    reset("FuzzHTTP2Server")
    import h2.config
    import h2.connection
    import h2.events  # noqa: F401

    def client():
        c = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        c.initiate_connection()
        return c

    def request(c, stream, path="/grpc.testing.TestService/UnaryCall", extra=()):
        headers = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
                   ("content-type", "application/grpc"), ("te", "trailers")] + list(extra)
        c.send_headers(stream, headers)

    def seed(c, control=0):
        write("FuzzHTTP2Server", bytes([control]) + c.data_to_send())

    small = bench_messages("small.bin", 2)
    c = client()
    request(c, 1)
    c.send_data(1, frame(small[0]), end_stream=True)
    seed(c)
    seed_copy = c  # noqa: F841
    c = client()
    request(c, 1, extra=[("grpc-timeout", "1S"), ("grpc-encoding", "identity"), ("x-bin", "AAEC"),
                         ("x-bin-bin", "AAEC"), ("user-agent", "fuzz")])
    c.send_data(1, frame(small[0]) + frame(small[1]))
    c.send_data(1, frame(b""), end_stream=True)
    seed(c, control=7)
    c = client()
    for stream in (1, 3, 5):
        request(c, stream, path="/grpc.testing.TestService/StreamingInputCall")
        c.send_data(stream, frame(small[0])[:3])
    c.reset_stream(3)
    c.send_data(1, frame(small[0])[3:], end_stream=True)
    c.ping(b"12345678")
    c.increment_flow_control_window(65535)
    c.increment_flow_control_window(100, stream_id=5)
    seed(c)
    c = client()
    request(c, 1)
    c.end_stream(1)
    c.close_connection()
    seed(c)
    c = client()
    c.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1,
                       h2.settings.SettingCodes.MAX_FRAME_SIZE: 16384,
                       h2.settings.SettingCodes.HEADER_TABLE_SIZE: 0})
    request(c, 1, extra=[("grpc-timeout", "99999999n")])
    c.send_data(1, frame(b"z" * 100), end_stream=True)
    seed(c, control=33)
    c = client()
    request(c, 1, extra=[("grpc-encoding", "gzip"), ("grpc-accept-encoding", "identity,gzip")])
    c.send_data(1, frame(gzip.compress(small[0] * 10, mtime=0), flag=1) + frame(small[1]), end_stream=True)
    seed(c)
    c = client()
    request(c, 1, extra=[("grpc-encoding", "deflate")])
    c.send_data(1, frame(zlib.compress(bytes(60000)), flag=1), end_stream=True)
    request(c, 3, extra=[("grpc-encoding", "br")])
    c.end_stream(3)
    seed(c)
    c = client()
    request(c, 1, path="/not/grpc", extra=[("content-type", "text/plain")])
    c.end_stream(1)
    request(c, 3, extra=[("grpc-timeout", "bogus")])
    c.end_stream(3)
    seed(c)
    c = client()
    c.send_headers(1, [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "x")], end_stream=True)
    seed(c, control=2)
    c = client()
    request(c, 1)
    c.send_data(1, frame(b"q" * 70000)[:16000])
    seed(c)
    # Hand-made frames after the preface the control byte adds: a PRIORITY, padded DATA on an idle
    # stream, a HEADERS without END_HEADERS then CONTINUATION, an unknown frame type, a GOAWAY.
    frames = (
        bytes([0, 0, 5, 2, 0, 0, 0, 0, 3, 0, 0, 0, 1, 16])
        + bytes([0, 0, 4, 0, 8, 0, 0, 0, 1, 2, 0xAA, 0, 0])
        + bytes([0, 0, 1, 1, 0, 0, 0, 0, 1, 0x83])
        + bytes([0, 0, 1, 9, 4, 0, 0, 0, 1, 0x86])
        + bytes([0, 0, 3, 0xEE, 0, 0, 0, 0, 0, 1, 2, 3])
        + bytes([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    )
    write("FuzzHTTP2Server", bytes([1]) + frames)
    write("FuzzHTTP2Server", bytes([1]))
    write("FuzzHTTP2Server", bytes([0]) + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")


# --- FuzzProtoCompiler: real .proto files -----------------------------------------------------

def proto_seeds():
    reset("FuzzProtoCompiler")
    paths = [
        "protobuf-3.21.12/google/protobuf/test_messages_proto3.proto",
        "protobuf-3.21.12/google/protobuf/test_messages_proto2.proto",
        "protobuf-3.21.12/google/protobuf/unittest_proto3_optional.proto",
        "protobuf-3.21.12/google/protobuf/unittest_well_known_types.proto",
        "protobuf-3.21.12/google/protobuf/unittest_mset_wire_format.proto",
        "protobuf-3.21.12/google/protobuf/unittest_no_field_presence.proto",
        "protobuf-3.21.12/google/protobuf/unittest_preserve_unknown_enum.proto",
        "protobuf-3.21.12/google/protobuf/unittest_lazy_dependencies_custom_option.proto",
        "protobuf-3.21.12/google/protobuf/map_proto2_unittest.proto",
        "protobuf-3.21.12/google/protobuf/any.proto",
        "protobuf-3.21.12/google/protobuf/struct.proto",
        "protobuf-3.21.12/google/protobuf/type.proto",
        "protobuf-3.21.12/google/protobuf/api.proto",
        "protobuf-3.21.12/conformance.proto",
        "grpc-proto/grpc/examples/helloworld.proto",
        "grpc-proto/grpc/health/v1/health.proto",
        "grpc-proto/grpc/testing/messages.proto",
        "grpc-proto/grpc/testing/payloads.proto",
        "grpc-proto/grpc/reflection/v1/reflection.proto",
        "grpc-proto/grpc/core/stats.proto",
    ]
    for path in paths:
        full = os.path.join(SHARED, "corpus", path)
        if os.path.exists(full) and os.path.getsize(full) < 40000:
            with open(full, "rb") as f:
                write("FuzzProtoCompiler", f.read())
    for path in ("Schemas/ferry/examples/v1/checkout.proto", "Schemas/registry-demo/acme/events/orders.proto",
                 "Tests/FerrySchemaTests/Fixtures/constructs.proto", "Tests/FerrySchemaTests/Fixtures/options_proto2.proto",
                 "Tests/FerrySchemaTests/Fixtures/comments.proto"):
        with open(os.path.join(ROOT, path), "rb") as f:
            write("FuzzProtoCompiler", f.read())
    write("FuzzProtoCompiler", 'edition = "2023";\npackage e;\nmessage M { int32 a = 1 [features.field_presence = IMPLICIT]; }\n')
    write("FuzzProtoCompiler", 'syntax = "proto2";\nmessage G { optional group Item = 1 { required string k = 2; } extensions 10 to max; }\n'
                               'extend G { optional int32 x = 10 [default = -1]; }\n')
    write("FuzzProtoCompiler", 'syntax = "proto3";\nimport "google/protobuf/descriptor.proto";\n'
                               'extend google.protobuf.FieldOptions { optional string tag = 50000; }\n'
                               'message M { string s = 1 [(tag) = "x", json_name = "S"]; oneof o { int64 i = 2; bytes b = 3; } '
                               'map<string, M> kids = 4; reserved 5 to 9; reserved "old"; enum E { option allow_alias = true; Z = 0; A = 1; B = 1; } }\n'
                               'service S { rpc Call(stream M) returns (stream M) { option deprecated = true; } }\n')


# --- FuzzRegistryJSON: request bodies ----------------------------------------------------------

def registry_seeds():
    reset("FuzzRegistryJSON")
    with open(os.path.join(ROOT, "Schemas/registry-demo/acme/events/orders.proto")) as f:
        orders = f.read()
    bodies = [
        {"schema": orders, "schemaType": "PROTOBUF"},
        {"schema": 'syntax = "proto3"; message A { string a = 1; }'},
        {"schema": 'syntax = "proto3"; package p; message B { int64 id = 1; repeated string tags = 2; }',
         "schemaType": "protobuf", "references": []},
        {"schema": 'syntax = "proto3"; import "dep.proto"; message C { Dep d = 1; }', "schemaType": "PROTOBUF",
         "references": [{"name": "dep.proto", "subject": "dep-value", "version": 1}]},
        {"schema": 'syntax = "proto3"; message D { string d = 1; }', "schemaType": "PROTOBUF", "id": 100, "version": 3},
        {"schema": "CgdhLnByb3RvIgsKAUESBgoBYRgBYgZwcm90bzM=", "schemaType": "PROTOBUF"},
        {"schema": '{"type":"record","name":"R","fields":[]}', "schemaType": "AVRO"},
        {"schema": '{"type":"object"}', "schemaType": "JSON"},
        {"schema": "", "schemaType": None},
        {"compatibility": "BACKWARD"},
        {"compatibilityLevel": "full_transitive"},
        {"compatibility": "none", "compatibilityLevel": "FORWARD"},
        {"mode": "READWRITE"},
        {"mode": "import"},
        {"mode": "READONLY", "compatibility": "NONE"},
    ]
    for body in bodies:
        write("FuzzRegistryJSON", json.dumps(body))
    for raw in ('{"schema": "syntax = \\"proto3\\"; message E { oneof o { int32 a = 1; string b = 2; } }", "schemaType": "PROTOBUF"}',
                '{"schema":"x","references":[{"name":"a","subject":"b","version":-1}]}',
                '{"schema":"\\u00e9\\ud83d\\ude00"}', '[]', '{}', 'null', '{"mode": 1}', '{"id": 1e400, "schema": ""}'):
        write("FuzzRegistryJSON", raw)


if __name__ == "__main__":
    codec_seeds()
    deframer_seeds()
    http2_seeds()
    proto_seeds()
    registry_seeds()
    for target in sorted(os.listdir(CORPUS)):
        path = os.path.join(CORPUS, target)
        if os.path.isdir(path):
            print(target, len(os.listdir(path)))
