import FerryCodec
import Testing

/// Closed (proto2) enums keep numbers they do not know in unknown fields, as protobuf's runtimes
/// do; expected bytes are python protobuf's re-encoding of the same input.
@Suite struct ClosedEnumTests {
    typealias P2 = ProtobufTestMessages_Proto2_TestAllTypesProto2

    @Test("a map entry with an unknown closed-enum value moves to unknown fields")
    func mapEntry() throws {
        // map_string_nested_enum (73): {"k": 99}, {"j": BAR}
        let input: [UInt8] = [
            0xCA, 0x04, 0x05, 0x0A, 0x01, 0x6B, 0x10, 0x63, 0xCA, 0x04, 0x05, 0x0A, 0x01, 0x6A, 0x10, 0x01,
        ]
        let message = try P2(serializedBytes: input)
        #expect(message.mapStringNestedEnum == ["j": .bar])
        #expect(message.serializedBytes() == Array(input[8...]) + Array(input[..<8]))
    }

    @Test("singular and repeated unknown closed-enum values move to unknown fields")
    func singularAndRepeated() throws {
        // optional_nested_enum (21) = 7, repeated_nested_enum (51) = [1, 7], packed_nested_enum (88) = [2, 9]
        let input: [UInt8] = [0xA8, 0x01, 0x07, 0x98, 0x03, 0x01, 0x98, 0x03, 0x07, 0xC2, 0x05, 0x02, 0x02, 0x09]
        let message = try P2(serializedBytes: input)
        #expect(message.optionalNestedEnum == nil)
        #expect(message.repeatedNestedEnum == [.bar])
        #expect(message.packedNestedEnum == [.baz])
        // Known values first (field order), then the unknown ones in arrival order; the packed
        // unknown 9 comes back as an unpacked varint field, as in C++ and python.
        #expect(
            message.serializedBytes() == [
                0x98, 0x03, 0x01, 0xC2, 0x05, 0x01, 0x02,
                0xA8, 0x01, 0x07, 0x98, 0x03, 0x07, 0xC0, 0x05, 0x09,
            ]
        )
    }
}

/// Boxed (cycle-closing) fields behave as values: copies are independent.
@Suite struct BoxedFieldTests {
    @Test("mutating a copy through a boxed field leaves the original unchanged")
    func copyOnWrite() {
        var original = ProtobufUnittest_TestRecursiveMessage()
        original.a = ProtobufUnittest_TestRecursiveMessage()
        original.a?.i = 1
        var copy = original
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
        copy.a?.i = 2
        copy.a?.a = ProtobufUnittest_TestRecursiveMessage()
        #expect(original.a?.i == 1)
        #expect(original.a?.a == nil)
        #expect(copy != original)
        var mutual = ProtobufUnittest_TestMutualRecursionA()
        mutual.bb = ProtobufUnittest_TestMutualRecursionB()
        mutual.bb?.a = ProtobufUnittest_TestMutualRecursionA()
        mutual.bb?.optionalInt32 = 5
        let again = try? ProtobufUnittest_TestMutualRecursionA(serializedBytes: mutual.serializedBytes())
        #expect(again == mutual)
    }
}
