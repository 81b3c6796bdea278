import FerryCodec
import Testing

/// Tags and length prefixes are varints of at most 5 bytes, as protobuf's C++ and upb parsers
/// require; a 5-byte padded encoding of a small number is still accepted.
@Suite struct VarintLengthLimitTests {
    /// `value` as a varint stretched to `length` bytes with redundant continuation bytes.
    static func padded(_ value: UInt64, length: Int) -> [UInt8] {
        var v = value
        return (0..<length).map { index in
            let byte = UInt8(truncatingIfNeeded: v & 0x7F) | (index < length - 1 ? 0x80 : 0)
            v >>= 7
            return byte
        }
    }

    @Test(
        "a tag padded to 5 bytes is read; padded to 6 it is an error",
        arguments: [(5, true), (6, false), (10, false)]
    )
    func tagLength(bytes: Int, accepted: Bool) throws {
        let input = Self.padded(1 << 3, length: bytes) + [42]  // field 1, varint 42
        if accepted {
            #expect(try Probe(serializedBytes: input).number == 42)
        } else {
            #expect(throws: DecodingError.self) { try Probe(serializedBytes: input) }
        }
    }

    @Test(
        "a length prefix padded to 5 bytes is read; padded to 6 it is an error",
        arguments: [(5, true), (6, false), (9, false)]
    )
    func lengthPrefix(bytes: Int, accepted: Bool) throws {
        let input: [UInt8] = [0x12] + Self.padded(2, length: bytes) + Array("hi".utf8)  // field 2, string
        if accepted {
            #expect(try Probe(serializedBytes: input).text == "hi")
        } else {
            #expect(throws: DecodingError.self) { try Probe(serializedBytes: input) }
        }
    }

    @Test("an unknown field's tag and length follow the same limits")
    func unknownField() {
        let longTag = Self.padded(99 << 3 | 2, length: 6) + [0x00]
        let longLength: [UInt8] = [0x9A, 0x06] + Self.padded(0, length: 6)
        #expect(throws: DecodingError.self) { try Probe(serializedBytes: longTag) }
        #expect(throws: DecodingError.self) { try Probe(serializedBytes: longLength) }
    }
}
