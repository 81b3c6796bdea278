"""Hand-built protobuf wire bytes for the conformance driver.

The cases need encodings that a protobuf library would never produce (10-byte varints for small
numbers, packed and unpacked runs mixed in one field, fields in odd orders, truncations), so they
are written here byte by byte, following the encoding rules at protobuf.dev/programming-guides/encoding.
"""
import struct

VARINT, I64, LEN, SGROUP, EGROUP, I32 = 0, 1, 2, 3, 4, 5

MASK64 = (1 << 64) - 1


def varint(value):
    """The base-128 varint of `value`; negative numbers take their 64-bit two's complement (10 bytes)."""
    value &= MASK64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def padded_varint(value, length):
    """`value` as a varint stretched to `length` bytes with redundant continuation bytes."""
    value &= MASK64
    out = bytearray()
    for index in range(length):
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if index < length - 1 else 0))
    return bytes(out)


def tag(field, wire_type):
    return varint((field << 3) | wire_type)


def zigzag32(value):
    return ((value << 1) ^ (value >> 31)) & 0xFFFFFFFF


def zigzag64(value):
    return ((value << 1) ^ (value >> 63)) & MASK64


def delimited(field, payload):
    return tag(field, LEN) + varint(len(payload)) + payload


def group(field, payload):
    return tag(field, SGROUP) + payload + tag(field, EGROUP)


def float_bits(bits):
    return struct.pack("<I", bits)


def double_bits(bits):
    return struct.pack("<Q", bits)


# Each scalar type: (wire type, encoder of one value without its tag).
SCALARS = {
    "int32": (VARINT, varint),
    "int64": (VARINT, varint),
    "uint32": (VARINT, varint),
    "uint64": (VARINT, varint),
    "sint32": (VARINT, lambda v: varint(zigzag32(v))),
    "sint64": (VARINT, lambda v: varint(zigzag64(v))),
    "fixed32": (I32, lambda v: struct.pack("<I", v)),
    "fixed64": (I64, lambda v: struct.pack("<Q", v)),
    "sfixed32": (I32, lambda v: struct.pack("<i", v)),
    "sfixed64": (I64, lambda v: struct.pack("<q", v)),
    "float": (I32, lambda v: v if isinstance(v, bytes) else struct.pack("<f", v)),
    "double": (I64, lambda v: v if isinstance(v, bytes) else struct.pack("<d", v)),
    "bool": (VARINT, lambda v: varint(int(v))),
    "string": (LEN, lambda v: (v if isinstance(v, bytes) else v.encode("utf-8"))),
    "bytes": (LEN, lambda v: v),
    "enum": (VARINT, varint),
}

PACKABLE = [name for name, (wire, _) in SCALARS.items() if wire != LEN]


def value_bytes(type_name, value):
    """One value's encoding without a tag; length-delimited types get their length prefix."""
    wire, encode = SCALARS[type_name]
    body = encode(value)
    return varint(len(body)) + body if wire == LEN else body


def field(field_number, type_name, value):
    """One complete field: tag and value."""
    return tag(field_number, SCALARS[type_name][0]) + value_bytes(type_name, value)


def packed(field_number, type_name, values):
    """A packed run: one length-delimited field holding the values back to back."""
    return delimited(field_number, b"".join(value_bytes(type_name, v) for v in values))


def unpacked(field_number, type_name, values):
    return b"".join(field(field_number, type_name, v) for v in values)
