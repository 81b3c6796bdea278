import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

/// Generated files embed their descriptors; together they rebuild exactly what protoc writes.
@Suite struct EmbeddedDescriptorTests {
    static func protocSet(_ file: String, include: String) async throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-set-\(UUID().uuidString).pb")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await Oracle.run(
            TestPaths.protoc,
            ["-I", include, "--include_imports", "--descriptor_set_out=\(path)", file]
        )
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("a message's file and its imports form protoc's --include_imports descriptor set, byte for byte")
    func descriptorSets() async throws {
        let corpus = Oracle.sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12").path
        let unittest = ProtobufUnittest_TestAllTypes.protoFile.fileDescriptorSet
        #expect(
            unittest.file.map(\.name) == [
                "google/protobuf/unittest_import_public.proto",
                "google/protobuf/unittest_import.proto", "google/protobuf/unittest.proto",
            ]
        )
        let protocUnittest = try await Self.protocSet("google/protobuf/unittest.proto", include: corpus)
        #expect(unittest.serializedBytes() == protocUnittest)
        let proto3 = ProtobufTestMessages_Proto3_TestAllTypesProto3.protoFile.fileDescriptorSet
        let protocProto3 = try await Self.protocSet("google/protobuf/test_messages_proto3.proto", include: corpus)
        #expect(proto3.serializedBytes() == protocProto3)
    }

    @Test("each message and enum finds its own descriptor")
    func typeDescriptors() {
        #expect(ProtobufUnittest_TestAllTypes.NestedMessage.descriptor.name == "NestedMessage")
        #expect(ProtobufUnittest_TestAllTypes.NestedEnum.descriptor.name == "NestedEnum")
        #expect(
            ProtobufUnittest_ForeignEnum.descriptor.value.map(\.name) == ["FOREIGN_FOO", "FOREIGN_BAR", "FOREIGN_BAZ"]
        )
        #expect(Benchpb_OrderPlaced.descriptor.field.map(\.number).count == 13)
        #expect(Google_Protobuf_Timestamp.descriptor.name == "Timestamp")
        #expect(Google_Protobuf_FieldDescriptorProto.TypeEnum.descriptor.name == "Type")
        for type in allGeneratedMessages {
            let name = type.protoMessageName
            let file = type.protoFile.descriptor
            #expect(name.hasSuffix("." + (type.descriptor.name ?? "?")) || name == type.descriptor.name, "\(name)")
            #expect(name.hasPrefix(file.package ?? ""), "\(name) in \(file.name ?? "")")
        }
    }
}
