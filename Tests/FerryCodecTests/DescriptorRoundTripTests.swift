import FerryCodec
import Testing

/// protoc's own descriptor sets are real, varied protobuf data (nested messages, packed and
/// unpacked repeated fields, closed enums, custom options kept as unknown fields): decoding and
/// re-encoding them must reproduce protoc's bytes exactly.
@Suite struct DescriptorRoundTripTests {
    @Test("protoc's descriptor sets round-trip byte for byte", arguments: try Oracles.corpusFiles())
    func roundTrip(file: String) async throws {
        let bytes = try await Oracles.protocDescriptorSet(file, sourceInfo: true)
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        #expect(set.file.last?.name == file)
        #expect(set.serializedBytes() == bytes)
    }

    @Test("decoded descriptors expose the schema's structure")
    func structure() async throws {
        let set = try Google_Protobuf_FileDescriptorSet(
            serializedBytes: try await Oracles.protocDescriptorSet("google/protobuf/timestamp.proto")
        )
        let file = try #require(set.file.first)
        #expect(file.package == "google.protobuf")
        #expect(file.syntax == "proto3")
        let timestamp = try #require(file.messageType.first)
        #expect(timestamp.name == "Timestamp")
        #expect(timestamp.field.map(\.name) == ["seconds", "nanos"])
        #expect(timestamp.field.map(\.type) == [.int64, .int32])
        #expect(timestamp.field.map(\.label) == [.optional, .optional])
    }
}
