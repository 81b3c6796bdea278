"""Python protobuf as the oracle for Ferry's generated code.

  oracle.py emit DESCRIPTOR_SET FILE...   fills every message of FILEs with edge values (several
                                          variants each) and prints "full.Name variant HEX" lines
  oracle.py check DESCRIPTOR_SET          reads "recipe full.Name HEX" lines from stdin, decodes
                                          each and compares it with the recipe built here; prints
                                          "recipe OK" or "recipe MISMATCH ..." lines
"""
import math
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
from google.protobuf.descriptor import FieldDescriptor as FD

VARIANTS = 4
MAX_DEPTH = 2

INT32 = [-1, 2**31 - 1, 0, -2**31]
INT64 = [-1, 2**63 - 1, 0, -2**63]
UINT32 = [1, 2**32 - 1, 0, 300]
UINT64 = [1, 2**64 - 1, 0, 2**63]
FLOATS = [-1.5, 3.4028234663852886e38, -0.0, math.nan, math.inf, 1e-45]
DOUBLES = [-2.5, 1.7976931348623157e308, -0.0, math.nan, -math.inf, 5e-324]
STRINGS = ["h\u00e9llo w\u00f6rld \u2713 \U0001F680", "", "a", "\u65e5\u672c\u8a9e"]
BYTES = [b"\x00\xff\x80", b"", b"bytes", bytes(range(256))]

SCALARS = {
    FD.TYPE_INT32: INT32, FD.TYPE_SINT32: INT32, FD.TYPE_SFIXED32: INT32,
    FD.TYPE_INT64: INT64, FD.TYPE_SINT64: INT64, FD.TYPE_SFIXED64: INT64,
    FD.TYPE_UINT32: UINT32, FD.TYPE_FIXED32: UINT32,
    FD.TYPE_UINT64: UINT64, FD.TYPE_FIXED64: UINT64,
    FD.TYPE_FLOAT: FLOATS, FD.TYPE_DOUBLE: DOUBLES,
    FD.TYPE_BOOL: [True, False, True, True],
    FD.TYPE_STRING: STRINGS, FD.TYPE_BYTES: BYTES,
}

# Unknown fields appended to every top-level message: varint, fixed64, length-delimited,
# fixed32 and a group, with field numbers no corpus message uses.
UNKNOWN = bytes.fromhex("f8ffffff0f96 01" .replace(" ", ""))  # field 536870911 varint 150
UNKNOWN += bytes.fromhex("c9 9f 49 0102030405060708".replace(" ", ""))  # field 150009 fixed64
UNKNOWN += bytes.fromhex("d2 9f 49 03 616263".replace(" ", ""))  # field 150010 "abc"
UNKNOWN += bytes.fromhex("dd 9f 49 ffffffff".replace(" ", ""))  # field 150011 fixed32
UNKNOWN += bytes.fromhex("e3 9f 49 08 01 e4 9f 49".replace(" ", ""))  # group 150012 { 1: 1 }


def load(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    return fds, pool


def cls(pool, name):
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


def pick(values, variant, salt=0):
    return values[(variant + salt) % len(values)]


def scalar(field, variant, salt=0):
    if field.type == FD.TYPE_ENUM:
        values = [v.number for v in field.enum_type.values]
        if variant == 3 and not field.enum_type.is_closed and salt == 0:
            return 12345  # an unrecognized value of an open enum
        return pick(values, variant, salt)
    return pick(SCALARS[field.type], variant, salt)


# Fields of protobuf 3.21.12's descriptor.proto (which the corpus files import) that protobuf has
# removed since: Ferry's runtime descriptor types follow the current descriptor.proto, where these
# are unknown fields, kept but written after the known ones, so a byte-for-byte round trip of a
# message holding them would differ in field order only.
REMOVED_FROM_DESCRIPTOR = {"google.protobuf.FileOptions.php_generic_services"}


def fill(message, variant, depth, pool):
    desc = message.DESCRIPTOR
    chosen_oneofs = {}
    for oneof in desc.oneofs:
        if len(oneof.fields) == 1 and oneof.fields[0].has_presence and oneof.name.startswith("_"):
            continue  # synthetic oneof of a proto3 optional field
        chosen_oneofs[oneof.name] = oneof.fields[variant % len(oneof.fields)]
    for field in desc.fields:
        if field.full_name in REMOVED_FROM_DESCRIPTOR:
            continue
        if field.containing_oneof is not None and field.containing_oneof.name in chosen_oneofs:
            if chosen_oneofs[field.containing_oneof.name] is not field:
                continue
        set_field(message, field, variant, depth, pool)
    if desc.extension_ranges:
        for ext in pool.FindAllExtensions(desc):
            set_extension(message, ext, variant, depth, pool)


def set_field(message, field, variant, depth, pool):
    is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
    if is_map:
        key_field = field.message_type.fields_by_name["key"]
        value_field = field.message_type.fields_by_name["value"]
        target = getattr(message, field.name)
        for salt in range(3):
            key = scalar(key_field, variant, salt)
            # With deterministic=True python's upb puts a zero or empty key after all others and
            # sorts integer keys by descending unsigned value, where C++ (and Ferry) sort keys
            # ascending: leave out empty keys, and give integer-keyed maps a single key.
            if not key or (key_field.type != FD.TYPE_STRING and len(target) > 0):
                continue
            if value_field.type == FD.TYPE_MESSAGE:
                if depth < MAX_DEPTH:
                    fill(target[key], variant, depth + 1, pool)
                else:
                    target[key].SetInParent()
            else:
                target[key] = scalar(value_field, variant, salt + 1)
        return
    if field.is_repeated:
        target = getattr(message, field.name)
        if field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            if depth < MAX_DEPTH:
                for salt in range(2):
                    fill(target.add(), (variant + salt) % VARIANTS, depth + 1, pool)
        else:
            for salt in range(3):
                target.append(scalar(field, variant, salt))
        return
    if field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
        sub = getattr(message, field.name)
        if depth < MAX_DEPTH:
            fill(sub, variant, depth + 1, pool)
        else:
            sub.SetInParent()
        return
    setattr(message, field.name, scalar(field, variant))


def set_extension(message, ext, variant, depth, pool):
    if ext.is_repeated:
        target = message.Extensions[ext]
        if ext.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            if depth < MAX_DEPTH:
                for salt in range(2):
                    fill(target.add(), (variant + salt) % VARIANTS, depth + 1, pool)
        else:
            for salt in range(3):
                target.append(scalar(ext, variant, salt))
    elif ext.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
        if depth < MAX_DEPTH:
            fill(message.Extensions[ext], variant, depth + 1, pool)
        else:
            message.Extensions[ext].SetInParent()
    else:
        message.Extensions[ext] = scalar(ext, variant)


def messages_of(file_desc):
    def walk(prefix, messages):
        for m in messages:
            full = prefix + m.name
            if not m.options.map_entry:
                yield full, m
            yield from walk(full + ".", m.nested_type)
    yield from walk((file_desc.package + ".") if file_desc.package else "", file_desc.message_type)


def emit(set_path, files):
    fds, pool = load(set_path)
    for file_desc in fds.file:
        if file_desc.name not in files:
            continue
        for full, m in messages_of(file_desc):
            if m.options.message_set_wire_format:
                continue
            # Fields and extensions interleave on the wire in number order; Ferry keeps extension
            # values with the unknown fields, after the fields, so such messages cannot match.
            if m.field and m.extension_range:
                continue
            klass = cls(pool, full)
            for variant in range(VARIANTS):
                message = klass()
                fill(message, variant, 0, pool)
                if variant != 0:
                    message.MergeFromString(UNKNOWN)
                data = message.SerializePartialToString(deterministic=True)
                print(full, variant, data.hex())


# Expected values of the messages that the Swift tests build field by field.
def recipes(pool):
    out = {}

    order = cls(pool, "benchpb.OrderPlaced")()
    order.order_id = "ord-\u00e9\u2713"
    order.customer_id = ""
    order.total_cents = -9223372036854775808
    order.placed_at_unix_micros = 1700000000000000
    item = order.items.add()
    item.sku = "SKU-1"
    item.qty = -3
    item.price_cents = 999
    order.items.add()
    order.attributes["z"] = "last"
    order.attributes["a"] = ""
    order.attributes["\u00e9"] = "accent"
    order.status = 2
    order.coupon_code = ""
    order.card.network = "visa"
    order.card.exp_month = 12
    order.currency = "EUR"
    out["bench-order"] = order

    p3 = cls(pool, "protobuf_test_messages.proto3.TestAllTypesProto3")()
    p3.optional_int32 = -2147483648
    p3.optional_int64 = 9223372036854775807
    p3.optional_uint32 = 4294967295
    p3.optional_uint64 = 18446744073709551615
    p3.optional_sint32 = -1
    p3.optional_sint64 = -9223372036854775808
    p3.optional_fixed32 = 7
    p3.optional_fixed64 = 18446744073709551615
    p3.optional_sfixed32 = -7
    p3.optional_sfixed64 = -8
    p3.optional_float = -0.0
    p3.optional_double = math.inf
    p3.optional_bool = True
    p3.optional_string = "\u65e5\u672c\u8a9e \U0001F680"
    p3.optional_bytes = b"\x00\xff"
    p3.optional_nested_message.a = 5
    p3.optional_nested_message.corecursive.optional_int32 = 6
    p3.optional_nested_enum = -1
    p3.optional_foreign_enum = 99
    p3.recursive_message.recursive_message.optional_string = "deep"
    p3.repeated_int32.extend([1, -1, 0])
    p3.packed_sint64.extend([-2, 2])
    p3.unpacked_double.extend([1.5, -0.0])
    p3.repeated_string.extend(["", "x"])
    p3.repeated_nested_message.add().a = 1
    p3.map_int32_int32[-5] = 5
    p3.map_int32_int32[3] = -3
    p3.map_bool_bool[True] = False
    p3.map_string_nested_message["k"].a = 9
    p3.map_string_foreign_enum["e"] = 2
    p3.oneof_nested_message.a = 77
    p3.optional_int32_wrapper.value = 0
    p3.optional_timestamp.seconds = 1
    p3.optional_timestamp.nanos = 2
    out["proto3-edges"] = p3

    p2 = cls(pool, "protobuf_test_messages.proto2.TestAllTypesProto2")()
    p2.optional_int32 = 0
    p2.optional_string = ""
    p2.optional_bool = False
    p2.optional_nested_enum = 0
    p2.data.group_int32 = -1
    p2.data.group_uint32 = 2
    p2.repeated_nested_enum.extend([1, 2])
    p2.packed_int32.extend([-1, 1])
    p2.map_string_nested_enum["a"] = 1
    p2.oneof_string = "one"
    out["proto2-presence"] = p2

    ext = cls(pool, "protobuf_unittest.TestAllExtensions")()
    ext_field = pool.FindExtensionByName
    ext.Extensions[ext_field("protobuf_unittest.optional_int32_extension")] = -5
    ext.Extensions[ext_field("protobuf_unittest.optional_string_extension")] = "ext"
    ext.Extensions[ext_field("protobuf_unittest.optional_nested_message_extension")].bb = 3
    ext.Extensions[ext_field("protobuf_unittest.optionalgroup_extension")].a = 4
    ext.Extensions[ext_field("protobuf_unittest.repeated_int64_extension")].extend([1, -1])
    ext.Extensions[ext_field("protobuf_unittest.repeated_nested_enum_extension")].extend([3, 1])
    ext.Extensions[ext_field("protobuf_unittest.optional_nested_enum_extension")] = 2
    out["extensions"] = ext

    recursive = cls(pool, "protobuf_unittest.TestRecursiveMessage")()
    recursive.i = 1
    recursive.a.i = 2
    recursive.a.a.a.i = 4
    out["recursive"] = recursive

    required = cls(pool, "protobuf_unittest.TestRequired")()
    required.a = 1
    required.b = 2
    required.c = 3
    out["required"] = required
    return out


def check(set_path):
    _, pool = load(set_path)
    expected = recipes(pool)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        recipe, name, data = parts[0], parts[1], bytes.fromhex(parts[2]) if len(parts) > 2 else b""
        want = expected[recipe]
        got = cls(pool, name)()
        try:
            got.ParseFromString(data)
        except Exception as error:  # noqa: BLE001 - any decode failure is a mismatch
            print(recipe, "MISMATCH", "does not decode:", error)
            continue
        if got == want and got.SerializeToString(deterministic=True) == want.SerializeToString(deterministic=True):
            print(recipe, "OK")
        else:
            print(recipe, "MISMATCH", repr(text_format.MessageToString(got, as_one_line=True)), "expected",
                  repr(text_format.MessageToString(want, as_one_line=True)))


if __name__ == "__main__":
    if sys.argv[1] == "emit":
        emit(sys.argv[2], set(sys.argv[3:]))
    else:
        check(sys.argv[2])
