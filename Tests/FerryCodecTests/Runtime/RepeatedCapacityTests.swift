import Testing

@testable import FerryCodec

/// A repeated field's first element makes room for a few more, bounded in bytes, so that a
/// hostile message of many one-element repeated fields holds at most 256 bytes of elements per
/// field on top of what one element takes.
@Suite struct RepeatedCapacityTests {
    /// 64 bytes.
    struct Large { var words: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0) }

    @Test("the first allocation holds four small elements, fewer large ones, and always at least one")
    func firstCapacity() {
        func first<V>(_ type: V.Type) -> Int { WireReader.firstCapacity(slotBytes: MemoryLayout<V>.stride) }
        #expect(first(String.self) == 4)
        #expect(first([UInt8].self) == 4)
        #expect(first(Large.self) == 4)
        #expect(first((Large, Int64).self) == 3)
        #expect(first((Large, Large).self) == 2)
        #expect(first((Large, Large, Int8).self) == 1)
        #expect(first((Large, Large, Large, Large, Large).self) == 1)
        // A map slot counts twice (about two buckets per entry): String to String, 32 bytes an
        // entry, gets four; String to a 64-byte value, 80 bytes, gets one.
        #expect(WireReader.mapFirstCapacity(key: String.self, value: String.self) == 4)
        #expect(WireReader.mapFirstCapacity(key: String.self, value: Large.self) == 1)
        #expect(WireReader.firstAllocationBytes == 256)
    }

    @Test("repeated strings decode in order across the first allocation and every growth")
    func growth() throws {
        for count in [1, 3, 4, 5, 9, 100] {
            let names = (0..<count).map { "name-\($0)" }
            let bytes = WireBytes.build { w in for name in names { w.field(1, string: name) } }
            #expect(try Names(serializedBytes: bytes).names == names)
        }
    }

    /// `repeated string names = 1`.
    struct Names: FerryCodec.Message {
        var names: [String] = []
        var unknownFields = UnknownFields()
        static let protoMessageName = "test.Names"

        func encode(to w: inout WireWriter) {
            w.write(unknownFields)
            w.writeRepeated(FieldType.String.self, names, field: 1)
        }

        mutating func decode(from r: inout WireReader) throws(DecodingError) {
            while let tag = try r.nextTag() {
                switch tag.fieldNumber {
                case 1: try r.readRepeated(FieldType.String.self, tag, into: &names)
                default: try r.skip(tag, into: &unknownFields)
                }
            }
        }
    }
}
