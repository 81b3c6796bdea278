import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

/// Protobuf JSON through the public API. The conformance driver covers the mapping case by case
/// against python; these tests cover the API, options, limits and errors, and one large oracle
/// comparison: protoc's descriptors of the whole protobuf corpus, printed by Ferry and read by
/// python, and the other way round.
@Suite struct JSONTests {
    @Test("well-known types print in their JSON forms and read back")
    func wellKnownForms() throws {
        #expect(try Google_Protobuf_Duration(seconds: -1, nanos: -500_000_000).jsonString() == "\"-1.500s\"")
        #expect(try Google_Protobuf_Duration(seconds: 0, nanos: 1).jsonString() == "\"0.000000001s\"")
        #expect(try Google_Protobuf_Timestamp(seconds: 0).jsonString() == "\"1970-01-01T00:00:00Z\"")
        #expect(
            try Google_Protobuf_Timestamp(seconds: 1_582_979_696, nanos: 789_000_000).jsonString()
                == "\"2020-02-29T12:34:56.789Z\""
        )
        #expect(
            try Google_Protobuf_Timestamp(jsonString: "\"1970-01-01T08:00:00+08:00\"")
                == Google_Protobuf_Timestamp(seconds: 0)
        )
        var mask = Google_Protobuf_FieldMask()
        mask.paths = ["foo_bar", "a.b_c"]
        #expect(try mask.jsonString() == "\"fooBar,a.bC\"")
        #expect(try Google_Protobuf_FieldMask(jsonString: "\"fooBar,a.bC\"") == mask)
        #expect(try Google_Protobuf_Int64Value(-5).jsonString() == "\"-5\"")
        #expect(try Google_Protobuf_BoolValue(jsonString: "true").value)

        let object: Google_Protobuf_Struct = ["tier": "gold", "score": 9.5, "tags": ["a", nil, true]]
        let text = try object.jsonString()
        #expect(try Google_Protobuf_Struct(jsonString: text) == object)
        #expect(try Google_Protobuf_Value(jsonString: "null").kind == .nullValue(.nullValue))
    }

    @Test("an Any prints its content's fields, resolved through the type registry")
    func anyThroughRegistry() throws {
        var context = Google_Protobuf_SourceContext()
        context.fileName = "a.proto"
        let any = Google_Protobuf_Any(packing: context)
        // SourceContext is a well-known file, but not a type with a special JSON form.
        #expect(
            try any.jsonString()
                == #"{"@type":"type.googleapis.com/google.protobuf.SourceContext","fileName":"a.proto"}"#
        )
        let wrapped = Google_Protobuf_Any(packing: Google_Protobuf_Duration(seconds: 1))
        #expect(try wrapped.jsonString() == #"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}"#)
        #expect(
            try Google_Protobuf_Any(
                jsonString: #"{"value":"1s","@type":"type.googleapis.com/google.protobuf.Duration"}"#
            ) == wrapped
        )

        var foreign = Google_Protobuf_Any()
        foreign.typeUrl = "type.googleapis.com/google.protobuf.FileDescriptorProto"
        foreign.value = [0x0A, 0x01, 0x61]
        // descriptor.proto is not in the default registry...
        #expect(throws: JSONEncodingError.self) { try foreign.jsonString() }
        // ...and is once it is named.
        var options = JSONEncodingOptions()
        options.typeRegistry = TypeRegistry([Google_Protobuf_FileDescriptorProto.self])
        #expect(
            try foreign.jsonString(options: options)
                == #"{"@type":"type.googleapis.com/google.protobuf.FileDescriptorProto","name":"a"}"#
        )
    }

    @Test("options: proto field names, enums as numbers, fields without presence at their defaults")
    func printerOptions() throws {
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "total_cents"
        field.jsonName = "totalCents"
        field.type = .int64
        field.proto3Optional = true
        #expect(
            try field.jsonString()
                == #"{"name":"total_cents","type":"TYPE_INT64","jsonName":"totalCents","proto3Optional":true}"#
        )
        var options = JSONEncodingOptions()
        options.useProtoFieldNames = true
        options.enumsAsIntegers = true
        #expect(
            try field.jsonString(options: options)
                == #"{"name":"total_cents","type":3,"json_name":"totalCents","proto3_optional":true}"#
        )

        // proto3 fields without presence: absent by default, printed at their defaults on request.
        var defaults = JSONEncodingOptions()
        defaults.alwaysPrintFieldsWithoutPresence = true
        #expect(try Google_Protobuf_Duration().jsonString() == "\"0s\"")
        #expect(try Google_Protobuf_SourceContext().jsonString() == "{}")
        #expect(try Google_Protobuf_SourceContext().jsonString(options: defaults) == #"{"fileName":""}"#)
        let type = try Google_Protobuf_Type().jsonString(options: defaults)
        #expect(type == #"{"name":"","fields":[],"oneofs":[],"options":[],"syntax":"SYNTAX_PROTO2","edition":""}"#)
    }

    @Test(
        "errors name the JSON path and the byte offset",
        arguments: [
            (
                #"{"messageType": [{"field": [{"number": 1}, {"number": "x"}]}]}"#, JSONDecodingError.Code.invalidValue,
                "messageType[0].field[1].number"
            ),
            (#"{"messageType": [{"nestedType": [{"nam": "b"}]}]}"#, .unknownField, "messageType[0].nestedType[0].nam"),
            (#"{"name": "a", "name": "b"}"#, .duplicateField, "name"),
            (#"{"name": "a""#, .malformedJSON, ""),
            (#"{"options": {"optimizeFor": "FASTEST"}}"#, .invalidValue, "options.optimizeFor"),
        ]
    )
    func decodingErrors(input: String, code: JSONDecodingError.Code, path: String) {
        #expect {
            _ = try Google_Protobuf_FileDescriptorProto(jsonString: input)
        } throws: { error in
            guard let error = error as? JSONDecodingError else { return false }
            return error.code == code && error.path == path && error.offset > 0
        }
    }

    @Test("unknown fields and enum names are skipped on request")
    func ignoreUnknownFields() throws {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        let file = try Google_Protobuf_FileDescriptorProto(
            jsonString: #"{"name": "a", "future": {"x": [1, {"y": null}]}, "options": {"optimizeFor": "FASTEST"}}"#,
            options: options
        )
        #expect(file.name == "a")
        #expect(file.options?.optimizeFor == nil)
    }

    @Test("limits: input size and nesting depth end in errors, not crashes")
    func limits() {
        var small = JSONDecodingOptions()
        small.maxInputSize = 10
        #expect(throws: JSONDecodingError.self) {
            try Google_Protobuf_Struct(jsonString: #"{"a": "0123456789"}"#, options: small)
        }

        let deep = String(repeating: #"{"a":"#, count: 200) + "1" + String(repeating: "}", count: 200)
        #expect { try Google_Protobuf_Struct(jsonString: deep) } throws: { error in
            (error as? JSONDecodingError)?.code == .recursionLimitExceeded
        }
        var deeper = JSONDecodingOptions()
        deeper.recursionLimit = 250
        #expect(throws: Never.self) { try Google_Protobuf_Struct(jsonString: deep, options: deeper) }
        // Not valid UTF-8.
        #expect(throws: JSONDecodingError.self) {
            try Google_Protobuf_Struct(jsonUTF8Bytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        }
    }

    @Test("values with no JSON form are encoding errors")
    func encodingErrors() {
        #expect(throws: JSONEncodingError.self) { try Google_Protobuf_Timestamp(seconds: 253_402_300_800).jsonString() }
        #expect(throws: JSONEncodingError.self) { try Google_Protobuf_Duration(seconds: 1, nanos: -1).jsonString() }
        var mask = Google_Protobuf_FieldMask()
        mask.paths = ["fooBar"]
        #expect(throws: JSONEncodingError.self) { try mask.jsonString() }
        var infinite = Google_Protobuf_Value()
        infinite.kind = .numberValue(.infinity)
        #expect(throws: JSONEncodingError.self) { try infinite.jsonString() }
    }

    /// Every file of the protobuf corpus as protoc describes it: Ferry's JSON must read in python as
    /// the same descriptor, and python's JSON must read in Ferry as the same bytes.
    @Test("descriptors of the protobuf corpus: Ferry's JSON equals python's both ways")
    func descriptorCorpusAgainstPython() async throws {
        let files = try Oracles.corpusFiles()
        var set = Google_Protobuf_FileDescriptorSet()
        for file in files.prefix(40) {
            let bytes = try await Oracles.protocDescriptorSet(file, sourceInfo: true)
            set.file.append(contentsOf: try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes).file)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("set.pb")
        let ferryJSON = directory.appendingPathComponent("ferry.json")
        try Data(set.serializedBytes()).write(to: binary)
        try Data(try set.jsonUTF8Bytes()).write(to: ferryJSON)

        let script = """
            import sys
            from google.protobuf import descriptor_pb2, json_format
            binary = open(sys.argv[1], "rb").read()
            expected = descriptor_pb2.FileDescriptorSet.FromString(binary)
            expected.DiscardUnknownFields()  # custom options: JSON has no unknown fields
            parsed = json_format.Parse(open(sys.argv[2]).read(), descriptor_pb2.FileDescriptorSet())
            if parsed != expected:
                import difflib
                from google.protobuf import text_format
                for a, b in zip(expected.file, parsed.file):
                    if a != b:
                        diff = difflib.unified_diff(
                            text_format.MessageToString(a).splitlines(),
                            text_format.MessageToString(b).splitlines(),
                            lineterm="",
                            n=1,
                        )
                        sys.exit(a.name + " reads differently in python: " + chr(10).join(list(diff)[:40]))
                sys.exit("Ferry's JSON reads differently in python")
            sys.stdout.write(expected.SerializeToString().hex() + "\\n")
            sys.stdout.write(json_format.MessageToJson(expected, indent=None))
            """
        let output = try await Program.check(TestPaths.python, ["-c", script, binary.path, ferryJSON.path])
        let lines = output.split(separator: UInt8(ascii: "\n"), maxSplits: 1).map(Array.init)
        try #require(lines.count == 2)
        // python's JSON reads in Ferry as what python holds: the descriptors without the custom
        // options, which python's descriptor_pb2 does not know (JSON has no unknown fields).
        let back = try Google_Protobuf_FileDescriptorSet(jsonUTF8Bytes: lines[1])
        #expect(
            back.serializedBytes().map { String(format: "%02x", $0) }.joined()
                == String(decoding: lines[0], as: UTF8.self)
        )
        #expect(set.file.count >= 40)
    }
}
