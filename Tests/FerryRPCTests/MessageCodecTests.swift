import FerryCodec
import FerryRPC
import RPCTestSupport
import Testing

@Suite("Message codecs: the protobuf serializers read and write both the binary form and JSON")
struct MessageCodecTests {
    @Test("ProtobufSerializer and ProtobufDeserializer speak JSON when the call's codec is json")
    func protobufJSON() throws {
        var duration = Google_Protobuf_Duration()
        duration.seconds = 3
        let json = try ProtobufSerializer<Google_Protobuf_Duration>().serialize(duration, codec: .json)
        #expect(String(decoding: json, as: UTF8.self) == #""3s""#)
        #expect(try ProtobufDeserializer<Google_Protobuf_Duration>().deserialize(json, codec: .json) == duration)
        let binary = try ProtobufSerializer<Google_Protobuf_Duration>().serialize(duration, codec: .proto)
        #expect(binary == duration.serializedBytes())
        #expect(try ProtobufDeserializer<Google_Protobuf_Duration>().deserialize(binary, codec: .proto) == duration)
        let malformed = #expect(throws: RPCError.self) {
            try ProtobufDeserializer<Google_Protobuf_Duration>().deserialize(Array("3s".utf8), codec: .json)
        }
        #expect(malformed?.code == .invalidArgument)
    }

    @Test("a serializer without a JSON form refuses the json codec with UNIMPLEMENTED")
    func noJSON() {
        let serialized = #expect(throws: RPCError.self) { try UTF8Coder().serialize("x", codec: .json) }
        #expect(serialized?.code == .unimplemented)
        let deserialized = #expect(throws: RPCError.self) { try UTF8Coder().deserialize([0x78], codec: .json) }
        #expect(deserialized?.code == .unimplemented)
        #expect((try? UTF8Coder().deserialize([0x78], codec: .proto)) == "x")
    }
}
