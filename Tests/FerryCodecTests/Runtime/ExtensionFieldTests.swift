import FerryCodec
import Testing

/// Extension values live in unknown fields; the accessors find, decode and replace them there.
@Suite struct ExtensionFieldTests {
    // FieldOptions is a real extendable message of the runtime; 50001... are custom option numbers.
    static let flag = ExtensionField(
        extending: Google_Protobuf_FieldOptions.self,
        FieldType.Bool.self,
        number: 50001,
        name: "t.flag"
    )
    static let label = ExtensionField(
        extending: Google_Protobuf_FieldOptions.self,
        FieldType.String.self,
        number: 50002,
        name: "t.label"
    )
    static let nested = ExtensionField(
        extending: Google_Protobuf_FieldOptions.self,
        message: Google_Protobuf_Duration.self,
        number: 50003,
        name: "t.nested"
    )
    static let numbers = RepeatedExtensionField(
        extending: Google_Protobuf_FieldOptions.self,
        FieldType.SInt32.self,
        number: 50004,
        name: "t.numbers",
        packed: true
    )
    static let kind = ExtensionField(
        extending: Google_Protobuf_FieldOptions.self,
        closedEnum: Google_Protobuf_FieldOptions.CType.self,
        number: 50005,
        name: "t.kind"
    )

    @Test("set, get, replace and remove keep other unknown fields intact")
    func roundTrip() throws {
        var options = Google_Protobuf_FieldOptions()
        options.deprecated = true
        options[extension: Self.flag] = true
        options[extension: Self.label] = "first"
        options[extension: Self.label] = "second"
        options[extension: Self.numbers] = [-1, 0, 1]
        options[extension: Self.kind] = .cord
        var duration = Google_Protobuf_Duration()
        duration.seconds = 5
        options[extension: Self.nested] = duration
        let decoded = try Google_Protobuf_FieldOptions(serializedBytes: options.serializedBytes())
        #expect(decoded.deprecated == true)
        #expect(decoded[extension: Self.flag] == true)
        #expect(decoded[extension: Self.label] == "second")
        #expect(decoded[extension: Self.numbers] == [-1, 0, 1])
        #expect(decoded[extension: Self.kind] == .cord)
        #expect(decoded[extension: Self.nested]?.seconds == 5)
        var removed = decoded
        removed[extension: Self.label] = nil
        #expect(removed[extension: Self.label] == nil)
        #expect(removed[extension: Self.flag] == true)
        #expect(!removed.hasExtension(Self.label))
    }

    @Test("repeated occurrences of a message extension merge; of a scalar, the last wins")
    func mergeRules() throws {
        // field 50003 {seconds: 1}, field 50002 "a", field 50003 {nanos: 2}, field 50002 "b"
        let bytes: [UInt8] = [
            0x9A, 0xB5, 0x18, 0x02, 0x08, 0x01, 0x92, 0xB5, 0x18, 0x01, 0x61,
            0x9A, 0xB5, 0x18, 0x02, 0x10, 0x02, 0x92, 0xB5, 0x18, 0x01, 0x62,
        ]
        let options = try Google_Protobuf_FieldOptions(serializedBytes: bytes)
        #expect(options[extension: Self.nested]?.seconds == 1)
        #expect(options[extension: Self.nested]?.nanos == 2)
        #expect(options[extension: Self.label] == "b")
        #expect(options.serializedBytes() == bytes)
    }

    @Test("MessageSet items are found by type id")
    func messageSet() {
        let item = ExtensionField(
            extending: Google_Protobuf_FieldOptions.self,
            messageSetItem: Google_Protobuf_Duration.self,
            number: 77,
            name: "t.item"
        )
        let other = ExtensionField(
            extending: Google_Protobuf_FieldOptions.self,
            messageSetItem: Google_Protobuf_Duration.self,
            number: 78,
            name: "t.other"
        )
        var options = Google_Protobuf_FieldOptions()
        var duration = Google_Protobuf_Duration()
        duration.seconds = 9
        options[extension: item] = duration
        duration.seconds = 10
        options[extension: other] = duration
        #expect(options[extension: item]?.seconds == 9)
        #expect(options[extension: other]?.seconds == 10)
        options[extension: item] = nil
        #expect(options[extension: item] == nil)
        #expect(options[extension: other]?.seconds == 10)
        // Item group: start 1, type_id (2) = 78, message (3) = {seconds: 10}, end 1.
        #expect(options.unknownFields.bytes == [0x0B, 0x10, 0x4E, 0x1A, 0x02, 0x08, 0x0A, 0x0C])
    }
}
