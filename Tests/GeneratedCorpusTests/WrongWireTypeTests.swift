import FerryCodec
import Testing

/// A known field that arrives with a wire type its declaration cannot have is not an error: it is
/// kept as an unknown field and written back unchanged, as protobuf's C++, Java and upb parsers do.
@Suite struct WrongWireTypeTests {
    typealias P3 = ProtobufTestMessages_Proto3_TestAllTypesProto3
    typealias P2 = ProtobufTestMessages_Proto2_TestAllTypesProto2

    @Test(
        "scalar, string, message, map and oneof fields with another wire type become unknown fields",
        arguments: [
            [0x0D, 0x05, 0x00, 0x00, 0x00],  // optional_int32 (1) as fixed32
            [0x0A, 0x01, 0x05],  // optional_int32 (1) as length-delimited
            [0x70, 0x05],  // optional_string (14) as varint
            [0x91, 0x01, 1, 0, 0, 0, 0, 0, 0, 0],  // optional_nested_message (18) as fixed64
            [0x93, 0x01, 0x08, 0x01, 0x94, 0x01],  // optional_nested_message (18) as a group
            [0xF9, 0x01, 1, 0, 0, 0, 0, 0, 0, 0],  // repeated_int32 (31) as fixed64
            [0x88, 0x05, 0x01],  // packed_fixed32 (81) as varint
            [0xC0, 0x03, 0x01],  // map_int32_int32 (56) as varint
            [0x88, 0x07, 0x01],  // oneof_string (113) as varint
        ] as [[UInt8]]
    )
    func keptAsUnknown(input: [UInt8]) throws {
        let message = try P3(serializedBytes: input)
        #expect(message.unknownFields.bytes == input)
        #expect(message.serializedBytes() == input)
        var empty = P3()
        empty.unknownFields = message.unknownFields
        #expect(message == empty, "no known field was set")
    }

    @Test("a proto2 group sent as length-delimited data is an unknown field")
    func groupAsDelimited() throws {
        let input: [UInt8] = [0xCA, 0x0C, 0x03, 0xD0, 0x0C, 0x01]  // data (201) as length-delimited
        let message = try P2(serializedBytes: input)
        #expect(message.data == nil)
        #expect(message.serializedBytes() == input)
    }

    @Test("the right wire type still sets the field, around unknown occurrences")
    func mixedOccurrences() throws {
        // optional_int32 = 7 (varint), then as fixed32 (unknown), then repeated_int32 packed [1, 2]
        let input: [UInt8] = [0x08, 0x07, 0x0D, 0x05, 0x00, 0x00, 0x00, 0xFA, 0x01, 0x02, 0x01, 0x02]
        let message = try P3(serializedBytes: input)
        #expect(message.optionalInt32 == 7)
        #expect(message.repeatedInt32 == [1, 2])
        #expect(message.unknownFields.bytes == [0x0D, 0x05, 0x00, 0x00, 0x00])
    }
}
