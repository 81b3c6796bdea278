"""JSON cases of the conformance driver, judged by python protobuf's json_format.

Each input case is a JSON text for a test message. Python's `json_format.Parse` is the oracle: when it
rejects the text, the testee must answer parse_error; when it accepts it, the testee's binary output and
its JSON output must both read back (with python) as the message python parsed. `either` cases are
those where protobuf's runtimes legitimately differ (python's json module accepts `NaN` literals, for
one); any answer but a crash or a wrong value passes.

Output cases take a message python built, send its binary encoding, ask for JSON, and check that python
reads the testee's JSON back as the same message. Every valid binary case of conformance_cases.py is
also sent this way, since JSON must print whatever binary can hold.

The case names follow protobuf's binary_json_conformance_suite where one exists, so that the two
lists can be compared.
"""
from dataclasses import dataclass
import json
import math

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor as FD

from conformance_judge import FormatJudge

P3 = "protobuf_test_messages.proto3.TestAllTypesProto3"
P2 = "protobuf_test_messages.proto2.TestAllTypesProto2"


@dataclass
class JsonCase:
    name: str
    message: str
    text: str
    expect: str = "oracle"  # or "either"
    ignore_unknown: bool = False


def q(value):
    return json.dumps(value)


def input_cases(classes):
    cases = []

    def add(name, text, message=P3, expect="oracle", ignore_unknown=False):
        cases.append(JsonCase(f"json.{name}", message, text, expect, ignore_unknown))

    # Field names: the JSON name and the proto name both read; the names protoc derives oddly.
    p3 = classes[P3].DESCRIPTOR
    for field in p3.fields:
        if field.name.startswith(("field", "_field", "Field", "FIELD", "__")):
            add(f"FieldName.{field.name}.json", f'{{"{field.json_name}": 1}}')
            add(f"FieldName.{field.name}.proto", f'{{"{field.name}": 1}}')
    add("FieldNameInSnakeCase", '{"optional_int32": 1, "optional_nested_message": {"a": 2}}')
    add("FieldNameWithMixedCases", '{"optionalInt32": 1, "optional_nested_enum": "BAR"}')
    add("FieldNameDuplicate", '{"optionalNestedMessage": {"a": 1}, "optionalNestedMessage": {}}')
    # protobuf's suite expects these to fail (RECOMMENDED); python's parser merges them.
    add("FieldNameDuplicateDifferentCasing1", '{"optional_nested_message": {"a": 1}, "optionalNestedMessage": {}}', expect="either")
    add("FieldNameDuplicateDifferentCasing2", '{"optionalNestedMessage": {"a": 1}, "optional_nested_message": {}}', expect="either")
    add("FieldNameNotQuoted", '{fieldname1: 1}')
    add("UnknownField", '{"unknownField": 1}')
    add("UnknownFieldIgnored", '{"unknownField": {"a": [1, {"b": null}]}, "optionalInt32": 3}', ignore_unknown=True)
    add("UnknownEnumStringIgnored", '{"optionalNestedEnum": "NO_SUCH", "optionalInt32": 3}', ignore_unknown=True)
    add("UnknownEnumStringInRepeatedIgnored", '{"repeatedNestedEnum": ["FOO", "NO_SUCH", "BAR"]}', ignore_unknown=True)
    add("UnknownEnumStringInMapIgnored", '{"mapStringNestedEnum": {"a": "FOO", "b": "NO_SUCH"}}', ignore_unknown=True)
    add("UnknownEnumString", '{"optionalNestedEnum": "NO_SUCH"}')

    # JSON syntax.
    for name, text in {
        "TrailingCommaInAnObject": '{"fieldname1": 1,}',
        "TrailingCommaInAnArray": '{"repeatedInt32": [1, 2,]}',
        "SingleQuotes": "{'optionalInt32': 1}",
        "LineComment": '{"optionalInt32": 1 // x\n}',
        "BlockComment": '{"optionalInt32": /* x */ 1}',
        "EmptyInput": "",
        "OnlyWhitespace": " \n\t ",
        "TrailingGarbage": '{"optionalInt32": 1} x',
        "TwoObjects": '{} {}',
        "MissingColon": '{"optionalInt32" 1}',
        "MissingClosingBrace": '{"optionalInt32": 1',
        "ArrayAtTopLevel": '[1]',
        "NumberAtTopLevel": '1',
        "UnterminatedString": '{"optionalString": "abc}',
        "ControlCharacterInString": '{"optionalString": "a\tb"}',
        "WhitespaceEverywhere": ' \n{ "optionalInt32" :\t1 ,\r\n"optionalString" : "x" } \n',
        "EmptyObject": '{}',
    }.items():
        add(f"Syntax.{name}", text)

    # Integers.
    for kind, field in [("Int32", "optionalInt32"), ("Uint32", "optionalUint32"), ("Int64", "optionalInt64"),
                        ("Uint64", "optionalUint64"), ("Sint32", "optionalSint32"), ("Sint64", "optionalSint64"),
                        ("Fixed32", "optionalFixed32"), ("Fixed64", "optionalFixed64"),
                        ("Sfixed32", "optionalSfixed32"), ("Sfixed64", "optionalSfixed64")]:
        bits = 64 if "64" in kind else 32
        signed = not kind.lower().startswith(("uint", "fixed"))
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
        for label, literal in {
            "MinValue": str(low), "MaxValue": str(high), "MinValueString": q(str(low)), "MaxValueString": q(str(high)),
            "TooLarge": str(high + 1), "TooSmall": str(low - 1), "TooLargeString": q(str(high + 1)),
            "Zero": "0", "NegativeZero": "-0", "Exponent": "1e5", "ExponentString": q("1e5"), "FloatTrailingZero": "100000.000",
            "NotInteger": "0.5", "NotIntegerString": q("0.5"), "LeadingZero": "01", "NegativeWithLeadingZero": "-01",
            "PlusSign": "+1", "Hex": "0x1", "StringWithSpace": q(" 1"), "StringEscaped": '"1\\u0032"',
            "Bool": "true", "Null": "null", "Array": "[1]", "Object": "{}", "EmptyString": '""',
            "LargeExponent": "1e400", "NegativeExponent": "1e-1",
        }.items():
            add(f"{kind}Field{label}", f'{{"{field}": {literal}}}')
        add(f"Repeated{kind}Field", f'{{"repeated{field[8:]}": [{low}, {q(str(high))}, 0, 1e1]}}')

    # Floating point.
    for kind, field in [("Float", "optionalFloat"), ("Double", "optionalDouble")]:
        for label, literal in {
            "Normal": "1.5", "Zero": "0", "NegativeZero": "-0.0", "MinPositive": "1e-45" if kind == "Float" else "5e-324",
            "Max": "3.4028235e38" if kind == "Float" else "1.7976931348623157e308",
            "TooLarge": "3.5e38" if kind == "Float" else "1.8e308", "TooSmall": "-3.5e38" if kind == "Float" else "-1.8e308",
            "Nan": q("NaN"), "Infinity": q("Infinity"), "NegativeInfinity": q("-Infinity"),
            "NanLiteral": "NaN", "InfinityLiteral": "Infinity", "QuotedValue": q("1.5"), "QuotedExponent": q("1e2"),
            "NanLowercase": q("nan"), "InfinityLowercase": q("infinity"), "Inf": q("inf"), "Bool": "true",
            "Integer": "7", "Exponent": "1E-3", "LeadingDot": ".5", "TrailingDot": "1.", "StringWithSpace": q("1.5 "),
        }.items():
            # python's json module reads NaN and Infinity literals, and python's float() reads "inf",
            # "infinity", padded numbers and booleans; protobuf's grammar has none of them.
            lenient = ("NanLiteral", "InfinityLiteral", "InfinityLowercase", "Inf", "StringWithSpace", "Bool")
            expect = "either" if label in lenient else "oracle"
            add(f"{kind}Field{label}", f'{{"{field}": {literal}}}', expect=expect)
        add(f"Repeated{kind}Field", f'{{"repeated{kind}": [1.5, "NaN", "-Infinity", -0.0, 2]}}')

    # Bool, string, bytes.
    for label, literal in {"True": "true", "False": "false", "String": q("true"), "Number": "1", "Null": "null"}.items():
        add(f"BoolField{label}", f'{{"optionalBool": {literal}}}')
    for label, literal in {
        "Unicode": q("h\u00e9llo \u65e5\u672c \U0001F680"), "Escapes": r'"\"\\\/\b\f\n\r\t"', "UnicodeEscape": r'"\u00e9\u65e5"',
        "SurrogatePair": r'"\ud83d\ude80"', "LoneHighSurrogate": r'"\ud83d"', "LoneLowSurrogate": r'"\ude80"',
        "HighSurrogateThenLetter": r'"\ud83dx"', "InvalidEscape": r'"\x41"', "ShortUnicodeEscape": r'"\u00e"',
        "NulEscape": r'"a\u0000b"', "Number": "1", "Null": "null", "Empty": '""',
    }.items():
        add(f"StringField{label}", f'{{"optionalString": {literal}}}')
    for label, literal in {
        "Standard": q("AQID/+8="), "UrlSafe": q("AQID_-8="), "Unpadded": q("AQID_-8"), "Empty": '""',
        "InvalidCharacter": q("AQ*D"), "DanglingCharacter": q("AQIDB"), "Number": "1",
    }.items():
        # python's base64 decoder skips characters outside the alphabet.
        add(f"BytesField{label}", f'{{"optionalBytes": {literal}}}', expect="either" if label == "InvalidCharacter" else "oracle")
    add("RepeatedStringAndBytes", '{"repeatedString": ["a", "", "\u00e9"], "repeatedBytes": ["", "AA==", "_w"]}')

    # Enums.
    for label, literal in {
        "Name": q("BAZ"), "Number": "2", "NegativeName": q("NEG"), "NegativeNumber": "-1", "UnknownNumber": "123",
        "UnknownName": q("QUX"), "LowercaseName": q("baz"), "NumberAsString": q("2"), "Float": "1.5", "Null": "null",
        "TooLarge": "2147483648",
    }.items():
        # python reads "2" and 1.5 as enum numbers; protobuf's grammar reads neither.
        add(f"EnumField{label}", f'{{"optionalNestedEnum": {literal}}}', expect="either" if label in ("NumberAsString", "Float") else "oracle")
    add("EnumFieldWithAlias", '{"optionalAliasedEnum": "ALIAS_BAZ"}')
    add("EnumFieldWithAliasUseAlias", '{"optionalAliasedEnum": "QUX"}')
    add("EnumFieldWithAliasLowerCase", '{"optionalAliasedEnum": "qux"}')
    add("EnumFieldWithAliasDifferentCase", '{"optionalAliasedEnum": "bAz"}')
    add("ForeignEnum", '{"optionalForeignEnum": "FOREIGN_BAR", "repeatedForeignEnum": ["FOREIGN_FOO", 2]}')
    add("ClosedEnumUnknownNumber", '{"optionalNestedEnum": 123}', message=P2)
    add("ClosedEnumKnownNumber", '{"optionalNestedEnum": 1}', message=P2)
    add("RepeatedEnum", '{"repeatedNestedEnum": ["FOO", 1, "NEG", -1]}')

    # Null, repeated and nesting.
    for field in ["optionalInt32", "optionalString", "optionalBytes", "optionalNestedMessage", "optionalNestedEnum",
                  "repeatedInt32", "mapStringString", "optionalTimestamp", "optionalAny", "optionalStruct",
                  "optionalBoolWrapper", "repeatedNestedMessage", "oneofUint32"]:
        add(f"Null.{field}", f'{{"{field}": null}}')
    add("NullInRepeated", '{"repeatedInt32": [1, null]}')
    add("NullInRepeatedMessage", '{"repeatedNestedMessage": [{}, null]}')
    add("NullInRepeatedValue", '{"repeatedValue": [1, null]}')
    add("NullValueField", '{"optionalNullValue": null}')
    add("NullValueFieldName", '{"optionalNullValue": "NULL_VALUE"}')
    add("NullValueFieldNumber", '{"optionalNullValue": 0}')
    add("NullValueRepeated", '{"repeatedNullValue": [null, "NULL_VALUE", 0]}')
    add("RepeatedFieldNotArray", '{"repeatedInt32": 1}')
    add("RepeatedFieldEmpty", '{"repeatedInt32": []}')
    add("RepeatedFieldNested", '{"repeatedInt32": [[1]]}')
    add("RepeatedMessage", '{"repeatedNestedMessage": [{"a": 1}, {}, {"corecursive": {"optionalInt32": 2}}]}')
    add("MessageFieldNotObject", '{"optionalNestedMessage": 1}')
    add("MessageFieldArray", '{"optionalNestedMessage": []}', expect="either")  # python takes [] as an empty message
    add("RecursiveMessage", '{"recursiveMessage": {"recursiveMessage": {"optionalInt32": 3, "recursiveMessage": {}}}}')
    deep = '{"recursiveMessage": ' * 60 + "{}" + "}" * 60
    add("RecursionDepth60", deep)
    too_deep = '{"recursiveMessage": ' * 150 + "{}" + "}" * 150
    add("RecursionDepth150", too_deep, expect="either")
    add("DeepArrayInValue", '{"optionalValue": ' + "[" * 300 + "]" * 300 + "}", expect="either")

    # Oneofs.
    for label, text in {
        "Uint32": '{"oneofUint32": 7}', "Zero": '{"oneofUint32": 0}', "String": '{"oneofString": ""}',
        "Bytes": '{"oneofBytes": "AA=="}', "Message": '{"oneofNestedMessage": {}}', "Bool": '{"oneofBool": false}',
        "Enum": '{"oneofEnum": "FOO"}', "NullValue": '{"oneofNullValue": null}', "Double": '{"oneofDouble": 0}',
        "TwoMembers": '{"oneofUint32": 1, "oneofString": "x"}', "TwoMembersOneNull": '{"oneofUint32": null, "oneofString": "x"}',
        "SameMemberTwice": '{"oneofUint32": 1, "oneof_uint32": 2}',
    }.items():
        add(f"Oneof{label}", text)

    # Maps.
    for label, text in {
        "Int32Key": '{"mapInt32Int32": {"1": 2, "-3": 4}}', "Int64Key": '{"mapInt64Int64": {"-9223372036854775808": "1"}}',
        "Uint32Key": '{"mapUint32Uint32": {"4294967295": 1}}', "Uint64Key": '{"mapUint64Uint64": {"18446744073709551615": "2"}}',
        "Sint32Key": '{"mapSint32Sint32": {"-1": -1}}', "Fixed64Key": '{"mapFixed64Fixed64": {"0": "0"}}',
        "BoolKey": '{"mapBoolBool": {"true": true, "false": false}}', "BoolKeyWrong": '{"mapBoolBool": {"TRUE": true}}',
        "StringKey": '{"mapStringString": {"": "", "\u00e9": "x"}}', "IntKeyNotNumber": '{"mapInt32Int32": {"a": 1}}',
        "IntKeyOutOfRange": '{"mapInt32Int32": {"2147483648": 1}}', "IntKeyLeadingSpace": '{"mapInt32Int32": {" 1": 1}}',
        "DuplicateKey": '{"mapStringString": {"a": "1", "a": "2"}}', "NullValue": '{"mapStringString": {"a": null}}',
        "MessageValue": '{"mapStringNestedMessage": {"a": {"a": 1}, "b": {}}}', "EnumValue": '{"mapStringNestedEnum": {"a": "BAR", "b": 1}}',
        "FloatValue": '{"mapInt32Float": {"1": "NaN"}, "mapInt32Double": {"1": 1e300}}', "BytesValue": '{"mapStringBytes": {"a": "AA=="}}',
        "NotObject": '{"mapStringString": []}', "Empty": '{"mapStringString": {}}',
    }.items():
        add(f"Map{label}", text)

    # Well-known types.
    for label, literal in {
        "Utc": q("1970-01-01T00:00:00Z"), "Min": q("0001-01-01T00:00:00Z"), "Max": q("9999-12-31T23:59:59.999999999Z"),
        "Millis": q("2020-02-29T12:34:56.789Z"), "Micros": q("2020-02-29T12:34:56.789012Z"), "OneDigit": q("2020-02-29T12:34:56.5Z"),
        "PositiveOffset": q("1970-01-01T08:00:00+08:00"), "NegativeOffset": q("1969-12-31T16:00:00-08:00"),
        "TenDigits": q("1970-01-01T00:00:00.0000000001Z"), "LowercaseT": q("1970-01-01t00:00:00Z"), "LowercaseZ": q("1970-01-01T00:00:00z"),
        "NoZone": q("1970-01-01T00:00:00"), "YearZero": q("0000-01-01T00:00:00Z"), "Year10000": q("10000-01-01T00:00:00Z"),
        "MaxPlusOne": q("9999-12-31T23:59:59Z"), "February30": q("2021-02-30T00:00:00Z"), "Hour24": q("2021-01-01T24:00:00Z"),
        "Leap": q("2016-12-31T23:59:60Z"), "Number": "0", "Object": "{}", "EmptyDot": q("1970-01-01T00:00:00.Z"),
        "BelowMinWithOffset": q("0001-01-01T00:00:00+01:00"),
    }.items():
        add(f"Timestamp{label}", f'{{"optionalTimestamp": {literal}}}', expect="either" if label == "EmptyDot" else "oracle")
    for label, literal in {
        "Zero": q("0s"), "Negative": q("-1.5s"), "NegativeFraction": q("-0.5s"), "Nanos": q("0.000000001s"),
        "Max": q("315576000000.999999999s"), "Min": q("-315576000000.999999999s"), "TooLarge": q("315576000001s"),
        "TooSmall": q("-315576000001s"), "TenDigits": q("1.0000000001s"), "NoSuffix": q("1"), "Minutes": q("1m"),
        "Number": "1", "PlusSign": q("+1s"), "LeadingDot": q(".5s"), "TrailingDot": q("1.s"), "Exponent": q("1e3s"),
        "Whitespace": q(" 1s"),
    }.items():
        # python parses durations with float(), which takes signs, spaces and extra digits.
        lenient = ("TenDigits", "PlusSign", "TrailingDot", "Whitespace", "LeadingDot", "Exponent")
        add(f"Duration{label}", f'{{"optionalDuration": {literal}}}', expect="either" if label in lenient else "oracle")
    for label, literal in {
        "Paths": q("fooBar,baz.quxQuux"), "Empty": q(""), "Underscore": q("foo_bar"), "Number": "1",
        "OnePath": q("a"), "Digits": q("a1b"),
    }.items():
        add(f"FieldMask{label}", f'{{"optionalFieldMask": {literal}}}')
    for label, literal in {
        "Object": '{"a": 1, "b": "x", "c": true, "d": null, "e": [1, "y", {}], "f": {"g": []}}', "Empty": "{}",
        "Array": "[1]", "Number": "1", "DuplicateKey": '{"a": 1, "a": 2}',
    }.items():
        add(f"Struct{label}", f'{{"optionalStruct": {literal}}}')
    for label, literal in {
        "Number": "1.5", "Integer": "-7", "String": q("x"), "True": "true", "Null": "null", "Object": '{"a": {"b": [null]}}',
        "Array": '[1, [2, [3]], {"x": null}]', "EmptyArray": "[]", "EmptyObject": "{}", "LargeNumber": "1e308",
        "TooLargeNumber": "1e400",
    }.items():
        add(f"Value{label}", f'{{"optionalValue": {literal}}}', expect="either" if label == "TooLargeNumber" else "oracle")
    add("ListValue", '{"repeatedListValue": [[1, "a"], [], [null, {"b": true}]]}')
    add("RepeatedStruct", '{"repeatedStruct": [{"a": 1}, {}]}')
    for wrapper, good, bad in [
        ("Bool", "true", '"true"'), ("Int32", "-5", '"x"'), ("Uint32", "5", "-5"), ("Int64", '"-5"', "1.5"),
        ("Uint64", '"18446744073709551615"', '"-1"'), ("Float", '"NaN"', "1e39"), ("Double", "1.5", "{}"),
        ("String", '"x"', "1"), ("Bytes", '"AQI="', '"*"'),
    ]:
        field = f"optional{wrapper}Wrapper"
        add(f"Wrapper{wrapper}", f'{{"{field}": {good}}}')
        add(f"Wrapper{wrapper}Invalid", f'{{"{field}": {bad}}}', expect="either" if wrapper == "Bytes" else "oracle")
        add(f"Wrapper{wrapper}Null", f'{{"{field}": null}}')
        add(f"Wrapper{wrapper}Zero", f'{{"{field}": {"false" if wrapper == "Bool" else (q("") if wrapper in ("String", "Bytes") else "0")}}}')
        add(f"RepeatedWrapper{wrapper}", f'{{"repeated{wrapper}Wrapper": [{good}, {good}]}}')
        add(f"RepeatedWrapper{wrapper}Null", f'{{"repeated{wrapper}Wrapper": [null]}}')
    url = "type.googleapis.com/"
    for label, text in {
        "Message": {"@type": url + P3, "optionalInt32": 12345, "optionalString": "x"},
        "TypeLast": {"optionalInt32": 12345, "@type": url + P3},
        "Nested": {"@type": url + P3, "optionalAny": {"@type": url + P3, "optionalInt32": 1}},
        "Empty": {},
        "OnlyType": {"@type": url + P3},
        "Timestamp": {"@type": url + "google.protobuf.Timestamp", "value": "1970-01-01T00:00:01Z"},
        "Duration": {"@type": url + "google.protobuf.Duration", "value": "1.5s"},
        "FieldMask": {"@type": url + "google.protobuf.FieldMask", "value": "a,bC"},
        "Struct": {"@type": url + "google.protobuf.Struct", "value": {"a": [1]}},
        "Value": {"@type": url + "google.protobuf.Value", "value": [1, "a"]},
        "ValueNull": {"@type": url + "google.protobuf.Value", "value": None},
        "ListValue": {"@type": url + "google.protobuf.ListValue", "value": [True]},
        "Int32Wrapper": {"@type": url + "google.protobuf.Int32Value", "value": 12},
        "AnyInAny": {"@type": url + "google.protobuf.Any", "value": {"@type": url + "google.protobuf.Int32Value", "value": 1}},
        "Empty": {"@type": url + "google.protobuf.Empty", "value": {}},
        "WellKnownWithoutValue": {"@type": url + "google.protobuf.Duration"},
        "OtherHost": {"@type": "example.com/x/" + P3, "optionalInt32": 2},
        "NoType": {"optionalInt32": 1},
        "UnknownType": {"@type": url + "no.such.Type", "a": 1},
        "TypeNotString": {"@type": 1},
        "UnknownFieldInContent": {"@type": url + P3, "noSuchField": 1},
        "ExtraFieldBesideValue": {"@type": url + "google.protobuf.Duration", "value": "1s", "other": 1},
        "NoSlash": {"@type": P3, "optionalInt32": 1},
    }.items():
        # python rejects a well-known Any without "value", and reads one with extra keys or a type
        # URL without "/"; protobuf's JSON spec is silent on the first and forbids the others.
        lenient = ("WellKnownWithoutValue", "ExtraFieldBesideValue", "NoSlash")
        add(f"Any{label}", json.dumps({"optionalAny": text}), expect="either" if label in lenient else "oracle")
    add("AnyRepeated", json.dumps({"repeatedAny": [{"@type": url + P3, "optionalInt32": 1}, {}]}))
    add("Empty", '{"optionalEmpty": {}}') if any(f.name == "optional_empty" for f in p3.fields) else None

    # proto2: groups, closed enums, presence of zero values.
    add("Proto2.Zeros", '{"optionalInt32": 0, "optionalString": "", "optionalBool": false}', message=P2)
    add("Proto2.Group", '{"data": {"groupInt32": 1, "groupUint32": 2}}', message=P2)
    add("Proto2.GroupProtoName", '{"data": {"group_int32": 1}}', message=P2)
    add("Proto2.Extension", '{"[protobuf_test_messages.proto2.extension_int32]": 1}', message=P2)
    add("Proto2.ExtensionWithFields", '{"optionalInt32": 2, "[protobuf_test_messages.proto2.extension_int32]": -1}', message=P2)
    add("Proto2.ExtensionUnknown", '{"[protobuf_test_messages.proto2.no_such_extension]": 1}', message=P2)
    add("Proto2.ExtensionWrongValue", '{"[protobuf_test_messages.proto2.extension_int32]": "x"}', message=P2)
    add("Proto2.ExtensionNull", '{"[protobuf_test_messages.proto2.extension_int32]": null}', message=P2)
    add("Proto2.ExtensionOfOtherMessage", '{"[protobuf_test_messages.proto2.extension_int32]": 1}')
    add("Proto2.DefaultValues", '{"defaultInt32": 0, "defaultString": ""}', message=P2)
    return cases


def output_messages(classes):
    """Messages (name, class name, message) whose binary form is sent for JSON output."""
    cls3 = classes[P3]
    messages = []

    def add(name, message, full_name=P3):
        messages.append((f"json.output.{name}", full_name, message))

    # Every singular scalar at a few values, through python's own JSON for convenience.
    for field in cls3.DESCRIPTOR.fields:
        if field.is_repeated or field.containing_oneof or field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            continue
        for label, value in _values(field).items():
            message = cls3()
            setattr(message, field.name, value)
            add(f"{field.name}.{label}", message)
    message = cls3()
    message.optional_timestamp.seconds = -62135596800
    add("TimestampMin", message)
    message = cls3()
    message.optional_timestamp.seconds = 253402300800
    add("TimestampAboveMax", message)
    message = cls3()
    message.optional_duration.seconds = 1
    message.optional_duration.nanos = -1
    add("DurationMixedSigns", message)
    message = cls3()
    message.optional_duration.seconds = -5
    message.optional_duration.nanos = -10000
    add("DurationNegativeMicros", message)
    message = cls3()
    message.optional_field_mask.paths.append("foo_bar")
    message.optional_field_mask.paths.append("a.b_c")
    add("FieldMask", message)
    message = cls3()
    message.optional_field_mask.paths.append("fooBar")
    add("FieldMaskUpperCase", message)
    message = cls3()
    message.optional_field_mask.paths.append("foo__bar")
    add("FieldMaskDoubleUnderscore", message)
    message = cls3()
    message.optional_value.number_value = math.inf
    add("ValueInfinity", message)
    message = cls3()
    message.optional_value.SetInParent()
    add("ValueEmpty", message)
    message = cls3()
    message.optional_any.Pack(cls3(optional_int32=5, optional_timestamp={"seconds": 3}))
    add("AnyMessage", message)
    message = cls3()
    message.optional_any.type_url = "type.googleapis.com/no.such.Type"
    message.optional_any.value = b"\x08\x01"
    add("AnyUnknownType", message)
    message = cls3()
    message.map_string_string["a\"b\\c\n\u0001"] = "\u2028\U0001F680"
    message.map_bool_bool[True] = False
    message.map_int64_int64[-1] = 2**62
    add("Maps", message)
    message = cls3()
    message.optional_nested_enum = 99
    message.repeated_nested_enum.extend([0, 99, -1])
    add("UnknownEnumNumbers", message)
    message = cls3()
    message.oneof_uint32 = 0
    add("OneofZero", message)
    message = cls3()
    message.optional_bool_wrapper.value = False
    message.optional_string_wrapper.SetInParent()
    add("WrappersAtDefault", message)
    message = cls3()
    message.repeated_float.extend([math.nan, -math.inf, 1e-45, 3.4028234663852886e38, 0.1])
    message.repeated_double.extend([5e-324, 1.7976931348623157e308, 0.1, -0.0, 1e21, 1e-7])
    add("RepeatedFloats", message)
    return messages


def _values(field):
    t = field.type
    if t in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32):
        return {"min": -2**31, "max": 2**31 - 1, "zero": 0}
    if t in (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_SFIXED64):
        return {"min": -2**63, "max": 2**63 - 1, "zero": 0}
    if t in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
        return {"max": 2**32 - 1, "one": 1}
    if t in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
        return {"max": 2**64 - 1, "one": 1}
    if t == FD.TYPE_FLOAT:
        return {"frac": 0.1, "nan": math.nan, "inf": math.inf, "negzero": -0.0, "big": 3.4e38, "tiny": 1e-45}
    if t == FD.TYPE_DOUBLE:
        return {"frac": 0.1, "nan": math.nan, "neginf": -math.inf, "negzero": -0.0, "big": 1e300, "tiny": 5e-324, "int": 1e16}
    if t == FD.TYPE_BOOL:
        return {"true": True}
    if t == FD.TYPE_STRING:
        return {"escapes": "\"\\/\b\f\n\r\t\u0000\u001f", "unicode": "\u00e9\U0001F680"}
    if t == FD.TYPE_BYTES:
        return {"all": bytes(range(256))}
    if t == FD.TYPE_ENUM:
        return {"first": field.enum_type.values[0].number, "last": field.enum_type.values[-1].number}
    return {}


class JsonJudge(FormatJudge):
    """JSON: python's json_format reads and prints; unknown fields are not part of JSON."""

    payload = "json_payload"
    label = "JSON"

    def output_format(self):
        return self.c.JSON

    def category(self, case):
        return self.c.JSON_IGNORE_UNKNOWN_PARSING_TEST if case is not None and case.ignore_unknown else self.c.JSON_TEST

    def oracle_parse(self, case, message):
        json_format.Parse(case.text, message, ignore_unknown_fields=case.ignore_unknown)

    def parse_output(self, text, message):
        json_format.Parse(text, message)

    def expected_output(self, message):
        """python's own JSON round trip of `message` (NullValue numbers other than 0 print as null)."""
        expected = type(message)()
        try:
            text = json_format.MessageToJson(message)
        except Exception:
            return expected, False
        try:
            json_format.Parse(text, expected)
        except Exception:
            # python prints the largest float as 3.4028235e+38 and then rejects it as too large.
            expected.CopyFrom(message)
            expected.DiscardUnknownFields()
        return expected, True
