import FerryCodec
import Testing

@Suite struct WellKnownTypeTests {
    @Test(
        "Swift durations convert both ways, signs kept together",
        arguments: [Duration.seconds(90), .milliseconds(-1500), .nanoseconds(7), .zero]
    )
    func durations(duration: Duration) {
        let proto = Google_Protobuf_Duration(duration)
        #expect(proto.isValid)
        #expect(proto.duration == duration)
        #expect(proto.seconds == 0 || proto.nanos == 0 || (proto.seconds < 0) == (proto.nanos < 0))
    }

    @Test("timestamps before the epoch keep nanos in 0 ..< 1e9")
    func timestampsBeforeEpoch() {
        let timestamp = Google_Protobuf_Timestamp(sinceEpoch: .milliseconds(-1500))
        #expect(timestamp.seconds == -2)
        #expect(timestamp.nanos == 500_000_000)
        #expect(timestamp.sinceEpoch == .milliseconds(-1500))
        #expect(!Google_Protobuf_Timestamp(seconds: Google_Protobuf_Timestamp.validSeconds.upperBound + 1).isValid)
    }

    @Test("Any packs a message with its type URL and unpacks only as that type")
    func anyPacking() throws {
        let duration = Google_Protobuf_Duration(seconds: 3, nanos: 4)
        let any = Google_Protobuf_Any(packing: duration)
        #expect(any.typeUrl == "type.googleapis.com/google.protobuf.Duration")
        #expect(any.isA(Google_Protobuf_Duration.self))
        #expect(try any.unpack(Google_Protobuf_Duration.self) == duration)
        #expect(try any.unpack(Google_Protobuf_Timestamp.self) == nil)

        var corrupt = any
        corrupt.value = [0x08]
        #expect(throws: DecodingError.self) { try corrupt.unpack(Google_Protobuf_Duration.self) }
    }

    @Test("Struct and Value read like JSON literals and survive the wire")
    func structLiterals() throws {
        let object: Google_Protobuf_Struct = ["tier": "gold", "score": 9.5, "count": 3, "tags": ["a", nil, true]]
        #expect(object.fields["score"]?.kind == .numberValue(9.5))
        #expect(object.fields["count"]?.kind == .numberValue(3))
        let decoded = try Google_Protobuf_Struct(serializedBytes: object.serializedBytes())
        #expect(decoded == object)
        #expect(Google_Protobuf_Int64Value(-5).value == -5)
    }
}
