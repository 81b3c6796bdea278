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


class Malformed(Exception):
    pass


def read_varint(data, position):
    value, shift = 0, 0
    while True:
        if position >= len(data) or shift >= 70:
            raise Malformed("bad varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7


def skip_value(data, position, wire_type, number, depth=0):
    """The position just past the value of a field whose tag ended at `position`."""
    if wire_type == VARINT:
        return read_varint(data, position)[1]
    if wire_type in (I64, I32):
        end = position + (8 if wire_type == I64 else 4)
    elif wire_type == LEN:
        length, position = read_varint(data, position)
        end = position + length
    elif wire_type == SGROUP and depth < 100:
        while True:
            key, position = read_varint(data, position)
            if key & 7 == EGROUP:
                if key >> 3 != number:
                    raise Malformed("mismatched end group")
                return position
            position = skip_value(data, position, key & 7, key >> 3, depth + 1)
    else:
        raise Malformed("bad wire type")
    if end > len(data):
        raise Malformed("truncated")
    return end


def fields(data):
    """(number, wire type, tag start, value start, end) of each top-level field of `data`."""
    position = 0
    while position < len(data):
        start = position
        key, position = read_varint(data, position)
        end = skip_value(data, position, key & 7, key >> 3)
        yield key >> 3, key & 7, start, position, end
        position = end


def _wire_type_of(fd):
    from google.protobuf.descriptor import FieldDescriptor as FD
    if fd.type == FD.TYPE_GROUP:
        return SGROUP
    if fd.type == FD.TYPE_MESSAGE:
        return LEN
    names = {FD.TYPE_INT32: "int32", FD.TYPE_INT64: "int64", FD.TYPE_UINT32: "uint32", FD.TYPE_UINT64: "uint64",
             FD.TYPE_SINT32: "sint32", FD.TYPE_SINT64: "sint64", FD.TYPE_FIXED32: "fixed32", FD.TYPE_FIXED64: "fixed64",
             FD.TYPE_SFIXED32: "sfixed32", FD.TYPE_SFIXED64: "sfixed64", FD.TYPE_FLOAT: "float", FD.TYPE_DOUBLE: "double",
             FD.TYPE_BOOL: "bool", FD.TYPE_STRING: "string", FD.TYPE_BYTES: "bytes", FD.TYPE_ENUM: "enum"}
    return SCALARS[names[fd.type]][0]


def drop_unknowns_in_map_entries(data, descriptor, depth=0):
    """`data` with every map entry reduced to its well-typed key and value fields.

    A map entry is a message of its own; protobuf's C++ and Java runtimes store the entry and drop
    its other fields, while upb (python) keeps such an entry whole as an unknown field of the map's
    message. Both are right, so the driver also accepts output equal to this rewriting of the input.
    Raises Malformed for input that does not parse at the wire level.
    """
    if depth > 100:
        raise Malformed("too deep")
    out = bytearray()
    for number, wire_type, start, value_start, end in fields(data):
        fd = descriptor.fields_by_number.get(number)
        if fd is None or fd.message_type is None or wire_type != _wire_type_of(fd):
            out += data[start:end]
        elif wire_type == SGROUP:
            inner = data[value_start:end - len(tag(number, EGROUP))]
            out += data[start:value_start] + drop_unknowns_in_map_entries(inner, fd.message_type, depth + 1) + tag(number, EGROUP)
        else:
            length, body_start = read_varint(data, value_start)
            body = data[body_start:end]
            if fd.message_type.GetOptions().map_entry:
                kept = bytearray()
                for entry_number, entry_wire, entry_start, entry_value, entry_end in fields(body):
                    entry_fd = fd.message_type.fields_by_number.get(entry_number)
                    if entry_fd is None or entry_wire != _wire_type_of(entry_fd):
                        continue
                    if entry_fd.message_type is not None:
                        _, inner_start = read_varint(body, entry_value)
                        inner = drop_unknowns_in_map_entries(body[inner_start:entry_end], entry_fd.message_type, depth + 1)
                        kept += tag(entry_number, LEN) + varint(len(inner)) + inner
                    else:
                        kept += body[entry_start:entry_end]
                body = bytes(kept)
            else:
                body = drop_unknowns_in_map_entries(body, fd.message_type, depth + 1)
            out += data[start:value_start] + varint(len(body)) + body
    return bytes(out)


def canonical_nans(message):
    """A copy of `message` with every NaN replaced by python's own NaN."""
    copy = type(message)()
    copy.CopyFrom(message)
    _canonicalize(copy)
    return copy


def _canonicalize(message):
    import math
    from google.protobuf.descriptor import FieldDescriptor as FD
    floating = (FD.TYPE_FLOAT, FD.TYPE_DOUBLE)
    for field, value in message.ListFields():
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key in list(value.keys()):
                if value_field.type in floating and math.isnan(value[key]):
                    value[key] = math.nan
                elif value_field.type == FD.TYPE_MESSAGE:
                    _canonicalize(value[key])
        elif field.is_repeated:
            for index in range(len(value)):
                if field.type in floating and math.isnan(value[index]):
                    value[index] = math.nan
                elif field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
                    _canonicalize(value[index])
        elif field.type in floating and math.isnan(value):
            setattr(message, field.name, math.nan)
        elif field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP) and not field.is_extension:
            _canonicalize(value)


def describe_message(message):
    """A message in one line of text format, cut at 300 characters."""
    from google.protobuf import text_format
    text = text_format.MessageToString(message, as_one_line=True)
    return (text[:300] + " ...") if len(text) > 300 else (text or "<empty>")
