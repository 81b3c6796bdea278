import Testing

@testable import FerryCodec

/// Varint and packed-run coding, checked against a byte-at-a-time reference encoder.
@Suite struct VarintCodingTests {
    /// The textbook encoding: seven bits at a time, least significant first.
    private func referenceVarint(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    /// Values at every length boundary and a deterministic spread in between.
    private var sampleValues: [UInt64] {
        var values: [UInt64] = [0, 1, 0x7F, 0x80, UInt64.max, UInt64.max - 1, 1 << 63]
        for bits in 1...63 {
            values += [(1 << UInt64(bits)) - 1, 1 << UInt64(bits), (1 << UInt64(bits)) + 1]
        }
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            values.append(x >> (x & 63))
        }
        return values
    }

    private func decodeAll(_ bytes: [UInt8], count: Int) throws(DecodingError) -> [UInt64] {
        var result: Result<[UInt64], DecodingError> = .success([])
        bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer, options: DecodingOptions())
            result = Result { () throws(DecodingError) -> [UInt64] in
                var out: [UInt64] = []
                for _ in 0..<count { out.append(try reader.readVarint()) }
                return out
            }
        }
        return try result.get()
    }

    @Test("the writer's varints are the reference bytes, written singly and after other data")
    func writerMatchesReference() {
        for value in sampleValues {
            var writer = WireWriter(initialCapacity: 16)
            writer.writeVarint(value)
            #expect(writer.bytes() == referenceVarint(value), "value \(value)")
            writer.writeVarint(value)
            #expect(writer.bytes() == referenceVarint(value) + referenceVarint(value), "value \(value) twice")
        }
    }

    @Test("the reader decodes every sample, far from the end (word path) and at the end (checked path)")
    func readerRoundTrips() throws {
        let values = sampleValues
        let bytes = values.flatMap(referenceVarint)
        #expect(try decodeAll(bytes, count: values.count) == values)
        for value in values {
            #expect(try decodeAll(referenceVarint(value), count: 1) == [value])
        }
    }

    @Test("an eleven-byte varint is malformed and a cut one is truncated, on both paths")
    func malformedVarints() {
        let overlong = [UInt8](repeating: 0xFF, count: 10) + [0x01]
        for padding in [0, 12] {
            let tail = [UInt8](repeating: 0, count: padding)
            do {
                _ = try decodeAll(overlong + tail, count: 1)
                Issue.record("overlong varint accepted")
            } catch {
                #expect(error.code == .malformedVarint)
            }
        }
        do {
            _ = try decodeAll([0x80, 0x80], count: 1)
            Issue.record("truncated varint accepted")
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test("packed runs of every width decode to the written arrays, after unpacked elements")
    func packedRoundTrip() throws {
        let int64s: [Int64] = sampleValues.map { Int64(bitPattern: $0) }
        let doubles: [Double] = [0, -0.0, 1.5, .infinity, -1e300, .leastNonzeroMagnitude]
        let floats: [Float] = [0, 3.25, -.infinity]
        let bools: [Bool] = [true, false, true, true]
        var writer = WireWriter()
        writer.writePacked(FieldType.Bool.self, bools, field: 4)
        writer.writePacked(FieldType.Float.self, floats, field: 3)
        writer.writePacked(FieldType.Double.self, doubles, field: 2)
        writer.writePacked(FieldType.SInt64.self, int64s, field: 1)
        writer.write(sint64: 42, field: 1)
        let bytes = writer.bytes()
        var result: Result<([Int64], [Double], [Float], [Bool]), DecodingError> = .success(([], [], [], []))
        bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer, options: DecodingOptions())
            result = Result { () throws(DecodingError) in
                var a: [Int64] = []
                var b: [Double] = []
                var c: [Float] = []
                var d: [Bool] = []
                while let tag = try reader.nextTag() {
                    switch tag.fieldNumber {
                    case 1: try reader.readRepeated(FieldType.SInt64.self, tag, into: &a)
                    case 2: try reader.readRepeated(FieldType.Double.self, tag, into: &b)
                    case 3: try reader.readRepeated(FieldType.Float.self, tag, into: &c)
                    default: try reader.readRepeated(FieldType.Bool.self, tag, into: &d)
                    }
                }
                return (a, b, c, d)
            }
        }
        let (a, b, c, d) = try result.get()
        #expect(a == [42] + int64s)
        #expect(b.map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(c == floats)
        #expect(d == bools)
    }

    @Test("a packed run that ends inside a value fails")
    func packedTruncated() {
        let cases: [[UInt8]] = [
            [0x0A, 0x03, 0x01, 0x80, 0x80],  // varint run whose last varint has no final byte
            [0x12, 0x07] + [UInt8](repeating: 0, count: 7),  // double run of 7 bytes
        ]
        for bytes in cases {
            var failed = false
            bytes.withUnsafeBytes { buffer in
                var reader = WireReader(buffer, options: DecodingOptions())
                var ints: [Int64] = []
                var doubles: [Double] = []
                do throws(DecodingError) {
                    while let tag = try reader.nextTag() {
                        if tag.fieldNumber == 1 {
                            try reader.readRepeated(FieldType.Int64.self, tag, into: &ints)
                        } else {
                            try reader.readRepeated(FieldType.Double.self, tag, into: &doubles)
                        }
                    }
                } catch {
                    failed = error.code == .truncated && reader.atTopLevel(error).fieldPath.first != nil
                }
            }
            #expect(failed, "\(bytes)")
        }
    }
}
