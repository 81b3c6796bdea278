"""The binary-format cases the conformance driver sends, for TestAllTypesProto2 and TestAllTypesProto3.

Each case is protobuf input bytes and what must come back:

  valid    the testee parses and re-serializes; python's parse of its output equals python's parse of
           the input (python protobuf is the oracle; the driver checks that python accepts the input)
  error    the testee answers parse_error (the driver checks that python rejects the input too)
  oracle   whatever python does: reject, or accept and round-trip equal
  lenient  parse_error, or a round trip that loses nothing (protobuf leaves the choice to runtimes)
  either   parse_error, or any output python can parse (runtimes disagree: C++ accepts what upb rejects)
  robust   (mutated inputs) an answer at all, parse_error or protobuf_payload: no crash, no
           runtime_error; output must parse, and equal the input's parse when python accepts both

Where protobuf's runtimes legitimately differ on a map entry holding fields other than its key and
value (upb keeps the entry whole as an unknown field, C++ stores it and drops those fields), the
driver accepts either (conformance_wire.drop_unknowns_in_map_entries).

`exact` cases also require the output bytes to equal python's own serialization, where protobuf's
suite checks bytes (its RECOMMENDED "...Binary" and "...Output" tests): single scalars and oneof
members re-encoded canonically, repeated fields packed or unpacked as declared.
"""
from dataclasses import dataclass
import math
import random

from google.protobuf.descriptor import FieldDescriptor as FD

from conformance_wire import (EGROUP, I32, I64, LEN, PACKABLE, SCALARS, SGROUP, VARINT, delimited, double_bits, field,
                              float_bits, group, packed, padded_varint, tag, unpacked, varint, zigzag64)


@dataclass
class Case:
    name: str
    message: str
    payload: bytes
    expect: str = "valid"
    exact: bool = False


TYPE_NAMES = {
    FD.TYPE_INT32: "int32", FD.TYPE_INT64: "int64", FD.TYPE_UINT32: "uint32", FD.TYPE_UINT64: "uint64",
    FD.TYPE_SINT32: "sint32", FD.TYPE_SINT64: "sint64", FD.TYPE_FIXED32: "fixed32", FD.TYPE_FIXED64: "fixed64",
    FD.TYPE_SFIXED32: "sfixed32", FD.TYPE_SFIXED64: "sfixed64", FD.TYPE_FLOAT: "float", FD.TYPE_DOUBLE: "double",
    FD.TYPE_BOOL: "bool", FD.TYPE_STRING: "string", FD.TYPE_BYTES: "bytes", FD.TYPE_ENUM: "enum",
}

I32_MIN, I32_MAX, I64_MIN, I64_MAX = -2**31, 2**31 - 1, -2**63, 2**63 - 1

# Edge values per scalar type, by label.
EDGES = {
    "int32": {"zero": 0, "one": 1, "neg1": -1, "max": I32_MAX, "min": I32_MIN, "300": 300},
    "int64": {"zero": 0, "one": 1, "neg1": -1, "max": I64_MAX, "min": I64_MIN, "2^32": 2**32},
    "uint32": {"zero": 0, "one": 1, "max": 2**32 - 1, "2^31": 2**31},
    "uint64": {"zero": 0, "one": 1, "max": 2**64 - 1, "2^63": 2**63},
    "sint32": {"zero": 0, "neg1": -1, "max": I32_MAX, "min": I32_MIN},
    "sint64": {"zero": 0, "neg1": -1, "max": I64_MAX, "min": I64_MIN},
    "fixed32": {"zero": 0, "max": 2**32 - 1, "one": 1},
    "fixed64": {"zero": 0, "max": 2**64 - 1, "one": 1},
    "sfixed32": {"zero": 0, "neg1": -1, "max": I32_MAX, "min": I32_MIN},
    "sfixed64": {"zero": 0, "neg1": -1, "max": I64_MAX, "min": I64_MIN},
    "float": {"zero": 0.0, "negzero": -0.0, "frac": -1.5, "max": 3.4028234663852886e38, "subnormal": 1e-45,
              "inf": math.inf, "neginf": -math.inf, "nan": math.nan, "nanpayload": float_bits(0x7FC00001)},
    "double": {"zero": 0.0, "negzero": -0.0, "frac": 2.5, "max": 1.7976931348623157e308, "subnormal": 5e-324,
               "inf": math.inf, "neginf": -math.inf, "nan": math.nan, "nanpayload": double_bits(0x7FF8000000000001)},
    "bool": {"false": False, "true": True},
    "string": {"empty": "", "ascii": "hello", "latin1": "h\u00e9llo", "cjk": "\u65e5\u672c\u8a9e", "emoji": "\U0001F680\U0001F44D\U0001F3FD",
               "nul": "a\x00b", "maxcodepoint": "\U0010FFFF", "long": "x" * 300},
    "bytes": {"empty": b"", "binary": b"\x00\xff\x80\x7f", "all256": bytes(range(256)), "invalidutf8": b"\xc0\x80\xff"},
}

INVALID_UTF8 = {"ff": b"\xff", "overlong": b"\xc0\x80", "surrogate": b"\xed\xa0\x80", "above10ffff": b"\xf4\x90\x80\x80",
                "truncated": b"a\xe6\x97", "lonecontinuation": b"\x80abc"}

UNKNOWN_FIELD = 555


def build(descriptor):
    """Every case for one TestAllTypes descriptor."""
    builder = _Builder(descriptor)
    builder.scalars()
    builder.varint_encodings()
    builder.repeated()
    builder.last_wins_and_merging()
    builder.oneofs()
    builder.maps()
    builder.nesting()
    builder.unknown_fields()
    builder.enums()
    builder.groups()
    builder.wrong_wire_types()
    builder.strings()
    builder.malformed()
    builder.premature_end()
    builder.truncating_varints()
    builder.presence_and_names()
    if builder.proto3:
        builder.well_known_types()
    return builder.cases


class _Builder:
    def __init__(self, descriptor):
        self.descriptor = descriptor
        self.full_name = descriptor.full_name
        self.proto3 = descriptor.full_name.endswith("Proto3")
        self.prefix = "proto3" if self.proto3 else "proto2"
        self.cases = []
        self.number = {f.name: f.number for f in descriptor.fields}

    def add(self, name, payload, expect="valid", exact=False):
        self.cases.append(Case(f"{self.prefix}.{name}", self.full_name, bytes(payload), expect, exact))

    def n(self, name):
        return self.number[name]

    # Singular scalars of every type with edge values.
    def scalars(self):
        for type_name, edges in EDGES.items():
            for label, value in edges.items():
                self.add(f"scalar.{type_name}.{label}", field(self.n(f"optional_{type_name}"), type_name, value), exact=True)
        for label, value in EDGES["int32"].items():
            self.add(f"scalar.enum.{label}", field(self.n("optional_nested_enum"), "enum", value), expect="oracle")

    def varint_encodings(self):
        f = self.n
        cases = {
            "int32.tenbyte_neg": tag(f("optional_int32"), VARINT) + varint(-5),
            "int32.fivebyte_neg": tag(f("optional_int32"), VARINT) + varint(0xFFFFFFFF),
            "int32.beyond32bits": tag(f("optional_int32"), VARINT) + varint(2**33 + 7),
            "int32.overlong_zero": tag(f("optional_int32"), VARINT) + padded_varint(0, 10),
            "int32.overlong_one": tag(f("optional_int32"), VARINT) + padded_varint(1, 6),
            "uint32.beyond32bits": tag(f("optional_uint32"), VARINT) + varint(2**64 - 1),
            "int64.tenbyte_min": tag(f("optional_int64"), VARINT) + varint(I64_MIN),
            "uint64.overlong_max": tag(f("optional_uint64"), VARINT) + padded_varint(2**64 - 1, 10),
            "sint32.beyond32bits": tag(f("optional_sint32"), VARINT) + varint(2**32 + 3),
            "sint64.max_zigzag": tag(f("optional_sint64"), VARINT) + varint(2**64 - 1),
            "bool.two": tag(f("optional_bool"), VARINT) + varint(2),
            "bool.huge": tag(f("optional_bool"), VARINT) + varint(2**64 - 1),
            "bool.overlong_false": tag(f("optional_bool"), VARINT) + padded_varint(0, 10),
            "enum.tenbyte_neg": tag(f("optional_nested_enum"), VARINT) + varint(-1),
            "tag.overlong": padded_varint((f("optional_int32") << 3) | VARINT, 5) + varint(9),
            "length.overlong": tag(f("optional_string"), LEN) + padded_varint(3, 5) + b"abc",
        }
        for name, payload in cases.items():
            self.add(f"varint.{name}", payload, exact=True)

    # Repeated fields: packed, unpacked and mixed encodings are all accepted for packable types.
    def repeated(self):
        for type_name in list(EDGES) + ["enum"]:
            values = [0, 1, 2, -1] if type_name == "enum" else list(EDGES[type_name].values())
            enum_kind = "nested_enum" if type_name == "enum" else type_name
            for prefix in ("repeated", "packed", "unpacked"):
                name = f"{prefix}_{enum_kind}"
                if name not in self.number:
                    continue
                number = self.n(name)
                self.add(f"{prefix}.{type_name}.unpacked", unpacked(number, type_name, values), exact=True)
                self.add(f"{prefix}.{type_name}.single", unpacked(number, type_name, values[1:2]), exact=True)
                if type_name in PACKABLE:
                    half = len(values) // 2
                    self.add(f"{prefix}.{type_name}.packed", packed(number, type_name, values), exact=True)
                    self.add(f"{prefix}.{type_name}.mixed",
                             packed(number, type_name, values[:half]) + unpacked(number, type_name, values[half:])
                             + packed(number, type_name, values[:1]), exact=True)
                    self.add(f"{prefix}.{type_name}.empty_packed", delimited(number, b""), exact=True)
                    self.add(f"{prefix}.{type_name}.two_packed_runs",
                             packed(number, type_name, values) + packed(number, type_name, values[::-1]), exact=True)
        self.add("repeated.message.three",
                 b"".join(delimited(self.n("repeated_nested_message"), field(1, "int32", i)) for i in (1, 2, 3)), exact=True)
        self.add("repeated.message.empty_elements", delimited(self.n("repeated_foreign_message"), b"") * 3, exact=True)
        self.add("repeated.message.interleaved",
                 delimited(self.n("repeated_nested_message"), field(1, "int32", 1)) + field(self.n("optional_int32"), "int32", 5)
                 + delimited(self.n("repeated_nested_message"), field(1, "int32", 2)), exact=True)

    def last_wins_and_merging(self):
        for type_name, edges in EDGES.items():
            values = list(edges.values())
            number = self.n(f"optional_{type_name}")
            self.add(f"lastwins.{type_name}", unpacked(number, type_name, values[1:] + values[:1]), exact=True)
            self.add(f"lastwins.{type_name}.to_default", unpacked(number, type_name, [values[1], values[0]]), exact=True)
        nested = self.n("optional_nested_message")
        corecursive_int = delimited(2, field(1, "int32", 7))
        self.add("merge.message.two_occurrences",
                 delimited(nested, field(1, "int32", 1)) + delimited(nested, corecursive_int))
        self.add("merge.message.scalar_last_wins_inside",
                 delimited(nested, field(1, "int32", 1)) + delimited(nested, field(1, "int32", 2)))
        self.add("merge.message.repeated_appends_inside",
                 delimited(nested, delimited(2, field(31, "int32", 1))) + delimited(nested, delimited(2, field(31, "int32", 2))))
        self.add("merge.message.deep",
                 delimited(nested, delimited(2, delimited(18, field(1, "int32", 1))))
                 + delimited(nested, delimited(2, delimited(18, delimited(2, field(14, "string", "deep"))))))
        self.add("merge.message.empty_then_value", delimited(nested, b"") + delimited(nested, field(1, "int32", 3)))
        foreign = self.n("optional_foreign_message")
        self.add("merge.foreign.three", delimited(foreign, field(1, "int32", 1)) * 2 + delimited(foreign, b""))

    def oneofs(self):
        f = self.n
        members = {
            "uint32": field(f("oneof_uint32"), "uint32", 7),
            "uint32_zero": field(f("oneof_uint32"), "uint32", 0),
            "string": field(f("oneof_string"), "string", "\u00fcber"),
            "string_empty": field(f("oneof_string"), "string", ""),
            "bytes": field(f("oneof_bytes"), "bytes", b"\x00\x01"),
            "bytes_empty": field(f("oneof_bytes"), "bytes", b""),
            "bool_false": field(f("oneof_bool"), "bool", False),
            "uint64": field(f("oneof_uint64"), "uint64", 2**64 - 1),
            "float_zero": field(f("oneof_float"), "float", 0.0),
            "double_nan": field(f("oneof_double"), "double", math.nan),
            "enum_zero": field(f("oneof_enum"), "enum", 0),
            "enum_bar": field(f("oneof_enum"), "enum", 1),
            "message_empty": delimited(f("oneof_nested_message"), b""),
            "message": delimited(f("oneof_nested_message"), field(1, "int32", 5)),
        }
        for name, payload in members.items():
            self.add(f"oneof.{name}", payload, exact=True)
        order = list(members.items())
        for (first_name, first), (second_name, second) in zip(order, order[1:] + order[:1]):
            self.add(f"oneof.lastwins.{first_name}_then_{second_name}", first + second, exact=True)
        message = f("oneof_nested_message")
        self.add("oneof.message.merge", delimited(message, field(1, "int32", 1)) + delimited(message, delimited(2, field(2, "int64", 9))))
        self.add("oneof.message.switch_away_and_back",
                 delimited(message, field(1, "int32", 1)) + members["uint32"] + delimited(message, delimited(2, field(2, "int64", 9))))
        self.add("oneof.same_member_twice", members["string"] + field(f("oneof_string"), "string", "second"))

    def maps(self):
        for fd in self.descriptor.fields:
            if not (fd.message_type and fd.message_type.GetOptions().map_entry):
                continue
            key_fd, value_fd = fd.message_type.fields_by_name["key"], fd.message_type.fields_by_name["value"]
            key_type = TYPE_NAMES[key_fd.type]
            value_type = TYPE_NAMES.get(value_fd.type, "message")
            keys = list(EDGES[key_type].values())
            values = self._map_values(value_type, value_fd)
            entry = lambda key, value: field(1, key_type, key) + self._map_value_field(value_type, value)
            name = f"map.{fd.name}"
            number = fd.number
            self.add(f"{name}.entries", b"".join(delimited(number, entry(k, values[i % len(values)])) for i, k in enumerate(keys)))
            self.add(f"{name}.duplicate_key_last_wins",
                     delimited(number, entry(keys[1], values[0])) + delimited(number, entry(keys[1], values[-1])))
            self.add(f"{name}.missing_key", delimited(number, self._map_value_field(value_type, values[-1])))
            self.add(f"{name}.missing_value", delimited(number, field(1, key_type, keys[-1])))
            self.add(f"{name}.empty_entry", delimited(number, b""))
            self.add(f"{name}.value_before_key",
                     delimited(number, self._map_value_field(value_type, values[-1]) + field(1, key_type, keys[-1])))
            self.add(f"{name}.key_twice_in_entry",
                     delimited(number, field(1, key_type, keys[0]) + field(1, key_type, keys[-1]) + self._map_value_field(value_type, values[-1])))
            self.add(f"{name}.unknown_field_in_entry",
                     delimited(number, entry(keys[-1], values[-1]) + field(3, "int32", 42) + delimited(4, b"zz")))
            # Inside an entry, a key or value with another wire type is an unknown field of the entry.
            wrong_wire = "fixed64" if key_type != "fixed64" else "int32"
            self.add(f"{name}.key_with_wrong_wire_type",
                     delimited(number, field(1, wrong_wire, 1) + self._map_value_field(value_type, values[-1])))
            value_wire = "fixed32" if value_type not in ("fixed32", "sfixed32", "float") else "int64"
            self.add(f"{name}.value_with_wrong_wire_type",
                     delimited(number, field(1, key_type, keys[-1]) + field(2, value_wire, 1)))
        f = self.n
        self.add("map.message.value_merged_in_entry",
                 delimited(f("map_string_nested_message"), field(1, "string", "k") + delimited(2, field(1, "int32", 1))
                           + delimited(2, delimited(2, field(1, "int32", 2)))), expect="oracle")
        self.add("map.string_key.invalid_utf8",
                 delimited(f("map_string_string"), tag(1, LEN) + varint(1) + b"\xff" + field(2, "string", "v")),
                 expect="error" if self.proto3 else "lenient")
        self.add("map.string_value.invalid_utf8",
                 delimited(f("map_string_string"), field(1, "string", "k") + tag(2, LEN) + varint(1) + b"\xff"),
                 expect="error" if self.proto3 else "lenient")
        self.add("map.entry.truncated", tag(f("map_int32_int32"), LEN) + varint(4) + field(1, "int32", 1) + tag(2, VARINT)
                 + b"\x80" + field(f("optional_int32"), "int32", 1), expect="error")

    def _map_values(self, value_type, value_fd):
        if value_type == "message":
            return [b"", field(1, "int32", 3), delimited(2, field(14, "string", "inner")) if "Nested" in value_fd.message_type.name else field(1, "int32", -1)]
        if value_type == "enum":
            return [0, 1, 2]
        return list(EDGES[value_type].values())

    def _map_value_field(self, value_type, value):
        if value_type == "message":
            return delimited(2, value)
        return field(2, value_type, value)

    def nesting(self):
        f = self.n
        recursive = f("recursive_message")

        def chain(depth, leaf=b""):
            payload = leaf
            for level in range(depth):
                payload = field(f("optional_int32"), "int32", level) + delimited(recursive, payload)
            return payload

        for depth in (1, 2, 10, 50):
            self.add(f"nested.recursive.depth{depth}", chain(depth, field(f("optional_string"), "string", "leaf")))
        self.add("nested.corecursive", delimited(f("optional_nested_message"), field(1, "int32", 1) + delimited(2, chain(3))))
        self.add("nested.empty_submessage", delimited(f("optional_nested_message"), b""))
        self.add("nested.foreign", delimited(f("optional_foreign_message"), field(1, "int32", -1)))
        self.add("nested.depth_200", chain(200), expect="oracle")
        # Far past any recursion limit: the testee must answer (parse_error), not overflow its stack.
        deep = b""
        for _ in range(100_000):
            deep = tag(recursive, LEN) + varint(len(deep)) + deep
        self.add("nested.depth_100000", deep, expect="error")
        deep_groups = tag(UNKNOWN_FIELD, SGROUP) * 100_000 + tag(UNKNOWN_FIELD, EGROUP) * 100_000
        self.add("nested.unknown_groups_depth_100000", deep_groups, expect="error")

    def unknown_fields(self):
        f = self.n
        u = UNKNOWN_FIELD
        kinds = {
            "varint": field(u, "int64", -1),
            "fixed32": field(u, "fixed32", 0xDEADBEEF),
            "fixed64": field(u, "fixed64", 2**64 - 1),
            "delimited": delimited(u, b"\x00unknown\xff"),
            "delimited_empty": delimited(u, b""),
            "group": group(u, field(1, "int32", 1) + delimited(2, b"x") + group(3, field(4, "fixed32", 5)) + field(6, "fixed64", 7)),
            "group_empty": group(u, b""),
            "max_field_number": field(2**29 - 1, "int32", 1),
            "in_reserved_range": field(19_000, "int32", 1),
        }
        for name, payload in kinds.items():
            self.add(f"unknown.{name}", payload)
        self.add("unknown.all_kinds_interleaved_with_known",
                 field(f("optional_int32"), "int32", 1) + kinds["varint"] + field(f("optional_string"), "string", "s")
                 + kinds["group"] + field(f("repeated_int32"), "int32", 2) + kinds["fixed32"]
                 + field(f("repeated_int32"), "int32", 3) + kinds["delimited"] + kinds["fixed64"])
        self.add("unknown.same_number_repeated_in_order", field(u, "int32", 1) + field(u, "int32", 2) + field(u, "string", "three"))
        self.add("unknown.in_nested_message", delimited(f("optional_nested_message"), field(1, "int32", 1) + kinds["fixed64"] + kinds["group"]))
        self.add("unknown.in_repeated_message",
                 delimited(f("repeated_nested_message"), kinds["varint"]) + delimited(f("repeated_nested_message"), kinds["delimited"]))
        self.add("unknown.in_recursive_merge",
                 delimited(f("recursive_message"), kinds["varint"]) + delimited(f("recursive_message"), kinds["fixed32"]))
        self.add("unknown.proto2_extension_number", field(120, "int32", 5))

    def enums(self):
        f = self.n
        values = {"unknown_positive": 99, "unknown_negative": -7, "unknown_max": I32_MAX, "neg": -1}
        for name, value in values.items():
            self.add(f"enum.singular.{name}", field(f("optional_nested_enum"), "enum", value))
            self.add(f"enum.foreign.{name}", field(f("optional_foreign_enum"), "enum", value))
        self.add("enum.known_then_unknown", field(f("optional_nested_enum"), "enum", 1) + field(f("optional_nested_enum"), "enum", 99))
        self.add("enum.unknown_then_known", field(f("optional_nested_enum"), "enum", 99) + field(f("optional_nested_enum"), "enum", 2))
        mixed = [1, 99, 2, -7, 0, 1000]
        for prefix in ("repeated", "packed", "unpacked"):
            number = f(f"{prefix}_nested_enum")
            self.add(f"enum.{prefix}.unknown_unpacked", unpacked(number, "enum", mixed))
            self.add(f"enum.{prefix}.unknown_packed", packed(number, "enum", mixed))
            self.add(f"enum.{prefix}.unknown_mixed_with_other_fields",
                     packed(number, "enum", mixed[:3]) + field(f("optional_int32"), "int32", 4) + unpacked(number, "enum", mixed[3:]))
        self.add("enum.oneof.unknown", field(f("oneof_enum"), "enum", 99))
        self.add("enum.oneof.unknown_after_other_member", field(f("oneof_uint32"), "uint32", 5) + field(f("oneof_enum"), "enum", 99))
        for map_name in ("map_string_nested_enum", "map_string_foreign_enum"):
            self.add(f"enum.{map_name}.unknown_value",
                     delimited(f(map_name), field(1, "string", "a") + field(2, "enum", 1))
                     + delimited(f(map_name), field(1, "string", "b") + field(2, "enum", 99)))
        self.add("enum.in_nested_message.unknown",
                 delimited(f("recursive_message"), field(f("optional_nested_enum"), "enum", 99) + field(f("optional_int32"), "int32", 1)))
        if self.proto3:
            self.add("enum.aliased.alias_value", field(f("optional_aliased_enum"), "enum", 2))

    def groups(self):
        u = UNKNOWN_FIELD
        if not self.proto3:
            data = self.n("data")
            self.add("group.basic", group(data, field(202, "int32", -1) + field(203, "uint32", 2**32 - 1)))
            self.add("group.empty", group(data, b""))
            self.add("group.merge_two_occurrences", group(data, field(202, "int32", 1)) + group(data, field(203, "uint32", 2)))
            self.add("group.unknown_inside", group(data, field(202, "int32", 1) + field(999, "string", "u") + group(998, field(1, "int32", 1))))
            self.add("group.as_delimited_wire_type", delimited(data, field(202, "int32", 1)), expect="oracle")
            self.add("group.unterminated", tag(data, SGROUP) + field(202, "int32", 1), expect="error")
            self.add("group.wrong_end_number", tag(data, SGROUP) + field(202, "int32", 1) + tag(data + 1, EGROUP), expect="error")
            self.add("group.end_inside_submessage", tag(data, SGROUP) + delimited(self.n("optional_nested_message"), tag(data, EGROUP)),
                     expect="error")
        self.add("group.unknown_nested_three_deep", group(u, group(u + 1, group(u + 2, field(1, "int32", 1)))))
        self.add("group.unknown_unterminated", tag(u, SGROUP) + field(1, "int32", 1), expect="error")
        self.add("group.unknown_wrong_end_number", tag(u, SGROUP) + tag(u + 1, EGROUP), expect="error")
        self.add("group.unknown_end_inside_delimited", tag(u, SGROUP) + delimited(u + 1, tag(u, EGROUP)) + tag(u, EGROUP))

    # A known field with a wire type its type cannot have is kept as an unknown field, not an error.
    def wrong_wire_types(self):
        f = self.n
        cases = {
            "int32_as_fixed32": field(f("optional_int32"), "fixed32", 5),
            "int32_as_delimited": delimited(f("optional_int32"), varint(5)),
            "fixed64_as_varint": field(f("optional_fixed64"), "int64", 5),
            "string_as_varint": field(f("optional_string"), "int32", 5),
            "message_as_fixed64": field(f("optional_nested_message"), "fixed64", 5),
            "message_as_group": group(f("optional_nested_message"), field(1, "int32", 1)),
            "repeated_string_as_fixed32": field(f("repeated_string"), "fixed32", 1),
            "repeated_int32_as_fixed64": field(f("repeated_int32"), "fixed64", 1),
            "packed_fixed32_as_varint": field(f("packed_fixed32"), "int32", 1),
            "map_as_varint": field(f("map_int32_int32"), "int32", 1),
            "oneof_string_as_varint": field(f("oneof_string"), "int32", 1),
        }
        for name, payload in cases.items():
            self.add(f"wrongwiretype.{name}", payload, expect="oracle")

    def strings(self):
        f = self.n
        for label, raw in INVALID_UTF8.items():
            bad = tag(f("optional_string"), LEN) + varint(len(raw)) + raw
            self.add(f"utf8.invalid.{label}", bad, expect="error" if self.proto3 else "lenient")
        expect = "error" if self.proto3 else "lenient"
        raw = b"\xff"
        self.add("utf8.invalid.repeated", field(f("repeated_string"), "string", "ok") + tag(f("repeated_string"), LEN) + varint(1) + raw, expect=expect)
        self.add("utf8.invalid.oneof", tag(f("oneof_string"), LEN) + varint(1) + raw, expect=expect)
        self.add("utf8.invalid.nested", delimited(f("recursive_message"), tag(f("optional_string"), LEN) + varint(1) + raw), expect=expect)
        self.add("utf8.invalid_in_bytes_is_fine", tag(f("optional_bytes"), LEN) + varint(1) + raw)
        self.add("utf8.invalid_in_unknown_field_is_fine", tag(UNKNOWN_FIELD, LEN) + varint(1) + raw)

    # Inputs every protobuf parser must reject.
    def malformed(self):
        f = self.n
        u = UNKNOWN_FIELD
        i32, s, msg = f("optional_int32"), f("optional_string"), f("optional_nested_message")
        cases = {
            "truncated.tag": b"\x80",
            "truncated.tag_after_field": field(i32, "int32", 1) + b"\xf8\x80",
            "truncated.varint": tag(i32, VARINT) + b"\x80",
            "truncated.varint_missing": tag(i32, VARINT),
            "truncated.varint_unknown": tag(u, VARINT) + b"\xff\xff",
            "truncated.fixed32": tag(f("optional_fixed32"), I32) + b"\x01\x02",
            "truncated.fixed64": tag(f("optional_fixed64"), I64) + b"\x01\x02\x03",
            "truncated.fixed32_unknown": tag(u, I32) + b"\x01",
            "truncated.fixed64_unknown": tag(u, I64) + b"\x01" * 7,
            "truncated.float": tag(f("optional_float"), I32) + b"\x00\x00\x80",
            "truncated.double": tag(f("optional_double"), I64) + b"\x00" * 7,
            "truncated.delimited": tag(s, LEN) + varint(5) + b"ab",
            "truncated.delimited_length_missing": tag(s, LEN),
            "truncated.delimited_unknown": tag(u, LEN) + varint(5) + b"ab",
            "truncated.bytes": tag(f("optional_bytes"), LEN) + varint(3),
            "truncated.submessage": tag(msg, LEN) + varint(10) + field(1, "int32", 1),
            "truncated.packed_varint": tag(f("packed_int32"), LEN) + varint(2) + b"\x01\x80",
            "truncated.packed_in_repeated": tag(f("repeated_int64"), LEN) + varint(1) + b"\x80",
            "truncated.packed_fixed32_not_multiple": tag(f("packed_fixed32"), LEN) + varint(3) + b"\x01\x02\x03",
            "truncated.packed_fixed64_not_multiple": tag(f("repeated_double"), LEN) + varint(12) + b"\x00" * 12,
            "truncated.packed_length": tag(f("packed_int32"), LEN) + varint(10) + b"\x01",
            "length.past_end_of_submessage": delimited(msg, tag(2, LEN) + varint(20) + b"x") + b"\x00" * 30,
            "length.huge": tag(s, LEN) + varint(2**62),
            "length.negative": tag(s, LEN) + varint(-1) + b"abc",
            "length.2gib": tag(u, LEN) + varint(2**31) + b"abc",
            "varint.eleven_bytes": tag(i32, VARINT) + b"\xff" * 10 + b"\x01",
            "varint.eleven_bytes_unknown": tag(u, VARINT) + b"\x80" * 10 + b"\x00",
            "tag.field_number_zero_varint": b"\x00\x01",
            "tag.field_number_zero_delimited": b"\x02\x00",
            "tag.field_number_zero_after_field": field(i32, "int32", 1) + b"\x00",
            "tag.wire_type_6": tag(i32, 6) + b"\x01",
            "tag.wire_type_7": tag(i32, 7) + b"\x01",
            "tag.wire_type_6_unknown": tag(u, 6),
            "tag.wire_type_7_unknown": tag(u, 7) + b"\x00" * 8,
            "tag.wire_type_6_in_submessage": delimited(msg, tag(1, 6)),
            "tag.end_group_top_level": tag(u, EGROUP),
            "tag.end_group_known_field": tag(i32, EGROUP),
            "tag.end_group_after_fields": field(i32, "int32", 1) + tag(u, EGROUP) + field(i32, "int32", 2),
            "tag.end_group_in_submessage": delimited(msg, tag(1, EGROUP)),
            "tag.field_number_too_large": varint(((2**29) << 3) | VARINT) + b"\x01",
            "tag.overlong_past_32_bits": b"\x88\x80\x80\x80\x80\x80\x80\x80\x80\x01" + b"\x01",
        }
        for name, payload in cases.items():
            self.add(f"malformed.{name}", payload, expect="error" if not name.startswith("tag.overlong") else "oracle")


    # Varints wider than their field: int32, uint32, sint32 and enum keep the low 32 bits, bool is
    # true for any non-zero value; floats at the edges of their range; field number 0 in every form.
    def truncating_varints(self):
        f = self.n
        vectors = {
            "int32": [2**33, 2**33 - 1, I64_MAX, I64_MIN + 1, 12345],
            "uint32": [2**33, 2**33 + 1, 2**33 - 1, I64_MAX, I64_MIN + 1],
            "enum": [I64_MAX, I64_MIN + 1],
            "bool": [12345678, 2**33, I64_MAX, I64_MIN, -1],
        }
        for type_name, values in vectors.items():
            number = f("optional_nested_enum" if type_name == "enum" else f"optional_{type_name}")
            for index, value in enumerate(values):
                self.add(f"wide_varint.{type_name}.{index}", tag(number, VARINT) + varint(value), exact=True)
            repeated = f("repeated_nested_enum" if type_name == "enum" else f"repeated_{type_name}")
            self.add(f"wide_varint.{type_name}.repeated_packed", packed(repeated, "int64", values), exact=True)
        self.add("wide_varint.sint32.zigzag64", tag(f("optional_sint32"), VARINT) + varint(zigzag64(I32_MAX + 2)), exact=True)
        self.add("wide_varint.sint32.zigzag64_negative", tag(f("optional_sint32"), VARINT) + varint(zigzag64(I32_MIN - 3)), exact=True)
        floats = {"tenth": 0.1, "tiny": 1.00000075e-36, "max": 3.402823e38, "min_normal": 1.17549435e-38}
        for label, value in floats.items():
            self.add(f"float_edges.float.{label}", field(f("optional_float"), "float", value), exact=True)
        doubles = {"tenth": 0.1, "min_normal": 2.22507385850720138309e-308, "max": 1.7976931348623157e308}
        for label, value in doubles.items():
            self.add(f"float_edges.double.{label}", field(f("optional_double"), "double", value), exact=True)
        self.add("string.escapes", field(f("optional_string"), "string", "'\"?\\\a\b\f\n\r\t\v"), exact=True)
        self.add("bytes.high_byte", field(f("optional_bytes"), "bytes", b"\xfb"), exact=True)
        zero_field = {"fixed64": b"\x01DEADBEEF", "delimited": b"\x02\x01\x01", "group": b"\x03\x04", "fixed32": b"\x05DEAD"}
        u = UNKNOWN_FIELD
        limits = {
            "tag_six_bytes": padded_varint((f("optional_int32") << 3) | VARINT, 6) + varint(1),
            "tag_six_bytes_unknown": padded_varint((u << 3) | VARINT, 6) + varint(1),
            # field 2 varint, padded to 10 bytes with bits past 64 set in the last one
            "tag_ten_bytes_overflowing": b"\x90" + b"\x80" * 8 + b"\x06" + varint(1),
            "length_six_bytes": tag(f("optional_string"), LEN) + padded_varint(1, 6) + b"a",
            "length_ten_bytes_zero": tag(u, LEN) + padded_varint(0, 10),
        }
        for label, payload in limits.items():
            self.add(f"malformed.varint_limits.{label}", payload, expect="error")
        # The tenth byte of a varint carries bit 63 only; C++ drops higher bits, upb and Go reject.
        self.add("varint.tenth_byte_overflow", tag(f("optional_int64"), VARINT) + b"\xff" * 9 + b"\x7f", expect="either")
        for label, payload in zero_field.items():
            self.add(f"malformed.field_number_zero.{label}", payload, expect="error")
        merge_a = delimited(2, field(1, "int32", 1) + field(2, "int64", 1) + field(89, "int32", 1))
        merge_b = delimited(2, field(2, "int64", 1) + field(89, "int32", 1))
        self.add("oneof.message.merge_with_repeated_inside",
                 delimited(f("oneof_nested_message"), merge_a) + delimited(f("oneof_nested_message"), merge_b))
        occurrence = lambda a, b: delimited(f("optional_nested_message"), delimited(2, field(1, "int32", a) + field(b, "int32", a) + field(31, "int32", a)))
        self.add("merge.message.scalars_and_repeated_inside", occurrence(1234, 2) + occurrence(4321, 3))

    # Input that ends before or inside a value, for every field type: known singular, known
    # repeated and unknown fields, delimited data and packed runs.
    def premature_end(self):
        incomplete = {VARINT: b"\x80", I64: b"abcdefg", LEN: b"\x80", I32: b"abc"}
        kinds = [(t, f"optional_{t}", f"repeated_{t}") for t in EDGES]
        kinds += [("enum", "optional_nested_enum", "repeated_nested_enum"),
                  ("message", "optional_nested_message", "repeated_nested_message")]
        for type_name, singular, repeated in kinds:
            wire = LEN if type_name == "message" else SCALARS[type_name][0]
            targets = {"known": self.n(singular), "known_repeated": self.n(repeated), "unknown": UNKNOWN_FIELD}
            for where, number in targets.items():
                self.add(f"eof.{type_name}.before_value.{where}", tag(number, wire), expect="error")
                self.add(f"eof.{type_name}.inside_value.{where}", tag(number, wire) + incomplete[wire], expect="error")
                if wire == LEN:
                    self.add(f"eof.{type_name}.inside_delimited_data.{where}", tag(number, wire) + varint(1), expect="error")
            if type_name == "message":
                inner = tag(1, VARINT) + incomplete[VARINT]
                self.add("eof.message.inside_submessage_value", tag(self.n(singular), LEN) + varint(len(inner)) + inner, expect="error")
            elif wire != LEN:
                number = self.n(repeated)
                self.add(f"eof.{type_name}.inside_packed_value",
                         tag(number, LEN) + varint(len(incomplete[wire])) + incomplete[wire], expect="error")
                self.add(f"eof.{type_name}.inside_packed_run", tag(number, LEN) + varint(1), expect="error")

    # proto2 fields with explicit presence (and declared defaults) keep a value equal to the default.
    def presence_and_names(self):
        f = self.n
        if not self.proto3:
            declared = {"int32": -123456789, "int64": -9123456789123456789, "uint32": 2123456789,
                        "uint64": 10123456789123456789, "sint32": -123456789, "sint64": -9123456789123456789,
                        "fixed32": 2123456789, "fixed64": 10123456789123456789, "sfixed32": -123456789,
                        "sfixed64": -9123456789123456789, "float": 9e9, "double": 7e22, "bool": True,
                        "string": "Rosebud", "bytes": b"joshua"}
            for type_name, value in declared.items():
                number = f(f"default_{type_name}")
                self.add(f"presence.default_{type_name}.equal_to_default", field(number, type_name, value))
                self.add(f"presence.default_{type_name}.zero", field(number, type_name, EDGES[type_name][next(iter(EDGES[type_name]))]))
            self.add("presence.all_zero_scalars",
                     b"".join(field(f(f"optional_{t}"), t, next(iter(EDGES[t].values()))) for t in EDGES))
            self.add("presence.empty_message_field", delimited(f("optional_foreign_message"), b""))
        names = [fd for fd in self.descriptor.fields if fd.number >= 401]
        self.add("names.every_odd_field_name", b"".join(field(fd.number, "int32", fd.number) for fd in names))
        self.add("cord_and_string_piece",
                 field(f("optional_string_piece"), "string", "piece") + field(f("optional_cord"), "string", "cord")
                 + field(f("repeated_string_piece"), "string", "a") + field(f("repeated_cord"), "string", "b"))

    # proto3's well-known-type fields: Ferry's own generated runtime types carry them.
    def well_known_types(self):
        f = self.n
        value_string = delimited(3, b"s")                      # Value.string_value
        value_number = field(2, "double", 1.5)                 # Value.number_value
        value_null = field(1, "enum", 0)                       # Value.null_value
        value_bool = field(4, "bool", True)                    # Value.bool_value
        struct = delimited(1, field(1, "string", "k") + delimited(2, value_number))  # Struct.fields entry
        value_struct = delimited(5, struct)
        value_list = delimited(6, delimited(1, value_string) + delimited(1, value_null) + delimited(1, value_struct))
        cases = {
            "wrappers.all": b"".join(delimited(f(name), body) for name, body in [
                ("optional_bool_wrapper", field(1, "bool", True)), ("optional_int32_wrapper", field(1, "int32", -1)),
                ("optional_int64_wrapper", field(1, "int64", I64_MIN)), ("optional_uint32_wrapper", field(1, "uint32", 2**32 - 1)),
                ("optional_uint64_wrapper", field(1, "uint64", 2**64 - 1)), ("optional_float_wrapper", field(1, "float", math.nan)),
                ("optional_double_wrapper", field(1, "double", -0.0)), ("optional_string_wrapper", field(1, "string", "\u00e9")),
                ("optional_bytes_wrapper", field(1, "bytes", b"\x00"))]),
            "wrappers.empty_means_default": delimited(f("optional_int32_wrapper"), b"") + delimited(f("optional_string_wrapper"), b""),
            "wrappers.repeated": delimited(f("repeated_int32_wrapper"), field(1, "int32", 1)) * 2
            + delimited(f("repeated_string_wrapper"), b"") + delimited(f("repeated_bytes_wrapper"), field(1, "bytes", b"z")),
            "duration": delimited(f("optional_duration"), field(1, "int64", -315576000000) + field(2, "int32", -999999999)),
            "timestamp": delimited(f("optional_timestamp"), field(1, "int64", 253402300799) + field(2, "int32", 999999999)),
            "field_mask": delimited(f("optional_field_mask"), field(1, "string", "a.b") + field(1, "string", "c")),
            "struct": delimited(f("optional_struct"), struct + delimited(1, field(1, "string", "l") + delimited(2, value_list))),
            "value.kinds": b"".join(delimited(f("repeated_value"), v) for v in
                                    (value_null, value_number, value_string, value_bool, value_struct, value_list)),
            "value.oneof_last_wins": delimited(f("optional_value"), value_string + value_number),
            "any": delimited(f("optional_any"), field(1, "string", "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3")
                             + delimited(2, field(1, "int32", 12))),
            "any.repeated": delimited(f("repeated_any"), field(1, "string", "x/y.Z")) * 2,
            "null_value": field(f("optional_null_value"), "enum", 0) + field(f("oneof_null_value"), "enum", 0),
            "list_value.repeated": delimited(f("repeated_list_value"), delimited(1, value_bool)),
            "durations_timestamps.repeated": delimited(f("repeated_duration"), field(1, "int64", 1))
            + delimited(f("repeated_timestamp"), field(2, "int32", 1)) + delimited(f("repeated_fieldmask"), b"")
            + delimited(f("repeated_struct"), struct),
        }
        for name, payload in cases.items():
            self.add(f"wkt.{name}", payload)


def mutations(cases, count, seed=20261125):
    """`count` inputs made by damaging valid cases: flipped, inserted, deleted or cut bytes, and
    splices of two cases. The same seed gives the same inputs on every run."""
    generator = random.Random(seed)
    sources = [case for case in cases if case.expect == "valid" and len(case.payload) > 1]
    mutated = []
    for index in range(count):
        case = generator.choice(sources)
        data = bytearray(case.payload)
        for _ in range(generator.randint(1, 3)):
            kind = generator.randrange(5)
            position = generator.randrange(len(data)) if data else 0
            if kind == 0 and data:
                data[position] ^= 1 << generator.randrange(8)
            elif kind == 1:
                data.insert(position, generator.randrange(256))
            elif kind == 2 and data:
                del data[position]
            elif kind == 3:
                data = data[:position]
            else:
                other = generator.choice(sources).payload
                data = data[:position] + other[generator.randrange(len(other)):]
        mutated.append(Case(f"{case.name.split('.')[0]}.mutated.{index:04d}", case.message, bytes(data), "robust"))
    return mutated
