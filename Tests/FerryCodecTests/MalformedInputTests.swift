import FerryCodec
import Testing

/// Every class of malformed input ends in a typed error naming where it happened.
@Suite struct MalformedInputTests {
    private func failure(_ bytes: [UInt8], options: DecodingOptions = DecodingOptions()) -> DecodingError? {
        do {
            _ = try Probe(serializedBytes: bytes, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test("a varint cut off at the end of input")
    func truncatedVarint() {
        let error = failure([0x08, 0x96])
        #expect(error?.code == .truncated)
        #expect(error?.fieldPath == [1])
        #expect(error?.messageName == "test.Probe")
    }

    @Test("a varint longer than ten bytes")
    func overlongVarint() {
        let error = failure([0x08] + Array(repeating: 0xFF, count: 10) + [0x01])
        #expect(error?.code == .malformedVarint)
        #expect(error?.fieldPath == [1])
    }

    @Test("a length prefix pointing past the end")
    func lengthPastEnd() {
        let error = failure([0x12, 0x05, 0x61, 0x62])
        #expect(error?.code == .lengthOutOfBounds)
        #expect(error?.fieldPath == [2])
    }

    @Test("a huge length prefix is rejected before any allocation")
    func hugeLength() {
        let error = failure([0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(error?.code == .lengthOutOfBounds)
    }

    @Test("a fixed64 value cut short")
    func truncatedFixed() {
        let error = failure([0x49, 1, 2, 3])
        #expect(error?.code == .truncated)
        #expect(error?.fieldPath == [9])
    }

    @Test("a known field with the wrong wire type")
    func wrongWireType() {
        let error = failure([0x0D, 1, 2, 3, 4])  // field 1 as fixed32, declared int32
        #expect(error?.code == .wrongWireType)
    }

    @Test("wire types 6 and 7 do not exist", arguments: [UInt8(0x0E), 0x0F])
    func invalidWireType(tag: UInt8) {
        #expect(failure([tag, 0])?.code == .invalidWireType)
    }

    @Test("field number zero")
    func fieldZero() {
        #expect(failure([0x00, 0x01])?.code == .invalidFieldNumber)
    }

    @Test(
        "invalid UTF-8 in a string field",
        arguments: [[UInt8(0xFF)], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]]
    )
    func invalidUTF8(payload: [UInt8]) {
        let error = failure(WireBytes.build { $0.field(2, bytes: payload) })
        #expect(error?.code == .invalidUTF8)
        #expect(error?.fieldPath == [2])
    }

    @Test("an error deep inside nested messages names the whole path")
    func nestedPath() {
        let inner = WireBytes(bytes: [0x12, 0x01, 0xFF])  // field 2: invalid UTF-8
        let middle = WireBytes(bytes: WireBytes.build { $0.field(4, message: inner) })
        let error = failure(WireBytes.build { $0.field(4, message: middle) })
        #expect(error?.code == .invalidUTF8)
        #expect(error?.fieldPath == [4, 4, 2])
        #expect(error?.description == "invalid UTF-8 in string field in field 4.4.2 of test.Probe")
    }

    private func nested(depth: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<depth { bytes = WireBytes.build { $0.field(4, bytes: bytes) } }
        return bytes
    }

    @Test("nesting deeper than the recursion limit")
    func recursionLimit() throws {
        #expect(failure(nested(depth: 101))?.code == .recursionLimitExceeded)
        _ = try Probe(serializedBytes: nested(depth: 100))
        #expect(
            failure(nested(depth: 11), options: DecodingOptions(recursionLimit: 10))?.code == .recursionLimitExceeded
        )
    }

    @Test("unknown groups count towards the recursion limit too")
    func unknownGroupRecursion() {
        var bytes: [UInt8] = []
        for _ in 0..<200 {
            bytes = WireBytes.build { $0.tag(50, .startGroup) } + bytes + WireBytes.build { $0.tag(50, .endGroup) }
        }
        #expect(failure(bytes)?.code == .recursionLimitExceeded)
    }

    @Test("input over the size limit is refused up front")
    func sizeLimit() {
        let bytes = WireBytes.build { $0.field(2, string: String(repeating: "a", count: 100)) }
        let error = failure(bytes, options: DecodingOptions(maxMessageSize: 50))
        #expect(error?.code == .messageTooLarge)
    }

    @Test("groups: a missing end tag, a mismatched one, and a stray one")
    func groupErrors() {
        #expect(failure([0x33, 0xE8, 0x03, 0x01])?.code == .truncated)  // start group 6, a=1, no end
        #expect(failure([0x33, 0x3C])?.code == .unmatchedEndGroup)  // start 6, end 7
        #expect(failure([0x34])?.code == .unmatchedEndGroup)  // end 6 at top level
    }

    @Test("a missing required field fails unless partial messages are allowed")
    func requiredFields() throws {
        var part = Google_Protobuf_UninterpretedOption.NamePart()
        part.namePart = "foo"
        let bytes = part.serializedBytes()
        #expect(throws: DecodingError.self) { try Google_Protobuf_UninterpretedOption.NamePart(serializedBytes: bytes) }
        let partial = try Google_Protobuf_UninterpretedOption.NamePart(
            serializedBytes: bytes,
            options: DecodingOptions(allowPartial: true)
        )
        #expect(partial.namePart == "foo")
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var generator = SplitMix64(seed: 0xF3_22_17)
        var failures = 0
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if failure(bytes) != nil { failures += 1 }
        }
        #expect(failures > 10_000)  // most random inputs are malformed; none may trap
    }

    @Test("every truncation and single-byte mutation of a real descriptor set is handled")
    func mutatedDescriptors() async throws {
        let bytes = try await Oracles.protocDescriptorSet("google/protobuf/unittest_custom_options.proto")
        var generator = SplitMix64(seed: 7)
        for length in stride(from: 0, to: bytes.count, by: 97) {
            _ = try? Google_Protobuf_FileDescriptorSet(serializedBytes: Array(bytes.prefix(length)))
        }
        for _ in 0..<3_000 {
            var mutated = bytes
            let index = Int(generator.next() % UInt64(mutated.count))
            mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            if let decoded = try? Google_Protobuf_FileDescriptorSet(
                serializedBytes: mutated,
                options: DecodingOptions(allowPartial: true)
            ) {
                // Whatever decodes must re-encode and decode to the same value.
                #expect(
                    try Google_Protobuf_FileDescriptorSet(
                        serializedBytes: decoded.serializedBytes(),
                        options: DecodingOptions(allowPartial: true)
                    ) == decoded
                )
            }
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
