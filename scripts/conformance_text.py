"""Text-format cases of the conformance driver, judged by python protobuf's text_format.

As for JSON (conformance_json.py): each input case is a text-format string for a test message; when
python's `text_format.Parse` rejects it the testee must answer parse_error, and when python accepts it
the testee's binary and text outputs must read back (with python) as the message python parsed. Output
cases send a message's binary encoding and ask for text format. `either` marks the cases where
protobuf's runtimes legitimately differ.

Case names follow protobuf's text_format_conformance_suite where one exists.
"""
from dataclasses import dataclass
import math

from google.protobuf import text_format

from conformance_json import P2, P3
from conformance_judge import FormatJudge

URL = "type.googleapis.com/"


@dataclass
class TextCase:
    name: str
    message: str
    text: str
    expect: str = "oracle"


def input_cases():
    cases = []

    def add(name, text, message=P3, expect="oracle"):
        cases.append(TextCase(f"text.{name}", message, text, expect))

    # Scalars in every spelling the grammar has.
    for label, text in {
        "Int32": "optional_int32: -123", "Int32Max": "optional_int32: 2147483647", "Int32Min": "optional_int32: -2147483648",
        "Int32TooLarge": "optional_int32: 2147483648", "Int32TooSmall": "optional_int32: -2147483649",
        "Int32Hex": "optional_int32: 0x7fffffff", "Int32NegativeHex": "optional_int32: -0x80000000", "Int32Octal": "optional_int32: 0777",
        "Int32NegativeOctal": "optional_int32: -0777", "Int32HexTooLarge": "optional_int32: 0x80000000",
        "Int32Float": "optional_int32: 1.5", "Int32Exponent": "optional_int32: 1e5", "Int32Bool": "optional_int32: true",
        "Int64Max": "optional_int64: 9223372036854775807", "Int64Min": "optional_int64: -9223372036854775808",
        "Int64TooLarge": "optional_int64: 9223372036854775808", "Uint32Max": "optional_uint32: 4294967295",
        "Uint32Negative": "optional_uint32: -1", "Uint64Max": "optional_uint64: 18446744073709551615",
        "Uint64TooLarge": "optional_uint64: 18446744073709551616", "Uint64Hex": "optional_uint64: 0xFFFFFFFFFFFFFFFF",
        "Sint32": "optional_sint32: -5", "Sint64": "optional_sint64: -9223372036854775808", "Fixed32": "optional_fixed32: 4294967295",
        "Fixed64": "optional_fixed64: 18446744073709551615", "Sfixed32": "optional_sfixed32: -2147483648", "Sfixed64": "optional_sfixed64: -1",
        "Float": "optional_float: 1.5", "FloatSuffix": "optional_float: 1.5f", "FloatUpperSuffix": "optional_float: 2F",
        "FloatExponent": "optional_float: 1e-3", "FloatInteger": "optional_float: 7", "FloatNegative": "optional_float: -0.5",
        "FloatInf": "optional_float: inf", "FloatNegativeInf": "optional_float: -inf", "FloatInfinity": "optional_float: infinity",
        "FloatInfinityUpper": "optional_float: Infinity", "FloatNan": "optional_float: nan", "FloatNanUpper": "optional_float: NaN",
        "FloatLeadingDot": "optional_float: .5", "FloatVeryPrecise": "optional_float: 0.1234567890123456789",
        "FloatNoOctal": "optional_float: 012", "FloatInvalidSuffix": "optional_float: 1.5x", "FloatNegativeZero": "optional_float: -0",
        "Double": "optional_double: 2.5e300", "DoubleNegativeZero": "optional_double: -0.0", "DoubleLarge": "optional_double: 1e309",
        "DoubleMin": "optional_double: 5e-324",
        "BoolTrue": "optional_bool: true", "BoolFalse": "optional_bool: false", "BoolT": "optional_bool: t", "BoolF": "optional_bool: f",
        "BoolCapital": "optional_bool: True", "BoolOne": "optional_bool: 1", "BoolZero": "optional_bool: 0", "BoolTwo": "optional_bool: 2",
        "BoolString": 'optional_bool: "true"',
        "EnumName": "optional_nested_enum: BAZ", "EnumNumber": "optional_nested_enum: 2", "EnumNegative": "optional_nested_enum: NEG",
        "EnumUnknownNumber": "optional_nested_enum: 123", "EnumUnknownName": "optional_nested_enum: QUX",
        "EnumLowercase": "optional_nested_enum: baz", "EnumQuoted": 'optional_nested_enum: "BAZ"',
        "ClosedEnumUnknownNumber": ("optional_nested_enum: 123", P2),
        "MissingColon": "optional_int32 1", "MissingValue": "optional_int32:", "UnknownField": "no_such_field: 1",
        "DuplicateSingular": "optional_int32: 1 optional_int32: 2", "RepeatedTwice": "repeated_int32: 1 repeated_int32: 2",
        "RepeatedList": "repeated_int32: [1, 2, 3]", "RepeatedEmptyList": "repeated_int32: []",
        "RepeatedListTrailingComma": "repeated_int32: [1, 2,]", "RepeatedListOfMessages": "repeated_nested_message: [{a: 1}, {a: 2}]",
        "RepeatedListOnSingular": "optional_int32: [1]",
        "Separators": "optional_int32: 1; optional_string: 'x', repeated_int32: 2",
        "Comments": "# leading\noptional_int32: 1  # trailing\n# end",
        "Whitespace": "\n\t optional_int32 :\t1 \n",
        "Empty": "",
    }.items():
        text, message = text if isinstance(text, tuple) else (text, P3)
        add(label, text, message=message)

    # Strings and bytes.
    for label, literal in {
        "Basic": '"hello"', "SingleQuotes": "'hello'", "Concat": '"ab" \'cd\' "ef"', "BasicEscapes": r'"\a\b\f\n\r\t\v\\\'\""',
        "OctalEscapes": r'"\1\12\123\377"', "HexEscapes": r'"\x1\x41\xfF"', "ShortUnicode": r'"\u00e9\u65e5"',
        "LongUnicode": r'"\U0001F680"', "SurrogateEscape": r'"\ud83d\ude80"', "LongUnicodeTooLarge": r'"\U00110000"',
        "Utf8": '"h\u00e9llo \U0001F680"', "InvalidEscape": r'"\z"', "UnterminatedString": '"abc', "NewlineInString": '"a\nb"',
        "OctalAbove377": r'"\400"', "InvalidUtf8": r'"\377"', "Empty": '""', "Number": "1",
    }.items():
        # python keeps unknown escapes such as "\z" as written; C++ rejects them, as Ferry does. (python
        # also keeps "\?" as two characters where C++ and Ferry read "?": no case here.)
        add(f"String{label}", f"optional_string: {literal}", expect="either" if label == "InvalidEscape" else "oracle")
    for label, literal in {
        "Basic": '"hello"', "Binary": r'"\000\001\377\x80"', "Concat": r'"\x00" "\xff"', "Unicode": r'"\u00e9"',
        "Utf8Literal": '"\u00e9"',
    }.items():
        add(f"Bytes{label}", f"optional_bytes: {literal}")

    # Messages, groups, maps, oneofs, Any.
    for label, text in {
        "Braces": "optional_nested_message { a: 1 }", "Angles": "optional_nested_message < a: 1 >",
        "WithColon": "optional_nested_message: { a: 1 }", "Empty": "optional_nested_message {}",
        "Nested": "recursive_message { recursive_message { optional_int32: 3 } }",
        "Unclosed": "optional_nested_message { a: 1", "MismatchedClose": "optional_nested_message { a: 1 >",
        "ScalarWithBraces": "optional_int32 { }", "DuplicateMessage": "optional_nested_message {} optional_nested_message {}",
        "RepeatedMessages": "repeated_nested_message { a: 1 } repeated_nested_message { a: 2 }",
    }.items():
        add(f"Message{label}", text)
    for label, text in {
        "NoColon": "Data { group_int32: 1 }", "WithColon": "Data: { group_int32: 1 }", "Empty": "Data {}",
        "LowercaseName": "data { group_int32: 1 }", "Angles": "Data < group_uint32: 2 >",
    }.items():
        add(f"Group{label}", text, message=P2)
    for label, text in {
        "Entry": 'map_string_string { key: "a" value: "b" }', "Entries": "map_int32_int32 { key: 1 value: 2 } map_int32_int32 { key: 3 value: 4 }",
        "List": 'map_string_string: [{ key: "a" value: "b" }, { key: "c" }]', "NoValue": 'map_string_nested_message { key: "a" }',
        "NoKey": "map_int32_int32 { value: 5 }", "MessageValue": 'map_string_nested_message { key: "a" value { a: 1 } }',
        "DuplicateKey": "map_int32_int32 { key: 1 value: 2 } map_int32_int32 { key: 1 value: 3 }",
        "BoolKey": "map_bool_bool { key: true value: false }",
    }.items():
        add(f"Map{label}", text)
    for label, text in {
        "Uint32": "oneof_uint32: 7", "Zero": "oneof_uint32: 0", "String": 'oneof_string: ""', "Message": "oneof_nested_message {}",
        "TwoMembers": 'oneof_uint32: 1 oneof_string: "x"',
    }.items():
        add(f"Oneof{label}", text)
    for label, text in {
        "Expanded": f"optional_any {{ [{URL}{P3}] {{ optional_int32: 12345 }} }}",
        "ExpandedAngles": f"optional_any < [{URL}{P3}] < optional_string: 'x' > >",
        "ExpandedWithColon": f"optional_any {{ [{URL}{P3}]: {{ optional_int32: 1 }} }}",
        "ExpandedWellKnown": f"optional_any {{ [{URL}google.protobuf.Duration] {{ seconds: 1 nanos: 5 }} }}",
        "ExpandedNested": f"optional_any {{ [{URL}{P3}] {{ optional_any {{ [{URL}{P3}] {{ optional_int32: 2 }} }} }} }}",
        "Raw": f'optional_any {{ type_url: "{URL}{P3}" value: "\\b\\001" }}',
        "UnknownType": f"optional_any {{ [{URL}no.such.Type] {{ a: 1 }} }}",
    }.items():
        add(f"Any{label}", text)
    add("WellKnownTimestamp", "optional_timestamp { seconds: 1 nanos: 2 }")
    add("WellKnownStruct", 'optional_struct { fields { key: "a" value { number_value: 1 } } }')
    add("Extension", "[protobuf_test_messages.proto2.extension_int32]: 5", message=P2)
    add("ExtensionWithFields", "optional_int32: 1 [protobuf_test_messages.proto2.extension_int32]: -5", message=P2)
    add("ExtensionUnknown", "[protobuf_test_messages.proto2.no_such_extension]: 5", message=P2)
    add("ExtensionOfOtherMessage", "[protobuf_test_messages.proto2.extension_int32]: 5")
    add("Proto2Zeros", 'optional_int32: 0 optional_string: ""', message=P2)
    return cases


def output_messages(classes):
    cls3 = classes[P3]
    messages = []

    def add(name, message, full_name=P3):
        messages.append((f"text.output.{name}", full_name, message))

    message = cls3(optional_string="a\"b'c\\\n\t\x00\x7f\u00e9\U0001F680", optional_bytes=bytes(range(256)))
    add("Escapes", message)
    message = cls3()
    message.repeated_float.extend([math.nan, -math.inf, 1e-45, 3.4028234663852886e38, 0.1, -0.0])
    message.repeated_double.extend([5e-324, 1.7976931348623157e308, 0.1, -0.0, 1e21, 1e-7, math.inf])
    add("Floats", message)
    message = cls3()
    message.optional_any.Pack(cls3(optional_int32=5, optional_timestamp={"seconds": 3}))
    add("AnyExpanded", message)
    message = cls3()
    message.optional_any.type_url = URL + "no.such.Type"
    message.optional_any.value = b"\x08\x01"
    add("AnyUnknownType", message)
    message = cls3()
    message.map_string_nested_message["k"].a = 1
    message.map_bool_bool[False] = True
    add("Maps", message)
    return messages


class TextJudge(FormatJudge):
    """Text format: python's text_format reads; unknown fields are printed only on request."""

    payload = "text_payload"
    label = "text"

    def output_format(self):
        return self.c.TEXT_FORMAT

    def category(self, case):
        return self.c.TEXT_FORMAT_TEST

    def oracle_parse(self, case, message):
        text_format.Parse(case.text, message)

    def parse_output(self, text, message):
        text_format.Parse(text, message)

    def expected_output(self, message):
        expected = type(message)()
        expected.CopyFrom(message)
        expected.DiscardUnknownFields()
        return expected, True
