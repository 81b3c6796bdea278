import FerryCodec
import Testing

/// Protobuf's text format and `debugDescription` through the public API; the conformance driver
/// covers the grammar case by case against python's text_format.
@Suite struct TextFormatTests {
    static func sampleFile() -> Google_Protobuf_FileDescriptorProto {
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "total"
        field.number = 2
        field.type = .int64
        field.label = .optional
        var message = Google_Protobuf_DescriptorProto()
        message.name = "Order"
        message.field = [field]
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "shop.proto"
        file.package = "shop"
        file.messageType = [message]
        file.dependency = ["a.proto", "b\"c\n.proto"]
        return file
    }

    @Test("text format prints one field per line and reads back")
    func roundTrip() throws {
        let file = Self.sampleFile()
        let text = try file.textFormatString()
        #expect(
            text == """
                name: "shop.proto"
                package: "shop"
                dependency: "a.proto"
                dependency: "b\\"c\\n.proto"
                message_type {
                  name: "Order"
                  field {
                    name: "total"
                    number: 2
                    label: LABEL_OPTIONAL
                    type: TYPE_INT64
                  }
                }

                """
        )
        #expect(try Google_Protobuf_FileDescriptorProto(textFormatString: text) == file)
        // The other spellings the grammar allows.
        let loose = """
            # a comment
            name: 'shop' ".proto"; package: "shop",
            dependency: ["a.proto", "b\\x22c\\012.proto"]
            message_type < name: "Order" field: { name: "total" number: 0x2 label: 1 type: TYPE_INT64 } >
            """
        #expect(try Google_Protobuf_FileDescriptorProto(textFormatString: loose) == file)
    }

    @Test("debugDescription shows the fields on one line, and print uses it")
    func debugDescription() {
        let duration = Google_Protobuf_Duration(seconds: 3, nanos: 5)
        #expect(duration.debugDescription == "google.protobuf.Duration { seconds: 3 nanos: 5 }")
        #expect(String(describing: duration) == duration.debugDescription)
        #expect(Google_Protobuf_Empty().debugDescription == "google.protobuf.Empty {}")
        #expect(
            Self.sampleFile().debugDescription.hasPrefix(
                #"google.protobuf.FileDescriptorProto { name: "shop.proto" package: "shop""#
            )
        )
        // Unknown fields show by number, so nothing read from the wire is hidden.
        let withUnknown = try? Google_Protobuf_Duration(serializedBytes: [0x08, 0x01, 0xA8, 0x1F, 0x07])
        #expect(withUnknown?.debugDescription == "google.protobuf.Duration { seconds: 1 501: 7 }")
    }

    @Test("an Any of a registered type prints expanded and reads back")
    func expandedAny() throws {
        let any = Google_Protobuf_Any(packing: Google_Protobuf_Duration(seconds: 1))
        var printing = TextFormatEncodingOptions()
        printing.singleLine = true
        #expect(
            try any.textFormatString(options: printing)
                == "[type.googleapis.com/google.protobuf.Duration] { seconds: 1 }"
        )
        #expect(
            try Google_Protobuf_Any(textFormatString: "[type.googleapis.com/google.protobuf.Duration] { seconds: 1 }")
                == any
        )
    }

    @Test(
        "errors give the line and column",
        arguments: [
            ("name: \"a\"\nno_such: 1", 2, 8),
            ("name: \"a\" name: \"b\"", 1, 15),
            ("message_type { name: \"x\"", 1, 25),
            ("dependency: \"\\z\"", 1, 16),
            ("options { optimize_for: FASTEST }", 1, 32),
        ]
    )
    func errors(input: String, line: Int, column: Int) {
        #expect {
            _ = try Google_Protobuf_FileDescriptorProto(textFormatString: input)
        } throws: { error in
            guard let error = error as? TextFormatDecodingError else { return false }
            return error.line == line && error.column == column
        }
    }

    @Test("nesting deeper than the limit is an error, not a crash")
    func depthLimit() {
        let deep =
            String(repeating: "fields { key: \"a\" value { struct_value { ", count: 60)
            + String(repeating: "} } } ", count: 60)
        #expect(throws: TextFormatDecodingError.self) { try Google_Protobuf_Struct(textFormatString: deep) }
    }
}

/// Required fields are checked when a message is encoded for someone else to read.
@Suite struct RequiredOnEncodeTests {
    @Test("serializedBytes(partial: false) refuses a message with a required field unset")
    func checked() throws {
        var part = Google_Protobuf_UninterpretedOption.NamePart()  // name_part and is_extension are required
        #expect(throws: EncodingError(missingRequiredFieldIn: "google.protobuf.UninterpretedOption.NamePart")) {
            try part.serializedBytes(partial: false)
        }
        #expect(try part.serializedBytes(partial: true) == [])
        part.namePart = "a"
        part.isExtension = false
        #expect(try part.serializedBytes(partial: false) == part.serializedBytes())
        // A sub-message's required field counts too.
        var option = Google_Protobuf_UninterpretedOption()
        option.name = [Google_Protobuf_UninterpretedOption.NamePart()]
        #expect(throws: EncodingError.self) { try option.serializedBytes(partial: false) }
    }
}

/// Extensions are kept among the unknown fields; discarding unknown fields must not drop them.
@Suite struct ExtensionsSurviveDiscardTests {
    @Test("discardUnknownFields drops unknown fields but keeps extensions")
    func keepsExtensions() throws {
        // FieldOptions: field 3 (deprecated) is declared; 900 is unknown; 50001 is in the extension range.
        let bytes: [UInt8] = [0x18, 0x01, 0xA0, 0x38, 0x07, 0x88, 0xB5, 0x18, 0x05]
        var options = DecodingOptions()
        options.discardUnknownFields = true
        let decoded = try Google_Protobuf_FieldOptions(serializedBytes: bytes, options: options)
        #expect(decoded.deprecated == true)
        #expect(decoded.unknownFields.bytes == [0x88, 0xB5, 0x18, 0x05])  // only the extension
        let kept = try Google_Protobuf_FieldOptions(serializedBytes: bytes)
        #expect(kept.unknownFields.bytes == [0xA0, 0x38, 0x07, 0x88, 0xB5, 0x18, 0x05])
    }
}

/// With an extension registry, a malformed extension value fails the decode.
@Suite struct ExtensionRegistryTests {
    static let timeout = ExtensionField(
        extending: Google_Protobuf_FieldOptions.self,
        message: Google_Protobuf_Duration.self,
        number: 50001,
        name: "test.timeout"
    )

    @Test("a registered extension whose value does not decode fails the decode; unregistered, it stays bytes")
    func malformedValue() throws {
        // Field 50001, length 1, a varint tag with no value: not a Duration.
        let malformed: [UInt8] = [0x8A, 0xB5, 0x18, 0x01, 0x08]
        var options = DecodingOptions()
        options.extensions = ExtensionRegistry([Self.timeout])
        #expect(throws: DecodingError.self) {
            try Google_Protobuf_FieldOptions(serializedBytes: malformed, options: options)
        }
        let lazy = try Google_Protobuf_FieldOptions(serializedBytes: malformed)
        #expect(lazy[extension: Self.timeout] == nil)

        // A well-formed value decodes, and reads back.
        var set = Google_Protobuf_FieldOptions()
        set[extension: Self.timeout] = Google_Protobuf_Duration(seconds: 3)
        let decoded = try Google_Protobuf_FieldOptions(serializedBytes: set.serializedBytes(), options: options)
        #expect(decoded[extension: Self.timeout] == Google_Protobuf_Duration(seconds: 3))

        // Another wire type is an unknown field, not an error.
        #expect(throws: Never.self) {
            try Google_Protobuf_FieldOptions(serializedBytes: [0x88, 0xB5, 0x18, 0x05], options: options)
        }
    }
}

/// The readers' and printers' limits end in errors, not crashes.
@Suite struct FormatLimitTests {
    static func deepStruct(_ depth: Int) -> Google_Protobuf_Struct {
        var value: Google_Protobuf_Struct = [:]
        for _ in 0..<depth {
            var outer = Google_Protobuf_Struct()
            var nested = Google_Protobuf_Value()
            nested.kind = .structValue(value)
            outer.fields["a"] = nested
            value = outer
        }
        return value
    }

    @Test("text format input larger than maxInputSize is refused before parsing")
    func textInputSize() {
        var options = TextFormatDecodingOptions()
        options.maxInputSize = 8
        #expect(throws: TextFormatDecodingError.self) {
            try Google_Protobuf_FileDescriptorProto(textFormatString: "name: \"longer than eight\"", options: options)
        }
    }

    @Test("printing a message nested deeper than recursionLimit is an error (JSON, text) or elided (debugDescription)")
    func printingDepth() {
        let deep = Self.deepStruct(60)  // 180 message levels: Struct, entry, Value
        #expect(throws: JSONEncodingError.self) { try deep.jsonString() }
        var json = JSONEncodingOptions()
        json.recursionLimit = 400
        #expect(throws: Never.self) { try deep.jsonString(options: json) }
        #expect(throws: TextFormatEncodingError.self) { try deep.textFormatString() }
        #expect(deep.debugDescription.contains("nested deeper than"))
    }
}
