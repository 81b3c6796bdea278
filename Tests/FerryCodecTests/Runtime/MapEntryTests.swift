import FerryCodec
import Testing

/// How one map entry on the wire becomes a key and a value: an entry is a small message of its
/// own (key = 1, value = 2), read with a message's rules.
@Suite struct MapEntryTests {
    @Test("a key with another wire type is skipped like an unknown field: the entry keeps the default key")
    func keyWithWrongWireType() throws {
        let bytes = WireBytes.build { w in
            w.field(
                5,
                message: WireBytes(
                    bytes: WireBytes.build { e in
                        e.field(1, varint: 7)  // the key is a string: varint is not its wire type
                        e.field(2, varint: 3)
                    }
                )
            )
        }
        #expect(try Probe(serializedBytes: bytes).labels == ["": 3])
    }

    @Test("a value with another wire type is skipped: the entry keeps the default value")
    func valueWithWrongWireType() throws {
        let bytes = WireBytes.build { w in
            w.field(
                5,
                message: WireBytes(
                    bytes: WireBytes.build { e in
                        e.field(1, string: "a")
                        e.tag(2, .fixed32)  // the value is an int32: fixed32 is not its wire type
                        e.bytes += [1, 0, 0, 0]
                        e.field(2, bytes: [9])  // nor is length-delimited
                    }
                )
            )
        }
        #expect(try Probe(serializedBytes: bytes).labels == ["a": 0])
    }

    @Test("a malformed field inside an entry is still an error")
    func malformedInsideEntry() {
        let bytes = WireBytes.build { w in
            w.field(5, bytes: [0x0A, 0x05, 0x61])  // key: 5 bytes announced, 1 present
        }
        #expect(throws: DecodingError.self) { try Probe(serializedBytes: bytes) }
    }
}

/// A map<int32, Probe>, written as the generator writes maps of messages.
struct ProbeMap: FerryCodec.Message {
    var entries: [Int32: Probe] = [:]  // 1
    var unknownFields = UnknownFields()
    static let protoMessageName = "test.ProbeMap"

    func encode(to w: inout WireWriter) {
        w.write(unknownFields)
        w.writeMap(FieldType.Int32.self, FieldType.Message<Probe>.self, entries, field: 1)
    }

    mutating func decode(from r: inout WireReader) throws(DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: try r.readMapEntry(FieldType.Int32.self, FieldType.Message<Probe>.self, tag, into: &entries)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

@Suite struct MapMessageValueTests {
    @Test("a message value that occurs twice in one entry is merged, like any repeated message field")
    func valueOccurrencesMerge() throws {
        let bytes = WireBytes.build { w in
            w.field(
                1,
                message: WireBytes(
                    bytes: WireBytes.build { e in
                        e.field(1, varint: 4)
                        e.field(2, message: WireBytes(bytes: WireBytes.build { $0.field(1, varint: 1) }))
                        e.field(2, message: WireBytes(bytes: WireBytes.build { $0.field(2, string: "x") }))
                    }
                )
            )
        }
        let value = try #require(try ProbeMap(serializedBytes: bytes).entries[4])
        #expect(value.number == 1)
        #expect(value.text == "x")
    }

    @Test("entries with the same key: the last entry wins whole, nothing is merged across entries")
    func duplicateKeysReplace() throws {
        let entry = { (body: (inout WireBytes) -> Void) in
            WireBytes(
                bytes: WireBytes.build { e in
                    e.field(1, varint: 4)
                    e.field(2, message: WireBytes(bytes: WireBytes.build(body)))
                }
            )
        }
        let bytes = WireBytes.build { w in
            w.field(1, message: entry { $0.field(1, varint: 1) })
            w.field(1, message: entry { $0.field(2, string: "x") })
        }
        let value = try #require(try ProbeMap(serializedBytes: bytes).entries[4])
        #expect(value.number == nil)
        #expect(value.text == "x")
    }
}

/// A map<string, Probe.Color> in a proto2 file, where the value is a closed enum.
struct ClosedEnumMap: FerryCodec.Message {
    var colors: [String: Probe.Color] = [:]  // 1
    var unknownFields = UnknownFields()
    static let protoMessageName = "test.ClosedEnumMap"

    func encode(to w: inout WireWriter) {
        w.write(unknownFields)
        w.writeMap(FieldType.String.self, FieldType.Enum<Probe.Color>.self, colors, field: 1)
    }

    mutating func decode(from r: inout WireReader) throws(DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1:
                try r.readMapEntry(
                    FieldType.String.self,
                    closedEnum: Probe.Color.self,
                    tag,
                    into: &colors,
                    unknownFields: &unknownFields
                )
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

@Suite struct ClosedEnumMapTests {
    @Test("an entry whose closed-enum value has no case goes whole to the unknown fields; the others are stored")
    func unknownValueKeptAside() throws {
        func entry(_ key: String, _ value: UInt64) -> [UInt8] {
            WireBytes.build { e in
                e.field(1, string: key)
                e.field(2, varint: value)
            }
        }
        let unknownEntry = WireBytes.build { w in w.field(1, message: WireBytes(bytes: entry("b", 9))) }
        let bytes = WireBytes.build { w in
            w.field(1, message: WireBytes(bytes: entry("a", 1)))
            w.bytes += unknownEntry
            w.field(1, message: WireBytes(bytes: entry("c", 0)))
        }
        let decoded = try ClosedEnumMap(serializedBytes: bytes)
        #expect(decoded.colors == ["a": .green, "c": .red])
        #expect(decoded.unknownFields.bytes == unknownEntry)
    }
}
